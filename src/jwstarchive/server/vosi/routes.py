"""HTTP for the VOSI resources of ``/server/tap``: capabilities, availability, tables, examples."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import Response
from starlette.routing import Route

from jwstarchive.errors import InputError
from jwstarchive.server.errors import tap_error
from jwstarchive.server.services import services, tap_url
from jwstarchive.server.vosi.availability import render_availability
from jwstarchive.server.vosi.capabilities import render_capabilities
from jwstarchive.server.vosi.examples import render_examples
from jwstarchive.server.vosi.tables import ESATAPPLUS_XSD, find_table, render_table, render_tableset

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["routes"]

XML = "text/xml"


def _flag(request: Request, name: str) -> bool:
    for key, value in request.query_params.multi_items():
        if key.lower() == name:
            return value.strip().lower() in ("true", "1", "yes")
    return False


def _param(request: Request, name: str) -> str | None:
    for key, value in request.query_params.multi_items():
        if key.lower() == name:
            return value
    return None


async def capabilities(request: Request) -> Response:
    """``GET /capabilities``."""
    svc = services(request)
    body = render_capabilities(tap_url(request), svc.formats, svc.limits, svc.features)
    return Response(body, media_type=XML)


async def availability(request: Request) -> Response:
    """``GET /availability``."""
    return Response(render_availability(services(request).started), media_type=XML)


async def tables(request: Request) -> Response:
    """``GET /tables`` (``detail=min``, ESA ``only_tables=true`` and ``tables=a.b,c.d``)."""
    catalog = services(request).store.catalog
    detail = (_param(request, "detail") or "").strip().lower()
    columns = not (_flag(request, "only_tables") or detail == "min")
    wanted = _param(request, "tables")
    if wanted:
        selected = [find_table(catalog, name) for name in wanted.split(",") if name.strip()]
        return Response(render_tableset(selected, columns=True, xsd_url=_xsd_url(request)), media_type=XML)
    return Response(render_tableset(catalog, columns=columns, xsd_url=_xsd_url(request)), media_type=XML)


async def table(request: Request) -> Response:
    """``GET /tables/{name}``: one table (VOSI 1.1)."""
    name = request.path_params["name"]
    try:
        found = find_table(services(request).store.catalog, name)
    except InputError as exc:
        return tap_error(exc.message, 404)
    return Response(render_table(found, xsd_url=_xsd_url(request)), media_type=XML)


def _xsd_url(request: Request) -> str:
    return tap_url(request) + "/xsd/esatapplus.xsd"


async def esatapplus_xsd(request: Request) -> Response:
    """``GET /xsd/esatapplus.xsd``: the schema of the ESA TAP+ attributes used in ``/tables``."""
    return Response(ESATAPPLUS_XSD, media_type="application/xml")


async def examples(request: Request) -> Response:
    """``GET /examples``."""
    return Response(render_examples(), media_type="application/xhtml+xml")


def routes() -> list[Route]:
    """The VOSI routes (relative to ``/server/tap``)."""
    return [
        Route("/capabilities", capabilities, methods=["GET"]),
        Route("/availability", availability, methods=["GET"]),
        Route("/tables", tables, methods=["GET"]),
        Route("/tables/{name}", table, methods=["GET"]),
        Route("/examples", examples, methods=["GET"]),
        Route("/xsd/esatapplus.xsd", esatapplus_xsd, methods=["GET"]),
    ]
