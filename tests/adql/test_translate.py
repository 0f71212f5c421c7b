"""Translation: the valid corpus runs on DuckDB, limits, output types, golden pgSphere SQL."""

from __future__ import annotations

import duckdb
import pytest
from fixture_catalog import read_corpus
from sqlglot import exp

from jwstarchive.adql import backends, compile, functions, language_features, parse, rules_duckdb, translate
from jwstarchive.catalog.tables import TableCatalog
from jwstarchive.errors import QueryRefused, UnsupportedFeature

VALID = read_corpus("valid.adql")
GOLDEN = read_corpus("golden_postgres.adql")


@pytest.mark.parametrize(("ident", "query"), VALID, ids=[i for i, _ in VALID])
def test_valid_queries_run_on_duckdb(
    con: duckdb.DuckDBPyConnection, catalog: TableCatalog, ident: str, query: str
) -> None:
    compiled = compile(query, catalog)
    result = con.execute(compiled.sql)
    names = [d[0] for d in result.description]
    assert names == [c.name for c in compiled.columns]
    assert len(set(n.lower() for n in names)) == len(names)
    result.fetchall()


@pytest.mark.parametrize(("ident", "query"), VALID, ids=[i for i, _ in VALID])
def test_valid_queries_translate_for_postgres_or_say_why(catalog: TableCatalog, ident: str, query: str) -> None:
    try:
        sql = compile(query, catalog, backend="postgres").sql
    except UnsupportedFeature:
        return
    except QueryRefused as err:  # UDFs that only DuckDB provides
        assert "not available" in err.message
        return
    assert sql.startswith(("SELECT", "WITH", "("))


_DUCKDB_TYPES = {
    "long": "BIGINT",
    "int": "INTEGER",
    "short": "SMALLINT",
    "float": "FLOAT",
    "double": "DOUBLE",
    "char": "VARCHAR",
    "boolean": "BOOLEAN",
}


@pytest.mark.parametrize(
    "query",
    [
        "SELECT COUNT(*), SUM(calibrationlevel), AVG(calibrationlevel), calibrationlevel + 1, 7 / 2, "
        "CEILING(target_ra), ROUND(target_ra, 1), MOD(calibrationlevel, 2), 2.5, 1 FROM jwst.main "
        "GROUP BY calibrationlevel, target_ra",
        "SELECT POINT(target_ra, target_dec), CIRCLE(1, 2, 3), BOX(1, 2, 3, 4), CENTROID(BOX(1, 2, 3, 4)), "
        "LOWER(instrument_name), CAST(target_ra AS SMALLINT), CAST(target_ra AS REAL), "
        "CASE WHEN calibrationlevel > 1 THEN 1 ELSE 2.5 END FROM jwst.main",
    ],
)
def test_result_types_match_metadata(con: duckdb.DuckDBPyConnection, catalog: TableCatalog, query: str) -> None:
    compiled = compile(query, catalog)
    result = con.execute(compiled.sql)
    for (name, type_code, *_), col in zip(result.description, compiled.columns, strict=True):
        if col.arraysize is not None and col.datatype == "double":
            assert str(type_code) == "DOUBLE[]", name
        else:
            assert str(type_code) == _DUCKDB_TYPES[col.datatype], name


def test_top_becomes_limit(catalog: TableCatalog) -> None:
    compiled = compile("SELECT TOP 5 obsid FROM jwst.main", catalog)
    assert compiled.sql.endswith("LIMIT 5")
    assert compiled.limit == 5


@pytest.mark.parametrize(
    ("query", "maxrec", "limit"),
    [
        ("SELECT obsid FROM jwst.main ORDER BY obsid", 10, 11),
        ("SELECT TOP 5 obsid FROM jwst.main ORDER BY obsid", 10, 5),
        ("SELECT TOP 50 obsid FROM jwst.main ORDER BY obsid", 10, 11),
        ("SELECT TOP 11 obsid FROM jwst.main ORDER BY obsid", 10, 11),
        ("SELECT obsid FROM jwst.main ORDER BY obsid", 0, 1),
        ("SELECT obsid FROM jwst.main UNION SELECT obsid FROM jwst.artifact ORDER BY 1", 10, 11),
        ("SELECT obsid FROM jwst.main ORDER BY obsid OFFSET 7", 10, 11),
        ("SELECT obsid FROM jwst.main", None, None),
    ],
)
def test_maxrec(
    con: duckdb.DuckDBPyConnection, catalog: TableCatalog, query: str, maxrec: int | None, limit: int | None
) -> None:
    compiled = compile(query, catalog, maxrec=maxrec)
    assert compiled.limit == limit
    rows = [r[0] for r in con.execute(compiled.sql).fetchall()]
    full = [r[0] for r in con.execute(compile(query, catalog).sql).fetchall()]
    if limit is not None:
        assert rows == full[:limit]
    else:
        assert len(rows) == len(full)


def test_negative_maxrec(catalog: TableCatalog) -> None:
    with pytest.raises(QueryRefused):
        compile("SELECT obsid FROM jwst.main", catalog, maxrec=-1)


def test_translate_without_catalog_is_syntactic() -> None:
    assert translate("SELECT TOP 3 a FROM t WHERE b ILIKE 'x%'") == "SELECT a FROM t WHERE b ILIKE 'x%' LIMIT 3"
    with pytest.raises(QueryRefused):
        translate('SELECT * FROM "/etc/passwd"')


def test_translate_copies_the_tree(catalog: TableCatalog) -> None:
    tree = parse("SELECT TOP 3 obsid FROM jwst.main")
    before = tree.sql()
    sql = translate(tree, catalog=catalog)
    assert tree.sql() == before
    assert '"jwst"."main"' in sql


def test_translate_and_compile_agree(catalog: TableCatalog) -> None:
    query = "SELECT obsid FROM jwst.main WHERE CONTAINS(POINT(target_ra, target_dec), CIRCLE(1, 2, 3)) = 1"
    assert translate(query, "duckdb", catalog) == compile(query, catalog).sql


def test_relation_from_catalog_is_used(catalog: TableCatalog) -> None:
    from fixture_catalog import MAIN

    moved = TableCatalog([MAIN.__class__(**{**MAIN.__dict__, "relation": '"core"."main_view"'})])
    assert 'FROM "core"."main_view" AS "main"' in compile("SELECT obsid FROM jwst.main", moved).sql


def test_cone_uses_the_index(catalog: TableCatalog) -> None:
    sql = compile(
        "SELECT obsid FROM jwst.main WHERE CONTAINS(POINT(target_ra, target_dec), CIRCLE(10, 20, 0.1)) = 1", catalog
    ).sql
    assert '"_healpix" BETWEEN' in sql and '"_x"' in sql
    assert sql.count("BETWEEN") <= 8
    plain = compile(
        "SELECT obsid FROM jwst.main WHERE CONTAINS(POINT(target_ra, target_dec), CIRCLE(10, 20, 0.1)) = 1",
        catalog,
        options={"healpix": False},
    ).sql
    assert "_healpix" not in plain


def test_large_cone_skips_the_prefilter(catalog: TableCatalog) -> None:
    sql = compile(
        "SELECT obsid FROM jwst.main WHERE CONTAINS(POINT(target_ra, target_dec), CIRCLE(10, 20, 60)) = 1", catalog
    ).sql
    assert "_healpix" not in sql


@pytest.mark.parametrize(("ident", "entry"), GOLDEN, ids=[i for i, _ in GOLDEN])
def test_postgres_golden_sql(catalog: TableCatalog, ident: str, entry: str) -> None:
    adql, expected = entry.split("-- sql:")
    assert compile(adql, catalog, backend="postgres").sql == expected.strip()


def test_rule_sets_refuse_a_second_rule() -> None:
    rules = backends.RuleSet("test")

    @rules.rule(exp.Abs)
    def first(node: exp.Expression, ctx: object) -> None:
        return None

    with pytest.raises(ValueError, match="already registered"):

        @rules.rule(exp.Abs)
        def second(node: exp.Expression, ctx: object) -> None:
            return None


def test_every_backend_is_a_registry_entry() -> None:
    assert set(backends.BACKENDS) == {"duckdb", "postgres"}
    for name in backends.BACKENDS:
        assert backends.rules(name).rules
    with pytest.raises(UnsupportedFeature):
        backends.get("sqlite")


def test_language_features() -> None:
    features = language_features()
    forms = {(f.type.rsplit("#", 1)[1], f.form.split("(")[0]) for f in features}
    for form in (
        "POINT",
        "CIRCLE",
        "BOX",
        "POLYGON",
        "REGION",
        "CONTAINS",
        "INTERSECTS",
        "DISTANCE",
        "AREA",
        "CENTROID",
        "COORD1",
        "COORD2",
        "COORDSYS",
    ):
        assert ("features-adqlgeo", form) in forms
    for kind, form in [
        ("features-adql-string", "LOWER"),
        ("features-adql-string", "ILIKE"),
        ("features-adql-sets", "UNION"),
        ("features-adql-common-table", "WITH"),
        ("features-adql-type", "CAST"),
        ("features-adql-unit", "IN_UNIT"),
        ("features-adql-offset", "OFFSET"),
        ("features-adql-conditional", "COALESCE"),
        ("features-udf", "ivo_hasword"),
    ]:
        assert (kind, form) in forms
    assert all(f.description for f in features)
    assert "ivo_hasword" not in {f.form.split("(")[0] for f in language_features("postgres")}


def test_function_names_are_unique() -> None:
    names = [f.name.upper() for f in functions.FUNCTIONS]
    assert len(names) == len(set(names))


def test_install_is_idempotent() -> None:
    connection = duckdb.connect()
    rules_duckdb.install(connection)
    rules_duckdb.install(connection)
    assert connection.execute("SELECT adql_area([2.0, 0.0, 0.0, 1.0]::DOUBLE[])").fetchone()[0] == pytest.approx(
        3.14155, rel=1e-4
    )
    connection.close()
