"""Portal JSON documents: ``status``, ``msg``, ``paging``, ``fields`` and ``data`` (reference §2.1).

Only the type names astroquery understands are written: ``string``, ``datetime``, ``boolean``,
``int``, ``long``, ``float``, ``double``. Identifier columns (``obsid``, ``objID``, ``obsID``,
``parent_obsid``) are declared ``string`` with numeric values, as MAST does. NaN becomes null.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jwstarchive.server.mast.conditions import column_kind

if TYPE_CHECKING:
    import pyarrow as pa

    from jwstarchive.catalog.tables import Column

__all__ = [
    "COUNT_FIELD",
    "PortalResult",
    "count_document",
    "error_document",
    "executing_document",
    "portal_type",
    "render_result",
]

ID_COLUMNS = {"obsid", "objid", "obsid1", "parent_obsid"}
COUNT_FIELD = "Column1"
"""The one column of a ``COUNT_BIG(*)`` answer."""


def portal_type(col: Column) -> str:
    """The portal ``fields[].type`` of ``col``."""
    if col.name.lower() in ID_COLUMNS:
        return "string"
    kind = column_kind(col)
    if kind == "time":
        return "datetime"
    if kind == "boolean":
        return "boolean"
    if kind == "number":
        return {"short": "int", "int": "int", "unsignedByte": "int"}.get(col.datatype, col.datatype)
    return "string"


@dataclass(frozen=True)
class PortalResult:
    """One page of a tabular answer."""

    columns: list[Column]
    rows: pa.Table
    rows_filtered: int
    page: int
    pagesize: int


def _values(array: Any, float_column: bool) -> list[Any]:
    values = array.to_pylist()
    if float_column:
        return [None if isinstance(v, float) and not math.isfinite(v) else v for v in values]
    return values


def render_result(result: PortalResult) -> bytes:
    """The COMPLETE document for ``result``."""
    names = [c.name for c in result.columns]
    columns = [
        _values(result.rows.column(i), column_kind(c) == "number" and c.datatype in ("float", "double"))
        for i, c in enumerate(result.columns)
    ]
    data = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
    pages = math.ceil(result.rows_filtered / result.pagesize) if result.rows_filtered else 0
    doc = {
        "status": "COMPLETE",
        "msg": "",
        "percent complete": 100,
        "paging": {
            "page": result.page,
            "pageSize": result.pagesize,
            "pagesFiltered": pages,
            "rows": len(data),
            "rowsFiltered": result.rows_filtered,
            "rowsTotal": result.rows_filtered,
        },
        "fields": [{"name": c.name, "type": portal_type(c)} for c in result.columns],
        "data": data,
    }
    return json.dumps(doc, allow_nan=False, default=str).encode()


def count_document(count: int) -> bytes:
    """The COMPLETE document of a ``COUNT_BIG(*)`` query."""
    doc = {
        "status": "COMPLETE",
        "msg": "",
        "percent complete": 100,
        "paging": {"page": 1, "pageSize": 1, "pagesFiltered": 1, "rows": 1, "rowsFiltered": 1, "rowsTotal": 1},
        "fields": [{"name": COUNT_FIELD, "type": "string"}],
        "data": [{COUNT_FIELD: count}],
    }
    return json.dumps(doc).encode()


def executing_document(percent: int = 0) -> bytes:
    """The answer while a request is still being worked on: poll again with the same request."""
    return json.dumps({"status": "EXECUTING", "msg": "", "percent complete": percent}).encode()


def error_document(message: str) -> bytes:
    """The ERROR document astroquery turns into ``RemoteServiceError(message)``."""
    return json.dumps({"status": "ERROR", "msg": message, "data": [], "fields": []}).encode()
