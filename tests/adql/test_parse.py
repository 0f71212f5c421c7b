"""The ADQL 2.1 grammar gate: what parse() accepts, what it refuses, and where it says so."""

from __future__ import annotations

import pytest
from fixture_catalog import read_corpus
from sqlglot import exp

import jwstarchive.adql
from jwstarchive.adql import dialect, parse
from jwstarchive.adql.parse import MAX_DEPTH, MAX_IN_LIST, MAX_POLYGON_VERTICES, MAX_QUERY_LENGTH
from jwstarchive.errors import ADQLError, ADQLSyntaxError

VALID = read_corpus("valid.adql")
INVALID = read_corpus("invalid.adql")


def test_public_api_is_pinned() -> None:
    assert sorted(jwstarchive.adql.__all__) == [
        "CheckedQuery",
        "CompiledQuery",
        "LanguageFeature",
        "check",
        "compile",
        "language_features",
        "parse",
        "translate",
    ]
    assert callable(jwstarchive.adql.parse) and callable(jwstarchive.adql.translate)


def test_corpora_are_big_enough() -> None:
    assert len(VALID) >= 100
    assert len(INVALID) >= 60
    assert len({i for i, _ in VALID}) == len(VALID)
    assert len({i for i, _ in INVALID}) == len(INVALID)


@pytest.mark.parametrize(("ident", "query"), VALID, ids=[i for i, _ in VALID])
def test_valid_queries_parse(ident: str, query: str) -> None:
    tree = parse(query)
    assert isinstance(tree, exp.Query)


@pytest.mark.parametrize(("ident", "query"), VALID, ids=[i for i, _ in VALID])
def test_adql_rendering_round_trips(ident: str, query: str) -> None:
    text = parse(query).sql(dialect=dialect.ADQL)
    assert parse(text).sql(dialect=dialect.ADQL) == text


@pytest.mark.parametrize(("ident", "query"), INVALID, ids=[i for i, _ in INVALID])
def test_invalid_queries_are_refused_with_a_position(ident: str, query: str) -> None:
    expected = [line[len("-- expect:") :].strip() for line in query.splitlines() if line.startswith("-- expect:")]
    with pytest.raises(ADQLSyntaxError) as info:
        parse(query)
    err = info.value
    assert err.line is not None and err.line >= 1
    assert err.column is not None and err.column >= 1
    if expected:
        assert expected[0] in err.message


@pytest.mark.parametrize(
    ("query", "line", "column"),
    [
        ("SELECT *\nFROM jwst.main\nLIMIT 5", 3, 1),
        ("SELECT obsid\n  FROM jwst.main\n  WHERE target_ra ==  3", 3, 20),
        ("SELECT a::int FROM t", 1, 9),
        ("SELECT TOP -3 a FROM t", 1, 12),
        ("SELECT 'abc FROM t", 1, 8),
        ("SELECT a FROM t WHERE\n  CONTAINS(POINT(a, b), CIRCLE(1, 2, 3))", 2, 3),
        ("\n\n   SELECT x FROM (SELECT x FROM t)", 3, 35),
    ],
)
def test_error_positions(query: str, line: int, column: int) -> None:
    with pytest.raises(ADQLSyntaxError) as info:
        parse(query)
    assert (info.value.line, info.value.column) == (line, column)
    assert f"(line {line}, column {column})" in str(info.value)


def test_regular_identifiers_keep_their_spelling_and_delimited_ones_are_marked() -> None:
    tree = parse('SELECT ObsId, "MixedCase" FROM Jwst.Main')
    plain, quoted = tree.expressions
    assert plain.this.name == "ObsId" and not plain.this.quoted
    assert quoted.this.name == "MixedCase" and quoted.this.quoted
    assert parse('SELECT "say ""hi""" FROM t').expressions[0].name == 'say "hi"'


def test_top_and_offset_are_kept() -> None:
    tree = parse("SELECT TOP 7 a FROM t ORDER BY a OFFSET 3")
    assert tree.args["limit"].expression.this == "7"
    assert tree.args["offset"].expression.this == "3"


def test_geometry_forms_are_normalised() -> None:
    tree = parse(
        "SELECT CIRCLE(1, 2, 3), BOX('ICRS', 1, 2, 3, 4), POLYGON(1, 2, 3, 4, 5, 6), DISTANCE(1, 2, 3, 4) FROM t"
    )
    circle, box, polygon, distance = tree.expressions
    assert isinstance(circle, dialect.Circle) and isinstance(circle.this, dialect.Point)
    assert isinstance(box, dialect.Box) and box.args["coordsys"].this == "ICRS"
    assert isinstance(polygon, dialect.Polygon) and len(polygon.expressions) == 3
    assert isinstance(distance, exp.Distance) and isinstance(distance.this, dialect.Point)


def test_set_operation_precedence() -> None:
    tree = parse("SELECT a FROM t UNION SELECT a FROM u INTERSECT SELECT a FROM v")
    assert isinstance(tree, exp.Union) and isinstance(tree.expression, exp.Intersect)
    tree = parse("(SELECT a FROM t UNION SELECT a FROM u) INTERSECT SELECT a FROM v")
    assert isinstance(tree, exp.Intersect) and isinstance(tree.this, exp.Subquery)


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1
    parse("SELECT " + "(" * depth + "a" + ")" * depth + " FROM t")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT " + "(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1) + " FROM t",
        "SELECT " + "(" * 20_000 + "a" + ")" * 20_000 + " FROM t",
        "SELECT " + "ABS(" * 5_000 + "a" + ")" * 5_000 + " FROM t",
        "SELECT a FROM " + "(SELECT a FROM " * 1_000 + "t" + ") AS q" * 1_000,
        "SELECT a FROM t WHERE " + "NOT (" * 3_000 + "a = 1" + ")" * 3_000,
        "SELECT a FROM t WHERE a IN " + "(SELECT a FROM t WHERE a IN " * 500 + "(1)" + ")" * 500,
    ],
    ids=["just-over", "parentheses", "functions", "subqueries", "not", "in-subqueries"],
)
def test_deep_nesting_is_a_clear_error(query: str) -> None:
    with pytest.raises(ADQLSyntaxError, match="nested too deeply"):
        parse(query)


def test_in_list_cap() -> None:
    parse("SELECT a FROM t WHERE a IN (" + ", ".join(["1"] * MAX_IN_LIST) + ")")
    with pytest.raises(ADQLSyntaxError, match="IN lists are limited"):
        parse("SELECT a FROM t WHERE a IN (" + ", ".join(["1"] * (MAX_IN_LIST + 1)) + ")")


def test_polygon_vertex_cap() -> None:
    coords = ", ".join(f"{i % 360}, {i % 80}" for i in range(MAX_POLYGON_VERTICES + 1))
    with pytest.raises(ADQLSyntaxError, match="POLYGON is limited"):
        parse(f"SELECT POLYGON({coords}) FROM t")


def test_query_length_cap() -> None:
    with pytest.raises(ADQLSyntaxError, match="longer than"):
        parse("SELECT a FROM t WHERE a = '" + "x" * MAX_QUERY_LENGTH + "'")


def test_long_flat_chains_parse() -> None:
    ors = " OR ".join(f"a = {i}" for i in range(5_000))
    adds = " + ".join("a" for _ in range(5_000))
    parse(f"SELECT {adds} FROM t WHERE {ors}")


def test_parse_refuses_non_text() -> None:
    with pytest.raises(ADQLError):
        parse(b"SELECT a FROM t")  # type: ignore[arg-type]
