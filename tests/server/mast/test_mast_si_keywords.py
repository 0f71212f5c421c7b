"""``Mast.Jwst.Filtered.<Instrument>``: SI keyword search over the instrument tables."""

from __future__ import annotations

import pytest
from mast_portal import Portal

from jwstarchive.catalog.schema_si import INSTRUMENT_TABLES


@pytest.mark.parametrize("instrument", sorted(INSTRUMENT_TABLES))
def test_every_instrument_service(portal: Portal, catalog, instrument: str) -> None:
    table, service, _ = INSTRUMENT_TABLES[instrument]
    total = catalog.execute(f"SELECT count(*) FROM mast.{table}").fetchone()[0]
    count = portal.invoke(service, {"columns": "COUNT_BIG(*)", "filters": []})
    assert count["data"][0]["Column1"] == total
    doc = portal.invoke(service, {"columns": "*", "filters": []}, pagesize=3)
    assert doc["paging"]["rowsFiltered"] == total
    names = [f["name"] for f in doc["fields"]]
    assert names[:4] == [c[0] for c in catalog.execute(f"DESCRIBE mast.{table}").fetchall()][:4]
    assert {r["instrume"] for r in doc["data"]} <= {instrument}


def test_nirspec_filters_and_ranges(portal: Portal, catalog) -> None:
    lo, hi = catalog.execute("SELECT min(date_obs_mjd), median(date_obs_mjd) FROM mast.si_nirspec").fetchone()
    expected = {
        r[0]
        for r in catalog.execute(
            "SELECT filename FROM mast.si_nirspec WHERE exp_type IN ('NRS_MSASPEC', 'NRS_IFU') "
            "AND date_obs_mjd BETWEEN ? AND ?",
            [lo, hi],
        ).fetchall()
    }
    assert expected
    rows = portal.rows(
        "Mast.Jwst.Filtered.Nirspec",
        {
            "columns": "filename, exp_type, date_obs, date_obs_mjd",
            "filters": [
                {"paramName": "exp_type", "values": ["nrs_msaspec", "NRS_IFU"]},
                {"paramName": "date_obs_mjd", "values": [{"min": lo, "max": hi}]},
            ],
        },
    )
    assert {r["filename"] for r in rows} == expected
    assert all(r["date_obs"].startswith("/Date(") and r["date_obs"].endswith(")/") for r in rows)
    assert {r["exp_type"] for r in rows} <= {"NRS_MSASPEC", "NRS_IFU"}


def test_service_name_any_case_and_bare_values(portal: Portal, catalog) -> None:
    program = catalog.execute("SELECT min(program) FROM mast.si_nirspec").fetchone()[0]
    expected = catalog.execute("SELECT count(*) FROM mast.si_nirspec WHERE program = ?", [program]).fetchone()[0]
    # Mast.mast_query sends scalars and bare {min, max} objects unwrapped
    rows = portal.rows(
        "Mast.Jwst.Filtered.NIRSpec",
        {"columns": ["filename", "program"], "filters": [{"paramName": "program", "values": program.zfill(5)}]},
    )
    assert len(rows) == expected and {r["program"] for r in rows} == {program}
    ranged = portal.rows(
        "Mast.Jwst.Filtered.Nirspec",
        {"columns": "filename", "filters": [{"paramName": "fileSize", "values": {"min": 0, "max": 10**12}}]},
    )
    assert len(ranged) == catalog.execute("SELECT count(*) FROM mast.si_nirspec").fetchone()[0]


def test_logicals_match_any_case(portal: Portal, catalog) -> None:
    expected = catalog.execute("SELECT count(*) FROM mast.si_niriss WHERE tsovisit = 't'").fetchone()[0]
    doc = portal.invoke(
        "Mast.Jwst.Filtered.Niriss",
        {"columns": "COUNT_BIG(*)", "filters": [{"paramName": "tsovisit", "values": ["T"]}]},
    )
    assert doc["data"][0]["Column1"] == expected


def test_unknown_keyword_suggests(portal: Portal) -> None:
    msg = portal.error(
        "Mast.Jwst.Filtered.Niriss", {"columns": "*", "filters": [{"paramName": "exptype", "values": ["x"]}]}
    )
    assert "exptype" in msg and "exp_type" in msg
