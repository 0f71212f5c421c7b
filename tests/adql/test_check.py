"""Name resolution, refusals and result metadata (check + annotate)."""

from __future__ import annotations

import pytest
from fixture_catalog import ARTIFACT, MAIN, OBSCORE, UPLOAD

from jwstarchive.adql import check, compile, parse
from jwstarchive.catalog.tables import Column, Table, TableCatalog
from jwstarchive.errors import QueryRefused, UnsupportedFeature

HIDDEN = {"_healpix", "_x", "_y", "_z"}


def _columns(catalog: TableCatalog, adql: str) -> list[Column]:
    return list(check(parse(adql), catalog).columns)


def test_star_expands_to_published_columns_only(catalog: TableCatalog) -> None:
    names = [c.name for c in _columns(catalog, "SELECT * FROM jwst.main")]
    assert names == [c.name for c in MAIN.columns]
    assert HIDDEN.isdisjoint(names)
    nested = [c.name for c in _columns(catalog, "SELECT * FROM (SELECT * FROM jwst.main) AS q")]
    assert HIDDEN.isdisjoint(nested)


def test_qualified_star(catalog: TableCatalog) -> None:
    names = [c.name for c in _columns(catalog, "SELECT a.*, m.obsid FROM jwst.artifact a, jwst.main m")]
    assert names == [c.name for c in ARTIFACT.columns] + ["obsid_2"]


def test_tables_used_are_reported(catalog: TableCatalog) -> None:
    checked = check(parse("SELECT m.obsid FROM jwst.main m JOIN jwst.artifact a USING (obsid)"), catalog)
    assert {t.qualified for t in checked.tables} == {"jwst.main", "jwst.artifact"}


def test_unknown_table_lists_the_published_ones(catalog: TableCatalog) -> None:
    with pytest.raises(QueryRefused) as info:
        check(parse("SELECT * FROM jwst.nothere"), catalog)
    assert "jwst.main" in info.value.message and "ivoa.obscore" in info.value.message
    assert (info.value.line, info.value.column) == (1, 15)


def test_ambiguous_table_name() -> None:
    other = Table("other", "main", (Column("x", "double"),))
    with pytest.raises(QueryRefused, match="ambiguous"):
        check(parse("SELECT * FROM main"), TableCatalog([MAIN, other]))
    check(parse("SELECT * FROM jwst.main"), TableCatalog([MAIN, other]))


def test_ambiguous_column(catalog: TableCatalog) -> None:
    with pytest.raises(QueryRefused, match="ambiguous"):
        check(parse("SELECT obsid FROM jwst.main, jwst.artifact"), catalog)


def test_unknown_column_lists_the_columns(catalog: TableCatalog) -> None:
    with pytest.raises(QueryRefused, match="target_ra"):
        check(parse("SELECT ra FROM jwst.main"), catalog)


def test_case_rules(catalog: TableCatalog) -> None:
    check(parse("SELECT OBSID, Target_RA FROM JWST.MAIN"), catalog)
    check(parse('SELECT "obsid" FROM "jwst"."main"'), catalog)
    with pytest.raises(QueryRefused):
        check(parse('SELECT "OBSID" FROM jwst.main'), catalog)
    with pytest.raises(QueryRefused):
        check(parse('SELECT obsid FROM "JWST"."MAIN"'), catalog)


def test_correlated_subquery_resolves_outer_columns(catalog: TableCatalog) -> None:
    compiled = compile(
        "SELECT m.obsid FROM jwst.main m WHERE EXISTS (SELECT * FROM jwst.artifact a WHERE a.obsid = m.obsid)",
        catalog,
    )
    assert '"m"."obsid"' in compiled.sql and '"a"."obsid"' in compiled.sql


def test_shadowed_table_names_get_distinct_aliases(catalog: TableCatalog) -> None:
    sql = compile(
        "SELECT obsid FROM jwst.main WHERE obsid IN (SELECT obsid FROM jwst.main WHERE calibrationlevel = 3)",
        catalog,
    ).sql
    assert '"main"' in sql and '"main_2"' in sql


def test_set_operands_must_agree(catalog: TableCatalog) -> None:
    with pytest.raises(QueryRefused, match="different numbers of columns"):
        check(parse("SELECT obsid, filename FROM jwst.artifact UNION SELECT obsid FROM jwst.main"), catalog)


def test_order_by_of_union_names_output_columns(catalog: TableCatalog) -> None:
    with pytest.raises(QueryRefused):
        check(parse("SELECT obsid FROM jwst.main UNION SELECT obsid FROM jwst.artifact ORDER BY nothere"), catalog)
    with pytest.raises(QueryRefused):
        check(parse("SELECT obsid FROM jwst.main ORDER BY 2"), catalog)


def test_using_column_must_exist_on_both_sides(catalog: TableCatalog) -> None:
    with pytest.raises(QueryRefused, match="USING"):
        check(parse("SELECT * FROM jwst.main JOIN jwst.artifact USING (filename)"), catalog)


def test_uploads_of_others_are_invisible(catalog: TableCatalog) -> None:
    check(parse("SELECT name FROM tap_upload.sources"), catalog)
    bob = Table("tap_upload", "bobs", (Column("x", "double"),))
    with pytest.raises(QueryRefused):
        check(parse("SELECT x FROM tap_upload.bobs"), catalog)
    check(parse("SELECT x FROM tap_upload.bobs"), catalog.with_tables([bob]))


def test_unavailable_udf(catalog: TableCatalog) -> None:
    with pytest.raises(QueryRefused, match="ivo_hasword"):
        check(parse("SELECT ivo_nosuch(1) FROM jwst.main"), catalog)
    with pytest.raises(QueryRefused):
        check(parse("SELECT ivo_hasword(members, 'x') FROM jwst.main"), catalog, backend="postgres")


def test_other_coordinate_systems_are_unsupported(catalog: TableCatalog) -> None:
    check(parse("SELECT POINT('ICRS', 1, 2), POINT('', 1, 2), POINT('ICRS GEOCENTER', 1, 2) FROM jwst.main"), catalog)
    with pytest.raises(UnsupportedFeature, match="GALACTIC"):
        check(parse("SELECT POINT('GALACTIC', 1, 2) FROM jwst.main"), catalog)


def test_bad_region_is_refused(catalog: TableCatalog) -> None:
    with pytest.raises(QueryRefused, match="REGION"):
        check(parse("SELECT REGION('Union ICRS (Circle 1 2 3 Circle 4 5 6)') FROM jwst.main"), catalog)


def test_in_unit_checks_units(catalog: TableCatalog) -> None:
    with pytest.raises(QueryRefused, match="VOUnit"):
        check(parse("SELECT IN_UNIT(target_ra, 'furlongs per fortnight') FROM jwst.main"), catalog)
    with pytest.raises(QueryRefused, match="cannot convert"):
        check(parse("SELECT IN_UNIT(target_ra, 'm') FROM jwst.main"), catalog)
    with pytest.raises(QueryRefused, match="not known"):
        check(parse("SELECT IN_UNIT(calibrationlevel, 'm') FROM jwst.main"), catalog)


@pytest.mark.parametrize(
    ("expression", "datatype", "arraysize", "xtype", "unit"),
    [
        ("COUNT(*)", "long", None, None, None),
        ("AVG(time_exposure)", "double", None, None, "s"),
        ("SUM(calibrationlevel)", "long", None, None, None),
        ("MAX(target_dec)", "double", None, None, "deg"),
        ("calibrationlevel + 1", "long", None, None, None),
        ("target_ra * 2", "double", None, None, "deg"),
        ("target_ra / calibrationlevel", "double", None, None, None),
        ("LOWER(instrument_name)", "char", "*", None, None),
        ("observationid || 'x'", "char", "*", None, None),
        ("POINT(target_ra, target_dec)", "double", "2", "point", "deg"),
        ("CIRCLE(target_ra, target_dec, 1)", "double", "3", "circle", "deg"),
        ("BOX(1, 2, 3, 4)", "double", "*", "polygon", "deg"),
        ("REGION('Position ICRS 1 2')", "double", "2", "point", "deg"),
        ("CENTROID(BOX(1, 2, 3, 4))", "double", "2", "point", "deg"),
        ("DISTANCE(POINT(target_ra, target_dec), POINT(1, 2))", "double", None, None, "deg"),
        ("AREA(CIRCLE(1, 2, 3))", "double", None, None, "deg**2"),
        ("CONTAINS(POINT(target_ra, target_dec), CIRCLE(1, 2, 3))", "int", None, None, None),
        ("COORD1(POINT(target_ra, target_dec))", "double", None, None, "deg"),
        ("COORDSYS(POINT(1, 2))", "char", "*", None, None),
        ("CAST(target_ra AS INTEGER)", "int", None, None, None),
        ("CAST(target_ra AS SMALLINT)", "short", None, None, None),
        ("CAST(target_ra AS REAL)", "float", None, None, None),
        ("CAST(obsid AS CHAR(8))", "char", "8", None, None),
        ("CAST(obsid AS VARCHAR(8))", "char", "8*", None, None),
        ("CAST('2020-01-01' AS TIMESTAMP)", "char", "*", "timestamp", None),
        ("IN_UNIT(target_ra, 'arcsec')", "double", None, None, "arcsec"),
        ("COALESCE(target_name, 'x')", "char", "*", None, None),
        ("CASE WHEN calibrationlevel > 1 THEN 1 ELSE 2.5 END", "double", None, None, None),
        ("ivo_healpix_index(5, target_ra, target_dec)", "long", None, None, None),
        ("1", "int", None, None, None),
        ("2.5", "double", None, None, None),
        ("'text'", "char", "*", None, None),
    ],
)
def test_result_metadata(
    catalog: TableCatalog, expression: str, datatype: str, arraysize: str | None, xtype: str | None, unit: str | None
) -> None:
    (col,) = _columns(catalog, f"SELECT {expression} FROM jwst.main")
    assert (col.datatype, col.arraysize, col.xtype, col.unit) == (datatype, arraysize, xtype, unit)


def test_column_metadata_is_passed_through(catalog: TableCatalog) -> None:
    ra, region = _columns(catalog, "SELECT target_ra AS ra, s_region FROM jwst.main, ivoa.obscore")
    assert (ra.name, ra.unit, ra.ucd) == ("ra", "deg", "pos.eq.ra;meta.main")
    assert (region.xtype, region.arraysize) == ("polygon", "*")


def test_output_names(catalog: TableCatalog) -> None:
    names = [
        c.name
        for c in _columns(
            catalog,
            "SELECT COUNT(*), AVG(target_ra), target_ra + 1, DISTANCE(POINT(target_ra, target_dec), POINT(1, 2)), "
            "obsid, obsid, obsid AS OBSID FROM jwst.main GROUP BY obsid, target_ra, target_dec",
        )
    ]
    assert names == ["count", "avg", "expr", "distance", "obsid", "obsid_2", "OBSID_3"]


def test_derived_columns_carry_metadata(catalog: TableCatalog) -> None:
    (col,) = _columns(
        catalog, "SELECT q.d FROM (SELECT DISTANCE(POINT(s_ra, s_dec), POINT(1, 2)) AS d FROM ivoa.obscore) AS q"
    )
    assert (col.name, col.unit, col.ucd) == ("d", "deg", "pos.angDistance")


def test_cte_columns(catalog: TableCatalog) -> None:
    cols = _columns(catalog, "WITH w AS (SELECT obs_id, s_ra FROM ivoa.obscore) SELECT * FROM w")
    assert [c.name for c in cols] == ["obs_id", "s_ra"]
    assert cols[1].unit == "deg"


def test_upload_catalog_keeps_published_tables() -> None:
    catalog = TableCatalog([MAIN, OBSCORE]).with_tables([UPLOAD])
    check(parse("SELECT s.name, m.obsid FROM tap_upload.sources s, jwst.main m"), catalog)
