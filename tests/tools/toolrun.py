"""What the jwst_query / jwst_download tests share: the program they use, a recording client, the child environment."""

from __future__ import annotations

import copy
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from astropy.table import Table

SRC = Path(__file__).resolve().parents[2] / "src"
PROGRAM = "6010"  # small archive: NIRCam, MIRI, NIRSpec and FGS observations with guide stars
WINDOW = ("60930", "60945")  # its observations' t_min


def subprocess_env() -> dict[str, str]:
    """This checkout's ``src`` first on the path of a child process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    env["PYTHONUNBUFFERED"] = "1"
    return env


def jwstarchive_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "jwstarchive.cli.main", *args]


@dataclass
class Recorder:
    """Our client's ``service_request`` that remembers what it sent and got."""

    url: str
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    results: list[Table] = field(default_factory=list)

    def __post_init__(self) -> None:
        from jwstarchive.mast import MastClass

        self.mast = MastClass(self.url)

    def __call__(self, service: str, params: dict[str, Any]) -> Table:
        self.calls.append((service, copy.deepcopy(params)))
        table = self.mast.service_request(service, params)
        self.results.append(table)
        return table

    def of(self, service: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == service]


@dataclass
class ToolResult:
    returncode: int
    stdout: str
    stderr: str
    cwd: Path
