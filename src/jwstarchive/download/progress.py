"""Progress of a batch of downloads: a rich display on a terminal, plain log lines otherwise.

Every implementation is safe to call from several worker threads at once.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import Protocol

from jwstarchive.download.model import FileResult

log = logging.getLogger(__name__)


class DownloadProgress(Protocol):
    """What the engine tells a progress display."""

    def start(self, files: int, total_bytes: int) -> None:
        """A batch of ``files`` files (``total_bytes`` known bytes in all) starts."""

    def advance(self, nbytes: int) -> None:
        """``nbytes`` more bytes arrived (negative when a bad partial file is thrown away)."""

    def file_done(self, result: FileResult) -> None:
        """One file finished, well or not."""

    def close(self) -> None:
        """The batch is over."""


def human_bytes(n: float) -> str:
    """``1234567`` -> ``'1.2 MB'`` (decimal units, as rich shows them)."""
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


class SilentProgress:
    """Shows nothing."""

    def start(self, files: int, total_bytes: int) -> None:
        """Nothing to show."""

    def advance(self, nbytes: int) -> None:
        """Nothing to show."""

    def file_done(self, result: FileResult) -> None:
        """Nothing to show."""

    def close(self) -> None:
        """Nothing to show."""


class LogProgress:
    """Plain log lines: one per finished file, a status line every ``interval`` seconds, a summary."""

    def __init__(self, logger: logging.Logger | None = None, interval: float = 10.0) -> None:
        self.log = logger or log
        self.interval = interval
        self._lock = threading.Lock()
        self.files = self.done = self.failed = 0
        self.total_bytes = self.nbytes = 0
        self._t0 = self._last = time.monotonic()

    def start(self, files: int, total_bytes: int) -> None:
        """Log what is about to be downloaded."""
        with self._lock:
            self.files, self.total_bytes = files, total_bytes
            self._t0 = self._last = time.monotonic()
        self.log.info("downloading %d files (%s)", files, human_bytes(total_bytes))

    def advance(self, nbytes: int) -> None:
        """Count bytes; log a status line when ``interval`` seconds have passed since the last one."""
        with self._lock:
            self.nbytes += nbytes
            now = time.monotonic()
            if now - self._last < self.interval:
                return
            self._last = now
            line = self._status(now)
        self.log.info("%s", line)

    def _status(self, now: float) -> str:
        elapsed = max(now - self._t0, 1e-9)
        rate = self.nbytes / elapsed
        left = max(self.total_bytes - self.nbytes, 0)
        eta = f"{left / rate:.0f} s" if rate > 0 else "?"
        return (
            f"{self.done + self.failed}/{self.files} files, {human_bytes(self.nbytes)} of "
            f"{human_bytes(self.total_bytes)}, {human_bytes(rate)}/s, ETA {eta}"
        )

    def file_done(self, result: FileResult) -> None:
        """Log the file: INFO when it is complete, WARNING with the reason when it failed."""
        with self._lock:
            if result.ok:
                self.done += 1
            else:
                self.failed += 1
            n = self.done + self.failed
        name = result.request.path.name
        if result.ok:
            self.log.info("[%d/%d] %s %s (%s)", n, self.files, result.status, name, human_bytes(result.nbytes))
        else:
            self.log.warning("[%d/%d] ERROR %s: %s", n, self.files, name, result.message)

    def close(self) -> None:
        """Log the summary line."""
        with self._lock:
            elapsed = max(time.monotonic() - self._t0, 1e-9)
            line = (
                f"download finished: {self.done} complete, {self.failed} failed, {human_bytes(self.nbytes)} "
                f"in {elapsed:.1f} s ({human_bytes(self.nbytes / elapsed)}/s)"
            )
        self.log.info("%s", line)


class RichProgress:
    """A rich progress bar on stderr: files done/total, bytes, rate and ETA."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[done]}/{task.fields[files]} files"),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task = self._progress.add_task("download", total=0, done=0, files=0)
        self._lock = threading.Lock()
        self._done = self._failed = 0

    def start(self, files: int, total_bytes: int) -> None:
        """Show the bar."""
        self._progress.update(self._task, total=total_bytes or None, files=files)
        self._progress.start()

    def advance(self, nbytes: int) -> None:
        """Move the bar."""
        self._progress.advance(self._task, nbytes)

    def file_done(self, result: FileResult) -> None:
        """Count the file; print a line above the bar when it failed."""
        with self._lock:
            if result.ok:
                self._done += 1
            else:
                self._failed += 1
            done = self._done + self._failed
        self._progress.update(self._task, done=done)
        if not result.ok:
            self._progress.console.print(f"[red]ERROR[/red] {result.request.path.name}: {result.message}")

    def close(self) -> None:
        """Leave the final state of the bar on the screen."""
        self._progress.stop()


def default_progress() -> DownloadProgress:
    """Rich on a terminal (stderr is a TTY), log lines otherwise."""
    stream = sys.stderr
    if stream is not None and stream.isatty():
        return RichProgress()
    return LogProgress()
