"""MAST portal JSON (``fields`` + ``data``) -> astropy Table, with the column types MAST declares.

Type names follow the portal (reference/mast_api.md §2.3): char/string/date/datetime -> str,
double/float/decimal -> float64, int/short/long/number -> int64, boolean/binary -> bool,
unsignedByte -> uint8. Missing cells are masked (floats too, unlike astroquery's bare NaN).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from astropy.table import MaskedColumn, Table, vstack

__all__ = ["merged_table", "portal_table", "stack_tables"]

_KINDS = {
    "char": "str",
    "string": "str",
    "date": "str",
    "datetime": "str",
    "double": "float64",
    "float": "float64",
    "decimal": "float64",
    "int": "int64",
    "short": "int64",
    "long": "int64",
    "number": "int64",
    "boolean": "bool",
    "binary": "bool",
    "unsignedbyte": "uint8",
}
_FILL = {"str": "", "float64": np.nan, "int64": -999, "bool": False, "uint8": 0}


def _column(name: str, kind: str, values: list[Any]) -> MaskedColumn:
    fill = _FILL[kind]
    if None in values:
        mask = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
        values = [fill if v is None else v for v in values]
    else:
        mask = np.zeros(len(values), dtype=bool)
    if kind == "str":
        data = _texts(values)
        if data.dtype.itemsize == 0:
            data = data.astype("U1")
    elif kind == "bool":
        data = np.array([_truth(v) for v in values], dtype=bool)
    else:
        try:
            data = np.array(values, dtype=float if kind == "float64" else np.int64)
        except (TypeError, ValueError):
            cleaned = [_number(v) for v in values]
            mask |= np.array([v is None for v in cleaned], dtype=bool)
            data = np.array([fill if v is None else v for v in cleaned], dtype=float)
        data = data.astype(kind)
    return MaskedColumn(data, name=name, mask=mask)


def _texts(values: list[Any]) -> np.ndarray:
    """Values as a numpy str array, each ``_text(v)``; numpy converts alone unless a bool or a sequence is there."""
    if True not in values and False not in values:  # ``True in`` also finds 1 and 1.0: the slow way then
        try:
            data = np.array(values, dtype=str)
        except ValueError:
            data = None
        if data is not None and data.ndim == 1:
            return data
    return np.array([v if isinstance(v, str) else _text(v) for v in values], dtype=str)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _truth(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("t", "true", "1", "yes")
    return bool(value)


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def portal_table(body: dict[str, Any], *, columns: Sequence[str] | None = None) -> Table:
    """One portal JSON body as a Table (``_selected_`` dropped; ``columns`` picks and orders)."""
    fields = [f for f in body.get("fields") or [] if f.get("name") != "_selected_"]
    seen: dict[str, str] = {}
    for field in fields:
        seen.setdefault(field["name"], _KINDS.get(str(field.get("type", "string")).lower(), "str"))
    names = list(columns) if columns is not None else list(seen)
    rows = body.get("data") or []
    table = Table()
    for name in names:
        kind = seen.get(name, "str")
        table[name] = _column(name, kind, [row.get(name) for row in rows])
    return table


def merged_table(
    bodies: Iterable[dict[str, Any]], *, unique: str | None = None, columns: Sequence[str] | None = None
) -> Table:
    """One Table from many pages or batches; with ``unique``, the first row of each value of that field."""
    fields: dict[str, dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    for body in bodies:
        for field in body.get("fields") or []:
            fields.setdefault(field.get("name"), field)
        rows.extend(body.get("data") or [])
    if unique is not None:
        seen: set[Any] = set()
        kept = []
        for row in rows:
            key = row.get(unique)
            if key is not None and key in seen:
                continue
            seen.add(key)
            kept.append(row)
        rows = kept
    return portal_table({"fields": list(fields.values()), "data": rows}, columns=columns)


def stack_tables(tables: Iterable[Table]) -> Table:
    """Stack pages or batches; columns missing in some are masked (outer join)."""
    parts = [t for t in tables if len(t.colnames)]
    if not parts:
        return Table()
    if len(parts) == 1:
        return parts[0]
    with_rows = [t for t in parts if len(t)] or parts[:1]
    return vstack(with_rows, join_type="outer", metadata_conflicts="silent")
