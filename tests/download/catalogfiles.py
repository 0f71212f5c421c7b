"""Catalog products (names, sizes, md5) for the download tests, their URLs, and checks of an output tree."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from jwstarchive.download import FileRequest

DOWNLOAD_PATH = "/api/v0.1/Download/file?uri=mast:JWST/product/"
EXCLUSIVE_PROGRAMS = ("07123", "07456", "07890")


@dataclass(frozen=True)
class Product:
    """A product file as the catalog describes it."""

    filename: str
    size: int
    md5: str


def product_url(base: str, filename: str) -> str:
    """The MAST download URL of ``filename`` on the server at ``base``."""
    return f"{base}{DOWNLOAD_PATH}{filename}"


def file_requests(base: str, products: list[Product], outdir: Path) -> list[FileRequest]:
    """One request per product, into ``outdir``, with the catalog size and md5."""
    return [FileRequest(product_url(base, p.filename), outdir / p.filename, p.size, p.md5) for p in products]


def leftovers(outdir: Path) -> list[Path]:
    """Temporary files (``.*.part``, ``.*.part.etag``) under ``outdir``."""
    return sorted(p for p in outdir.rglob(".*") if ".part" in p.name)


def assert_all_complete(products: list[Product], outdir: Path) -> None:
    """Every product is under its final name with the catalog's bytes, and no temporary file is left."""
    for p in products:
        data = (outdir / p.filename).read_bytes()
        assert len(data) == p.size, p.filename
        assert hashlib.md5(data).hexdigest() == p.md5, p.filename
    assert leftovers(outdir) == []


def assert_no_partial_under_final_name(products: list[Product], outdir: Path) -> None:
    """Any product present under its final name is complete and correct."""
    for p in products:
        path = outdir / p.filename
        if path.exists():
            assert hashlib.md5(path.read_bytes()).hexdigest() == p.md5, f"{p.filename} is not the catalog's file"
