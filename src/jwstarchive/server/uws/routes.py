"""HTTP for UWS 1.1 at ``/server/tap/async`` (job list, job and its sub-resources).

POSTs that change a job answer ``303 See Other`` with an absolute ``Location`` (astroquery
takes the job id from it); ``/phase`` answers the bare phase word as ``text/plain``; results
are served directly with ``200``. Every refusal is a TAP error VOTable (404 for an unknown
job).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from jwstarchive.errors import InputError, InvalidPhase, UnknownJob
from jwstarchive.server.errors import tap_error
from jwstarchive.server.esa.session import request_user
from jwstarchive.server.formats.votable import render_error
from jwstarchive.server.params import DALIParams, read_params
from jwstarchive.server.services import services, tap_url
from jwstarchive.server.uws.documents import iso, render_job, render_job_list, render_parameters, render_results
from jwstarchive.server.uws.models import Phase

if TYPE_CHECKING:
    from starlette.requests import Request

    from jwstarchive.server.uws.models import Job

__all__ = ["caller", "routes"]

XML = "text/xml"
TEXT = "text/plain"


def caller(request: Request) -> str | None:
    """The authenticated owner of the request: the ESA session's user (None: anonymous)."""
    return request_user(request)


def _async_url(request: Request) -> str:
    return tap_url(request) + "/async"


def _job_url(request: Request, job_id: str) -> str:
    return f"{_async_url(request)}/{job_id}"


def _see(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


async def _params(request: Request) -> DALIParams:
    return await read_params(request, max_file_bytes=services(request).limits.upload_max_bytes)


async def job_list(request: Request) -> Response:
    """``GET /async``: the caller's jobs (PHASE, AFTER, LAST filters)."""
    params = await _params(request)
    jobs = await services(request).jobs.search(
        caller(request), phases=params.getall("PHASE"), after=params.get("AFTER"), last=params.get("LAST")
    )
    return Response(render_job_list(jobs, _async_url(request)), media_type=XML)


async def create_job(request: Request) -> Response:
    """``POST /async``: create a job; 303 to it."""
    params = await _params(request)
    job = await services(request).jobs.create(params, caller(request))
    return _see(_job_url(request, job.job_id))


async def job(request: Request) -> Response:
    """``GET /async/<id>`` (with UWS 1.1 ``WAIT`` and ``PHASE``)."""
    svc = services(request).jobs
    job_id = request.path_params["job_id"]
    params = await _params(request)
    wait = params.get("WAIT")
    if wait is not None and wait.strip():
        try:
            seconds = float(wait)
        except ValueError:
            raise InputError(f"WAIT must be a number of seconds (got {wait!r})") from None
        timeout = services(request).limits.max_wait if seconds < 0 else seconds
        found = await svc.wait(job_id, caller(request), timeout, params.get("PHASE"))
    else:
        found = await svc.get(job_id, caller(request))
    return Response(render_job(found, _job_url(request, job_id)), media_type=XML)


async def post_job(request: Request) -> Response:
    """``POST /async/<id>``: ``ACTION=DELETE``, or parameters (astroquery ``send_parameter``)."""
    svc = services(request).jobs
    job_id = request.path_params["job_id"]
    params = await _params(request)
    action = params.get("ACTION")
    if action is not None:
        if action.strip().upper() != "DELETE":
            raise InputError(f"ACTION={action!r} is not supported: use ACTION=DELETE")
        await svc.delete(job_id, caller(request))
        return _see(_async_url(request))
    phase = params.get("PHASE")
    await svc.set_parameters(job_id, caller(request), params)
    if phase is not None:
        await _change_phase(request, job_id, phase)
    return _see(_job_url(request, job_id))


async def delete_job(request: Request) -> Response:
    """``DELETE /async/<id>``; 303 to the job list."""
    await services(request).jobs.delete(request.path_params["job_id"], caller(request))
    return _see(_async_url(request))


async def _change_phase(request: Request, job_id: str, phase: str) -> None:
    svc = services(request).jobs
    value = phase.strip().upper()
    if value == "RUN":
        await svc.run(job_id, caller(request))
    elif value == "ABORT":
        await svc.abort(job_id, caller(request))
    else:
        raise InputError(f"PHASE={phase!r} cannot be requested: use PHASE=RUN or PHASE=ABORT")


async def phase(request: Request) -> Response:
    """``GET /async/<id>/phase`` (the bare word) and ``POST`` with ``PHASE=RUN|ABORT``."""
    job_id = request.path_params["job_id"]
    if request.method == "GET":
        found = await services(request).jobs.get(job_id, caller(request))
        return Response(found.phase.value, media_type=TEXT)
    params = await _params(request)
    value = params.get("PHASE")
    if value is None:
        raise InputError("POST to /phase needs PHASE=RUN or PHASE=ABORT")
    await _change_phase(request, job_id, value)
    return _see(_job_url(request, job_id))


async def execution_duration(request: Request) -> Response:
    """``GET|POST /async/<id>/executionduration`` (seconds)."""
    svc = services(request).jobs
    job_id = request.path_params["job_id"]
    if request.method == "POST":
        value = (await _params(request)).get("EXECUTIONDURATION")
        if value is None:
            raise InputError("POST to /executionduration needs EXECUTIONDURATION=<seconds>")
        await svc.set_execution_duration(job_id, caller(request), value)
        return _see(_job_url(request, job_id))
    found = await svc.get(job_id, caller(request))
    return Response(str(found.execution_duration), media_type=TEXT)


async def destruction(request: Request) -> Response:
    """``GET|POST /async/<id>/destruction`` (ISO-8601 UTC)."""
    svc = services(request).jobs
    job_id = request.path_params["job_id"]
    if request.method == "POST":
        value = (await _params(request)).get("DESTRUCTION")
        if value is None:
            raise InputError("POST to /destruction needs DESTRUCTION=<ISO-8601 time>")
        await svc.set_destruction(job_id, caller(request), value)
        return _see(_job_url(request, job_id))
    found = await svc.get(job_id, caller(request))
    return Response(iso(found.destruction), media_type=TEXT)


async def quote(request: Request) -> Response:
    """``GET /async/<id>/quote``: empty (this service makes no completion estimate)."""
    await services(request).jobs.get(request.path_params["job_id"], caller(request))
    return Response("", media_type=TEXT)


async def owner(request: Request) -> Response:
    """``GET /async/<id>/owner``."""
    found = await services(request).jobs.get(request.path_params["job_id"], caller(request))
    return Response(found.owner or "", media_type=TEXT)


async def error(request: Request) -> Response:
    """``GET /async/<id>/error``: the error VOTable of a job in phase ERROR (status 200)."""
    found = await services(request).jobs.get(request.path_params["job_id"], caller(request))
    if found.phase != Phase.ERROR or found.error_message is None:
        raise InvalidPhase(f"job {found.job_id} is {found.phase.value}: it has no error")
    return Response(render_error(found.error_message), media_type="application/x-votable+xml")


async def parameters(request: Request) -> Response:
    """``GET /async/<id>/parameters`` and ``POST`` to change them (PENDING only)."""
    svc = services(request).jobs
    job_id = request.path_params["job_id"]
    if request.method == "POST":
        await svc.set_parameters(job_id, caller(request), await _params(request))
        return _see(_job_url(request, job_id))
    found = await svc.get(job_id, caller(request))
    return Response(render_parameters(found), media_type=XML)


async def results(request: Request) -> Response:
    """``GET /async/<id>/results``."""
    job_id = request.path_params["job_id"]
    found = await services(request).jobs.get(job_id, caller(request))
    return Response(render_results(found, _job_url(request, job_id)), media_type=XML)


def _result_file(job: Job, result_id: str, request: Request) -> Response:
    result = job.result(result_id)
    if result is None:
        if job.phase == Phase.ERROR and job.error_message is not None:
            return tap_error(job.error_message, 400)
        if job.phase != Phase.COMPLETED:
            raise InvalidPhase(f"job {job.job_id} is {job.phase.value}: it has no results yet")
        raise UnknownJob(f"job {job.job_id} has no result {result_id!r}")
    path = services(request).jobs.store.job_dir(job.job_id) / result.filename
    if not path.is_file():
        raise UnknownJob(f"the result of job {job.job_id} is no longer available")
    return FileResponse(
        path,
        media_type=result.media_type,
        headers={"Content-Disposition": f'inline; filename="{job.job_id}-{result.filename}"'},
    )


async def result(request: Request) -> Response:
    """``GET /async/<id>/results/<result>``: the result file itself (200)."""
    job_id = request.path_params["job_id"]
    found = await services(request).jobs.get(job_id, caller(request))
    return _result_file(found, request.path_params["result_id"], request)


def routes() -> list[Route]:
    """The UWS routes (relative to ``/server/tap``)."""
    prefix = "/async/{job_id}"
    return [
        Route("/async", job_list, methods=["GET"]),
        Route("/async", create_job, methods=["POST"]),
        Route(prefix, job, methods=["GET"]),
        Route(prefix, post_job, methods=["POST"]),
        Route(prefix, delete_job, methods=["DELETE"]),
        Route(prefix + "/phase", phase, methods=["GET", "POST"]),
        Route(prefix + "/executionduration", execution_duration, methods=["GET", "POST"]),
        Route(prefix + "/destruction", destruction, methods=["GET", "POST"]),
        Route(prefix + "/quote", quote, methods=["GET"]),
        Route(prefix + "/owner", owner, methods=["GET"]),
        Route(prefix + "/error", error, methods=["GET"]),
        Route(prefix + "/parameters", parameters, methods=["GET", "POST"]),
        Route(prefix + "/results", results, methods=["GET"]),
        Route(prefix + "/results/{result_id}", result, methods=["GET"]),
    ]
