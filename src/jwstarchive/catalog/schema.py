"""Every published table, as a declarative view of the core model.

Each published table is one :class:`~jwstarchive.catalog.tables.Table` whose columns carry their
VOTable metadata and their SQL expression over the core tables (``Column.sql``), and whose
``from_sql`` is everything after ``FROM`` (joins, and a ``WHERE`` when the view keeps a subset).
The faces live in their own modules:

* ``schema_esa``: ``jwst.*``, ``ivoa.obscore``, ``public.dual`` (the ESA eJWST TAP+ service);
* ``schema_mast``: ``mast.caom_observation`` and ``mast.caom_product`` (the MAST CAOM tables);
* ``schema_si``: ``core.si_keywords`` (internal) and ``mast.si_<instrument>`` (SI keyword search);
* ``tap_schema``: ``tap_schema.*``, real tables filled from these definitions.

This module holds the column builders and SQL snippets they share, and the public API:
:func:`published_tables`, :func:`table_catalog`, :func:`view_ddl`, :func:`tap_schema_rows`,
:func:`tap_schema_ddl` and :func:`create_schema`.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from jwstarchive.catalog.tables import Column, Table, TableCatalog

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "HIDDEN_POSITION_COLUMNS",
    "create_schema",
    "internal_tables",
    "published_tables",
    "sql_type",
    "table_catalog",
    "tap_schema_ddl",
    "tap_schema_rows",
    "view_ddl",
]

HIDDEN_POSITION_COLUMNS = ("_healpix", "_x", "_y", "_z")
"""Hidden columns of ``core.caom_observation`` that index (s_ra, s_dec); selected by indexed views."""

# ---------------------------------------------------------------------------------------------
# SQL snippets shared by the faces (standard SQL that DuckDB and PostgreSQL both run)

NOW_UTC = "(now() AT TIME ZONE 'UTC')"
"""The current UTC time as a TIMESTAMP (evaluated when the view is queried)."""


def mjd(timestamp: str) -> str:
    """SQL: MJD (double) of a UTC TIMESTAMP expression."""
    return f"(EXTRACT(EPOCH FROM {timestamp}) / 86400.0 + 40587.0)"


def from_mjd(value: str) -> str:
    """SQL: UTC TIMESTAMP of an MJD expression."""
    return f"(to_timestamp(({value} - 40587.0) * 86400.0) AT TIME ZONE 'UTC')"


def is_public(release_date: str) -> str:
    """SQL: true when the release date has passed (a missing date counts as public)."""
    return f"({release_date} IS NULL OR {release_date} <= {NOW_UTC})"


def data_rights(release_date: str) -> str:
    """SQL: MAST ``dataRights``: PUBLIC or EXCLUSIVE_ACCESS."""
    return f"CASE WHEN {is_public(release_date)} THEN 'PUBLIC' ELSE 'EXCLUSIVE_ACCESS' END"


def unpadded(program_id: str) -> str:
    """SQL: a five-digit program id without its leading zeros ('01410' → '1410')."""
    return f"CAST(CAST({program_id} AS INTEGER) AS VARCHAR)"


def mast_uri(filename: str) -> str:
    """SQL: ``mast:JWST/product/<filename>``."""
    return f"('mast:JWST/product/' || {filename})"


def caom_uri(obs_id: str) -> str:
    """SQL: the CAOM observation URI ``caom:JWST/<obs_id>``."""
    return f"('caom:JWST/' || {obs_id})"


def logical(expr: str) -> str:
    """SQL: a FITS logical as MAST returns it, 't' / 'f' (NULL stays NULL)."""
    return f"CASE WHEN {expr} THEN 't' WHEN NOT {expr} THEN 'f' END"


def num_text(expr: str) -> str:
    """SQL: a number as text."""
    return f"CAST({expr} AS VARCHAR)"


# ---------------------------------------------------------------------------------------------
# column builders


def column(
    name: str,
    datatype: str,
    sql: str | None,
    description: str = "",
    *,
    arraysize: str | None = None,
    xtype: str | None = None,
    unit: str | None = None,
    ucd: str | None = None,
    utype: str | None = None,
    principal: bool = False,
    indexed: bool = False,
    std: bool = False,
) -> Column:
    """A published column; ``sql`` None means a real relation's own column."""
    return Column(
        name=name,
        datatype=datatype,
        arraysize=arraysize,
        xtype=xtype,
        unit=unit,
        ucd=ucd,
        utype=utype,
        description=description,
        principal=principal,
        indexed=indexed,
        std=std,
        sql=sql,
    )


def text(name: str, sql: str | None, description: str = "", **kw: Any) -> Column:
    """A variable-length string column (VOTable char, arraysize ``*``)."""
    kw.setdefault("arraysize", "*")
    return column(name, "char", sql, description, **kw)


def uuid(name: str, sql: str | None, description: str = "", **kw: Any) -> Column:
    """A UUID rendered as a 36-character string."""
    return column(name, "char", sql, description, arraysize="36", ucd=kw.pop("ucd", "meta.id"), **kw)


def double(name: str, sql: str | None, description: str = "", **kw: Any) -> Column:
    """A double column."""
    return column(name, "double", sql, description, **kw)


def integer(name: str, sql: str | None, description: str = "", **kw: Any) -> Column:
    """A 32-bit integer column."""
    return column(name, "int", sql, description, **kw)


def long(name: str, sql: str | None, description: str = "", **kw: Any) -> Column:
    """A 64-bit integer column."""
    return column(name, "long", sql, description, **kw)


def boolean(name: str, sql: str | None, description: str = "", **kw: Any) -> Column:
    """A boolean column."""
    return column(name, "boolean", sql, description, **kw)


def timestamp(name: str, sql: str | None, description: str = "", **kw: Any) -> Column:
    """A UTC timestamp (VOTable char, xtype timestamp; TIMESTAMP in the database)."""
    return column(name, "char", sql, description, arraysize="*", xtype="timestamp", **kw)


_SQL_TYPES = {
    "boolean": "BOOLEAN",
    "short": "SMALLINT",
    "int": "INTEGER",
    "long": "BIGINT",
    "float": "REAL",
    "double": "DOUBLE",
    "char": "VARCHAR",
    "unicodeChar": "VARCHAR",
}


def sql_type(col: Column) -> str:
    """The DuckDB type a column has in its view (and in TAP_SCHEMA's real tables)."""
    if col.xtype == "timestamp":
        return "TIMESTAMP"
    try:
        return _SQL_TYPES[col.datatype]
    except KeyError:
        raise ValueError(f"column {col.name}: no SQL type for VOTable datatype {col.datatype!r}") from None


# ---------------------------------------------------------------------------------------------
# the public API


@cache
def published_tables() -> tuple[Table, ...]:
    """Every published table: ESA, MAST, SI keywords, then TAP_SCHEMA (in TAP_SCHEMA order)."""
    from jwstarchive.catalog import schema_esa, schema_mast, schema_si, tap_schema

    tables = (*schema_esa.tables(), *schema_mast.tables(), *schema_si.tables(), *tap_schema.tables())
    TableCatalog(tables)  # refuses a table defined twice
    for table in tables:
        _check_table(table)
    return tables


@cache
def internal_tables() -> tuple[Table, ...]:
    """Views of the core schema that are not published (``core.si_keywords``)."""
    from jwstarchive.catalog import schema_si

    return (schema_si.si_keywords_table(),)


def table_catalog() -> TableCatalog:
    """The published tables as a :class:`TableCatalog` (what ADQL may see)."""
    return TableCatalog(published_tables())


def _check_table(table: Table) -> None:
    seen: set[str] = set()
    for col in table.columns:
        if col.key in seen:
            raise ValueError(f"{table.qualified}: column {col.name} defined twice")
        seen.add(col.key)
        sql_type(col)
    if table.position is not None:
        for name in (table.position.ra, table.position.dec):
            if table.column(name) is None:
                raise ValueError(f"{table.qualified}: position column {name} missing")


def view_sql(table: Table) -> str:
    """``SELECT … FROM …`` of one view, with the hidden position columns when it has them."""
    items = [f'CAST({col.sql} AS {sql_type(col)}) AS "{col.name}"' for col in table.columns]
    if table.position is not None:
        # every indexed view reads core.caom_observation under the alias ``co``
        pos = table.position
        source = table.extra.get("position_source", "co")
        items += [
            f'{source}."_healpix" AS "{pos.healpix}"',
            f'{source}."_x" AS "{pos.x}"',
            f'{source}."_y" AS "{pos.y}"',
            f'{source}."_z" AS "{pos.z}"',
        ]
    select = "SELECT\n  " + ",\n  ".join(items)
    if table.from_sql:
        select += f"\nFROM {table.from_sql}"
    return select


def _view_statements(tables: Iterable[Table]) -> list[str]:
    statements: list[str] = []
    schemas: dict[str, None] = {}
    # tables whose columns have no SQL are real relations (tap_schema.*), made elsewhere
    views = [t for t in tables if t.columns and all(c.sql is not None for c in t.columns)]
    for table in views:
        schemas.setdefault(table.schema, None)
    statements += [f'CREATE SCHEMA IF NOT EXISTS "{schema}"' for schema in schemas]
    statements += [f"CREATE OR REPLACE VIEW {t.sql_relation} AS\n{view_sql(t)}" for t in views]
    return statements


def view_ddl() -> list[str]:
    """DuckDB statements creating every view: the internal ones first, then the published ones.

    Run after :func:`jwstarchive.catalog.model.core_ddl` (the views read the core tables).
    """
    return _view_statements((*internal_tables(), *published_tables()))


def tap_schema_rows() -> dict[str, list[dict[str, Any]]]:
    """The rows of ``tap_schema.schemas``, ``tables``, ``columns``, ``keys`` and ``key_columns``."""
    from jwstarchive.catalog import tap_schema

    return tap_schema.rows(published_tables())


def tap_schema_ddl() -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Statements creating and filling the ``tap_schema`` tables.

    Each item is ``(sql, rows)``: run ``sql`` once when ``rows`` is empty, else once per row
    (``executemany``) with ``?`` parameters.
    """
    from jwstarchive.catalog import tap_schema

    return tap_schema.ddl(published_tables())


def create_schema(con: Any) -> None:
    """Create every view and the TAP_SCHEMA tables on a DB-API connection (DuckDB)."""
    for statement in view_ddl():
        con.execute(statement)
    for statement, rows in tap_schema_ddl():
        if rows:
            con.executemany(statement, rows)
        else:
            con.execute(statement)
