"""Fixtures of the jwst_query / jwst_download tests: the tools run against the real server on loopback.

* ``mast_url``: the session server's base URL (``live_server``, the small archive).
* ``recorder``: ``Mast.service_request`` of our client, aimed at that server, that also keeps every
  (service, params) it sent and every table it got back.
* ``tool``: runs ``jwstarchive query|download ARGS`` in a subprocess in a fresh directory with a
  clean environment (no config file, no token) and the server as MAST.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
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


@pytest.fixture(scope="session")
def mast_url(live_server: Any) -> str:
    return str(live_server.url)


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


@pytest.fixture
def recorder(mast_url: str) -> Iterator[Recorder]:
    rec = Recorder(mast_url)
    yield rec
    rec.mast.close()


@dataclass
class ToolResult:
    returncode: int
    stdout: str
    stderr: str
    cwd: Path


@pytest.fixture
def tool(mast_url: str, tmp_path: Path) -> Callable[..., ToolResult]:
    """Run ``jwstarchive query|download ARGS`` (``kind`` first) in ``tmp_path/run``."""
    cwd = tmp_path / "run"
    cwd.mkdir()

    def run(kind: str, *args: str, env: dict[str, str] | None = None, stdin: str | None = None,
            cwd_: Path | None = None) -> ToolResult:  # fmt: skip
        environ = subprocess_env()
        for name in ("JWST_QUERY_CFGFILE", "MAST_API_TOKEN", "JWSTDOWNLOAD_OUTDIR"):
            environ.pop(name, None)
        environ["JWSTARCHIVE_MAST_URL"] = mast_url
        environ["COLUMNS"] = "200"
        environ.update(env or {})
        proc = subprocess.run(
            jwstarchive_command(kind, *args), cwd=cwd_ or cwd, env=environ, input=stdin or "",
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        return ToolResult(proc.returncode, proc.stdout, proc.stderr, cwd_ or cwd)

    return run
