"""``/api/v0/invoke``: the CAOM observation services, filters, paging, counts, polling and errors."""

from __future__ import annotations

import json
import math

import pytest
from mast_portal import Portal, ids

FILTERED = "Mast.Caom.Filtered"


def _expected(catalog, where: str, params: list | None = None) -> set[int]:
    rows = catalog.execute(f"SELECT obsid FROM mast.caom_observation WHERE {where}", params or []).fetchall()
    return {r[0] for r in rows}


def test_filtered_by_program_padded_or_not(portal: Portal, catalog) -> None:
    expected = _expected(catalog, "proposal_id = '1621'")
    assert expected
    for value in ("1621", "01621", 1621):
        rows = portal.rows(FILTERED, {"columns": "*", "filters": [{"paramName": "proposal_id", "values": [value]}]})
        assert ids(r["obsid"] for r in rows) == expected
        assert {r["proposal_id"] for r in rows} == {"1621"}


def test_separator_matches_any_token(portal: Portal, catalog) -> None:
    expected = _expected(catalog, "list_contains(string_split(filters, ';'), 'G395H')")
    assert expected
    rows = portal.rows(
        FILTERED, {"columns": "*", "filters": [{"paramName": "filters", "separator": ";", "values": ["g395h"]}]}
    )
    assert ids(r["obsid"] for r in rows) == expected
    assert all("G395H" in r["filters"].split(";") for r in rows)


def test_free_text_pattern(portal: Portal, catalog) -> None:
    expected = _expected(catalog, "instrument_name LIKE 'NIRSPEC%'")
    assert expected
    rows = portal.rows(
        FILTERED, {"columns": "*", "filters": [{"paramName": "instrument_name", "values": [], "freeText": "nirspec%"}]}
    )
    assert ids(r["obsid"] for r in rows) == expected
    star = portal.rows(
        FILTERED, {"columns": "obsid", "filters": [{"paramName": "instrument_name", "values": ["NIRSPEC*"]}]}
    )
    assert ids(r["obsid"] for r in star) == expected


def test_values_and_ranges(portal: Portal, catalog) -> None:
    lo, hi = catalog.execute(
        "SELECT quantile_cont(t_min, 0.25), quantile_cont(t_min, 0.75) FROM mast.caom_observation"
    ).fetchone()
    expected = _expected(catalog, "t_min BETWEEN ? AND ? AND calib_level = 3", [lo, hi])
    assert expected
    rows = portal.rows(
        FILTERED,
        {
            "columns": "*",
            "filters": [
                {"paramName": "t_min", "values": [{"min": lo, "max": hi}]},
                {"paramName": "calib_level", "values": ["3"]},
            ],
        },
    )
    assert ids(r["obsid"] for r in rows) == expected
    assert all(lo <= r["t_min"] <= hi and r["calib_level"] == 3 for r in rows)
    open_ended = portal.rows(
        FILTERED, {"columns": "obsid", "filters": [{"paramName": "t_min", "values": [{"min": hi, "max": None}]}]}
    )
    assert ids(r["obsid"] for r in open_ended) == _expected(catalog, "t_min >= ?", [hi])


def test_values_ored_filters_anded_any_case(portal: Portal, catalog) -> None:
    expected = _expected(catalog, "proposal_id IN ('1621', '2733') AND dataproduct_type = 'image'")
    rows = portal.rows(
        FILTERED,
        {
            "columns": "*",
            "filters": [
                {"PARAMNAME": "Proposal_ID", "values": ["1621", "2733"]},
                {"paramName": "dataproduct_type", "values": ["IMAGE"]},
            ],
        },
    )
    assert ids(r["obsid"] for r in rows) == expected


def test_exclusive_access_rows_are_listed(portal: Portal, catalog) -> None:
    expected = _expected(catalog, "proposal_id = '7123'")
    rows = portal.rows(FILTERED, {"columns": "*", "filters": [{"paramName": "proposal_id", "values": ["7123"]}]})
    assert ids(r["obsid"] for r in rows) == expected
    assert "EXCLUSIVE_ACCESS" in {r["dataRights"] for r in rows}


def test_columns_list_and_types(portal: Portal) -> None:
    doc = portal.invoke(
        FILTERED,
        {
            "columns": "obs_id, obsid,s_ra,calib_level,mtFlag",
            "filters": [{"paramName": "proposal_id", "values": ["1621"]}],
        },
    )
    assert [f["name"] for f in doc["fields"]] == ["obs_id", "obsid", "s_ra", "calib_level", "mtFlag"]
    assert [f["type"] for f in doc["fields"]] == ["string", "string", "double", "int", "boolean"]
    assert all(set(row) == {"obs_id", "obsid", "s_ra", "calib_level", "mtFlag"} for row in doc["data"])


def test_only_types_astroquery_understands(portal: Portal) -> None:
    known = {"string", "datetime", "boolean", "int", "long", "float", "double"}
    for service, params in [
        (FILTERED, {"columns": "*", "filters": [{"paramName": "proposal_id", "values": ["1621"]}]}),
        ("Mast.Caom.Cone", {"ra": 53.16, "dec": -27.79, "radius": 0.2}),
        ("Mast.Jwst.Filtered.Nirspec", {"columns": "*", "filters": []}),
    ]:
        doc = portal.invoke(service, params, pagesize=5)
        assert {f["type"] for f in doc["fields"]} <= known, service


def test_count_big(portal: Portal, catalog) -> None:
    filters = [{"paramName": "instrument_name", "values": [], "freeText": "NIRCAM%"}]
    doc = portal.invoke(FILTERED, {"columns": "COUNT_BIG(*)", "filters": filters})
    assert doc["fields"] == [{"name": "Column1", "type": "string"}]
    assert doc["data"][0]["Column1"] == len(_expected(catalog, "instrument_name LIKE 'NIRCAM%'"))
    everything = portal.invoke(FILTERED, {"columns": "count_big(*)", "filters": []})
    assert (
        everything["data"][0]["Column1"] == catalog.execute("SELECT count(*) FROM mast.caom_observation").fetchone()[0]
    )


def test_paging_covers_every_row_once(portal: Portal, catalog) -> None:
    params = {"columns": "obsid", "filters": [{"paramName": "proposal_id", "values": ["2733"]}]}
    expected = _expected(catalog, "proposal_id = '2733'")
    size = 7
    pages = math.ceil(len(expected) / size)
    seen: list[int] = []
    for page in range(1, pages + 1):
        doc = portal.invoke(FILTERED, params, pagesize=size, page=page)
        paging = doc["paging"]
        assert paging["page"] == page and paging["pageSize"] == size
        assert paging["pagesFiltered"] == pages and paging["rowsFiltered"] == len(expected)
        assert paging["rows"] == len(doc["data"]) <= size
        seen += [int(r["obsid"]) for r in doc["data"]]
    assert len(seen) == len(expected) and set(seen) == expected
    past = portal.invoke(FILTERED, params, pagesize=size, page=pages + 1)
    assert past["data"] == [] and past["paging"]["rowsFiltered"] == len(expected)


def test_cone_distance_and_order(portal: Portal, catalog) -> None:
    from astropy import units as u
    from astropy.coordinates import SkyCoord

    ra, dec, radius = 53.16, -27.79, 0.05
    centre = SkyCoord(ra * u.deg, dec * u.deg)
    everything = catalog.execute("SELECT obsid, s_ra, s_dec FROM mast.caom_observation").fetchall()
    seps = {o: centre.separation(SkyCoord(r * u.deg, d * u.deg)).arcsec for o, r, d in everything}
    expected = {o for o, s in seps.items() if s <= radius * 3600}
    assert expected
    rows = portal.rows("Mast.Caom.Cone", {"ra": ra, "dec": dec, "radius": radius})
    assert ids(r["obsid"] for r in rows) == expected
    distances = [r["distance"] for r in rows]
    assert distances == sorted(distances)
    for r in rows:
        assert r["distance"] == pytest.approx(seps[int(r["obsid"])], abs=1e-3)


def test_filtered_position(portal: Portal, catalog) -> None:
    rows = portal.rows(
        "Mast.Caom.Filtered.Position",
        {
            "columns": "*",
            "filters": [{"paramName": "instrument_name", "values": ["MIRI/IMAGE"]}],
            "position": "53.16, -27.79, 0.05",
        },
    )
    cone = portal.rows("Mast.Caom.Cone", {"ra": 53.16, "dec": -27.79, "radius": 0.05})
    expected = {int(r["obsid"]) for r in cone if r["instrument_name"] == "MIRI/IMAGE"}
    assert expected and ids(r["obsid"] for r in rows) == expected
    assert all(r["distance"] <= 180.0 for r in rows)
    count = portal.invoke(
        "Mast.Caom.Filtered.Position", {"columns": "COUNT_BIG(*)", "filters": [], "position": "53.16, -27.79, 0.05"}
    )
    assert count["data"][0]["Column1"] == len(cone)


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v0/invoke", "GET"),
        ("/portal/Mashup/Mashup.asmx/invoke", "POST"),
        ("/portal_jwst/Mashup/Mashup.asmx/invoke", "POST"),
    ],
)
def test_other_paths_and_get(portal: Portal, catalog, path: str, method: str) -> None:
    rows = portal.rows(
        FILTERED,
        {"columns": "*", "filters": [{"paramName": "proposal_id", "values": ["01621"]}]},
        path=path,
        method=method,
    )
    assert ids(r["obsid"] for r in rows) == _expected(catalog, "proposal_id = '1621'")


def test_executing_then_complete(portal: Portal) -> None:
    request = {
        "service": FILTERED,
        "params": {"columns": "obsid", "filters": [{"paramName": "proposal_id", "values": ["2733"]}]},
        "format": "json",
        "pagesize": 50000,
        "page": 1,
        "timeout": 0,
        "cacheBreaker": "executing-test",
    }
    first = portal.raw(request).json()
    assert first["status"] == "EXECUTING"
    for _ in range(10_000):
        doc = portal.raw(request).json()
        if doc["status"] != "EXECUTING":
            break
    assert doc["status"] == "COMPLETE"
    direct = portal.rows(FILTERED, request["params"])
    assert doc["data"] == direct


def test_name_lookup(portal: Portal) -> None:
    doc = portal.invoke("Mast.Name.Lookup", {"input": "Abell 2744", "format": "json"})
    [found] = doc["resolvedCoordinate"]
    assert found["canonicalName"] == "ABELL-2744"
    assert found["ra"] == pytest.approx(3.5875) and found["decl"] == pytest.approx(-30.3975)
    assert found["searchString"] == "abell 2744"
    assert portal.invoke("Mast.Name.Lookup", {"input": "no such object xyz"})["resolvedCoordinate"] == []


@pytest.mark.parametrize(
    ("service", "params", "props", "fragment"),
    [
        ("Mast.Caom.Nope", {}, {}, "unknown service"),
        (
            FILTERED,
            {"columns": "*", "filters": [{"paramName": "oops_collection", "values": ["JWST"]}]},
            {},
            "obs_collection",
        ),
        (FILTERED, {"columns": "obs_idd", "filters": []}, {}, "obs_id"),
        (
            FILTERED,
            {"columns": "*", "filters": [{"paramName": "t_min", "values": [{"min": "soon", "max": 2}]}]},
            {},
            "number",
        ),
        (FILTERED, {"columns": "*", "filters": [{"paramName": "t_min", "values": [{"low": 1}]}]}, {}, "min"),
        (FILTERED, {"columns": "*", "filters": "proposal_id=1621"}, {}, "filters"),
        (FILTERED, {"columns": "*", "filters": [{"values": ["x"]}]}, {}, "paramName"),
        (FILTERED, {"columns": "*", "filters": [{"paramName": "mtFlag", "values": ["maybe"]}]}, {}, "true/false"),
        ("Mast.Caom.Cone", {"ra": "x", "dec": 1, "radius": 0.1}, {}, "ra"),
        ("Mast.Caom.Cone", {"ra": 1, "dec": 95, "radius": 0.1}, {}, "dec"),
        ("Mast.Caom.Cone", {"ra": 1, "dec": 5, "radius": -1}, {}, "radius"),
        ("Mast.Caom.Filtered.Position", {"columns": "*", "filters": [], "position": "a, b"}, {}, "position"),
        ("Mast.Caom.Filtered.Position", {"columns": "*", "filters": []}, {}, "position"),
        ("Mast.Caom.Products", {"obsid": "jw01621001001_02101_00001_nrs1"}, {}, "obs_id"),
        ("Mast.Caom.Products", {"obsid": ""}, {}, "obsid"),
        ("Mast.Name.Lookup", {}, {}, "input"),
        (FILTERED, {"columns": "*", "filters": []}, {"format": "votable"}, "format"),
        (FILTERED, {"columns": "*", "filters": []}, {"pagesize": "many"}, "pagesize"),
        (FILTERED, {"columns": "*", "filters": []}, {"page": 0}, "page"),
    ],
)
def test_bad_requests_get_error_documents(portal: Portal, service, params, props, fragment: str) -> None:
    assert fragment.lower() in portal.error(service, params, **props).lower()


@pytest.mark.parametrize(
    "body", ["", "request=", "request=%7Bnot%20json", "request=%5B1%2C2%5D", "request=%7B%7D", "x=1"]
)
def test_malformed_requests_never_500(portal: Portal, body: str) -> None:
    response = portal.client.post(
        portal.url + "/api/v0/invoke", content=body, headers={"Content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 200
    doc = response.json()
    assert doc["status"] == "ERROR" and doc["msg"]


def test_unknown_request_keys_are_ignored(portal: Portal) -> None:
    request = {
        "service": FILTERED,
        "params": {"columns": "obsid", "filters": [{"paramName": "proposal_id", "values": ["1621"]}]},
        "format": "json",
        "pagesize": 10,
        "page": 1,
        "removenullcolumns": True,
        "clearcache": False,
        "cachebreaker": "abc",
        "somethingNew": json.dumps({"x": 1}),
    }
    assert portal.raw(request).json()["status"] == "COMPLETE"


def test_jwst_mast_query_request_shapes(portal: Portal, catalog) -> None:
    """jwst_mast_query's portal path: a padded program, a null lower time bound, products with a columns list."""
    hi = catalog.execute("SELECT max(t_min) FROM mast.caom_observation").fetchone()[0]
    expected = _expected(catalog, "proposal_id = '1621' AND instrument_name IN ('NIRSPEC/IFU', 'NIRSPEC/MSA')")
    rows = portal.rows(
        FILTERED,
        {
            "columns": "obsid,obs_id,instrument_name,t_min",
            "filters": [
                {"paramName": "obs_collection", "values": ["JWST"]},
                {"paramName": "instrument_name", "values": ["NIRSPEC/IFU", "NIRSPEC/MSA"]},
                {"paramName": "t_min", "values": [{"min": None, "max": hi}]},
                {"paramName": "proposal_id", "values": ["01621"]},
            ],
        },
        path="/portal_jwst/Mashup/Mashup.asmx/invoke",
    )
    assert expected and ids(r["obsid"] for r in rows) == expected
    some = sorted(expected)[:4]
    products = portal.rows(
        "Mast.Caom.Products",
        {"obsid": ",".join(map(str, some)), "columns": ["type", "productType"]},
        path="/portal_jwst/Mashup/Mashup.asmx/invoke",
    )
    assert {int(r["parent_obsid"]) for r in products} == set(some)
    assert "productFilename" in products[0]


def test_caom_all_histograms(portal: Portal, catalog) -> None:
    """``Mast.Caom.All`` (extjs): one histogram per facet column, counts as in the catalog, no rows."""
    doc = portal.invoke("Mast.Caom.All", {}, format="extjs")
    assert doc["status"] == "COMPLETE"
    table = doc["data"]["Tables"][0]
    assert table["Rows"] == []
    facets = {c["text"]: c["ExtendedProperties"]["histObj"] for c in table["Columns"]}
    expected = dict(
        catalog.execute("SELECT instrument_name, count(*) FROM mast.caom_observation GROUP BY 1").fetchall()
    )
    hist = facets["instrument_name"]
    assert {h["key"]: h["count"] for h in hist["hist"]} == expected
    assert all(hist[key]["count"] == n for key, n in expected.items())
    assert sorted(k for k in facets["obs_collection"] if k != "hist") == ["JWST"]
