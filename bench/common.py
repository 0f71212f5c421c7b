"""What the bench scripts share: this checkout's ``jwstarchive`` command, archives, a served linked copy,
timing, and the line that reproduces the figures.

Importing it puts this checkout's ``src`` first on ``sys.path``, so the scripts measure the code beside them.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

T = TypeVar("T")
FIRST_LINE = "Serving jwstarchive at "


def cli_env(*, drop: Iterable[str] = (), **extra: str) -> dict[str, str]:
    """Our environment without ``drop``, plus ``extra``, with this checkout's ``src`` first on PYTHONPATH."""
    dropped = set(drop)
    env = {name: value for name, value in os.environ.items() if name not in dropped}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    env.update(extra)
    return env


def cli(*args: str) -> list[str]:
    """The argv that runs ``jwstarchive ARGS`` with this interpreter."""
    return [sys.executable, "-m", "jwstarchive.cli.main", *args]


def generate_archive(out: Path, scale: str = "small", *, quiet: bool = True) -> Path:
    """``jwstarchive generate --scale SCALE --seed 1 --out OUT`` (quiet: no progress, stdout discarded)."""
    args = ["generate", "--scale", scale, "--seed", "1", "--out", str(out)]
    subprocess.run(
        cli("-q", *args) if quiet else cli(*args),
        env=cli_env(),
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )
    return out


def linked_archive(archive: Path, workdir: Path) -> Path:
    """A new directory under ``workdir`` that links ``archive``'s catalog but has a state of its own."""
    linked = Path(tempfile.mkdtemp(prefix="server-", dir=workdir))
    for entry in archive.iterdir():
        if entry.name != "state":
            (linked / entry.name).symlink_to(entry.resolve())
    return linked


@dataclass
class Server:
    """A running ``jwstarchive serve``: base URL, its archive directory (a linked copy) and the process."""

    url: str
    dir: Path
    proc: subprocess.Popen[str]

    @property
    def tap(self) -> str:
        """The TAP base URL."""
        return self.url + "/server/tap"


@contextmanager
def served(archive: Path, workdir: Path) -> Iterator[Server]:
    """``jwstarchive serve --port 0`` on a linked copy of ``archive`` (made under ``workdir``), stopped on exit."""
    linked = linked_archive(archive, workdir)
    proc = subprocess.Popen(
        cli("-q", "serve", "--archive", str(linked), "--port", "0"),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=cli_env(),
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith(FIRST_LINE):
        proc.kill()
        proc.wait()
        raise SystemExit(f"server did not start: {line!r}")
    try:
        yield Server(line.rsplit(" ", 1)[1], linked, proc)
    finally:
        proc.terminate()
        proc.wait(30)
        proc.stdout.close()


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """(wall time in s, value) of one call of ``fn``."""
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def best_of(fns: Mapping[str, Callable[[], T]], repeat: int) -> dict[str, tuple[float, T]]:
    """Best wall time and last value of each function over ``repeat`` runs.

    The functions take turns, so that load on a shared machine and file-system write-back hit each alike.
    """
    best: dict[str, tuple[float, T]] = {}
    for _ in range(repeat):
        for name, fn in fns.items():
            seconds, value = timed(fn)
            best[name] = (min(seconds, best[name][0]) if name in best else seconds, value)
    return best


def reproduce_line(script: str, args: Iterable[str]) -> str:
    """``reproduce: PYTHON bench/SCRIPT ARGS`` (shell-quoted; the interpreter relative to the checkout when in it)."""
    python = Path(sys.executable)
    with suppress(ValueError):
        python = python.relative_to(REPO)
    return "reproduce: " + shlex.join([str(python), f"bench/{script}", *args])
