"""Exceptions → HTTP statuses and the error document each face sends.

One table, :data:`ERROR_STATUS`, maps our exception classes (``jwstarchive.errors``) to a
status; the first matching row wins, so subclasses come first. TAP and UWS refusals are
answered with the TAP error VOTable (``QUERY_STATUS=ERROR`` with the message). Anything not in
the table is a bug: it is logged once with its traceback and answered with a generic 500
document that reveals nothing.

:class:`ErrorMiddleware` applies this to every request that has not started its response.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from jwstarchive.errors import (
    ADQLError,
    ArchiveError,
    ConfigError,
    InputError,
    InvalidPhase,
    JobError,
    JWSTArchiveError,
    UnknownJob,
)
from jwstarchive.server.formats.votable import render_error

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ERROR_STATUS", "ErrorMiddleware", "error_response", "http_error_response", "status_for"]

log = logging.getLogger(__name__)

VOTABLE_TYPE = "application/x-votable+xml"

#: Exception class → HTTP status; the first row that matches wins.
ERROR_STATUS: tuple[tuple[type[BaseException], int], ...] = (
    (UnknownJob, 404),
    (InvalidPhase, 400),
    (JobError, 400),
    (ADQLError, 400),
    (InputError, 400),
    (ConfigError, 400),
    (ArchiveError, 500),
    (JWSTArchiveError, 400),
)

GENERIC_MESSAGE = "internal server error: the problem has been logged; please try again or report it"


def status_for(exc: BaseException) -> int | None:
    """The HTTP status for ``exc``, or None for an exception the table does not know."""
    for cls, status in ERROR_STATUS:
        if isinstance(exc, cls):
            return status
    return None


def tap_error(message: str, status: int = 400) -> Response:
    """A TAP error VOTable response."""
    return Response(render_error(message), status_code=status, media_type=VOTABLE_TYPE)


def _unwrap(exc: BaseException) -> BaseException:
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return exc


def error_response(exc: BaseException) -> Response:
    """The response for an exception raised while handling a request (logged as needed)."""
    exc = _unwrap(exc)
    status = status_for(exc)
    if status is None:
        log.error("unexpected error while handling a request", exc_info=exc)
        return tap_error(GENERIC_MESSAGE, 500)
    message = exc.message if isinstance(exc, JWSTArchiveError) else str(exc)
    if status >= 500:
        log.error("server failure: %s", message, exc_info=exc)
        return tap_error(GENERIC_MESSAGE, status)
    log.debug("refused: %s", message)
    return tap_error(message, status)


async def http_error_response(request: Request, exc: Exception) -> Response:
    """Starlette's HTTP errors (unknown path, wrong method) as TAP error documents."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"no such resource: {request.url.path}"
    elif exc.status_code == 405:
        message = f"method {request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    response = tap_error(message, exc.status_code)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


class ErrorMiddleware:
    """Turn exceptions into error documents, unless the response has already started.

    A failure after the first bytes were sent cannot change the status any more: it is logged
    and the connection is closed by ending the response.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked_send)
        except Exception as exc:
            if isinstance(_unwrap(exc), ClientDisconnect):
                log.debug("client went away before its request was read")
                return
            if started:
                if status_for(exc) is None:
                    log.error("unexpected error while sending a response", exc_info=exc)
                return
            response = error_response(exc)
            await response(scope, receive, send)
