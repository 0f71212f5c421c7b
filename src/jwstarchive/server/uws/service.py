"""The UWS 1.1 phase machine: create, run, abort, change, wait for and destroy jobs.

Phases: a job is created PENDING (or QUEUED at once with ``PHASE=RUN``); RUN moves PENDING to
QUEUED and hands it to the runner, which makes it EXECUTING and then COMPLETED or ERROR; ABORT
moves any unfinished job to ABORTED. Parameters and the execution duration may change only
while PENDING; the destruction time may change at any time (up to the retention limit).

Blocking ``WAIT`` is event driven: every phase change (from the runner's threads too) wakes
the waiters at once; nothing polls. A sweeper task destroys jobs when their destruction time
comes, sleeping until the earliest one. At start-up, jobs left QUEUED or EXECUTING by a
previous process are queued again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import anyio.to_thread

from jwstarchive.errors import InputError, InvalidPhase, UnknownJob
from jwstarchive.server.uws.models import ACTIVE, FINAL, Job, Phase
from jwstarchive.server.uws.runner import UPLOADS_DIR

if TYPE_CHECKING:
    from jwstarchive.server.params import DALIParams
    from jwstarchive.server.settings import Limits
    from jwstarchive.server.uws.runner import JobRunner
    from jwstarchive.server.uws.store import JobStore

__all__ = ["JobService", "parse_time"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How long an authenticated user's job is kept: until they delete it (ESA TAP+), in practice.
USER_RETENTION = timedelta(days=100 * 365)

#: Request parameters that steer UWS rather than being job parameters.
CONTROL_PARAMS = frozenset({"phase", "action", "wait"})


def parse_time(value: str, name: str) -> datetime:
    """An ISO-8601 time (UTC when no offset is given).

    Raises
    ------
    InputError
        When ``value`` is not an ISO-8601 date or date-time.
    """
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        raise InputError(f"{name} must be an ISO-8601 time such as 2025-01-31T12:00:00Z (got {value!r})") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class JobService:
    """UWS rules over a :class:`JobStore`, with a :class:`JobRunner` to execute jobs.

    Parameters
    ----------
    store
        Job persistence.
    runner_factory
        Builds the runner given the thread-safe ``notify`` callback of this service.
    limits
        Execution-duration, retention and wait limits.
    """

    def __init__(self, store: JobStore, runner_factory: Callable[[Callable[[], None]], JobRunner], limits: Limits):
        self.store = store
        self.limits = limits
        self.runner = runner_factory(self.notify)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed = asyncio.Event()
        self._sweep_wakeup = asyncio.Event()
        self._sweeper: asyncio.Task[None] | None = None
        self._limiter = anyio.CapacityLimiter(1)

    async def _call(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await anyio.to_thread.run_sync(partial(func, *args, **kwargs), limiter=self._limiter)

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Resume jobs a previous process left unfinished and start the sweeper."""
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        self._sweep_wakeup = asyncio.Event()
        for job in await self._call(self.store.active):
            await self._call(self.store.transition, job.job_id, ACTIVE, Phase.QUEUED, start_time=None)
            log.info("job %s: queued again after a restart", job.job_id)
            self.runner.submit(job.job_id)
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="uws-sweeper")

    async def stop(self) -> None:
        """Stop the sweeper and the runner (unfinished jobs resume at the next start)."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        await anyio.to_thread.run_sync(self.runner.shutdown)

    def notify(self) -> None:
        """Wake everything waiting for a job change; safe to call from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake()
        else:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    # --- jobs ----------------------------------------------------------------------------------

    async def create(self, params: DALIParams, owner: str | None) -> Job:
        """A new PENDING job with these parameters (run at once when ``PHASE=RUN``).

        Inline upload parts are saved with the job, so it can run later (or after a restart).
        """
        now = datetime.now(UTC)
        phase_value = params.get("PHASE")
        run = phase_value is not None and phase_value.strip().upper() == "RUN"
        if phase_value is not None and not run:
            raise InputError(f"PHASE={phase_value!r} cannot be given when creating a job (only RUN)")
        job = Job(
            job_id=uuid.uuid4().hex,
            owner=owner,
            run_id=params.get("RUNID"),
            phase=Phase.PENDING,
            creation_time=now,
            start_time=None,
            end_time=None,
            execution_duration=self.limits.default_execution_duration,
            destruction=now + (USER_RETENTION if owner else timedelta(seconds=self.limits.default_retention)),
            parameters=_merge((), params),
        )
        await self._call(self._insert, job, dict(params.files))
        log.info("job %s: created", job.job_id)
        if run:
            await self.run(job.job_id, owner)
        return await self.get(job.job_id, owner)

    def _insert(self, job: Job, files: dict[str, bytes]) -> None:
        if files:
            uploads = self.store.job_dir(job.job_id) / UPLOADS_DIR
            uploads.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                if "/" in name or name in ("", ".", ".."):
                    raise InputError(f"multipart part name {name!r} is not allowed")
                (uploads / name).write_bytes(data)
        self.store.insert(job)

    async def get(self, job_id: str, owner: str | None) -> Job:
        """The job, if it exists, belongs to ``owner`` and is not past its destruction time.

        Raises
        ------
        UnknownJob
            Otherwise.
        """
        job = await self._call(self.store.get, job_id)
        if job is None or job.owner != owner:
            raise UnknownJob(f"no job {job_id!r} (it may have been deleted or destroyed)")
        if job.destruction <= datetime.now(UTC):
            await self._destroy(job_id)
            raise UnknownJob(f"job {job_id!r} has reached its destruction time and was deleted")
        return job

    async def search(
        self,
        owner: str | None,
        *,
        phases: Iterable[str] = (),
        after: str | None = None,
        last: str | None = None,
    ) -> list[Job]:
        """Jobs of ``owner``, filtered as UWS 1.1 job lists are (PHASE, AFTER, LAST).

        Raises
        ------
        InputError
            For an unknown phase, a bad time or a LAST that is not a positive integer.
        """
        wanted = []
        for value in phases:
            try:
                wanted.append(Phase(value.strip().upper()))
            except ValueError:
                raise InputError(f"PHASE={value!r} is not a UWS phase") from None
        after_time = parse_time(after, "AFTER") if after else None
        last_n = None
        if last is not None:
            try:
                last_n = int(last)
            except ValueError:
                last_n = -1
            if last_n < 1:
                raise InputError(f"LAST must be a positive integer (got {last!r})")
        now = datetime.now(UTC)
        jobs = await self._call(self.store.search, owner, phases=wanted, after=after_time, last=last_n)
        return [j for j in jobs if j.destruction > now]

    async def run(self, job_id: str, owner: str | None) -> Job:
        """PHASE=RUN: queue a PENDING job (a queued or running job is left as it is).

        Raises
        ------
        InvalidPhase
            When the job has already finished.
        """
        job = await self.get(job_id, owner)
        if job.phase in ACTIVE:
            return job
        if job.phase != Phase.PENDING:
            raise InvalidPhase(f"job {job_id} is {job.phase.value} and cannot be run again; create a new job")
        if await self._call(self.store.transition, job_id, {Phase.PENDING}, Phase.QUEUED):
            log.info("job %s: queued", job_id)
            self.runner.submit(job_id)
            self.notify()
        return await self.get(job_id, owner)

    async def abort(self, job_id: str, owner: str | None) -> Job:
        """PHASE=ABORT: stop an unfinished job (a finished job is left as it is)."""
        job = await self.get(job_id, owner)
        if job.phase in FINAL:
            return job
        unfinished = {Phase.PENDING, Phase.QUEUED, Phase.EXECUTING, Phase.HELD, Phase.SUSPENDED}
        if await self._call(self.store.transition, job_id, unfinished, Phase.ABORTED, end_time=datetime.now(UTC)):
            log.info("job %s: aborted", job_id)
            self.runner.cancel(job_id)
            self.notify()
        return await self.get(job_id, owner)

    async def delete(self, job_id: str, owner: str | None) -> None:
        """Delete a job, stopping it first if it runs."""
        await self.get(job_id, owner)
        await self._destroy(job_id)
        log.info("job %s: deleted", job_id)

    async def _destroy(self, job_id: str) -> None:
        self.runner.cancel(job_id)
        await self._call(self.store.delete, job_id)
        self.notify()

    async def set_parameters(self, job_id: str, owner: str | None, params: DALIParams) -> Job:
        """Add or replace job parameters (PENDING only).

        Raises
        ------
        InvalidPhase
            When the job is no longer PENDING.
        """
        job = await self.get(job_id, owner)
        changes = [(n, v) for n, v in params if n.lower() not in CONTROL_PARAMS]
        if not changes and not params.files:
            return job
        if job.phase != Phase.PENDING:
            raise InvalidPhase(f"job {job_id} is {job.phase.value}: parameters can only change while PENDING")
        merged = _merge(job.parameters, params)
        run_id = dict(merged).get("runid", job.run_id)
        if params.files:
            await self._call(self._save_files, job_id, dict(params.files))
        await self._call(self.store.update, job_id, only_in={Phase.PENDING}, parameters=merged, run_id=run_id)
        return await self.get(job_id, owner)

    def _save_files(self, job_id: str, files: dict[str, bytes]) -> None:
        uploads = self.store.job_dir(job_id) / UPLOADS_DIR
        uploads.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            if "/" in name or name in ("", ".", ".."):
                raise InputError(f"multipart part name {name!r} is not allowed")
            (uploads / name).write_bytes(data)

    async def set_execution_duration(self, job_id: str, owner: str | None, value: str) -> Job:
        """Set the execution duration in seconds (0: the longest allowed); PENDING only.

        Raises
        ------
        InputError
            When the value is not a non-negative integer.
        InvalidPhase
            When the job is no longer PENDING.
        """
        try:
            seconds = int(value.strip())
        except ValueError:
            seconds = -1
        if seconds < 0:
            raise InputError(f"EXECUTIONDURATION must be a non-negative integer of seconds (got {value!r})")
        hard = self.limits.max_execution_duration
        seconds = hard if seconds == 0 else min(seconds, hard)
        job = await self.get(job_id, owner)
        if job.phase != Phase.PENDING:
            raise InvalidPhase(f"job {job_id} is {job.phase.value}: its execution duration can no longer change")
        await self._call(self.store.update, job_id, only_in={Phase.PENDING}, execution_duration=seconds)
        return await self.get(job_id, owner)

    async def set_destruction(self, job_id: str, owner: str | None, value: str) -> Job:
        """Set the destruction time (at most the retention limit after now).

        Raises
        ------
        InputError
            When the value is not an ISO-8601 time.
        """
        when = parse_time(value, "DESTRUCTION")
        latest = datetime.now(UTC) + timedelta(seconds=self.limits.max_retention)
        when = min(when, latest)
        await self.get(job_id, owner)
        await self._call(self.store.update, job_id, destruction=when)
        self._sweep_wakeup.set()
        return await self.get(job_id, owner)

    async def wait(self, job_id: str, owner: str | None, timeout: float, phase: str | None = None) -> Job:
        """Block (up to ``timeout`` seconds, capped) until the job's phase changes (UWS 1.1 WAIT).

        Only PENDING, QUEUED and EXECUTING jobs block; with ``phase``, only a job still in that
        phase does.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, min(timeout, self.limits.max_wait))
        watched = None
        if phase:
            try:
                watched = Phase(phase.strip().upper())
            except ValueError:
                raise InputError(f"PHASE={phase!r} is not a UWS phase") from None
        start = await self.get(job_id, owner)
        blocking_phases = {Phase.PENDING, *ACTIVE}
        if start.phase not in blocking_phases or (watched is not None and start.phase != watched):
            return start
        while True:
            changed = self._changed
            job = await self.get(job_id, owner)
            if job.phase != start.phase:
                return job
            remaining = deadline - loop.time()
            if remaining <= 0:
                return job
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    # --- destruction -------------------------------------------------------------------------

    async def sweep(self) -> int:
        """Destroy every job past its destruction time; return how many."""
        expired = await self._call(self.store.expired, datetime.now(UTC))
        for job_id in expired:
            await self._destroy(job_id)
            log.info("job %s: destroyed (destruction time reached)", job_id)
        return len(expired)

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.sweep()
                nxt = await self._call(self.store.next_destruction)
            except Exception:
                log.exception("the job sweeper failed; retrying in a minute")
                nxt = None
            delay = 60.0
            if nxt is not None:
                delay = min(delay, max(0.05, (nxt - datetime.now(UTC)).total_seconds()))
            self._sweep_wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._sweep_wakeup.wait(), delay)


def _merge(existing: tuple[tuple[str, str], ...], params: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Job parameters with ``params`` applied: names lower-cased, later values replace earlier.

    Repeated ``UPLOAD`` values in one request are joined with ``;`` (one table list).
    """
    merged: dict[str, str] = dict(existing)
    uploads: list[str] = []
    for name, value in params:
        key = name.lower()
        if key in CONTROL_PARAMS:
            continue
        if key == "upload":
            uploads.append(value)
            continue
        merged[key] = value
    if uploads:
        merged["upload"] = ";".join(uploads)
    return tuple(merged.items())
