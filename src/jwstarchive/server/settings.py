"""Server settings: one frozen object built by the caller and handed to ``create_app``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Limits", "Settings"]


@dataclass(frozen=True)
class Limits:
    """Protocol limits, advertised in ``/capabilities`` and enforced by the services.

    Times are seconds; row counts are rows; sizes are bytes.
    """

    default_maxrec: int = 20_000
    hard_maxrec: int = 10_000_000
    sync_execution_duration: int = 600
    default_execution_duration: int = 1800
    max_execution_duration: int = 7200
    default_retention: int = 3 * 24 * 3600
    max_retention: int = 14 * 24 * 3600
    max_wait: int = 60
    upload_max_bytes: int = 64 * 1024 * 1024
    upload_max_tables: int = 8
    batch_rows: int = 10_000
    async_workers: int = 2


@dataclass(frozen=True)
class Settings:
    """Everything ``create_app`` needs.

    Parameters
    ----------
    archive
        The archive directory (holds ``catalog.duckdb``).
    backend
        Catalog store backend name (``duckdb``).
    state_dir
        Where jobs, results and other server state persist (default ``ARCHIVE/state``).
    limits
        Protocol limits.
    """

    archive: Path
    backend: str = "duckdb"
    state_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)

    @property
    def state_path(self) -> Path:
        """The state directory actually used."""
        return self.state_dir if self.state_dir is not None else self.archive / "state"
