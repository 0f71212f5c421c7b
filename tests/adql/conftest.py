"""Fixtures for the ADQL tests (the tables and their data live in fixture_catalog.py)."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest
from fixture_catalog import ARTIFACT, MAIN, OBSCORE, UPLOAD, build_database

from jwstarchive.adql import rules_duckdb
from jwstarchive.catalog.tables import TableCatalog


@pytest.fixture(scope="session")
def catalog() -> TableCatalog:
    """The published tables plus the caller's upload (not another user's table)."""
    return TableCatalog([MAIN, OBSCORE, ARTIFACT, UPLOAD])


@pytest.fixture(scope="session")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB holding the fixture tables, with the ADQL UDFs installed."""
    connection = duckdb.connect()
    build_database(connection)
    rules_duckdb.install(connection)
    yield connection
    connection.close()
