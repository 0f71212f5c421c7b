"""Product files over HTTP (being written)."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    """The routes this module adds to the app."""
    return []
