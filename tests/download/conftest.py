"""Fixtures of the download tests: catalog products (names, sizes, md5) from the test archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from catalogfiles import EXCLUSIVE_PROGRAMS, Product


def _catalog_products(archive: Path, where: str, limit: int) -> list[Product]:
    import duckdb

    con = duckdb.connect(str(archive / "catalog.duckdb"), read_only=True)
    try:
        rows = con.execute(
            f"SELECT filename, size, md5 FROM core.product WHERE {where} ORDER BY size DESC, filename LIMIT {limit}"
        ).fetchall()
    finally:
        con.close()
    return [Product(*row) for row in rows]


@pytest.fixture(scope="session")
def public_products(archive_dir: Path) -> list[Product]:
    """24 public products, the largest of the archive first (each over 40 kB), then smaller ones."""
    programs = ", ".join(f"'{p}'" for p in EXCLUSIVE_PROGRAMS)
    big = _catalog_products(archive_dir, f"program_id NOT IN ({programs}) AND release_date < now()", 12)
    small = _catalog_products(
        archive_dir, f"program_id NOT IN ({programs}) AND release_date < now() AND size < 20000", 12
    )
    products = big + small
    assert len(products) == 24 and big[-1].size > 40_000
    return products


@pytest.fixture(scope="session")
def exclusive_product(archive_dir: Path) -> Product:
    """A product of program 07123, in exclusive access for the user ``demo``."""
    return _catalog_products(archive_dir, "program_id = '07123' AND release_date > now()", 1)[0]
