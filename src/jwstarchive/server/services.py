"""The objects ``create_app`` builds once (in the lifespan) and hands down to routes.

Routes reach them through ``request.state.services``; nothing is a module global.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request

    from jwstarchive.catalog.store import Store
    from jwstarchive.server.accounts import Accounts
    from jwstarchive.server.esa.user_tables import UserTables
    from jwstarchive.server.files import ProductFiles
    from jwstarchive.server.formats import FormatRegistry
    from jwstarchive.server.mast.mashup import MashupService
    from jwstarchive.server.settings import Limits, Settings
    from jwstarchive.server.tap.service import TAPService
    from jwstarchive.server.uws.service import JobService
    from jwstarchive.server.vosi.capabilities import Feature

__all__ = ["Services", "services", "tap_url"]

TAP_PATH = "/server/tap"


@dataclass
class Services:
    """Everything a request handler may use."""

    settings: Settings
    store: Store
    formats: FormatRegistry
    tap: TAPService
    jobs: JobService
    features: list[Feature]
    started: datetime
    accounts: Accounts
    files: ProductFiles
    user_tables: UserTables
    mast: MashupService

    @property
    def limits(self) -> Limits:
        """The protocol limits."""
        return self.settings.limits


def services(request: Request) -> Services:
    """The services of the app that is handling ``request``."""
    return request.state.services  # type: ignore[no-any-return]


def tap_url(request: Request) -> str:
    """The absolute base URL of the TAP service as the client addressed it."""
    return str(request.base_url).rstrip("/") + TAP_PATH
