"""What ADQL must never reach: files, settings, internal schemas, other users' tables, hidden columns.

Every attempt must raise an ADQLError subclass (never another exception), and nothing may
change in the database.
"""

from __future__ import annotations

import duckdb
import pytest
from fixture_catalog import read_corpus

from jwstarchive.adql import compile
from jwstarchive.adql.parse import MAX_DEPTH, MAX_IN_LIST, MAX_QUERY_LENGTH
from jwstarchive.catalog.tables import TableCatalog
from jwstarchive.errors import ADQLError

ATTEMPTS = read_corpus("security.adql")

GENERATED = [
    ("huge-in-list", "SELECT obsid FROM jwst.main WHERE obsid IN (" + ", ".join(["'x'"] * (MAX_IN_LIST + 5)) + ")"),
    ("deep-parentheses", "SELECT " + "(" * 50_000 + "obsid" + ")" * 50_000 + " FROM jwst.main"),
    ("deep-functions", "SELECT " + "ABS(" * (MAX_DEPTH + 5) + "1" + ")" * (MAX_DEPTH + 5) + " FROM jwst.main"),
    ("deep-subqueries", "SELECT obsid FROM " + "(SELECT obsid FROM " * 300 + "jwst.main" + ") AS q" * 300),
    (
        "deep-exists",
        "SELECT obsid FROM jwst.main WHERE " + "EXISTS (SELECT obsid FROM jwst.main WHERE " * 200 + "1 = 1" + ")" * 200,
    ),
    ("deep-case", "SELECT " + "CASE WHEN 1 = 1 THEN " * 200 + "1" + " END" * 200 + " FROM jwst.main"),
    ("too-long", "SELECT obsid FROM jwst.main WHERE obsid = '" + "x" * MAX_QUERY_LENGTH + "'"),
    (
        "many-polygon-vertices",
        "SELECT obsid FROM jwst.main WHERE CONTAINS(POINT(target_ra, target_dec), POLYGON("
        + ", ".join(f"{i % 360}, {i % 80}" for i in range(5_000))
        + ")) = 1",
    ),
    ("many-statements", "SELECT obsid FROM jwst.main;" * 100),
    ("unicode-everywhere", "SELECT \u00e9toile FROM jwst.main"),
    ("right-to-left-override", "SELECT obsid FROM jwst.main WHERE obsid = 'a'\u202e--"),
    ("bom", "\ufeffSELECT obsid FROM jwst.main"),
]


def test_corpus_is_big_enough() -> None:
    assert len(ATTEMPTS) + len(GENERATED) >= 40
    assert len(ATTEMPTS) >= 40


def _snapshot(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute("SELECT schema_name, table_name, estimated_size FROM duckdb_tables() ORDER BY ALL").fetchall()


@pytest.mark.parametrize(("ident", "query"), ATTEMPTS + GENERATED, ids=[i for i, _ in ATTEMPTS + GENERATED])
def test_attempt_is_refused(con: duckdb.DuckDBPyConnection, catalog: TableCatalog, ident: str, query: str) -> None:
    before = _snapshot(con)
    with pytest.raises(ADQLError) as info:
        compiled = compile(query, catalog)
        con.execute(compiled.sql).fetchall()  # reached only if compile wrongly accepted it
    assert info.value.message
    assert _snapshot(con) == before


def test_quotes_in_names_and_strings_stay_quoted(con: duckdb.DuckDBPyConnection, catalog: TableCatalog) -> None:
    before = _snapshot(con)
    compiled = compile(
        'SELECT "m"" ; DROP TABLE jwst.artifact; --".obsid AS "x""; DROP TABLE jwst.main; --" '
        'FROM jwst.main AS "m"" ; DROP TABLE jwst.artifact; --" '
        "WHERE observationid = 'x''; DROP TABLE jwst.main; --' OR 1 = 1",
        TableCatalog([t for t in catalog if t.name == "main"]),
    )
    rows = con.execute(compiled.sql).fetchall()
    assert len(rows) == con.execute('SELECT COUNT(*) FROM "jwst"."main"').fetchone()[0]
    assert compiled.columns[0].name == 'x"; DROP TABLE jwst.main; --'
    assert _snapshot(con) == before


def test_long_or_chains_compile(con: duckdb.DuckDBPyConnection, catalog: TableCatalog) -> None:
    ors = " OR ".join(f"calibrationlevel = {i}" for i in range(3_000))
    compiled = compile(f"SELECT COUNT(*) FROM jwst.main WHERE {ors}", catalog)
    assert con.execute(compiled.sql).fetchone()[0] > 0


@pytest.mark.parametrize(
    "query",
    [
        "SELECT CIRCLE(1e400, 0, 1) FROM jwst.main",
        "SELECT obsid FROM jwst.main WHERE CONTAINS(POINT(target_ra, target_dec), CIRCLE(1e400, 0, 1)) = 1",
        "SELECT obsid FROM jwst.main WHERE CONTAINS(POINT(target_ra, target_dec), CIRCLE(0, 0, 1e400)) = 1",
        "SELECT obsid FROM jwst.main WHERE CONTAINS(POINT(target_ra, target_dec), BOX(0, 0, 0, 1)) = 1",
        "SELECT obsid FROM jwst.main WHERE CONTAINS(POINT(target_ra, target_dec), POLYGON(0, 0, 0, 0, 0, 0)) = 1",
        "SELECT obsid FROM jwst.main WHERE CONTAINS(POINT(target_ra, target_dec), "
        "POLYGON(0, 0, 180, 0, 90, 0, 270, 0)) = 1",
        "SELECT CAST('1 2 3' AS POINT) FROM jwst.main",
        "SELECT REGION('Polygon 1 2 nan 4 5 6') FROM jwst.main",
        "SELECT obsid FROM jwst.main WHERE DISTANCE(POINT(target_ra, target_dec), POINT(0, 100)) < 1",
        "SELECT TOP 99999999999999999999999 obsid FROM jwst.main",
        "SELECT obsid FROM jwst.main OFFSET 99999999999999999999999",
        "SELECT COORD1(target_ra) FROM jwst.main",
        "SELECT DISTANCE(s_region, POINT(1, 2)) FROM ivoa.obscore",
        "SELECT AREA(s_ra) FROM ivoa.obscore",
        "SELECT obsid FROM jwst.main WHERE CENTROID(3) = POINT(1, 2)",
    ],
)
@pytest.mark.parametrize("backend", ["duckdb", "postgres"])
def test_bad_constant_geometry_is_an_adql_error(catalog: TableCatalog, query: str, backend: str) -> None:
    with pytest.raises(ADQLError):
        compile(query, catalog, backend=backend)


def test_mutated_queries_raise_only_adql_errors(catalog: TableCatalog) -> None:
    """Random token edits of the valid corpus: compile either succeeds or raises an ADQLError."""
    import contextlib
    import random
    import re

    queries = [q for _, q in read_corpus("valid.adql")]
    pieces = [
        "(",
        ")",
        ",",
        "'",
        '"',
        "*",
        "NULL",
        "1",
        "-",
        "||",
        "POINT(1,2)",
        "SELECT",
        "AND",
        "=",
        ".",
        "CIRCLE(0,0,1)",
        "s_region",
        "target_ra",
        "DISTANCE",
        "AS x",
        "ORDER BY 1",
        "TOP 3",
        "WHERE",
        ";",
        "--",
        "\n",
        "1e400",
        "-90.5",
        "POLYGON(1,2,3,4,5,6)",
        "CAST(",
        " AS POINT)",
        "BOX(1,2,0,0)",
        "CIRCLE(0,95,1)",
        "REGION('x')",
        "COUNT(*)",
        "UNION",
        "JOIN",
        "USING (obsid)",
    ]
    rng = random.Random(20240601)
    for _ in range(600):
        tokens = re.findall(r"\w+|'[^']*'|\"[^\"]*\"|\S", rng.choice(queries))
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(tokens)) if tokens else 0
            roll = rng.random()
            if roll < 0.33 and tokens:
                del tokens[i]
            elif roll < 0.66:
                tokens.insert(i, rng.choice(pieces))
            elif tokens:
                tokens[i] = rng.choice(pieces)
        text = " ".join(tokens)
        for backend in ("duckdb", "postgres"):
            with contextlib.suppress(ADQLError):
                compile(text, catalog, backend=backend, maxrec=rng.choice([None, 0, 5]))
