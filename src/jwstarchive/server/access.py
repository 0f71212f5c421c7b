"""One access-log line per request: method, path, status, bytes sent and duration.

Query strings are not logged (they may carry tokens); nor are cookies or headers.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AccessLogMiddleware"]

log = logging.getLogger("jwstarchive.server.access")


class AccessLogMiddleware:
    """ASGI middleware writing one INFO line per HTTP request when its response ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        path = scope.get("root_path", "") + scope["path"]  # before routing rewrites the scope
        status = 0
        sent = 0

        async def counting_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            client = scope.get("client")
            log.info(
                '%s "%s %s" %s %d %.1fms',
                client[0] if client else "-",
                scope["method"],
                path,
                status or "-",
                sent,
                (time.perf_counter() - start) * 1000,
            )
