"""Published table metadata: what TAP_SCHEMA describes and what the ADQL checker sees.

A :class:`TableCatalog` is the only thing ``adql/`` knows of the database: table and column
names, their VOTable metadata, and where a table keeps its position index. It holds no
connection.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = ["Column", "PositionIndex", "Table", "TableCatalog"]


@dataclass(frozen=True)
class Column:
    """One published column, described as TAP_SCHEMA.columns and a VOTable FIELD describe it.

    ``datatype`` is the VOTable datatype (char, unicodeChar, boolean, short, int, long, float,
    double); ``arraysize`` is ``"*"``, ``"36"``, ``"64*"`` or None; ``xtype`` is a DALI xtype
    (timestamp, point, circle, polygon) or None. ``sql`` is the expression over the core model
    that the table's view selects (None for tables that are real relations, e.g. uploads).
    """

    name: str
    datatype: str
    arraysize: str | None = None
    xtype: str | None = None
    unit: str | None = None
    ucd: str | None = None
    utype: str | None = None
    description: str = ""
    principal: bool = False
    indexed: bool = False
    std: bool = False
    sql: str | None = None

    @property
    def key(self) -> str:
        """Case-folded name, for ADQL's case-insensitive regular identifiers."""
        return self.name.lower()


@dataclass(frozen=True)
class PositionIndex:
    """Hidden columns that index a table's (ra, dec) pair, in degrees ICRS.

    ``healpix`` holds the NESTED HEALPix cell at ``depth`` of (ra, dec); ``x``, ``y``, ``z`` the
    unit vector. They exist in the backend relation but are not published.
    """

    ra: str
    dec: str
    healpix: str = "_healpix"
    depth: int = 29
    x: str = "_x"
    y: str = "_y"
    z: str = "_z"


@dataclass(frozen=True)
class Table:
    """One published table (or view): ``schema.name`` in ADQL, ``relation`` in the backend."""

    schema: str
    name: str
    columns: tuple[Column, ...]
    description: str = ""
    table_type: str = "view"
    utype: str | None = None
    relation: str | None = None
    position: PositionIndex | None = None
    from_sql: str | None = None
    owner: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def qualified(self) -> str:
        """``schema.name`` as published."""
        return f"{self.schema}.{self.name}"

    @property
    def sql_relation(self) -> str:
        """The relation to name in backend SQL (quoted ``"schema"."name"`` unless given)."""
        return self.relation or f'"{self.schema}"."{self.name}"'

    def column(self, name: str) -> Column | None:
        """The column called ``name`` (case-insensitive), or None."""
        key = name.lower()
        for col in self.columns:
            if col.key == key:
                return col
        return None


class TableCatalog:
    """A set of tables looked up by ADQL's rules: schema optional, regular names case-insensitive."""

    def __init__(self, tables: Iterable[Table] = ()) -> None:
        self._tables: dict[tuple[str, str], Table] = {}
        for table in tables:
            self.add(table)

    def add(self, table: Table) -> None:
        """Add ``table``; a second table with the same qualified name is an error."""
        key = (table.schema.lower(), table.name.lower())
        if key in self._tables:
            raise ValueError(f"table {table.qualified} is defined twice")
        self._tables[key] = table

    def with_tables(self, tables: Iterable[Table]) -> TableCatalog:
        """A new catalog holding these tables plus ``tables`` (uploads, a user's own tables)."""
        merged = TableCatalog(self._tables.values())
        for table in tables:
            merged.add(table)
        return merged

    def find(self, name: str, schema: str | None = None) -> list[Table]:
        """Tables matching ``name`` (and ``schema`` when given), case-insensitively."""
        key = name.lower()
        if schema is not None:
            table = self._tables.get((schema.lower(), key))
            return [table] if table else []
        return [t for (_, n), t in self._tables.items() if n == key]

    def schemas(self) -> list[str]:
        """Schema names, in first-seen order."""
        seen: dict[str, None] = {}
        for table in self._tables.values():
            seen.setdefault(table.schema, None)
        return list(seen)

    def __iter__(self) -> Iterator[Table]:
        return iter(self._tables.values())

    def __len__(self) -> int:
        return len(self._tables)
