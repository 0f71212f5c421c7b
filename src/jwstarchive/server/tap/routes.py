"""HTTP for ``/server/tap/sync``: parameters in, a streamed result (or an error VOTable) out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

import anyio
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from jwstarchive.server.esa.session import request_user
from jwstarchive.server.params import read_params
from jwstarchive.server.services import services
from jwstarchive.server.tap.service import Cancellation

if TYPE_CHECKING:
    from starlette.requests import Request

    from jwstarchive.server.formats import OutputFormat, ResultSet

__all__ = ["result_response", "routes"]


def result_response(result: ResultSet, fmt: OutputFormat, name: str = "result") -> Response:
    """Stream ``result`` in ``fmt``; the producer is closed however the response ends."""

    def body() -> Iterator[bytes]:
        try:
            yield from fmt.writer(result)
        finally:
            result.close()

    headers = {"Content-Disposition": f'inline; filename="{name}{fmt.extension}"'}
    return StreamingResponse(body(), media_type=fmt.media_type, headers=headers)


async def sync(request: Request) -> Response:
    """``GET|POST /sync``: run a query and stream its result.

    While the query runs, a client that hangs up interrupts it (no query outlives its caller).
    """
    svc = services(request)
    params = await read_params(request, max_file_bytes=svc.limits.upload_max_bytes)
    query = replace(svc.tap.parse_request(params), user=request_user(request))
    cancellation = Cancellation()
    failure: Exception | None = None
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(_cancel_on_disconnect, request, cancellation)
        try:
            result = await svc.tap.run_sync(query, cancellation)
        except Exception as exc:  # re-raised outside the task group, not as an exception group
            failure = exc
        finally:
            tasks.cancel_scope.cancel()
    if failure is not None:
        raise failure
    return result_response(result, query.format)


async def _cancel_on_disconnect(request: Request, cancellation: Cancellation) -> None:
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            cancellation.cancel()
            return


def routes() -> list[Route]:
    """The synchronous TAP routes (relative to ``/server/tap``)."""
    return [Route("/sync", sync, methods=["GET", "POST"])]
