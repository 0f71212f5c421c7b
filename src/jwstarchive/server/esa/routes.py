"""Routes of this server face (not yet written)."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    """The routes this face adds to the app."""
    return []


def tap_routes() -> list[BaseRoute]:
    """The ESA TAP+ extras mounted inside ``/server/tap`` (before the IVOA TAP routes)."""
    return []
