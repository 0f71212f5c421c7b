"""HTTP for the ESA TAP+ extras: login, data, user tables, sharing, notifications, job lists.

Top level (``routes``): ``/server/login``, ``/server/logout``, ``/server/jwstToken``,
``/server/data``, ``/server/Upload`` (and ``POST /server``, where astroquery's JWST client sends
uploads because it sets no upload context). Inside ``/server/tap`` (``tap_routes``):
``notification``, ``tables`` (with the caller's and shared user tables), ``jobs/async``,
``deletejobs``, ``users`` and ``share``.

Metadata documents are never gzip-encoded (astroquery feeds them raw to its XML parser); error
bodies are TAP error VOTables (astroquery scrapes ``QUERY_STATUS``), except the data service's
plain-text refusals and the login's 401 page.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from jwstarchive.errors import InputError, UnknownJob
from jwstarchive.server.errors import tap_error
from jwstarchive.server.esa.data import observation_products, tar_layout, tar_size, tar_stream
from jwstarchive.server.esa.documents import (
    render_groups,
    render_job_search,
    render_shared_items,
    unauthorized_page,
)
from jwstarchive.server.esa.session import (
    clear_session_cookie,
    data_user,
    request_user,
    session_id,
    set_session_cookie,
)
from jwstarchive.server.params import DALIParams, read_params
from jwstarchive.server.services import services, tap_url
from jwstarchive.server.tap.uploads import read_votable
from jwstarchive.server.vosi.tables import find_table, render_tableset

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["PRIVATE_FILES", "routes", "tap_routes"]

XML = "text/xml"
PRIVATE_FILES = "Private file(s) requested: MAST token required for authentication."
NOTIFICATIONS_FILE = "notifications.txt"


async def _params(request: Request) -> DALIParams:
    return await read_params(request, max_file_bytes=services(request).limits.upload_max_bytes)


def _text(body: str, status: int = 200) -> Response:
    return PlainTextResponse(body, status_code=status)


def _need_user(request: Request, capability: str) -> str | Response:
    user = request_user(request)
    if user is None:
        return tap_error(f"User 'anonymous' is not authorized to use '{capability}' capabilities: log in first", 403)
    return user


# --- accounts ---------------------------------------------------------------------------------------


async def login(request: Request) -> Response:
    """``POST /server/login`` with ``username`` and ``password``: a session cookie, or 401."""
    params = await _params(request)
    user = params.get("username") or params.get("user") or ""
    password = params.get("password") or ""
    accounts = services(request).accounts
    if not user or not await run_in_threadpool(accounts.check_password, user, password):
        return Response(unauthorized_page("wrong user name or password"), status_code=401, media_type="text/html")
    sid = await run_in_threadpool(accounts.open_session, user)
    response = _text("OK")
    set_session_cookie(response, sid)
    return response


async def logout(request: Request) -> Response:
    """``POST /server/logout``: end the session."""
    await run_in_threadpool(services(request).accounts.close_session, session_id(request))
    response = _text("OK")
    clear_session_cookie(response)
    return response


async def jwst_token(request: Request) -> Response:
    """``POST /server/jwstToken`` with ``token``: keep a MAST token on the logged-in session."""
    params = await _params(request)
    sid = session_id(request)
    if request_user(request) is None or sid is None:
        return _text("MAST tokens cannot be assigned or requested by anonymous users: log in first", 403)
    token = (params.get("token") or "").strip()
    if not token:
        return tap_error("the token parameter is missing: send token=<MAST token>", 400)
    owner = await run_in_threadpool(services(request).accounts.set_session_token, sid, token)
    if owner is None:
        return tap_error("this MAST token is unknown or expired: create one with `jwstarchive token create`", 400)
    return _text("OK")


# --- data ---------------------------------------------------------------------------------------------


async def data(request: Request) -> Response:
    """``GET|POST /server/data``: one product, or a tar of an observation's products."""
    params = await _params(request)
    files = services(request).files
    kind = (params.get("RETRIEVAL_TYPE") or "").strip().upper()
    if kind == "PRODUCT":
        artifact_id, file_name = params.get("ARTIFACTID"), params.get("file_name") or params.get("FILENAME")
        if not artifact_id and not file_name:
            return _text("RETRIEVAL_TYPE=PRODUCT needs ARTIFACTID=<artifact id> or file_name=<file name>", 400)
        pf = await run_in_threadpool(files.lookup, file_name or None, None if file_name else artifact_id)
        if pf is None:
            return _text(f"No product found for {file_name or artifact_id}", 404)
        products = [pf]
    elif kind == "OBSERVATION":
        products = await run_in_threadpool(
            observation_products,
            files,
            params.get("planeid"),
            params.get("calibrationlevel"),
            params.get("product_type"),
        )
        if not products:
            return _text("No products found for the requested planes, levels and product types", 404)
    else:
        return _text(f"RETRIEVAL_TYPE={kind or 'nothing'} is not supported: use PRODUCT or OBSERVATION", 400)
    user = await run_in_threadpool(data_user, request)
    if not all(files.allowed(pf, user) for pf in products):
        return _text(PRIVATE_FILES, 403)
    if len(products) == 1:
        return await files.file_response(request, products[0])
    layout = tar_layout(products)
    headers = {
        "Content-Length": str(tar_size(layout)),
        "Content-Disposition": f'attachment; filename="{products[0].obs_id}_products.tar"',
    }
    if request.method == "HEAD":
        return Response(status_code=200, headers=headers, media_type="application/x-tar")
    return StreamingResponse(tar_stream(files, layout), headers=headers, media_type="application/x-tar")


# --- user tables ------------------------------------------------------------------------------------


async def upload(request: Request) -> Response:
    """``POST /server/Upload`` (and ``POST /server``): store or delete a persistent user table."""
    params = await _params(request)
    user = _need_user(request, "upload")
    if isinstance(user, Response):
        return user
    tables = services(request).user_tables
    name = (params.get("TABLE_NAME") or "").strip()
    if not name:
        return tap_error("TABLE_NAME is missing: name the table to upload or delete", 400)
    if (params.get("DELETE") or "").strip().upper() == "TRUE":
        await run_in_threadpool(tables.delete, user, name)
        return _text(f"Table {name} removed.")
    if params.get("ACTION") is not None:
        return tap_error("TableTool actions (edit, radec, rename) are not supported by this server", 400)
    job_id = params.get("JOBID")
    if job_id:
        body = await _job_result(request, job_id, user)
    else:
        body = params.file("FILE")
        if body is None and params.files:
            body = next(iter(params.files.values()))
    if not body:
        return tap_error("no table was sent: add a FILE part holding a VOTable", 400)
    arrow, columns = await run_in_threadpool(read_votable, body, name)
    table = await run_in_threadpool(tables.create, user, name, params.get("TABLE_DESC") or "", arrow, columns)
    return Response(
        f"TABLE_NAME={table.name}\nFORMAT=votable\nTABLE_DESC={table.description}\nUploaded table {table.qualified}\n",
        media_type="text/html",
    )


async def _job_result(request: Request, job_id: str, user: str) -> bytes:
    jobs = services(request).jobs
    job = await jobs.get(job_id, user)
    if len(job.results) != 1:
        raise UnknownJob(f"Found no results for job {job_id}")
    path = jobs.store.job_dir(job_id) / job.results[0].filename
    if not path.name.endswith((".vot", ".xml")):
        raise InputError(f"job {job_id}'s result is not a VOTable: run it with FORMAT=votable")
    return await run_in_threadpool(Path(path).read_bytes)


# --- inside /server/tap -----------------------------------------------------------------------------


async def notification(request: Request) -> Response:
    """``GET /notification?action=GetNotifications``: ``id[type: t,-1]=message`` lines.

    Messages are the lines of ``ARCHIVE/notifications.txt`` (none when it is absent); every line
    sent contains ``=``, as astroquery requires.
    """
    path = services(request).settings.archive / NOTIFICATIONS_FILE
    lines = []
    if path.is_file():
        stamp = int(path.stat().st_mtime * 1000)
        for n, line in enumerate(path.read_text(errors="replace").splitlines()):
            if line.strip():
                lines.append(f"{stamp + n}D[type: 0,-1]={line.strip()}")
    return _text("".join(f"{line}\n" for line in lines))


def _flag(request: Request, name: str) -> bool:
    return any(k.lower() == name and v.strip().lower() in ("true", "1") for k, v in request.query_params.multi_items())


def _param(request: Request, name: str) -> str | None:
    return next((v for k, v in request.query_params.multi_items() if k.lower() == name), None)


async def tables(request: Request) -> Response:
    """``GET /tables``: the published tables plus the caller's schema (and shared tables on request)."""
    svc = services(request)
    user = request_user(request)
    wanted = _param(request, "tables")
    extra = []
    if user is not None:
        extra = await run_in_threadpool(svc.user_tables.owned, user)
        if wanted or _flag(request, "share_accessible"):
            extra += await run_in_threadpool(svc.user_tables.shared_with, user)
    catalog = svc.store.catalog.with_tables(extra) if extra else svc.store.catalog
    xsd_url = tap_url(request) + "/xsd/esatapplus.xsd"
    if wanted:
        selected = [find_table(catalog, name) for name in wanted.split(",") if name.strip()]
        return Response(render_tableset(selected, columns=True, xsd_url=xsd_url), media_type=XML)
    columns = not (_flag(request, "only_tables") or (_param(request, "detail") or "").strip().lower() == "min")
    return Response(render_tableset(catalog, columns=columns, xsd_url=xsd_url), media_type=XML)


async def job_search(request: Request) -> Response:
    """``GET /jobs/async``: the caller's jobs as full ``uws:job`` elements (filters jobid, name, phaseid)."""
    params = await _params(request)
    jobs = await services(request).jobs.search(request_user(request))
    job_id = params.get("jobid")
    name = params.get("jobname") or params.get("name")
    phase = params.get("phaseid")
    if job_id:
        jobs = [j for j in jobs if j.job_id == job_id]
    if name:
        jobs = [j for j in jobs if (j.run_id or dict(j.parameters).get("jobname")) == name]
    if phase:
        jobs = [j for j in jobs if j.phase.value == phase.strip().upper()]
    jobs.sort(key=lambda j: j.creation_time, reverse=True)
    offset = int(params.get("offset") or 0)
    limit = params.get("limit")
    jobs = jobs[offset : offset + int(limit)] if limit else jobs[offset:]
    return Response(render_job_search(jobs, tap_url(request) + "/async"), media_type=XML)


async def delete_jobs(request: Request) -> Response:
    """``POST /deletejobs`` with ``JOB_IDS=a,b``: delete the caller's jobs."""
    params = await _params(request)
    jobs = services(request).jobs
    user = request_user(request)
    ids = [i.strip() for i in (params.get("JOB_IDS") or "").split(",") if i.strip()]
    if not ids:
        return tap_error("JOB_IDS is missing: send JOB_IDS=<id>[,<id>...]", 400)
    for job_id in ids:
        await jobs.delete(job_id, user)
    return _text("OK")


async def users(request: Request) -> Response:
    """``GET /users?USER=<id>``: ``id: name`` when the user exists (logged-in callers only)."""
    caller = _need_user(request, "users")
    if isinstance(caller, Response):
        return caller
    wanted = (_param(request, "user") or "").strip()
    exists = bool(wanted) and await run_in_threadpool(services(request).accounts.user_exists, wanted)
    return _text(f"{wanted}: {wanted}\n" if exists else "")


async def share(request: Request) -> Response:
    """``GET|POST /share``: groups and shared tables (astroquery TapPlus's sharing calls)."""
    caller = _need_user(request, "share")
    if isinstance(caller, Response):
        return caller
    store = services(request).user_tables
    params = await _params(request)
    action = (params.get("action") or "").strip()
    if request.method == "GET" or action in ("GetGroups", "GetSharedItems"):
        if action == "GetSharedItems":
            items = await run_in_threadpool(store.items, caller)
            return Response(render_shared_items(caller, items), media_type=XML)
        groups = await run_in_threadpool(store.groups, caller)
        return Response(render_groups(groups, {}), media_type=XML)
    title = params.get("title") or ""
    description = params.get("description") or ""
    if description == "None":
        description = ""
    if action == "CreateOrUpdateGroup":
        members = params.get("users_list")
        group_id = await run_in_threadpool(
            store.save_group,
            caller,
            params.get("group_id"),
            title,
            description,
            None if members is None else [u.strip() for u in members.split(",")],
        )
        return _text(f"OK\nGroup '{group_id}' successfully created.")
    if action == "RemoveGroup":
        group_id = params.get("group_id") or ""
        done = await run_in_threadpool(store.remove_group, caller, group_id)
        return _text(f"OK\nGroup '{group_id}' removed." if done else f"Group '{group_id}' does not exists.")
    if action == "CreateOrUpdateItem":
        relations = []
        for triple in (params.get("items_list") or "").split(","):
            if triple.strip():
                parts = triple.strip().split("|")
                if len(parts) != 3:
                    return tap_error(f"items_list entry {triple!r} is not shareTo|Group or User|Read or Write", 400)
                relations.append((parts[0], parts[1], parts[2]))
        item_id = await run_in_threadpool(store.share, caller, title, description, relations)
        return _text(f"OK\nItem '{item_id}' successfully created.")
    if action == "RemoveItem":
        item_id = params.get("resource_id") or ""
        done = await run_in_threadpool(store.remove_item, caller, item_id)
        return _text(f"OK\nItem '{item_id}' removed." if done else f"Item '{item_id}' does not exists.")
    return tap_error(
        f"share action {action!r} is not supported: use GetGroups, GetSharedItems, CreateOrUpdateGroup, "
        "RemoveGroup, CreateOrUpdateItem or RemoveItem",
        400,
    )


def routes() -> list[BaseRoute]:
    """The ESA routes outside ``/server/tap``."""
    return [
        Route("/server/login", login, methods=["POST"]),
        Route("/server/logout", logout, methods=["GET", "POST"]),
        Route("/server/jwstToken", jwst_token, methods=["GET", "POST"]),
        Route("/server/data", data, methods=["GET", "HEAD", "POST"]),
        Route("/server/Upload", upload, methods=["POST"]),
        Route("/server", upload, methods=["POST"]),
    ]


def tap_routes() -> list[BaseRoute]:
    """The ESA TAP+ extras mounted inside ``/server/tap`` (before the IVOA TAP routes)."""
    return [
        Route("/notification", notification, methods=["GET"]),
        Route("/tables", tables, methods=["GET"]),
        Route("/jobs/async", job_search, methods=["GET"]),
        Route("/deletejobs", delete_jobs, methods=["POST"]),
        Route("/users", users, methods=["GET"]),
        Route("/share", share, methods=["GET", "POST"]),
    ]
