"""The ASGI application: ``create_app(settings)`` wires stores, services and routes once.

Everything is built in the lifespan (so importing this module does no work and opens
nothing) and handed to routes through ``request.state.services``. Faces are mounted under
their real URL prefixes; today the IVOA TAP face at ``/server/tap``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route

from jwstarchive.server.access import AccessLogMiddleware
from jwstarchive.server.errors import ErrorMiddleware, http_error_response
from jwstarchive.server.formats import FORMATS
from jwstarchive.server.services import TAP_PATH, Services
from jwstarchive.server.settings import Settings

__all__ = ["create_app"]

log = logging.getLogger(__name__)


def _build(settings: Settings) -> Services:
    from jwstarchive.catalog.store import open_store
    from jwstarchive.server.accounts import Accounts
    from jwstarchive.server.esa.user_tables import UserTables
    from jwstarchive.server.files import ProductFiles
    from jwstarchive.server.mast.mashup import MashupService
    from jwstarchive.server.state import StateDB
    from jwstarchive.server.tap.service import TAPService
    from jwstarchive.server.uws.runner import JobRunner
    from jwstarchive.server.uws.service import JobService
    from jwstarchive.server.uws.store import JobStore
    from jwstarchive.server.vosi.capabilities import language_features

    store = open_store(settings.archive, backend=settings.backend)
    tap = TAPService(store, FORMATS, settings.limits)
    state = StateDB(settings.state_path)
    accounts = Accounts(state, store)
    user_tables = UserTables(state, settings.state_path / "user_tables")
    tap.user_tables = user_tables
    job_store = JobStore(state)
    jobs = JobService(job_store, lambda notify: JobRunner(job_store, tap, settings.limits, notify), settings.limits)
    return Services(
        settings=settings,
        store=store,
        formats=FORMATS,
        tap=tap,
        jobs=jobs,
        features=language_features(store.backend),
        started=datetime.now(UTC),
        accounts=accounts,
        files=ProductFiles(store, accounts),
        mast=MashupService(store),
        user_tables=user_tables,
    )


async def _tap_root(request: Request) -> Response:
    return RedirectResponse(str(request.base_url).rstrip("/") + TAP_PATH + "/capabilities", status_code=303)


def create_app(settings: Settings) -> Starlette:
    """The jwstarchive server for ``settings`` (stores and services open when it starts)."""
    from jwstarchive.server import files, ned, sesame
    from jwstarchive.server.esa import routes as esa
    from jwstarchive.server.mast import routes as mast
    from jwstarchive.server.tap.routes import routes as tap_routes
    from jwstarchive.server.uws.routes import routes as uws_routes
    from jwstarchive.server.vosi.routes import routes as vosi_routes

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Services]]:
        services = _build(settings)
        await services.jobs.start()
        log.info("serving archive %s (state in %s)", settings.archive, settings.state_path)
        try:
            yield {"services": services}
        finally:
            await services.jobs.stop()
            services.jobs.store.db.close()
            services.store.close()

    tap = Mount(
        TAP_PATH,
        routes=[Route("/", _tap_root), *esa.tap_routes(), *tap_routes(), *uws_routes(), *vosi_routes()],
    )
    return Starlette(
        routes=[tap, *esa.routes(), *files.routes(), *mast.routes(), *sesame.routes(), *ned.routes()],
        middleware=[Middleware(AccessLogMiddleware), Middleware(ErrorMiddleware)],
        exception_handlers={HTTPException: http_error_response},
        lifespan=lifespan,
    )
