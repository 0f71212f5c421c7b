"""VOSI tables: the published tables as a VODataService 1.1 tableset.

Every ``<column>`` carries ESA TAP+'s ``esatapplus:flags`` attribute (astroquery reads it
unconditionally): 1 marks the main RA column, 2 the main Dec column, 0 anything else. The
extension attributes are declared by a small XSD the server publishes (:data:`ESATAPPLUS_XSD`,
referenced with ``xsi:schemaLocation``), so schema validators accept them.
``detail=min`` (VOSI 1.1) and ``only_tables=true`` (ESA) leave the columns out;
``tables=schema.table`` (ESA) lists only the named tables. User schemas (``user_<name>``) are
marked ``esatapplus:public="false"``; a table's ``extra`` may carry stored column flags
(``flags.<column>``) and its ``size``/``size_bytes``.

Column names that are ADQL reserved words (``public``) or not regular identifiers are listed
delimited (``"public"``), as TAP 1.1 asks and as the ESA service does.
"""

from __future__ import annotations

from collections.abc import Iterable

from jwstarchive.catalog.tables import Column, Table, TableCatalog, adql_name
from jwstarchive.errors import InputError
from jwstarchive.server.vosi.xml import attr, text

__all__ = ["ESATAPPLUS_XSD", "adql_name", "find_table", "render_table", "render_tableset"]

ESATAPPLUS_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://esa.int/xml/EsaTapPlus"
           elementFormDefault="unqualified" attributeFormDefault="qualified">
  <xs:annotation><xs:documentation>
    Attributes ESA TAP+ services add to VODataService tablesets (as astroquery reads them).
  </xs:documentation></xs:annotation>
  <xs:attribute name="flags" type="xs:integer"/>
  <xs:attribute name="public" type="xs:boolean"/>
  <xs:attribute name="size" type="xs:long"/>
  <xs:attribute name="size_bytes" type="xs:long"/>
  <xs:attribute name="hierarchy" type="xs:string"/>
  <xs:attribute name="ref" type="xs:string"/>
</xs:schema>
"""

ESATAPPLUS_NS = "http://esa.int/xml/EsaTapPlus"


def _namespaces(xsd_url: str | None) -> str:
    namespaces = (
        'xmlns:vosi="http://www.ivoa.net/xml/VOSITables/v1.0" '
        'xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xmlns:esatapplus="{ESATAPPLUS_NS}"'
    )
    if xsd_url:
        namespaces += f' xsi:schemaLocation="{ESATAPPLUS_NS} {attr(xsd_url)}"'
    return namespaces


def _schema_descriptions() -> dict[str, str]:
    try:
        from jwstarchive.catalog.tap_schema import SCHEMA_DESCRIPTIONS
    except ImportError:  # pragma: no cover
        return {}
    return dict(SCHEMA_DESCRIPTIONS)


def _foreign_keys() -> list[tuple[str, str, tuple[tuple[str, str], ...], str]]:
    try:
        from jwstarchive.catalog.tap_schema import FOREIGN_KEYS
    except ImportError:  # pragma: no cover
        return []
    return [(k.from_table, k.target_table, k.columns, k.description) for k in FOREIGN_KEYS]


RA_FLAG = 1
DEC_FLAG = 2


def _flags(table: Table, column: Column) -> int:
    stored = table.extra.get(f"flags.{column.name}")
    if stored is not None:
        return int(stored)
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
    parts.append(f"<name>{text(adql_name(column.name))}</name>")
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
    if column.principal:
        parts.append("<flag>principal</flag>")
    if column.indexed:  # last: astroquery keeps only the last <flag>
        parts.append("<flag>indexed</flag>")
    parts.append("</column>")
    return "".join(parts)


def _foreign_key_xml(target: str, columns: tuple[tuple[str, str], ...], description: str) -> str:
    parts = ["<foreignKey>", f"<targetTable>{text(target)}</targetTable>"]
    for from_column, target_column in columns:
        parts.append(
            f"<fkColumn><fromColumn>{text(adql_name(from_column))}</fromColumn>"
            f"<targetColumn>{text(adql_name(target_column))}</targetColumn></fkColumn>"
        )
    if description:
        parts.append(f"<description>{text(description)}</description>")
    parts.append("</foreignKey>")
    return "".join(parts)


def _table_xml(table: Table, *, columns: bool, element: str = "table", namespaces: str = "") -> str:
    size = "".join(
        f' esatapplus:{key}="{attr(table.extra[key])}"' for key in ("size", "size_bytes") if key in table.extra
    )
    head = f'<{element}{namespaces} type="{attr(table.table_type or "table")}"{size} esatapplus:flags="0">'
    parts = [head, f"<name>{text(table.qualified)}</name>"]
    if table.description:
        parts.append(f"<description>{text(table.description)}</description>")
    if table.utype:
        parts.append(f"<utype>{text(table.utype)}</utype>")
    if columns:
        parts.extend(_column_xml(table, c) for c in table.columns)
        for from_table, target, fk_columns, description in _foreign_keys():
            if from_table.lower() == table.qualified.lower():
                parts.append(_foreign_key_xml(target, fk_columns, description))
    parts.append(f"</{element}>")
    return "\n".join(parts)


def render_tableset(tables: Iterable[Table], *, columns: bool = True, xsd_url: str | None = None) -> bytes:
    """A ``vosi:tableset`` listing ``tables`` grouped by schema, in the order given.

    ``xsd_url`` is where the server publishes :data:`ESATAPPLUS_XSD`.
    """
    by_schema: dict[str, list[Table]] = {}
    for table in tables:
        by_schema.setdefault(table.schema, []).append(table)
    descriptions = _schema_descriptions()
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', f"<vosi:tableset {_namespaces(xsd_url)}>"]
    for schema, members in by_schema.items():
        public = "false" if schema.lower().startswith("user_") else "true"
        parts.append(f'<schema esatapplus:public="{public}">')
        parts.append(f"<name>{text(schema)}</name>")
        description = descriptions.get(schema) or descriptions.get(schema.lower())
        if description:
            parts.append(f"<description>{text(description)}</description>")
        parts.extend(_table_xml(t, columns=columns) for t in members)
        parts.append("</schema>")
    parts.append("</vosi:tableset>\n")
    return "\n".join(parts).encode()


def render_table(table: Table, xsd_url: str | None = None) -> bytes:
    """A single ``vosi:table`` document (VOSI 1.1 ``/tables/<name>``)."""
    body = _table_xml(table, columns=True, element="vosi:table", namespaces=" " + _namespaces(xsd_url))
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
