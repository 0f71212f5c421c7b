"""UWS job records: phases, results and the job itself (plain, immutable values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["ACTIVE", "FINAL", "Job", "JobResult", "Phase"]


class Phase(StrEnum):
    """UWS 1.1 execution phases."""

    PENDING = "PENDING"
    QUEUED = "QUEUED"
    EXECUTING = "EXECUTING"
    COMPLETED = "COMPLETED"
    ERROR = "ERROR"
    ABORTED = "ABORTED"
    UNKNOWN = "UNKNOWN"
    HELD = "HELD"
    SUSPENDED = "SUSPENDED"
    ARCHIVED = "ARCHIVED"


#: Phases in which a job is waiting to run or running.
ACTIVE = frozenset({Phase.QUEUED, Phase.EXECUTING})
#: Phases a job never leaves (except by destruction).
FINAL = frozenset({Phase.COMPLETED, Phase.ERROR, Phase.ABORTED, Phase.ARCHIVED})


@dataclass(frozen=True)
class JobResult:
    """One stored result file of a job."""

    id: str
    filename: str
    media_type: str
    size: int
    rows: int = 0
    overflow: bool = False


@dataclass(frozen=True)
class Job:
    """A UWS job as stored. Times are timezone-aware UTC datetimes.

    ``parameters`` are (lower-case name, value) pairs in the order first given.
    """

    job_id: str
    owner: str | None
    run_id: str | None
    phase: Phase
    creation_time: datetime
    start_time: datetime | None
    end_time: datetime | None
    execution_duration: int
    destruction: datetime
    parameters: tuple[tuple[str, str], ...]
    results: tuple[JobResult, ...] = ()
    error_message: str | None = None
    error_type: str | None = None

    def param(self, name: str) -> str | None:
        """The value of parameter ``name`` (case-insensitive), or None."""
        key = name.lower()
        for n, v in self.parameters:
            if n == key:
                return v
        return None

    def result(self, result_id: str) -> JobResult | None:
        """The result called ``result_id``, or None."""
        for r in self.results:
            if r.id == result_id:
                return r
        return None
