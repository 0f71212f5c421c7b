"""``columnsconfig`` documents: per column, the display and VO properties clients read (reference §1.3).

astroquery builds its filters from these: ``vot.datatype`` ``double``/``float`` makes a column
continuous (ranges), anything else discrete; ``separator`` marks multi-valued text columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jwstarchive.server.mast.conditions import column_kind

if TYPE_CHECKING:
    from jwstarchive.catalog.tables import Column

__all__ = ["SEPARATED_COLUMNS", "column_config", "columns_config"]

SEPARATED_COLUMNS = frozenset({"obs_collection", "project", "filters", "wavelength_region", "target_classification"})
"""CAOM observation columns holding ';'-separated lists."""


def _datatype(col: Column) -> str:
    kind = column_kind(col)
    if kind == "time":
        return "datetime"
    if kind == "boolean":
        return "boolean"
    if kind == "number":
        return {"short": "int", "unsignedByte": "int"}.get(col.datatype, col.datatype)
    return "char"


def column_config(col: Column, *, separated: bool = False) -> dict[str, Any]:
    """The columnsconfig entry of one column."""
    entry: dict[str, Any] = {
        "text": col.name,
        "vot.datatype": _datatype(col),
        "vot.description": col.description,
    }
    if col.unit:
        entry["vot.unit"] = col.unit
        entry["unit"] = col.unit
    if col.ucd:
        entry["vot.ucd"] = col.ucd
    if separated:
        entry["separator"] = ";"
    return entry


def columns_config(columns: list[Column], *, separated: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The whole document for a service whose rows have ``columns``."""
    return {c.name: column_config(c, separated=c.name in separated) for c in columns}
