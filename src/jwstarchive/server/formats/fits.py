"""FITS binary-table results (one BINTABLE extension after an empty primary HDU).

FITS needs the row count and every column width in its header before the data, so this
writer collects the (MAXREC-limited) result first and is registered as not streaming.
Strings are ASCII in FITS: other characters become ``?``. Nulls: NaN for floats, ``TNULL``
for integers, empty strings for text.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from jwstarchive.server.formats.fields import Field, fields_for, plain_values, unique_names

if TYPE_CHECKING:
    import pyarrow as pa

    from jwstarchive.server.formats.result import ResultSet

__all__ = ["write_fits"]


def _column(name: str, field: Field, array: pa.ChunkedArray) -> Any:
    import numpy as np
    from astropy.table import Column, MaskedColumn

    col = field.column
    values = plain_values(field, array.combine_chunks())
    meta: dict[str, Any] = {"description": col.description or None}
    unit = _unit(col.unit)
    if field.is_text or field.scalar_array:
        texts = ["" if v is None else v.encode("ascii", "replace").decode("ascii") for v in values.to_pylist()]
        data = np.array(texts, dtype=f"U{max([1, *map(len, texts)])}")
        return Column(data, name=name, unit=unit, **meta)
    mask = values.is_null().to_numpy(zero_copy_only=False)
    if field.datatype in ("float", "double"):
        fill: Any = np.nan
    elif field.datatype == "boolean":
        fill = False
    else:
        fill = 0
    data = values.fill_null(fill).to_numpy(zero_copy_only=False)
    if mask.any() and field.datatype not in ("float", "double", "boolean"):
        return MaskedColumn(data, mask=mask, name=name, unit=unit, **meta)
    return Column(data, name=name, unit=unit, **meta)


def _unit(text: str | None) -> Any:
    if not text:
        return None
    from astropy import units as u

    unit = u.Unit(text, format="vounit", parse_strict="silent")
    return None if isinstance(unit, u.UnrecognizedUnit) else unit


def write_fits(result: ResultSet) -> Iterator[bytes]:
    """Write ``result`` as a FITS file (collected first; see the module notes)."""
    import warnings

    import pyarrow as pa
    from astropy.io import fits
    from astropy.table import Table

    arrow_schema, batches = result.open()
    fields = fields_for(result.columns, arrow_schema)
    names = unique_names(fields)
    collected = list(batches)
    table = pa.Table.from_batches(collected) if collected else None
    columns = [
        _column(n, f, table.column(i) if table is not None else pa.chunked_array([], pa.string()))
        for i, (n, f) in enumerate(zip(names, fields, strict=True))
    ]
    out = Table(columns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hdu = fits.table_to_hdu(out)
        status = "ERROR" if result.error is not None else "OVERFLOW" if result.overflow else "OK"
        hdu.header["QUERYSTA"] = (status, "TAP QUERY_STATUS")
        if result.error is not None:
            hdu.header["QUERYERR"] = result.error[:60].encode("ascii", "replace").decode()
        buffer = io.BytesIO()
        fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(buffer)
    yield buffer.getvalue()
