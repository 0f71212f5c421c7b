"""The portal services, by name: what each one reads from a request and which rows it returns.

:data:`SERVICES` is built from one explicit list; names are matched without regard to case and a
duplicate name is an error. Each service runs blocking (the caller puts it on a worker thread)
and returns the finished JSON document; bad input raises :class:`~jwstarchive.errors.InputError`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jwstarchive.catalog.schema_si import INSTRUMENT_TABLES
from jwstarchive.errors import InputError
from jwstarchive.server.mast.columnsconfig import SEPARATED_COLUMNS, columns_config
from jwstarchive.server.mast.conditions import filter_condition, resolve_column
from jwstarchive.server.mast.names import lookup_document
from jwstarchive.server.mast.product_cache import product_cache
from jwstarchive.server.mast.queries import (
    DISTANCE,
    ROWS_COLUMN,
    Cone,
    Page,
    count_filtered,
    quoted,
    select_filtered,
    select_products,
)
from jwstarchive.server.mast.request import Filter, MashupRequest, parse_filters
from jwstarchive.server.mast.results import PortalResult, count_document, render_result

if TYPE_CHECKING:
    import pyarrow as pa

    from jwstarchive.catalog.store import Store
    from jwstarchive.catalog.tables import Column, Table

__all__ = ["SERVICES", "PortalService", "find_service"]

OBSERVATIONS = ("mast", "caom_observation")
PRODUCTS = ("mast", "caom_product")
DEFAULT_RADIUS = 0.2
MAX_RADIUS = 180.0
MAX_OBSIDS = 100_000
COUNT = re.compile(r"^\s*count(_big)?\s*\(\s*\*\s*\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PortalService:
    """One portal service: its name, how it runs, and the columns its columnsconfig describes."""

    name: str
    run: Callable[[Store, MashupRequest], bytes]
    table: tuple[str, str] | None = None
    position: bool = False
    separated: frozenset[str] = frozenset()

    def config(self, store: Store) -> dict[str, Any]:
        """The columnsconfig document of this service."""
        if self.table is None:
            return {}
        columns = list(_table(store, self.table).columns)
        if self.position:
            columns.append(DISTANCE)
        return columns_config(columns, separated=self.separated)


def _table(store: Store, name: tuple[str, str]) -> Table:
    found = store.catalog.find(name[1], name[0])
    if not found:
        raise InputError(f"this archive has no table {name[0]}.{name[1]}")
    return found[0]


def _number(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number in degrees, not {value!r}") from None
    if not math.isfinite(number):
        raise InputError(f"{what} must be a finite number of degrees, not {value!r}")
    return number


def _cone(ra: Any, dec: Any, radius: Any) -> Cone:
    cone = Cone(_number(ra, "ra"), _number(dec, "dec"), _number(radius, "radius"))
    if not -90.0 <= cone.dec <= 90.0:
        raise InputError(f"dec must be between -90 and 90 degrees, not {cone.dec:g}")
    if not 0.0 < cone.radius <= MAX_RADIUS:
        raise InputError(f"radius must be between 0 and {MAX_RADIUS:g} degrees, not {cone.radius:g}")
    return Cone(cone.ra % 360.0, cone.dec, cone.radius)


def _position(text: Any) -> Cone:
    if not isinstance(text, str):
        raise InputError(f"position must be text '<ra>, <dec>, <radius>' in degrees, not {text!r}")
    parts = [p for p in re.split(r"[,\s]+", text.strip()) if p]
    if len(parts) not in (2, 3):
        raise InputError(f"position must be '<ra>, <dec>, <radius>' in degrees, not {text!r}")
    try:
        return _cone(parts[0], parts[1], parts[2] if len(parts) == 3 else DEFAULT_RADIUS)
    except InputError as exc:
        raise InputError(f"position {text!r}: {exc.message}") from None


def _columns(spec: Any, table: Table, service: str, extra: dict[str, Column]) -> list[Column] | None:
    """The columns asked for (None for ``COUNT_BIG(*)``)."""
    if spec is None or (isinstance(spec, str) and spec.strip() in ("", "*")):
        return [*table.columns, *extra.values()]
    if isinstance(spec, str) and COUNT.match(spec):
        return None
    names = spec if isinstance(spec, list) else str(spec).split(",")
    columns: list[Column] = []
    for name in names:
        name = str(name).strip()
        if name == "*":
            columns.extend(c for c in [*table.columns, *extra.values()] if c not in columns)
        elif name:
            col = resolve_column(table, name, service, extra)
            if col not in columns:
                columns.append(col)
    if not columns:
        raise InputError(f"'columns' names no column of {service}: give '*', 'col1,col2' or 'COUNT_BIG(*)'")
    return columns


def _conditions(
    filters: list[Filter], table: Table, service: str, extra: dict[str, Column], separated: frozenset[str]
) -> tuple[list[str], list[Any]]:
    conditions: list[str] = []
    params: list[Any] = []
    for f in filters:
        col = resolve_column(table, f.param, service, extra)
        if f.separator is None and col.name in separated:
            f = Filter(f.param, f.values, f.ranges, f.free_text, ";")
        ref = "t.distance" if col is DISTANCE else f"t.{quoted(col.name)}"
        condition = filter_condition(ref, col, f, params)
        if condition is not None:
            conditions.append(condition)
    return conditions, params


def _rows_filtered(req: MashupRequest, rows: pa.Table, count: Callable[[], int]) -> int:
    if rows.num_rows:
        return int(rows.column(ROWS_COLUMN)[0].as_py())
    return count() if req.page > 1 else 0


def _page_document(req: MashupRequest, columns: list[Column], rows: pa.Table, count: Callable[[], int]) -> bytes:
    filtered = _rows_filtered(req, rows, count)
    rows = rows.drop_columns([ROWS_COLUMN])
    return render_result(PortalResult(columns, rows, filtered, req.page, req.pagesize))


def _filtered(
    table_name: tuple[str, str],
    *,
    position: str | None = None,
    order: tuple[str, ...],
    separated: frozenset[str] = frozenset(),
) -> Callable[[Store, MashupRequest], bytes]:
    """A handler for a filtered table service; ``position`` is None, ``cone`` or ``position``."""

    def run(store: Store, req: MashupRequest) -> bytes:
        table = _table(store, table_name)
        cone: Cone | None = None
        if position == "cone":
            radius = req.param("radius", DEFAULT_RADIUS)
            cone = _cone(req.param("ra"), req.param("dec"), DEFAULT_RADIUS if radius in (None, "") else radius)
        elif position == "position":
            if req.param("position") in (None, ""):
                raise InputError(f"{req.service} needs params.position '<ra>, <dec>, <radius>' in degrees")
            cone = _position(req.param("position"))
        extra = {"distance": DISTANCE} if cone is not None else {}
        columns = _columns(req.param("columns"), table, req.service, extra)
        filters = parse_filters(req.param("filters"))
        conditions, params = _conditions(filters, table, req.service, extra, separated)
        if columns is None:
            return count_document(count_filtered(store, table, conditions, params, cone=cone))
        order_sql = (["t.distance"] if cone is not None else []) + [f"t.{quoted(c)}" for c in order]
        page = Page(req.page, req.pagesize)
        rows = select_filtered(store, table, columns, conditions, params, cone=cone, order=order_sql, page=page)
        return _page_document(req, columns, rows, lambda: count_filtered(store, table, conditions, params, cone=cone))

    return run


def _obsids(value: Any) -> list[int]:
    items = value if isinstance(value, list) else str(value if value is not None else "").split(",")
    obsids: list[int] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not text.isdigit():
            raise InputError(
                f"obsid {text!r} is not a MAST obsid: give the numeric 'obsid' column of the observations "
                "(not obs_id), comma-separated"
            )
        obsids.append(int(text))
    if not obsids:
        raise InputError("params.obsid is empty: give one or more obsids, comma-separated")
    if len(obsids) > MAX_OBSIDS:
        raise InputError(f"too many obsids ({len(obsids)}): ask for at most {MAX_OBSIDS} per request")
    return list(dict.fromkeys(obsids))


def _products(store: Store, req: MashupRequest) -> bytes:
    table = _table(store, PRODUCTS)
    obsids = _obsids(req.param("obsid"))
    page = Page(req.page, req.pagesize)
    kept = product_cache(store).products(store, table, obsids)
    if kept is not None:
        rows = kept.slice(page.offset, page.size)
        return render_result(PortalResult(list(table.columns), rows, kept.num_rows, req.page, req.pagesize))
    rows = select_products(store, table, obsids, page)

    def count() -> int:
        whole = select_products(store, table, obsids, Page(1, 1))
        return int(whole.column(ROWS_COLUMN)[0].as_py()) if whole.num_rows else 0

    return _page_document(req, list(table.columns), rows, count)


def _name_lookup(store: Store, req: MashupRequest) -> bytes:
    name = req.param("input")
    if not isinstance(name, str) or not name.strip():
        raise InputError("Mast.Name.Lookup needs params.input, the name to resolve")
    return json.dumps(lookup_document(name)).encode()


#: Columns of the observation table whose value histograms ``Mast.Caom.All`` reports.
FACETS = ("obs_collection", "intentType", "dataproduct_type", "instrument_name", "calib_level")


def _caom_all(store: Store, req: MashupRequest) -> bytes:
    """``Mast.Caom.All`` (``format: extjs``): a histogram of values per facet column, no rows.

    astroquery's ``list_missions`` reads the ``histObj`` keys of the ``obs_collection`` column.
    """
    columns = []
    for name in FACETS:
        table = store.fetch(
            f'SELECT CAST("{name}" AS VARCHAR) AS key, count(*) AS n FROM mast.caom_observation '
            "WHERE key IS NOT NULL GROUP BY key ORDER BY key"
        )
        hist = [{"count": row["n"], "key": row["key"]} for row in table.to_pylist()]
        histogram = {"hist": hist, **{h["key"]: h for h in hist}}
        columns.append({"text": name, "dataIndex": name, "ExtendedProperties": {"histObj": histogram}})
    total = sum(h["count"] for h in columns[0]["ExtendedProperties"]["histObj"]["hist"])
    paging = {"page": 1, "pageSize": 0, "pagesFiltered": 0, "rows": 0, "rowsFiltered": 0, "rowsTotal": total}
    table = {
        "name": "Table",
        "ExtendedProperties": {"Paging": paging},
        "Columns": columns,
        "Fields": [{"name": name, "type": "string"} for name in FACETS],
        "Rows": [],
    }
    document = {"status": "COMPLETE", "msg": "", "data": {"name": "NewDataSet", "Tables": [table]}}
    return json.dumps(document).encode()


def _si_services() -> list[PortalService]:
    services = []
    for table_name, service, _extra in INSTRUMENT_TABLES.values():
        run = _filtered(("mast", table_name), order=("ArchiveFileID", "filename"))
        services.append(PortalService(service, run, table=("mast", table_name)))
    return services


def _build() -> dict[str, PortalService]:
    services = [
        PortalService(
            "Mast.Caom.Cone",
            _filtered(OBSERVATIONS, position="cone", order=("obsid",), separated=SEPARATED_COLUMNS),
            table=OBSERVATIONS,
            position=True,
            separated=SEPARATED_COLUMNS,
        ),
        PortalService(
            "Mast.Caom.Filtered",
            _filtered(OBSERVATIONS, order=("obsid",), separated=SEPARATED_COLUMNS),
            table=OBSERVATIONS,
            separated=SEPARATED_COLUMNS,
        ),
        PortalService(
            "Mast.Caom.Filtered.Position",
            _filtered(OBSERVATIONS, position="position", order=("obsid",), separated=SEPARATED_COLUMNS),
            table=OBSERVATIONS,
            position=True,
            separated=SEPARATED_COLUMNS,
        ),
        PortalService("Mast.Caom.Products", _products, table=PRODUCTS),
        PortalService("Mast.Name.Lookup", _name_lookup),
        PortalService("Mast.Caom.All", _caom_all),
        *_si_services(),
    ]
    registry: dict[str, PortalService] = {}
    for service in services:
        key = service.name.lower()
        if key in registry:
            raise ValueError(f"portal service {service.name} is registered twice")
        registry[key] = service
    return registry


SERVICES: dict[str, PortalService] = _build()
"""Every portal service, keyed by its lower-cased name."""


def find_service(name: str) -> PortalService:
    """The service called ``name`` (any case), else InputError listing the services."""
    service = SERVICES.get(name.strip().lower())
    if service is None:
        known = ", ".join(s.name for s in SERVICES.values())
        raise InputError(f"unknown service '{name}': this archive offers {known}")
    return service
