"""The MAST portal request ("MashupRequest") and its filters, parsed from what clients send.

A request is url-quoted JSON in the form field (or query parameter) ``request``: ``service``,
``params``, ``format``, ``pagesize``, ``page``, ``timeout`` and properties we accept and ignore
(``cacheBreaker``, ``clearcache`` …). Keys are matched without regard to case and unknown keys
are ignored, as MAST does (reference/mast_api.md §1.1). Filters are
``{"paramName", "values", "separator", "freeText"}`` objects; ``values`` holds exact values or
``{"min", "max"}`` ranges (a bare scalar or a bare range object is accepted too, as
``Mast.mast_query`` sends them).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from jwstarchive.errors import InputError

__all__ = ["DEFAULT_PAGESIZE", "MAX_PAGESIZE", "Filter", "MashupRequest", "Range", "parse_filters", "parse_request"]

DEFAULT_PAGESIZE = 1000
"""MAST's page size when the request names none."""

MAX_PAGESIZE = 1_000_000
"""The largest page we serve in one response."""

DEFAULT_WAIT = 20.0
"""Seconds to work on a request before answering EXECUTING (MAST's ``timeout`` default)."""


@dataclass(frozen=True)
class Range:
    """An inclusive ``{min, max}`` interval; either end may be open (None)."""

    min: Any
    max: Any


@dataclass(frozen=True)
class Filter:
    """One entry of ``params.filters``: exact values OR ranges OR a LIKE pattern, on one column."""

    param: str
    values: tuple[Any, ...] = ()
    ranges: tuple[Range, ...] = ()
    free_text: str | None = None
    separator: str | None = None

    @property
    def empty(self) -> bool:
        """True when the filter constrains nothing (no values, ranges or pattern)."""
        return not (self.values or self.ranges or self.free_text)


@dataclass(frozen=True)
class MashupRequest:
    """A parsed portal request."""

    service: str
    params: dict[str, Any]
    format: str = "json"
    pagesize: int = DEFAULT_PAGESIZE
    page: int = 1
    wait: float = DEFAULT_WAIT
    key: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def param(self, name: str, default: Any = None) -> Any:
        """A service parameter, its name matched without regard to case."""
        key = name.lower()
        for k, v in self.params.items():
            if k.lower() == key:
                return v
        return default


def _lower_keys(obj: dict[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in obj.items()}


def _positive_int(value: Any, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a positive whole number, not {value!r}") from None
    if number < 1:
        raise InputError(f"{name} must be a positive whole number, not {value!r}")
    return number


def parse_request(text: str | None) -> MashupRequest:
    """The request in ``text`` (the decoded ``request`` field); InputError says what is wrong."""
    if text is None or not text.strip():
        raise InputError("missing the 'request' parameter: send request=<url-quoted JSON MashupRequest>")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"the request is not valid JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(obj, dict):
        raise InputError("the request must be a JSON object with 'service' and 'params'")
    keys = _lower_keys(obj)
    service = keys.get("service")
    if not isinstance(service, str) or not service.strip():
        raise InputError("the request names no 'service' (e.g. \"service\": \"Mast.Caom.Cone\")")
    params = keys.get("params", {})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise InputError("'params' must be a JSON object")
    fmt = str(keys.get("format") or "json").lower()
    pagesize = min(_positive_int(keys.get("pagesize"), "pagesize", DEFAULT_PAGESIZE), MAX_PAGESIZE)
    page = _positive_int(keys.get("page"), "page", 1)
    wait = DEFAULT_WAIT
    if keys.get("timeout") not in (None, ""):
        try:
            wait = float(keys["timeout"])
        except (TypeError, ValueError):
            raise InputError(f"timeout must be a number of seconds, not {keys['timeout']!r}") from None
        if not math.isfinite(wait) or wait < 0:
            raise InputError(f"timeout must be a number of seconds >= 0, not {keys['timeout']!r}")
    known = {"service", "params", "format", "pagesize", "page", "timeout"}
    extra = {k: v for k, v in keys.items() if k not in known}
    return MashupRequest(
        service=service.strip(),
        params=params,
        format=fmt,
        pagesize=pagesize,
        page=page,
        wait=wait,
        key=json.dumps(obj, sort_keys=True, default=str),
        extra=extra,
    )


def _range(obj: dict[str, Any], param: str) -> Range:
    keys = _lower_keys(obj)
    if "min" not in keys and "max" not in keys:
        raise InputError(f"filter {param!r}: a range must be an object with 'min' and 'max', not {obj!r}")
    return Range(keys.get("min"), keys.get("max"))


def _filter(obj: Any) -> Filter:
    if not isinstance(obj, dict):
        raise InputError(f"each filter must be an object with 'paramName' and 'values', not {obj!r}")
    keys = _lower_keys(obj)
    param = keys.get("paramname")
    if not isinstance(param, str) or not param.strip():
        raise InputError(f"filter {obj!r} has no 'paramName'")
    raw = keys.get("values", [])
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raw = [raw]
    values: list[Any] = []
    ranges: list[Range] = []
    for value in raw:
        if isinstance(value, dict):
            ranges.append(_range(value, param))
        elif isinstance(value, list):
            raise InputError(f"filter {param!r}: values must be scalars or {{min, max}} objects, not a list")
        elif value is not None:
            values.append(value)
    free_text = keys.get("freetext")
    if free_text is not None and not isinstance(free_text, str):
        raise InputError(f"filter {param!r}: freeText must be a text pattern, not {free_text!r}")
    separator = keys.get("separator")
    if separator is not None and (not isinstance(separator, str) or len(separator) != 1):
        raise InputError(f"filter {param!r}: separator must be one character, not {separator!r}")
    return Filter(param.strip(), tuple(values), tuple(ranges), free_text or None, separator)


def parse_filters(raw: Any) -> list[Filter]:
    """``params.filters`` as Filter objects (None or [] → no filters)."""
    if raw is None:
        return []
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise InputError("'filters' must be a list of {paramName, values} objects")
    return [_filter(f) for f in raw]
