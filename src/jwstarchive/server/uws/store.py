"""UWS job persistence: rows in the state database, files in ``state/jobs/<job_id>/``.

All methods block (SQLite and the file system); the service calls them from worker
threads. Phase changes are compare-and-set (:meth:`JobStore.transition`), so a runner that
finishes a job and a client that aborts it at the same moment cannot both win.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jwstarchive.server.state import StateDB
from jwstarchive.server.uws.models import Job, JobResult, Phase

__all__ = ["JobStore"]

log = logging.getLogger(__name__)

_COLUMNS = (
    "job_id, owner, run_id, phase, creation_time, start_time, end_time, execution_duration, "
    "destruction, parameters, results, error_message, error_type"
)


def _ts(value: datetime | None) -> float | None:
    return None if value is None else value.timestamp()


def _dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _job(row: Any) -> Job:
    return Job(
        job_id=row["job_id"],
        owner=row["owner"],
        run_id=row["run_id"],
        phase=Phase(row["phase"]),
        creation_time=_dt(row["creation_time"]) or datetime.now(UTC),
        start_time=_dt(row["start_time"]),
        end_time=_dt(row["end_time"]),
        execution_duration=row["execution_duration"],
        destruction=_dt(row["destruction"]) or datetime.now(UTC),
        parameters=tuple((n, v) for n, v in json.loads(row["parameters"])),
        results=tuple(JobResult(**r) for r in json.loads(row["results"])),
        error_message=row["error_message"],
        error_type=row["error_type"],
    )


class JobStore:
    """Jobs of the UWS service.

    Parameters
    ----------
    db
        The server state database.
    """

    def __init__(self, db: StateDB) -> None:
        self.db = db
        self.jobs_dir = db.directory / "jobs"
        self.jobs_dir.mkdir(parents=True, exist_ok=True)

    def job_dir(self, job_id: str) -> Path:
        """The directory holding ``job_id``'s files (uploads, results)."""
        return self.jobs_dir / job_id

    def insert(self, job: Job) -> None:
        """Store a new job."""
        self.db.execute(
            f"INSERT INTO uws_job ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                job.job_id,
                job.owner,
                job.run_id,
                job.phase.value,
                _ts(job.creation_time),
                _ts(job.start_time),
                _ts(job.end_time),
                job.execution_duration,
                _ts(job.destruction),
                json.dumps(list(job.parameters)),
                json.dumps([asdict(r) for r in job.results]),
                job.error_message,
                job.error_type,
            ),
        )

    def get(self, job_id: str) -> Job | None:
        """The job ``job_id``, or None."""
        rows = self.db.query(f"SELECT {_COLUMNS} FROM uws_job WHERE job_id = ?", (job_id,))
        return _job(rows[0]) if rows else None

    def search(
        self,
        owner: str | None,
        *,
        phases: Iterable[Phase] | None = None,
        after: datetime | None = None,
        last: int | None = None,
    ) -> list[Job]:
        """Jobs of ``owner``: oldest first, or the ``last`` most recent (newest first)."""
        where = ["owner IS ?"]
        params: list[Any] = [owner]
        phase_list = list(phases or [])
        if phase_list:
            where.append(f"phase IN ({', '.join('?' for _ in phase_list)})")
            params.extend(p.value for p in phase_list)
        if after is not None:
            where.append("creation_time > ?")
            params.append(after.timestamp())
        sql = f"SELECT {_COLUMNS} FROM uws_job WHERE {' AND '.join(where)}"
        if last is not None:
            sql += " ORDER BY creation_time DESC, job_id DESC LIMIT ?"
            params.append(last)
        else:
            sql += " ORDER BY creation_time, job_id"
        return [_job(row) for row in self.db.query(sql, params)]

    def active(self) -> list[Job]:
        """Jobs queued or executing (to resume after a restart)."""
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM uws_job WHERE phase IN (?, ?) ORDER BY creation_time",
            (Phase.QUEUED.value, Phase.EXECUTING.value),
        )
        return [_job(row) for row in rows]

    def transition(self, job_id: str, allowed: Iterable[Phase], phase: Phase, **fields: Any) -> bool:
        """Set ``phase`` (and ``fields``) only if the job is in one of ``allowed``; True if done."""
        allowed_list = [p.value for p in allowed]
        sets, params = self._assignments(fields)
        sets.insert(0, "phase = ?")
        params.insert(0, phase.value)
        sql = (
            f"UPDATE uws_job SET {', '.join(sets)} WHERE job_id = ? "
            f"AND phase IN ({', '.join('?' for _ in allowed_list)})"
        )
        return self.db.execute(sql, [*params, job_id, *allowed_list]) == 1

    def update(self, job_id: str, *, only_in: Iterable[Phase] | None = None, **fields: Any) -> bool:
        """Change ``fields`` of a job (only in the given phases, if any); True if done."""
        sets, params = self._assignments(fields)
        sql = f"UPDATE uws_job SET {', '.join(sets)} WHERE job_id = ?"
        params.append(job_id)
        if only_in is not None:
            phases = [p.value for p in only_in]
            sql += f" AND phase IN ({', '.join('?' for _ in phases)})"
            params.extend(phases)
        return self.db.execute(sql, params) == 1

    @staticmethod
    def _assignments(fields: dict[str, Any]) -> tuple[list[str], list[Any]]:
        sets: list[str] = []
        params: list[Any] = []
        for name, value in fields.items():
            if name in ("creation_time", "start_time", "end_time", "destruction"):
                value = _ts(value)
            elif name == "parameters":
                value = json.dumps(list(value))
            elif name == "results":
                value = json.dumps([asdict(r) for r in value])
            elif name not in ("run_id", "execution_duration", "error_message", "error_type", "owner"):
                raise ValueError(f"unknown job field {name!r}")
            sets.append(f"{name} = ?")
            params.append(value)
        return sets, params

    def delete(self, job_id: str) -> bool:
        """Remove a job and its files; True if it existed."""
        existed = self.db.execute("DELETE FROM uws_job WHERE job_id = ?", (job_id,)) == 1
        shutil.rmtree(self.job_dir(job_id), ignore_errors=True)
        return existed

    def expired(self, now: datetime) -> list[str]:
        """Ids of jobs whose destruction time has passed."""
        rows = self.db.query("SELECT job_id FROM uws_job WHERE destruction <= ?", (now.timestamp(),))
        return [row["job_id"] for row in rows]

    def next_destruction(self) -> datetime | None:
        """The earliest destruction time of any job."""
        rows = self.db.query("SELECT MIN(destruction) AS t FROM uws_job")
        return _dt(rows[0]["t"]) if rows and rows[0]["t"] is not None else None
