"""Criteria -> MAST portal filters, and the client-side product filter (astroquery.mast's rules).

``criteria_filters`` turns keyword criteria into the ``filters`` list of ``Mast.Caom.Filtered`` using
the service's columnsconfig: discrete columns OR their values (``*``/``%`` make a ``freeText``
pattern), continuous columns take a ``[min, max]`` pair. ``filter_products`` selects rows of a
product table: strings match case-insensitively, ``!`` negates, numbers take ``a..b``, ``>=x`` ...
Unknown names raise ``InputError`` naming the closest valid one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import numpy as np
from astropy.table import Table

from jwstarchive.errors import InputError

__all__ = ["criteria_filters", "filter_products", "resolve_name", "suggest"]

_CONTINUOUS = {"double", "float", "decimal", "numeric", "real"}
_NUMERIC_EXPR = re.compile(r"^\s*(!?)\s*(>=|<=|>|<)?\s*([^.<>=!][^<>=!]*?)\s*(?:\.\.\s*(\S+))?\s*$")


def suggest(name: str, valid: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the closest valid name, or an empty string."""
    choices = list(valid)
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f" Did you mean '{lowered[close[0]]}'?" if close else ""


def resolve_name(name: str, valid: Collection[str], what: str) -> str:
    """The valid spelling of ``name`` (case-insensitive); unknown -> InputError with a suggestion."""
    if name in valid:
        return name
    for candidate in valid:
        if candidate.lower() == name.lower():
            return candidate
    raise InputError(f"Unknown {what} '{name}'.{suggest(name, valid)}")


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        return list(value)
    return [value]


def _is_continuous(props: Mapping[str, Any]) -> bool:
    kind = str(props.get("vot.datatype") or props.get("type") or "").lower()
    return kind in _CONTINUOUS or bool(props.get("treatNumeric"))


def _range(name: str, value: Any) -> dict[str, float]:
    if isinstance(value, Mapping) and "min" in value and "max" in value:
        return {"min": value["min"], "max": value["max"]}
    if isinstance(value, str) and ".." in value:
        low, high = value.split("..", 1)
        try:
            return {"min": float(low), "max": float(high)}
        except ValueError:
            pass
    items = _as_list(value)
    if len(items) == 2 and all(isinstance(v, (int, float, np.number)) for v in items):
        return {"min": items[0], "max": items[1]}
    if len(items) == 1 and isinstance(items[0], (int, float, np.number)):
        return {"min": items[0], "max": items[0]}
    raise InputError(
        f"'{name}' is continuous: give a range as [min, max], 'min..max' or {{'min': a, 'max': b}} (got {value!r})"
    )


def criteria_filters(criteria: Mapping[str, Any], config: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """MAST ``filters`` for ``criteria``, checked against a service's columnsconfig."""
    filters: list[dict[str, Any]] = []
    for key, value in criteria.items():
        column = resolve_name(key, config, "criterion")
        props = config[column]
        if _is_continuous(props):
            filters.append({"paramName": column, "values": [_range(column, value)]})
            continue
        values: list[str] = []
        pattern = None
        for item in _as_list(value):
            text = _text_value(item)
            if "*" in text or "%" in text:
                if pattern is not None:
                    raise InputError(f"'{column}' takes one wildcard pattern at most (got {pattern!r} and {text!r})")
                pattern = text.replace("*", "%")
            else:
                values.append(text)
        entry: dict[str, Any] = {"paramName": column, "values": values}
        if props.get("separator"):
            entry["separator"] = props["separator"]
        if pattern is not None:
            entry["freeText"] = pattern
        filters.append(entry)
    return filters


def _text_value(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    return str(value)


# -- client-side product filtering -------------------------------------------------------------------


def _numeric_mask(column: np.ndarray, name: str, expression: Any) -> tuple[bool, np.ndarray]:
    """(negated, mask) for one numeric expression: ``5``, ``'1..3'``, ``'>=2'``, ``'!4'``."""
    if isinstance(expression, (int, float, np.number)) and not isinstance(expression, bool):
        return False, column == expression
    match = _NUMERIC_EXPR.match(str(expression))
    try:
        if match is None:
            raise ValueError
        negated, op, first, last = match.groups()
        low = float(first)
        if last is not None:
            if op:
                raise ValueError
            mask = (column >= low) & (column <= float(last))
        elif op == ">=":
            mask = column >= low
        elif op == ">":
            mask = column > low
        elif op == "<=":
            mask = column <= low
        elif op == "<":
            mask = column < low
        else:
            mask = column == low
    except ValueError:
        raise InputError(
            f"Could not read the numeric filter {expression!r} for '{name}': use a number, 'a..b', '>=x' or '<x'"
        ) from None
    return bool(negated), mask


def _string_mask(column: np.ndarray, expression: Any) -> tuple[bool, np.ndarray]:
    text = str(expression)
    negated = text.startswith("!")
    wanted = text[1:] if negated else text
    return negated, np.char.lower(column.astype(str)) == wanted.lower()


def filter_products(
    products: Table,
    *,
    mrp_only: bool = False,
    extension: str | Iterable[str] | None = None,
    **filters: Any,
) -> Table:
    """Rows of ``products`` that pass every filter (AND across columns, OR within one, ``!`` negates)."""
    keep = np.ones(len(products), dtype=bool)
    if mrp_only:
        keep &= _filled(products["productGroupDescription"]) == "Minimum Recommended Products"
    if extension:
        suffixes = tuple(e.lower() for e in ([extension] if isinstance(extension, str) else extension))
        names = np.char.lower(_filled(products["productFilename"]).astype(str))
        keep &= np.array([n.endswith(suffixes) and n != "" for n in names], dtype=bool)
    for key, value in filters.items():
        name = resolve_name(key, products.colnames, "product column")
        column = products[name]
        numeric = column.dtype.kind in "iuf"
        data = _filled(column)
        anyof = np.zeros(len(products), dtype=bool)
        positives = 0
        for expression in _as_list(value):
            if numeric:
                negated, mask = _numeric_mask(data, name, expression)
            else:
                negated, mask = _string_mask(data, expression)
            if hasattr(column, "mask"):
                mask = mask & ~np.ma.getmaskarray(column)
            if negated:
                keep &= ~mask
            else:
                anyof |= mask
                positives += 1
        if positives:
            keep &= anyof
    return products[keep]


def _filled(column: Any) -> np.ndarray:
    if hasattr(column, "filled"):
        kind = column.dtype.kind
        fill: Any = "" if kind in "US" else (np.nan if kind == "f" else 0)
        return np.asarray(column.filled(fill))
    return np.asarray(column)
