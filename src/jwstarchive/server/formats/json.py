"""JSON results in the shape ESA TAP+ serves: ``{"metadata": [...], "data": [[...], ...]}``.

``metadata`` lists each column's name, datatype, arraysize, xtype, unit, ucd, utype and
description; ``data`` holds one array per row. NaN and infinities become ``null``. When the
result was cut at MAXREC a trailing ``"status": "OVERFLOW"`` says so; a failure after the
first rows gives ``"status": "ERROR"`` and ``"message"``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from jwstarchive.server.formats.fields import Field, fields_for, plain_values

if TYPE_CHECKING:
    from jwstarchive.server.formats.result import ResultSet

__all__ = ["write_json"]


def _metadata(field: Field) -> dict[str, Any]:
    col = field.column
    return {
        "name": col.name,
        "datatype": field.datatype,
        "arraysize": field.arraysize,
        "xtype": col.xtype,
        "unit": col.unit,
        "ucd": col.ucd,
        "utype": col.utype,
        "description": col.description or None,
    }


def _finite(values: list[Any]) -> list[Any]:
    return [None if isinstance(v, float) and not math.isfinite(v) else v for v in values]


def write_json(result: ResultSet) -> Iterator[bytes]:
    """Stream ``result`` as one JSON object (metadata, then the rows in ``data``)."""
    schema, batches = result.open()
    fields = fields_for(result.columns, schema)
    yield ('{"metadata": ' + json.dumps([_metadata(f) for f in fields]) + ',\n"data": [').encode()
    separator = "\n"
    for batch in batches:
        if not batch.num_rows:
            continue
        columns = []
        for field, array in zip(fields, batch.columns, strict=True):
            values = plain_values(field, array).to_pylist()
            if field.datatype in ("float", "double"):
                values = _finite(values)
            columns.append(values)
        rows = json.dumps([list(row) for row in zip(*columns, strict=True)], allow_nan=False)
        yield (separator + rows[1:-1]).encode()
        separator = ",\n"
    tail = "\n]"
    if result.error is not None:
        tail += ', "status": "ERROR", "message": ' + json.dumps(result.error)
    elif result.overflow:
        tail += ', "status": "OVERFLOW"'
    yield (tail + "}\n").encode()
