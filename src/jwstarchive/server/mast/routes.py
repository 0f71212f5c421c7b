"""HTTP routes of the MAST face: portal invoke, columnsconfig, the bundle script and ``/whoami``.

Paths follow mast.stsci.edu (and the JWST portal paths jwst_mast_query uses), so astroquery.mast
works with only its host changed. Portal calls always answer 200 with a JSON document (errors are
``status: ERROR`` with ``msg``), because clients read the document, not the status.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from jwstarchive.errors import InputError
from jwstarchive.server.mast.bundle import BundleEntry, render_bundle
from jwstarchive.server.mast.request import parse_request
from jwstarchive.server.mast.results import error_document
from jwstarchive.server.mast.services import SERVICES
from jwstarchive.server.services import services

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["routes"]

log = logging.getLogger(__name__)

JSON_TYPE = "application/json"
MAX_BODY = 64 * 1024 * 1024
PRODUCT_URI = "mast:JWST/product/"


async def _form(request: Request) -> list[tuple[str, str]]:
    """Query parameters plus an urlencoded body (any number of fields, e.g. thousands of ``uri``)."""
    items = list(request.query_params.multi_items())
    if request.method == "POST":
        body = await request.body()
        if len(body) > MAX_BODY:
            raise InputError(f"the request body is larger than {MAX_BODY} bytes")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type in ("", "application/x-www-form-urlencoded", "text/plain"):
            items.extend(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    return items


def _first(items: list[tuple[str, str]], name: str) -> str | None:
    key = name.lower()
    return next((v for k, v in items if k.lower() == key), None)


async def invoke(request: Request) -> Response:
    """``/api/v0/invoke``: one portal request (form field or query parameter ``request``)."""
    try:
        req = parse_request(_first(await _form(request), "request"))
    except InputError as exc:
        return Response(error_document(exc.message), media_type=JSON_TYPE)
    return Response(await services(request).mast.answer(req), media_type=JSON_TYPE)


async def columnsconfig(request: Request) -> Response:
    """``/portal/Mashup/Mashup.asmx/columnsconfig``: column properties of a service ({} when unknown)."""
    try:
        name = _first(await _form(request), "colConfigId") or ""
    except InputError:
        name = ""
    service = SERVICES.get(unquote(name).strip().lower())
    if service is None:
        return JSONResponse({})
    config = await run_in_threadpool(service.config, services(request).store)
    return Response(json.dumps(config), media_type=JSON_TYPE)


async def bundle(request: Request) -> Response:
    """``/api/v0.1/Download/bundle(.sh)``: a curl script for the ``uri`` fields."""
    try:
        uris = [v.strip() for k, v in await _form(request) if k.lower() == "uri" and v.strip()]
    except InputError as exc:
        return PlainTextResponse(exc.message, status_code=400)
    if not uris:
        return PlainTextResponse(
            "no files asked for: send one uri=mast:JWST/product/<file> field per file", status_code=400
        )
    svc = services(request)
    names = {u: u[len(PRODUCT_URI) :] for u in uris if u.startswith(PRODUCT_URI)}
    found = {pf.filename: pf for pf in await run_in_threadpool(svc.files.lookup_many, names.values())}
    entries = []
    for uri in dict.fromkeys(uris):
        pf = found.get(names.get(uri, ""))
        entries.append(
            BundleEntry(uri, pf.obs_id, pf.filename, pf.exclusive) if pf else BundleEntry(uri, None, None)
        )
    user = await run_in_threadpool(svc.accounts.mast_request_user, request)
    script = render_bundle(entries, str(request.base_url), user=user)
    name = request.query_params.get("filename") or "mastDownload.sh"
    if not name.endswith(".sh"):
        name += ".sh"
    return Response(
        script,
        media_type="text/x-sh",
        headers={"Content-Disposition": f'attachment; filename="{name.replace(chr(34), "")}"'},
    )


def _whoami_document(user: str | None, token: str | None) -> dict[str, object]:
    if user is None:
        return {
            "ezid": "anonymous",
            "eppn": None,
            "anon": True,
            "attrib": {},
            "scopes": [],
            "session": None,
            "token": None,
        }
    return {
        "ezid": user,
        "eppn": f"{user}@jwstarchive.local",
        "anon": False,
        "attrib": {
            "uuid": None,
            "first_name": user,
            "last_name": "",
            "display_name": user,
            "internal": "0",
            "email": f"{user}@jwstarchive.local",
            "Jwstcalengdataaccess": "false",
        },
        "scopes": ["mast:user:info", "mast:exclusive_access"],
        "session": None,
        "token": token,
    }


async def whoami(request: Request) -> Response:
    """``/whoami``: who the MAST token of the request belongs to (anonymous without a valid one)."""
    accounts = services(request).accounts
    user = await run_in_threadpool(accounts.mast_request_user, request)
    token = accounts.request_token(request) if user is not None else None
    return JSONResponse(_whoami_document(user, token))


def routes() -> list[BaseRoute]:
    """The routes this face adds to the app."""
    portal = ["GET", "POST"]
    return [
        Route("/api/v0/invoke", invoke, methods=portal),
        Route("/portal/Mashup/Mashup.asmx/invoke", invoke, methods=portal),
        Route("/portal_jwst/Mashup/Mashup.asmx/invoke", invoke, methods=portal),
        Route("/portal/Mashup/Mashup.asmx/columnsconfig", columnsconfig, methods=portal),
        Route("/portal_jwst/Mashup/Mashup.asmx/columnsconfig", columnsconfig, methods=portal),
        Route("/api/v0.1/Download/bundle", bundle, methods=portal),
        Route("/api/v0.1/Download/bundle.sh", bundle, methods=portal),
        Route("/jwst/api/v0.1/download/bundle", bundle, methods=portal),
        Route("/jwst/api/v0.1/download/bundle.sh", bundle, methods=portal),
        Route("/whoami", whoami, methods=["GET"]),
    ]
