"""The ESA data service's rules: which products a request names, and the tar of several.

``RETRIEVAL_TYPE=PRODUCT`` names one artifact (``ARTIFACTID`` or ``file_name``);
``RETRIEVAL_TYPE=OBSERVATION`` names planes (``planeid``, comma-separated) filtered by
``calibrationlevel`` (SELECTED and ALL: every listed plane; LEVEL1ONLY: their level-1 planes; a
number: the listed planes of that level) and ``product_type`` (comma list of science, preview,
thumbnail, auxiliary, info). Several products travel as a tar laid out
``jwNNNNN/level_N/<file>``, streamed member by member with an exact ``Content-Length``.
"""

from __future__ import annotations

import tarfile
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from jwstarchive.errors import InputError

if TYPE_CHECKING:
    from jwstarchive.server.files import ProductFile, ProductFiles

__all__ = ["PRODUCT_TYPES", "observation_products", "tar_layout", "tar_size", "tar_stream"]

PRODUCT_TYPES = ("science", "preview", "thumbnail", "auxiliary", "info")
BLOCK = 512
CHUNK = 256 * 1024


def _levels(calibrationlevel: str | None) -> set[int] | None:
    """Wanted calibration levels (None: every listed plane)."""
    value = (calibrationlevel or "SELECTED").strip().upper()
    if value in ("SELECTED", "ALL"):
        return None
    if value == "LEVEL1ONLY":
        return {1}
    try:
        return {int(value)}
    except ValueError:
        raise InputError(
            f"calibrationlevel={calibrationlevel!r} is not valid: use SELECTED, LEVEL1ONLY, ALL or a level number"
        ) from None


def _product_types(product_type: str | None) -> list[str] | None:
    if not product_type or not product_type.strip():
        return None
    wanted = [t.strip().lower() for t in product_type.split(",") if t.strip()]
    bad = [t for t in wanted if t not in PRODUCT_TYPES]
    if bad:
        raise InputError(f"product_type {bad[0]!r} is not valid: use one or more of {', '.join(PRODUCT_TYPES)}")
    return wanted


def observation_products(
    files: ProductFiles, planeid: str | None, calibrationlevel: str | None, product_type: str | None
) -> list[ProductFile]:
    """The products of the listed planes that the level and type filters keep, by file name.

    Raises
    ------
    InputError
        For a missing ``planeid`` or an invalid filter.
    """
    planes = sorted({p.strip() for p in (planeid or "").split(",") if p.strip()})
    if not planes:
        raise InputError("RETRIEVAL_TYPE=OBSERVATION needs planeid=<plane id>[,<plane id>...]")
    levels = _levels(calibrationlevel)
    types = _product_types(product_type)
    rows = files.store.fetch(
        "SELECT p.filename FROM core.product p JOIN core.plane pl ON pl.plane_uuid = p.plane_uuid "
        "WHERE p.plane_uuid IN (SELECT unnest(?))"
        + (" AND pl.calib_level IN (SELECT unnest(?))" if levels is not None else "")
        + (" AND lower(p.product_type) IN (SELECT unnest(?))" if types is not None else ""),
        [planes, *([sorted(levels)] if levels is not None else []), *([types] if types is not None else [])],
    )
    return files.lookup_many(rows.column("filename").to_pylist())


def _member_name(pf: ProductFile) -> str:
    return f"jw{pf.program_id}/level_{pf.calib_level}/{pf.filename}"


def _header(pf: ProductFile, mtime: float) -> bytes:
    info = tarfile.TarInfo(_member_name(pf))
    info.size = pf.size
    info.mtime = int(mtime)
    info.mode = 0o644
    return info.tobuf(format=tarfile.PAX_FORMAT)


def tar_layout(products: list[ProductFile]) -> list[tuple[ProductFile, bytes]]:
    """Each product with its tar header block(s)."""
    now = time.time()
    return [(pf, _header(pf, now)) for pf in products]


def tar_size(layout: list[tuple[ProductFile, bytes]]) -> int:
    """The exact byte length of the tar :func:`tar_stream` writes."""
    total = 2 * BLOCK
    for pf, header in layout:
        total += len(header) + -(-pf.size // BLOCK) * BLOCK
    return total


def tar_stream(files: ProductFiles, layout: list[tuple[ProductFile, bytes]]) -> Iterator[bytes]:
    """The tar, one member at a time (products are rendered as their turn comes, read in batches)."""
    for (_, header), data in zip(layout, files.open_many([pf for pf, _ in layout]), strict=True):
        yield header
        view = memoryview(data)
        for offset in range(0, len(data), CHUNK):
            yield bytes(view[offset : offset + CHUNK])
        pad = -len(data) % BLOCK
        if pad:
            yield b"\0" * pad
    yield b"\0" * (2 * BLOCK)
