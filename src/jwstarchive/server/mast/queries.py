"""The SQL behind the portal services: one statement per request page, values always bound.

* :func:`select_filtered` answers ``Mast.Caom.Cone`` / ``Filtered`` / ``Filtered.Position`` and
  ``Mast.Jwst.Filtered.*`` over a published view (``mast.caom_observation``, ``mast.si_*``):
  chosen columns (or ``COUNT_BIG(*)``), filters, an optional cone (with ``distance`` in arcsec),
  one page, and the number of matching rows in the same statement (a window count).
* :func:`select_products` answers ``Mast.Caom.Products`` for many obsids at once. Each requested
  obsid lists its own files, its members' files when it is a combined (level-3) observation,
  and the guide-star files of every visit it covers (the catalog attaches those to one
  observation per visit); ``parent_obsid`` is the requested obsid. :func:`select_all_products`
  is the same statement without paging, for the in-memory product lists (``product_cache.py``).

Timestamps leave the database as MAST's ``/Date(<ms>)/`` text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jwstarchive.catalog.schema import double
from jwstarchive.catalog.tables import Column, Table

if TYPE_CHECKING:
    import pyarrow as pa

    from jwstarchive.catalog.store import Store

__all__ = [
    "DISTANCE",
    "RELEASE_COLUMN",
    "ROWS_COLUMN",
    "Cone",
    "Page",
    "count_filtered",
    "observations_of_program",
    "program_obsids",
    "select_all_products",
    "select_filtered",
    "select_products",
]

ROWS_COLUMN = "_rows_filtered"
"""The window count every page query adds (removed before the rows are written)."""

DISTANCE = double("distance", None, "separation from the search position", unit="arcsec", ucd="pos.angDistance")
"""The column cone searches add."""


@dataclass(frozen=True)
class Cone:
    """A search circle: centre (deg, ICRS) and radius (deg)."""

    ra: float
    dec: float
    radius: float


@dataclass(frozen=True)
class Page:
    """One page of a result: 1-based ``number`` of ``size`` rows."""

    number: int
    size: int

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.number - 1) * self.size


def quoted(name: str) -> str:
    """``name`` as a delimited SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def output_expr(col: Column, ref: str) -> str:
    """How ``col`` (written ``ref``) leaves the database: timestamps as ``/Date(ms)/`` text."""
    if col.xtype == "timestamp":
        return f"('/Date(' || CAST(epoch_ms({ref}) AS VARCHAR) || ')/')"
    return ref


def _source(table: Table, cone: Cone | None, params: list[Any]) -> str:
    relation = table.sql_relation
    if cone is None:
        return f"{relation} t"
    pos = table.position
    ra, dec = (pos.ra, pos.dec) if pos else ("s_ra", "s_dec")
    ra_ref, dec_ref = f"t.{quoted(ra)}", f"t.{quoted(dec)}"
    distance = (
        "degrees(2 * asin(least(1.0, sqrt("
        f"pow(sin(radians({dec_ref} - ?) / 2), 2) + "
        f"cos(radians({dec_ref})) * cos(radians(?)) * pow(sin(radians({ra_ref} - ?) / 2), 2)"
        ")))) * 3600.0"
    )
    params.extend([cone.dec, cone.dec, cone.ra, max(cone.dec - cone.radius, -90.0), min(cone.dec + cone.radius, 90.0)])
    return (
        f"(SELECT t.*, {distance} AS distance FROM {relation} t WHERE {dec_ref} BETWEEN ? AND ?) t "
        "WHERE t.distance <= ?"
    )


def _body(table: Table, conditions: list[str], condition_params: list[Any], cone: Cone | None) -> tuple[str, list[Any]]:
    params: list[Any] = []
    source = _source(table, cone, params)
    if cone is not None:
        params.append(cone.radius * 3600.0)
        body = source + "".join(f" AND {c}" for c in conditions)
    else:
        body = source + (" WHERE " + " AND ".join(conditions) if conditions else "")
    return body, params + condition_params


def select_filtered(
    store: Store,
    table: Table,
    columns: list[Column],
    conditions: list[str],
    condition_params: list[Any],
    *,
    cone: Cone | None,
    order: list[str],
    page: Page,
) -> pa.Table:
    """One page of ``columns`` of ``table`` rows meeting every condition, plus :data:`ROWS_COLUMN`."""
    body, params = _body(table, conditions, condition_params, cone)
    select = ", ".join(f"{output_expr(c, 't.' + quoted(c.name))} AS {quoted(c.name)}" for c in columns)
    sql = (
        f"SELECT {select}, count(*) OVER () AS {ROWS_COLUMN} FROM {body} "
        f"ORDER BY {', '.join(order)} LIMIT {int(page.size)} OFFSET {int(page.offset)}"
    )
    return store.fetch(sql, params)


def count_filtered(
    store: Store, table: Table, conditions: list[str], condition_params: list[Any], *, cone: Cone | None
) -> int:
    """How many rows of ``table`` meet every condition (within ``cone``)."""
    body, params = _body(table, conditions, condition_params, cone)
    result = store.fetch(f"SELECT count(*) AS n FROM {body}", params)
    return int(result.column(0)[0].as_py())


PRODUCTS_SQL = """WITH req AS (
  SELECT unnest(?::BIGINT[]) AS parent, generate_subscripts(?::BIGINT[], 1) AS pos
), owners AS (
  SELECT parent, pos, parent AS owner FROM req
  UNION
  SELECT req.parent, req.pos, m.member_obsid FROM core.caom_member m JOIN req ON m.parent_obsid = req.parent
), visits AS (
  SELECT DISTINCT o.parent, o.pos, c.visit_id
  FROM owners o JOIN core.caom_observation c ON c.obsid = o.owner
  WHERE c.visit_id IS NOT NULL
), expanded AS (
  SELECT o.parent AS _parent, o.pos AS _pos, p.*
  FROM owners o JOIN core.product p ON p.obsid = o.owner
  WHERE NOT COALESCE(p.is_guide_star, FALSE)
  UNION ALL
  SELECT v.parent, v.pos, p.*
  FROM visits v JOIN core.product p ON p.visit_id = v.visit_id AND p.is_guide_star
)
SELECT {select}
FROM expanded pr JOIN core.caom_observation co ON co.obsid = pr.obsid
ORDER BY pr._pos, pr.filename{limit}"""

RELEASE_COLUMN = "_release_date"
"""The extra column :func:`select_all_products` adds: each row's release date (``dataRights`` follows it)."""


def _product_exprs(table: Table) -> list[str]:
    exprs = []
    for col in table.columns:
        sql = "pr._parent" if col.name == "parent_obsid" else col.sql
        exprs.append(f"{output_expr(col, f'({sql})')} AS {quoted(col.name)}")
    return exprs


def select_products(store: Store, table: Table, obsids: list[int], page: Page) -> pa.Table:
    """One page of the products of ``obsids`` (in request order), plus :data:`ROWS_COLUMN`."""
    select = ", ".join([*_product_exprs(table), f"count(*) OVER () AS {ROWS_COLUMN}"])
    limit = f"\nLIMIT {int(page.size)} OFFSET {int(page.offset)}"
    return store.fetch(PRODUCTS_SQL.format(select=select, limit=limit), [obsids, obsids])


def select_all_products(store: Store, table: Table, obsids: list[int]) -> pa.Table:
    """Every product row of ``obsids`` (in request order) with :data:`RELEASE_COLUMN`, no window count."""
    select = ", ".join([*_product_exprs(table), f"pr.release_date AS {RELEASE_COLUMN}"])
    return store.fetch(PRODUCTS_SQL.format(select=select, limit=""), [obsids, obsids])


def program_obsids(store: Store, obsids: list[int]) -> dict[int, str]:
    """The program of each of ``obsids`` that is an observation of the catalog."""
    rows = store.fetch(
        "SELECT obsid, program_id FROM core.caom_observation WHERE obsid IN (SELECT unnest(?::BIGINT[]))", [obsids]
    )
    return dict(zip(rows.column(0).to_pylist(), rows.column(1).to_pylist(), strict=True))


def observations_of_program(store: Store, program_id: str) -> list[int]:
    """Every obsid of ``program_id``, in obsid order."""
    rows = store.fetch("SELECT obsid FROM core.caom_observation WHERE program_id = ? ORDER BY obsid", [program_id])
    return [int(v) for v in rows.column(0).to_pylist()]
