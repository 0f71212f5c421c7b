"""Published table metadata: what TAP_SCHEMA describes and what the ADQL checker sees.

A :class:`TableCatalog` is the only thing ``adql/`` knows of the database: table and column
names, their VOTable metadata, and where a table keeps its position index. It holds no
connection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = ["ADQL_RESERVED_WORDS", "Column", "PositionIndex", "Table", "TableCatalog", "adql_name"]


_ADQL_RESERVED = """
ABS ACOS AREA ASIN ATAN ATAN2 BIGINT BOX CAST CEILING CENTROID CHAR CIRCLE COALESCE CONTAINS
COORD1 COORD2 COORDSYS COS COT DEGREES DISTANCE DOUBLE EXP FLOOR INTEGER INTERSECTS IN_UNIT LOG
LOG10 MOD NULL PI POINT POLYGON POWER PRECISION RADIANS REAL REGION RAND ROUND SIN SMALLINT SQRT
TIMESTAMP TOP TAN TRUNCATE VARCHAR OFFSET
"""
_SQL_RESERVED = """
ABSOLUTE ACTION ADD ALL ALLOCATE ALTER AND ANY ARE AS ASC ASSERTION AT AUTHORIZATION AVG BEGIN
BETWEEN BIT BIT_LENGTH BOTH BY CASCADE CASCADED CASE CATALOG CHARACTER CHAR_LENGTH
CHARACTER_LENGTH CHECK CLOSE COLLATE COLLATION COLUMN COMMIT CONNECT CONNECTION CONSTRAINT
CONSTRAINTS CONTINUE CONVERT CORRESPONDING COUNT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME
CURRENT_TIMESTAMP CURRENT_USER CURSOR DATE DAY DEALLOCATE DECIMAL DECLARE DEFAULT DEFERRABLE
DEFERRED DELETE DESC DESCRIBE DESCRIPTOR DIAGNOSTICS DISCONNECT DISTINCT DOMAIN DROP ELSE END
ESCAPE EXCEPT EXCEPTION EXEC EXECUTE EXISTS EXTERNAL EXTRACT FALSE FETCH FIRST FLOAT FOR FOREIGN
FOUND FROM FULL GET GLOBAL GO GOTO GRANT GROUP HAVING HOUR IDENTITY ILIKE IMMEDIATE IN INDICATOR
INITIALLY INNER INPUT INSENSITIVE INSERT INT INTERSECT INTERVAL INTO IS ISOLATION JOIN KEY
LANGUAGE LAST LEADING LEFT LEVEL LIKE LOCAL LOWER MATCH MAX MIN MINUTE MODULE MONTH NAMES
NATIONAL NATURAL NCHAR NEXT NO NOT NULLIF NUMERIC OCTET_LENGTH OF ON ONLY OPEN OPTION OR ORDER
OUTER OUTPUT OVERLAPS PAD PARTIAL POSITION PREPARE PRESERVE PRIMARY PRIOR PRIVILEGES PROCEDURE
PUBLIC READ REFERENCES RELATIVE RESTRICT REVOKE RIGHT ROLLBACK ROWS SCHEMA SCROLL SECOND SECTION
SELECT SESSION SESSION_USER SET SIZE SOME SPACE SQL SQLCODE SQLERROR SQLSTATE SUBSTRING SUM
SYSTEM_USER TABLE TEMPORARY THEN TIME TIMEZONE_HOUR TIMEZONE_MINUTE TO TRAILING TRANSACTION
TRANSLATE TRANSLATION TRIM TRUE UNION UNIQUE UNKNOWN UPDATE UPPER USAGE USER USING VALUE VALUES
VARYING VIEW WHEN WHENEVER WHERE WITH WORK WRITE YEAR ZONE LIMIT
"""
ADQL_RESERVED_WORDS: frozenset[str] = frozenset((_ADQL_RESERVED + _SQL_RESERVED).split())
"""ADQL and SQL reserved words: a column so named is published (and written) in delimited form."""


_REGULAR = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def adql_name(name: str) -> str:
    """``name`` as ADQL must write it (and TAP_SCHEMA publish it): delimited when reserved or irregular."""
    if _REGULAR.match(name) and name.upper() not in ADQL_RESERVED_WORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


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
