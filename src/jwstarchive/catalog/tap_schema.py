"""TAP_SCHEMA (TAP 1.1): its five tables, published like the rest, filled from the definitions.

Unlike the other published tables these are real tables (``table_type`` "table", no ``Column.sql``),
created and filled by :func:`ddl`. Hidden position columns are never listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jwstarchive.catalog.schema import integer, sql_type, text
from jwstarchive.catalog.tables import Table, adql_name

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["FOREIGN_KEYS", "ForeignKey", "ddl", "rows", "tables"]

SCHEMA_DESCRIPTIONS = {
    "jwst": "ESA JWST Science Archive: CAOM 2.4 observations, planes and artifacts, and flat views of them.",
    "ivoa": "IVOA data models: ObsCore 1.1.",
    "public": "Helper tables.",
    "mast": "MAST JWST tables: CAOM observations and products, and the SI keyword tables per instrument.",
    "tap_schema": "TAP 1.1 metadata: the schemas, tables, columns and keys of this service.",
}


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key between published tables: ``columns`` are (from_column, target_column) pairs."""

    key_id: str
    from_table: str
    target_table: str
    columns: tuple[tuple[str, str], ...]
    description: str = ""


FOREIGN_KEYS: tuple[ForeignKey, ...] = (
    ForeignKey(
        "main_observation",
        "jwst.main",
        "jwst.observation",
        (("obsid", "obsid"),),
        "plane row → its observation",
    ),
    ForeignKey("main_plane", "jwst.main", "jwst.plane", (("planeid", "planeid"),), "plane row → the plane"),
    ForeignKey("archive_plane", "jwst.archive", "jwst.plane", (("planeid", "planeid"),), "archive row → the plane"),
    ForeignKey(
        "plane_observation",
        "jwst.plane",
        "jwst.observation",
        (("obsid", "obsid"),),
        "plane → its observation",
    ),
    ForeignKey("artifact_plane", "jwst.artifact", "jwst.plane", (("planeid", "planeid"),), "artifact → its plane"),
    ForeignKey(
        "artifact_observation",
        "jwst.artifact",
        "jwst.observation",
        (("obsid", "obsid"),),
        "artifact → its observation",
    ),
    ForeignKey(
        "observationmember_parent",
        "jwst.observationmember",
        "jwst.observation",
        (("parentid", "obsid"),),
        "membership → the composite observation",
    ),
    ForeignKey(
        "observationmember_member",
        "jwst.observationmember",
        "jwst.observation",
        (("memberid", "observationuri"),),
        "membership → the member observation (by URI)",
    ),
    ForeignKey(
        "plane_inputs_output",
        "jwst.plane_inputs",
        "jwst.plane",
        (("outputid", "planeid"),),
        "input → the output plane",
    ),
    ForeignKey(
        "plane_inputs_input",
        "jwst.plane_inputs",
        "jwst.plane",
        (("inputid", "planeuri"),),
        "input → the input plane (by URI)",
    ),
    ForeignKey(
        "caom_product_observation",
        "mast.caom_product",
        "mast.caom_observation",
        (("obsID", "obsid"),),
        "product → its observation",
    ),
    ForeignKey(
        "tables_schemas",
        "tap_schema.tables",
        "tap_schema.schemas",
        (("schema_name", "schema_name"),),
        "table → its schema",
    ),
    ForeignKey(
        "columns_tables",
        "tap_schema.columns",
        "tap_schema.tables",
        (("table_name", "table_name"),),
        "column → its table",
    ),
    ForeignKey(
        "keys_from_table",
        "tap_schema.keys",
        "tap_schema.tables",
        (("from_table", "table_name"),),
        "key → from table",
    ),
    ForeignKey(
        "keys_target_table",
        "tap_schema.keys",
        "tap_schema.tables",
        (("target_table", "table_name"),),
        "key → target table",
    ),
    ForeignKey(
        "key_columns_keys",
        "tap_schema.key_columns",
        "tap_schema.keys",
        (("key_id", "key_id"),),
        "key column → its key",
    ),
)
"""Every foreign key TAP_SCHEMA declares."""


def _t(name: str, description: str, ucd: str = "meta.id", *, principal: bool = True) -> Any:
    return text(name, None, description, ucd=ucd, principal=principal, std=True)


def _i(name: str, description: str) -> Any:
    return integer(name, None, description, ucd="meta.number", principal=True, std=True)


def tables() -> tuple[Table, ...]:
    """The five TAP_SCHEMA tables (TAP 1.1 column sets)."""
    schemas = (
        _t("schema_name", "schema name, for reference"),
        _t("utype", "lists the utypes of schemas", "meta.id"),
        _t("description", "describes schemas", "meta.note"),
        _i("schema_index", "recommended sort order when listing schemas"),
    )
    tables_ = (
        _t("schema_name", "the schema name from TAP_SCHEMA.schemas"),
        _t("table_name", "the fully qualified table name"),
        _t("table_type", "one of: table, view", "meta.code"),
        _t("utype", "lists the utype of tables"),
        _t("description", "describes tables", "meta.note"),
        _i("table_index", "recommended sort order when listing tables"),
    )
    columns = (
        _t("table_name", "table name from TAP_SCHEMA.tables"),
        _t("column_name", "column name"),
        _t("utype", "lists the utypes of columns"),
        _t("ucd", "lists the UCDs of columns", "meta.ucd"),
        _t("unit", "lists the unit used for column values", "meta.unit"),
        _t("description", "describes the columns", "meta.note"),
        _t("datatype", "lists the VOTable datatype of columns", "meta.code"),
        _t("arraysize", "lists the VOTable arraysize of columns", "meta.code"),
        _t("xtype", "a DALI or custom extended type annotation", "meta.code"),
        _i("size", "deprecated: use arraysize"),
        _i("principal", "a principal column; 1 means true, 0 false"),
        _i("indexed", "an indexed column; 1 means true, 0 false"),
        _i("std", "a standard column; 1 means true, 0 false"),
        _i("column_index", "recommended sort order when listing columns"),
    )
    keys = (
        _t("key_id", "unique key identifier"),
        _t("from_table", "fully qualified table name"),
        _t("target_table", "fully qualified table name"),
        _t("utype", "lists the utype of keys"),
        _t("description", "describes keys", "meta.note"),
    )
    key_columns = (
        _t("key_id", "key identifier from TAP_SCHEMA.keys"),
        _t("from_column", "key column name in the from_table"),
        _t("target_column", "key column name in the target_table"),
    )
    spec = (
        ("schemas", "description of schemas in this tableset", schemas),
        ("tables", "description of tables in this tableset", tables_),
        ("columns", "description of columns in this tableset", columns),
        ("keys", "description of foreign keys in this tableset", keys),
        ("key_columns", "description of foreign key columns in this tableset", key_columns),
    )
    return tuple(Table("tap_schema", name, cols, description, table_type="table") for name, description, cols in spec)


def _flag(value: bool) -> int:
    return 1 if value else 0


def rows(published: Sequence[Table]) -> dict[str, list[dict[str, Any]]]:
    """The TAP_SCHEMA rows that describe ``published`` (which includes TAP_SCHEMA itself)."""
    by_name = {t.qualified: t for t in published}
    out: dict[str, list[dict[str, Any]]] = {
        "schemas": [],
        "tables": [],
        "columns": [],
        "keys": [],
        "key_columns": [],
    }
    schemas: dict[str, None] = {}
    for table in published:
        schemas.setdefault(table.schema, None)
    for index, schema in enumerate(schemas, start=1):
        out["schemas"].append(
            {
                "schema_name": schema,
                "utype": None,
                "description": SCHEMA_DESCRIPTIONS.get(schema, ""),
                "schema_index": index,
            }
        )
    for table_index, table in enumerate(published, start=1):
        out["tables"].append(
            {
                "schema_name": table.schema,
                "table_name": table.qualified,
                "table_type": table.table_type,
                "utype": table.utype,
                "description": table.description,
                "table_index": table_index,
            }
        )
        for column_index, col in enumerate(table.columns, start=1):
            size = int(col.arraysize) if col.arraysize and col.arraysize.isdigit() else None
            out["columns"].append(
                {
                    "table_name": table.qualified,
                    "column_name": adql_name(col.name),
                    "utype": col.utype,
                    "ucd": col.ucd,
                    "unit": col.unit,
                    "description": col.description,
                    "datatype": col.datatype,
                    "arraysize": col.arraysize,
                    "xtype": col.xtype,
                    "size": size,
                    "principal": _flag(col.principal),
                    "indexed": _flag(col.indexed),
                    "std": _flag(col.std),
                    "column_index": column_index,
                }
            )
    for key in FOREIGN_KEYS:
        source, target = by_name.get(key.from_table), by_name.get(key.target_table)
        if source is None or target is None:
            raise ValueError(f"foreign key {key.key_id}: unknown table")
        out["keys"].append(
            {
                "key_id": key.key_id,
                "from_table": key.from_table,
                "target_table": key.target_table,
                "utype": None,
                "description": key.description,
            }
        )
        for from_column, target_column in key.columns:
            if source.column(from_column) is None or target.column(target_column) is None:
                raise ValueError(f"foreign key {key.key_id}: unknown column {from_column} or {target_column}")
            out["key_columns"].append(
                {"key_id": key.key_id, "from_column": adql_name(from_column), "target_column": adql_name(target_column)}
            )
    return out


def ddl(published: Sequence[Table]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """``(sql, rows)`` statements that create the TAP_SCHEMA tables and insert their rows."""
    content = rows(published)
    statements: list[tuple[str, list[tuple[Any, ...]]]] = [('CREATE SCHEMA IF NOT EXISTS "tap_schema"', [])]
    for table in tables():
        names = [c.name for c in table.columns]
        cols = ", ".join(f'"{c.name}" {sql_type(c)}' for c in table.columns)
        statements.append((f"DROP TABLE IF EXISTS {table.sql_relation}", []))
        statements.append((f"CREATE TABLE {table.sql_relation} ({cols})", []))
        data = [tuple(row[n] for n in names) for row in content[table.name]]
        if data:
            quoted = ", ".join(f'"{n}"' for n in names)
            marks = ", ".join("?" for _ in names)
            statements.append((f"INSERT INTO {table.sql_relation} ({quoted}) VALUES ({marks})", data))
    return statements
