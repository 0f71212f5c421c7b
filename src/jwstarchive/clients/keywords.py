"""JWST SI keyword search: a plain dict of FITS keyword criteria -> ``Mast.Jwst.Filtered.<Instrument>``.

The MAST tutorial's helper functions as an API. In a criteria dict a list ORs its values, a tuple
``(min, max)``, a ``'min..max'`` string or a ``{'min':, 'max':}`` dict is a range, ISO dates in ranges
become MJD (and a range on ``date_obs`` is sent to its ``date_obs_mjd`` twin when that exists), Python
booleans become FITS logicals ``T``/``F``. Valid keyword names come from each service's columnsconfig.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from jwstarchive.clients.mast_filters import resolve_name, suggest
from jwstarchive.errors import InputError

if TYPE_CHECKING:
    from astropy.table import Table

__all__ = ["SI_INSTRUMENTS", "keyword_filters", "keyword_search", "si_service"]

SI_INSTRUMENTS = ("Nircam", "Niriss", "Nirspec", "Miri", "Fgs")
"""The instruments of ``Mast.Jwst.Filtered.<Instrument>``, as MAST spells the service suffix."""

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?$")


def si_service(instrument: str) -> str:
    """The SI keyword service of ``instrument`` (any case, e.g. ``'niriss'`` -> ``Mast.Jwst.Filtered.Niriss``)."""
    short = instrument.strip().split("/")[0]
    for name in SI_INSTRUMENTS:
        if name.lower() == short.lower():
            return f"Mast.Jwst.Filtered.{name}"
    raise InputError(
        f"Unknown instrument '{instrument}': use one of {', '.join(SI_INSTRUMENTS)}.{suggest(short, SI_INSTRUMENTS)}"
    )


def _to_number(name: str, value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if _ISO_DATE.match(text):
        from astropy.time import Time

        try:
            return float(Time(text.replace(" ", "T"), format="isot", scale="utc").mjd)
        except ValueError:
            pass
    try:
        return float(text)
    except ValueError:
        raise InputError(f"'{name}': {value!r} is neither a number nor an ISO date (YYYY-MM-DD[THH:MM:SS])") from None


def _as_range(name: str, value: Any) -> dict[str, float] | None:
    if isinstance(value, Mapping):
        if "min" in value and "max" in value:
            return {"min": _to_number(name, value["min"]), "max": _to_number(name, value["max"])}
        raise InputError(f"'{name}': a range dict needs both 'min' and 'max' (got {dict(value)!r})")
    if isinstance(value, tuple):
        if len(value) != 2:
            raise InputError(f"'{name}': a range tuple is (min, max) (got {len(value)} values)")
        return {"min": _to_number(name, value[0]), "max": _to_number(name, value[1])}
    if isinstance(value, str) and ".." in value:
        low, high = value.split("..", 1)
        return {"min": _to_number(name, low), "max": _to_number(name, high)}
    return None


def _discrete(value: Any) -> Any:
    if isinstance(value, bool):
        return "T" if value else "F"
    return value


def keyword_filters(criteria: Mapping[str, Any], keywords: Collection[str] | None = None) -> list[dict[str, Any]]:
    """MAST ``filters`` for SI keyword ``criteria``.

    Parameters
    ----------
    criteria
        Keyword -> value, list of values (OR), or range (tuple, ``'a..b'``, ``{'min':, 'max':}``);
        e.g. ``{'exp_type': ['NIS_SOSS'], 'date_obs_mjd': [('2022-06-01', '2022-08-04')]}``.
    keywords
        Valid keyword names (a service's columnsconfig); unknown names then raise ``InputError``
        naming the closest valid one. ``None`` checks only the values.

    Returns
    -------
    list of dict
        ``[{"paramName": ..., "values": [...]}, ...]``; range values are ``{"min", "max"}`` in MJD for dates.
    """
    if not isinstance(criteria, Mapping):
        raise InputError(f"SI keyword criteria must be a dict of keyword -> values (got {type(criteria).__name__})")
    filters = []
    for key, value in criteria.items():
        name = resolve_name(key, keywords, "SI keyword") if keywords is not None else key
        items = list(value) if isinstance(value, (list, set, frozenset)) else [value]
        if not items:
            raise InputError(f"'{key}' has no values: give at least one")
        values: list[Any] = []
        ranged = False
        for item in items:
            span = _as_range(name, item)
            if span is None:
                values.append(_discrete(item))
            else:
                values.append(span)
                ranged = True
        if ranged and keywords is not None and not name.endswith("_mjd"):
            twin = next((k for k in keywords if k.lower() == f"{name.lower()}_mjd"), None)
            if twin:
                name = twin
        filters.append({"paramName": name, "values": values})
    return filters


def keyword_search(
    criteria: Mapping[str, Any],
    instrument: str | Sequence[str] | None = None,
    columns: Sequence[str] | str | None = None,
    mast_url: str | None = None,
    token: str | None = None,
    *,
    pagesize: int | None = None,
) -> Table:
    """Files whose FITS keywords match ``criteria``, from one, several or (``None``) all five instruments.

    Parameters
    ----------
    criteria
        See `keyword_filters`.
    instrument
        ``'niriss'``, ``['nircam', 'niriss']`` or ``None`` for all. With ``None``, instruments whose
        tables lack one of the keywords are left out; a keyword no instrument has raises ``InputError``.
    columns
        Columns to return (default all).
    mast_url, token
        Server and MAST token (defaults: ``$JWSTARCHIVE_MAST_URL``, ``$MAST_API_TOKEN``).
    pagesize
        Rows per page (default 50000; later pages are fetched concurrently).

    Returns
    -------
    `~astropy.table.Table`
        One row per file, stacked over instruments.
    """
    from jwstarchive.clients.mast import MastClass

    mast = MastClass(mast_url=mast_url, token=token)
    try:
        return mast.keyword_search(criteria, instrument=instrument, columns=columns, pagesize=pagesize)
    finally:
        mast.close()


def instrument_services(instrument: str | Sequence[str] | None) -> list[str]:
    """Service names for ``instrument`` (``None`` = all five)."""
    if instrument is None:
        return [f"Mast.Jwst.Filtered.{name}" for name in SI_INSTRUMENTS]
    names = [instrument] if isinstance(instrument, str) else list(instrument)
    if not names:
        raise InputError("Give at least one instrument, or None for all five")
    return list(dict.fromkeys(si_service(n) for n in names))
