"""Fixtures for the MAST face: a portal caller and a read-only view of the served catalog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest
from mast_portal import Portal


@pytest.fixture
def portal(live_server, http: httpx.Client) -> Portal:
    """A portal caller aimed at the session server."""
    return Portal(live_server.url, http)


@pytest.fixture(scope="module")
def catalog(archive_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The served catalog, read-only: where tests take their expected answers from."""
    con = duckdb.connect(str(archive_dir / "catalog.duckdb"), read_only=True)
    yield con
    con.close()
