"""VOSI tables: the published tables as a VODataService 1.1 tableset.

Every ``<column>`` carries ESA TAP+'s ``esatapplus:flags`` attribute (astroquery reads it
unconditionally): 1 marks the main RA column, 2 the main Dec column, 0 anything else.
``detail=min`` (VOSI 1.1) and ``only_tables=true`` (ESA) leave the columns out;
``tables=schema.table`` (ESA) lists only the named tables.
"""

from __future__ import annotations

from collections.abc import Iterable

from jwstarchive.catalog.tables import Column, Table, TableCatalog
from jwstarchive.errors import InputError
from jwstarchive.server.vosi.xml import attr, text

__all__ = ["find_table", "render_table", "render_tableset"]

ESATAPPLUS_NS = "http://esa.int/xml/EsaTapPlus"
NAMESPACES = (
    'xmlns:vosi="http://www.ivoa.net/xml/VOSITables/v1.0" '
    'xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'xmlns:esatapplus="{ESATAPPLUS_NS}"'
)

SCHEMA_DESCRIPTIONS = {
    "jwst": "The JWST observation catalogue as the ESA eJWST archive publishes it (CAOM-derived).",
    "ivoa": "IVOA standard data models: ObsCore 1.1.",
    "mast": "The MAST CAOM observation and product tables and the JWST SI-keyword tables.",
    "tap_schema": "Metadata of this TAP service (TAP 1.1 TAP_SCHEMA).",
    "public": "Helper tables.",
}

RA_FLAG = 1
DEC_FLAG = 2


def _flags(table: Table, column: Column) -> int:
    position = table.position
    ucd = (column.ucd or "").lower()
    if position is not None:
        if column.key == position.ra.lower():
            return RA_FLAG
        if column.key == position.dec.lower():
            return DEC_FLAG
        return 0
    if ucd == "pos.eq.ra;meta.main":
        return RA_FLAG
    if ucd == "pos.eq.dec;meta.main":
        return DEC_FLAG
    return 0


def _column_xml(table: Table, column: Column) -> str:
    std = "true" if column.std else "false"
    parts = [f'<column std="{std}" esatapplus:flags="{_flags(table, column)}">']
    parts.append(f"<name>{text(column.name)}</name>")
    if column.description:
        parts.append(f"<description>{text(column.description)}</description>")
    if column.unit:
        parts.append(f"<unit>{text(column.unit)}</unit>")
    if column.ucd:
        parts.append(f"<ucd>{text(column.ucd)}</ucd>")
    if column.utype:
        parts.append(f"<utype>{text(column.utype)}</utype>")
    dtype_attrs = ""
    if column.arraysize:
        dtype_attrs += f' arraysize="{attr(column.arraysize)}"'
    if column.xtype:
        dtype_attrs += f' extendedType="{attr(column.xtype)}"'
    parts.append(f'<dataType xsi:type="vs:VOTableType"{dtype_attrs}>{text(column.datatype or "char")}</dataType>')
    if column.indexed:
        parts.append("<flag>indexed</flag>")
    if column.principal:
        parts.append("<flag>principal</flag>")
    parts.append("</column>")
    return "".join(parts)


def _table_xml(table: Table, *, columns: bool, element: str = "table", namespaces: str = "") -> str:
    head = f'<{element}{namespaces} type="{attr(table.table_type or "table")}" esatapplus:flags="0">'
    parts = [head, f"<name>{text(table.qualified)}</name>"]
    if table.description:
        parts.append(f"<description>{text(table.description)}</description>")
    if table.utype:
        parts.append(f"<utype>{text(table.utype)}</utype>")
    if columns:
        parts.extend(_column_xml(table, c) for c in table.columns)
    parts.append(f"</{element}>")
    return "\n".join(parts)


def render_tableset(tables: Iterable[Table], *, columns: bool = True) -> bytes:
    """A ``vosi:tableset`` listing ``tables`` grouped by schema, in the order given."""
    by_schema: dict[str, list[Table]] = {}
    for table in tables:
        by_schema.setdefault(table.schema, []).append(table)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', f"<vosi:tableset {NAMESPACES}>"]
    for schema, members in by_schema.items():
        parts.append('<schema esatapplus:public="true">')
        parts.append(f"<name>{text(schema)}</name>")
        description = SCHEMA_DESCRIPTIONS.get(schema.lower())
        if description:
            parts.append(f"<description>{text(description)}</description>")
        parts.extend(_table_xml(t, columns=columns) for t in members)
        parts.append("</schema>")
    parts.append("</vosi:tableset>\n")
    return "\n".join(parts).encode()


def render_table(table: Table) -> bytes:
    """A single ``vosi:table`` document (VOSI 1.1 ``/tables/<name>``)."""
    body = _table_xml(table, columns=True, element="vosi:table", namespaces=" " + NAMESPACES)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode()


def find_table(catalog: TableCatalog, qualified: str) -> Table:
    """The table named ``schema.table`` (or a unique bare name), case-insensitively.

    Raises
    ------
    InputError
        When no published table has that name.
    """
    name = qualified.strip()
    schema, dot, bare = name.rpartition(".")
    found = catalog.find(bare.strip('"'), schema.strip('"') if dot else None)
    if len(found) != 1:
        raise InputError(f"no published table is called {qualified!r}")
    return found[0]
