"""Portal filters → SQL conditions with bound parameters.

Column names are checked against the table's published columns (case-insensitive) and written
quoted; every user value is a ``?`` parameter. Semantics (reference/mast_api.md §4): within one
filter, exact values, ranges and the ``freeText`` pattern are ORed; filters are ANDed. Text is
compared case-insensitively; with a ``separator`` a cell matches when any of its tokens does.
Program numbers (``proposal_id``, ``program``) match with or without leading zeros.
"""

from __future__ import annotations

import difflib
from datetime import datetime, timedelta
from typing import Any

from jwstarchive.catalog.tables import Column, Table
from jwstarchive.errors import InputError
from jwstarchive.server.mast.request import Filter, Range

__all__ = ["column_kind", "filter_condition", "resolve_column"]

NUMERIC = {"short", "int", "long", "float", "double", "unsignedByte"}
UNPADDED_TEXT = {"proposal_id", "program"}
MJD_EPOCH = datetime(1858, 11, 17)
TRUE_TEXT = {"true", "t", "1", "yes", "y"}
FALSE_TEXT = {"false", "f", "0", "no", "n"}


def column_kind(col: Column) -> str:
    """``number``, ``boolean``, ``time`` or ``text``: how a column's values compare."""
    if col.xtype == "timestamp":
        return "time"
    if col.datatype in NUMERIC:
        return "number"
    if col.datatype == "boolean":
        return "boolean"
    return "text"


def resolve_column(table: Table, name: str, service: str, extra: dict[str, Column] | None = None) -> Column:
    """The column ``name`` of ``table`` (or of ``extra``), else InputError naming the nearest one."""
    col = table.column(name)
    if col is None and extra:
        col = next((c for key, c in extra.items() if key.lower() == name.lower()), None)
    if col is not None:
        return col
    names = [c.name for c in table.columns] + list(extra or {})
    close = difflib.get_close_matches(name, names, n=1) or difflib.get_close_matches(
        name.lower(), [n.lower() for n in names], n=1
    )
    hint = f"; did you mean '{next(n for n in names if n.lower() == close[0].lower())}'?" if close else ""
    raise InputError(f"column '{name}' does not exist in {service}{hint}")


def _number(value: Any, col: Column) -> float | int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    try:
        text = str(value).strip()
        return int(text) if text.lstrip("+-").isdigit() else float(text)
    except ValueError:
        raise InputError(f"column '{col.name}' holds numbers: {value!r} is not a number") from None


def _boolean(value: Any, col: Column) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_TEXT:
        return True
    if text in FALSE_TEXT:
        return False
    raise InputError(f"column '{col.name}' holds true/false: {value!r} is neither")


def _time(value: Any, col: Column) -> datetime:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return MJD_EPOCH + timedelta(days=float(value))
    try:
        return datetime.fromisoformat(str(value).strip().replace("Z", ""))
    except ValueError:
        raise InputError(
            f"column '{col.name}' holds dates: give ISO times (2022-07-01T00:00:00) or MJD numbers, not {value!r}"
        ) from None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip().lower()


def _text_ref(ref: str, col: Column) -> str:
    expr = f"lower(CAST({ref} AS VARCHAR))"
    if col.name in UNPADDED_TEXT:
        expr = f"ltrim({expr}, '0')"
    return expr


def _tokens(expr: str) -> str:
    return f"list_transform(string_split({expr}, ?), lambda x: trim(x))"


def _values_condition(ref: str, col: Column, f: Filter, params: list[Any]) -> str:
    kind = column_kind(col)
    if kind == "number":
        values = [_number(v, col) for v in f.values]
    elif kind == "boolean":
        values = [_boolean(v, col) for v in f.values]
    elif kind == "time":
        values = [_time(v, col) for v in f.values]
    else:
        texts = [_text(v) for v in f.values]
        if col.name in UNPADDED_TEXT:
            texts = [t.lstrip("0") for t in texts]
        expr = _text_ref(ref, col)
        params.extend(texts)
        whole = f"{expr} IN ({', '.join('?' * len(texts))})"
        if f.separator:
            params.extend([f.separator, texts])
            return f"({whole} OR list_has_any({_tokens(expr)}, ?::VARCHAR[]))"
        return whole
    params.extend(values)
    return f"{ref} IN ({', '.join('?' * len(values))})"


def _range_condition(ref: str, col: Column, r: Range, params: list[Any]) -> str:
    kind = column_kind(col)

    def convert(value: Any) -> Any:
        if kind == "number":
            return _number(value, col)
        if kind == "time":
            return _time(value, col)
        if kind == "boolean":
            raise InputError(f"column '{col.name}' holds true/false: give values, not a {{min, max}} range")
        return _text(value)

    target = ref if kind != "text" else f"lower(CAST({ref} AS VARCHAR))"
    parts = []
    if r.min is not None:
        params.append(convert(r.min))
        parts.append(f"{target} >= ?")
    if r.max is not None:
        params.append(convert(r.max))
        parts.append(f"{target} <= ?")
    if not parts:
        return "TRUE"
    return "(" + " AND ".join(parts) + ")"


def _pattern_condition(ref: str, col: Column, pattern: str, separator: str | None, params: list[Any]) -> str:
    like = pattern.replace("*", "%").strip().lower()
    expr = f"lower(CAST({ref} AS VARCHAR))"
    params.append(like)
    whole = f"{expr} LIKE ?"
    if not separator:
        return whole
    params.extend([separator, like])
    return f"({whole} OR list_bool_or(list_transform(string_split({expr}, ?), lambda x: trim(x) LIKE ?)))"


def filter_condition(ref: str, col: Column, f: Filter, params: list[Any]) -> str | None:
    """The SQL condition for ``f`` on the column written ``ref``; its values appended to ``params``.

    None when the filter constrains nothing.
    """
    exact = [v for v in f.values if not (isinstance(v, str) and ("*" in v or "%" in v))]
    patterns = [v for v in f.values if isinstance(v, str) and ("*" in v or "%" in v)]
    if f.free_text:
        patterns.append(f.free_text)
    parts: list[str] = []
    if exact:
        parts.append(_values_condition(ref, col, Filter(f.param, tuple(exact), separator=f.separator), params))
    for r in f.ranges:
        parts.append(_range_condition(ref, col, r, params))
    for pattern in patterns:
        parts.append(_pattern_condition(ref, col, pattern, f.separator, params))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"
