"""Runs UWS jobs on a thread pool: one TAP query each, with a time limit and abort.

A job's query runs with ``timeout = executionDuration``: when it is exceeded the store
interrupts the database cursor and the job ends in ERROR with a message saying so. ABORT
cancels a queued job's future or interrupts a running query through its
:class:`~jwstarchive.server.tap.service.Cancellation`. The result is written to a temporary
file and renamed, so a result file either is complete or does not exist.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from jwstarchive.errors import JWSTArchiveError
from jwstarchive.server.params import DALIParams
from jwstarchive.server.tap.service import Cancellation
from jwstarchive.server.uws.models import Job, JobResult, Phase

if TYPE_CHECKING:
    from jwstarchive.server.settings import Limits
    from jwstarchive.server.tap.service import TAPService
    from jwstarchive.server.uws.store import JobStore

__all__ = ["UPLOADS_DIR", "JobRunner"]

log = logging.getLogger(__name__)

UPLOADS_DIR = "uploads"
RESULT_ID = "result"


class _JobLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        return f"job {self.extra['job_id']}: {msg}", kwargs  # type: ignore[index]


class JobRunner:
    """Executes queued jobs.

    Parameters
    ----------
    store
        Where jobs live.
    tap
        Runs the query of a job.
    limits
        Worker count and time limits.
    notify
        Called (from a worker thread) after every phase change, to wake waiting clients.
    """

    def __init__(self, store: JobStore, tap: TAPService, limits: Limits, notify: Callable[[], None]) -> None:
        self.store = store
        self.tap = tap
        self.limits = limits
        self.notify = notify
        self._executor = ThreadPoolExecutor(max_workers=limits.async_workers, thread_name_prefix="uws")
        self._lock = threading.Lock()
        self._futures: dict[str, Future[None]] = {}
        self._running: dict[str, Cancellation] = {}
        self._closed = False

    def submit(self, job_id: str) -> None:
        """Queue ``job_id`` for execution (it must be in phase QUEUED)."""
        with self._lock:
            if self._closed:
                return
            future = self._executor.submit(self._run, job_id)
            self._futures[job_id] = future
        future.add_done_callback(lambda _f, j=job_id: self._forget(j))

    def _forget(self, job_id: str) -> None:
        with self._lock:
            self._futures.pop(job_id, None)

    def cancel(self, job_id: str) -> None:
        """Stop ``job_id``: drop it from the queue or interrupt its query."""
        with self._lock:
            future = self._futures.get(job_id)
            cancellation = self._running.get(job_id)
        if future is not None:
            future.cancel()
        if cancellation is not None:
            cancellation.cancel()

    def shutdown(self) -> None:
        """Interrupt running queries and stop the workers (queued jobs stay QUEUED)."""
        with self._lock:
            self._closed = True
            running = list(self._running.values())
        for cancellation in running:
            cancellation.cancel()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _run(self, job_id: str) -> None:
        jlog = _JobLog(log, {"job_id": job_id})
        now = datetime.now(UTC)
        if not self.store.transition(job_id, {Phase.QUEUED}, Phase.EXECUTING, start_time=now):
            return
        self.notify()
        job = self.store.get(job_id)
        if job is None:
            return
        cancellation = Cancellation()
        with self._lock:
            self._running[job_id] = cancellation
        jlog.info("executing")
        try:
            outcome = self._execute(job, cancellation)
        except JWSTArchiveError as exc:
            jlog.info("failed: %s", exc.message)
            outcome = ("error", exc.message, "fatal")
        except Exception:
            jlog.exception("failed unexpectedly")
            outcome = ("error", "the job failed because of an internal error (it has been logged)", "fatal")
        finally:
            with self._lock:
                self._running.pop(job_id, None)
        end = datetime.now(UTC)
        if outcome[0] == "ok":
            done = self.store.transition(job_id, {Phase.EXECUTING}, Phase.COMPLETED, end_time=end, results=outcome[1])
            jlog.info("completed" if done else "finished after it was aborted or deleted")
            if not done:
                self._remove_results(job_id)
        else:
            if cancellation.cancelled:
                self._remove_results(job_id)
            else:
                self.store.transition(
                    job_id,
                    {Phase.EXECUTING},
                    Phase.ERROR,
                    end_time=end,
                    error_message=outcome[1],
                    error_type=outcome[2],
                )
        self.notify()

    def _execute(self, job: Job, cancellation: Cancellation) -> tuple[Any, ...]:
        job_dir = self.store.job_dir(job.job_id)
        files: dict[str, bytes] = {}
        uploads = job_dir / UPLOADS_DIR
        if uploads.is_dir():
            files = {p.name: p.read_bytes() for p in uploads.iterdir() if p.is_file()}
        params = DALIParams(items=list(job.parameters), files=files)
        request = replace(self.tap.parse_request(params), user=job.owner)
        timeout = job.execution_duration or self.limits.max_execution_duration
        result = self.tap.execute(request, timeout=timeout, info={"JOBID": job.job_id}, cancellation=cancellation)
        fmt = request.format
        job_dir.mkdir(parents=True, exist_ok=True)
        final = job_dir / f"{RESULT_ID}{fmt.extension}"
        partial = final.with_name(final.name + ".part")
        size = 0
        try:
            with open(partial, "wb") as out:
                for chunk in fmt.writer(result):
                    if cancellation.cancelled:
                        break
                    out.write(chunk)
                    size += len(chunk)
        finally:
            result.close()
        if cancellation.cancelled:
            partial.unlink(missing_ok=True)
            return ("error", "the job was aborted", "fatal")
        if result.error is not None:
            partial.unlink(missing_ok=True)
            return ("error", result.error, "fatal")
        os.replace(partial, final)
        return ("ok", (JobResult(RESULT_ID, final.name, fmt.media_type, size, result.rows, result.overflow),))

    def _remove_results(self, job_id: str) -> None:
        job_dir = self.store.job_dir(job_id)
        if job_dir.is_dir():
            for path in job_dir.iterdir():
                if path.name.startswith(RESULT_ID):
                    path.unlink(missing_ok=True)
