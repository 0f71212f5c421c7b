"""What to fetch and what came of it: `FileRequest`, `FileResult` and the temporary names used on disk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from jwstarchive.errors import JWSTArchiveError

Status = Literal["COMPLETE", "SKIPPED", "ERROR"]

PART_SUFFIX = ".part"
ETAG_SUFFIX = ".etag"


@dataclass(frozen=True)
class FileRequest:
    """One file to download: its URL, its final path and, when the catalog knows them, its size and md5."""

    url: str
    path: Path
    size: int | None = None
    md5: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))
        if self.md5 is not None:
            object.__setattr__(self, "md5", self.md5.lower())

    @property
    def part_path(self) -> Path:
        """The temporary file the bytes go to before the atomic rename (``.<name>.part``)."""
        return part_path(self.path)


@dataclass(frozen=True)
class FileResult:
    """What happened to one `FileRequest`.

    ``status`` is COMPLETE (downloaded and verified), SKIPPED (already complete on disk) or ERROR
    (``message`` says what went wrong and what to do). ``nbytes`` counts the bytes received in this
    run; ``http_status`` is the last HTTP status seen (None if there was no answer); ``attempts``
    counts the HTTP requests made; ``resumed`` says a partial file was continued with ``Range``;
    ``error`` is the `JWSTArchiveError` behind an ERROR (e.g. `AuthenticationError`, `SizeMismatch`).
    """

    request: FileRequest
    status: Status
    message: str
    nbytes: int = 0
    http_status: int | None = None
    attempts: int = 0
    resumed: bool = False
    error: JWSTArchiveError | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        """True when the file is complete on disk (downloaded now or before)."""
        return self.status != "ERROR"


def part_path(path: Path) -> Path:
    """The temporary name of ``path`` while it downloads: ``.<name>.part`` in the same directory."""
    return path.with_name(f".{path.name}{PART_SUFFIX}")


def etag_path(path: Path) -> Path:
    """Where the ETag of a partial download is kept (only when no md5 is known)."""
    return path.with_name(f".{path.name}{PART_SUFFIX}{ETAG_SUFFIX}")
