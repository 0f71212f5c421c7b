"""Runs portal requests with MAST's long-polling rule (reference §1.2).

A request is worked on for up to its ``timeout`` seconds (20 by default); if it is not done
by then the answer is ``EXECUTING`` and the work goes on. The client re-sends the identical
request (same ``cacheBreaker``) and gets ``EXECUTING`` again or, once done, the result. Work
nobody collects is forgotten after :data:`KEEP_SECONDS`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio.to_thread

from jwstarchive.errors import JWSTArchiveError
from jwstarchive.server.mast.request import MashupRequest
from jwstarchive.server.mast.results import error_document, executing_document
from jwstarchive.server.mast.services import find_service

if TYPE_CHECKING:
    from jwstarchive.catalog.store import Store

__all__ = ["KEEP_SECONDS", "MashupService"]

log = logging.getLogger(__name__)

KEEP_SECONDS = 600.0
"""How long a finished result waits for the client to poll for it."""

GENERIC_MESSAGE = "There was an error with your request: the server failed; the problem has been logged."


@dataclass
class _Work:
    task: asyncio.Future[bytes]
    started: float


class MashupService:
    """Answers portal requests against one catalog store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._work: dict[str, _Work] = {}

    def _run(self, req: MashupRequest) -> bytes:
        if req.format not in ("json", "extjs"):
            return error_document(f"format '{req.format}' is not offered: use \"format\": \"json\"")
        try:
            service = find_service(req.service)
            return service.run(self.store, req)
        except JWSTArchiveError as exc:
            log.debug("portal request refused: %s", exc.message)
            return error_document(exc.message)
        except Exception:
            log.exception("portal service %s failed", req.service)
            return error_document(GENERIC_MESSAGE)

    def _forget_old(self, now: float) -> None:
        for key in [k for k, w in self._work.items() if now - w.started > KEEP_SECONDS]:
            work = self._work.pop(key)
            work.task.cancel()

    async def answer(self, req: MashupRequest) -> bytes:
        """The document for ``req``: the result, an ERROR, or EXECUTING (poll again)."""
        now = time.monotonic()
        self._forget_old(now)
        work = self._work.get(req.key)
        if work is None:
            task = asyncio.ensure_future(anyio.to_thread.run_sync(self._run, req))
            work = self._work[req.key] = _Work(task, now)
        done, _ = await asyncio.wait({work.task}, timeout=req.wait)
        if not done:
            return executing_document()
        self._work.pop(req.key, None)
        return work.task.result()
