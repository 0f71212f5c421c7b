"""Routes of this server face (not yet written)."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    """The routes this face adds to the app."""
    return []
