"""The real astroquery.mast (0.4.11), unchanged, against the live server: only its URLs are pointed at it.

astroquery freezes its MAST URLs into class attributes at import, so the fixture overwrites them
(as jwql and jwst_mast_query do) and gives each query object the server's ``/whoami``. Its
internet-only helpers (the SANTA name resolver, cloud path lookup) are replaced by a function that
fails the test, and cloud access stays off, so nothing here can reach the internet.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest

astroquery_mast = pytest.importorskip("astroquery.mast")

from astropy import units as u  # noqa: E402
from astropy.coordinates import SkyCoord  # noqa: E402
from astropy.table import Table  # noqa: E402

pytestmark = [
    pytest.mark.compat,
    # requests' connection pool leaves sockets to the garbage collector (ResourceWarning).
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


def _no_internet(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError(f"astroquery tried to reach the internet: {args!r}")


@pytest.fixture(autouse=True)
def collect_leaked_sockets() -> Iterator[None]:
    """Collect requests' pooled sockets inside the test, where the ResourceWarning filter applies."""
    yield
    gc.collect()


@pytest.fixture(scope="module")
def aq(live_server) -> Iterator[Any]:
    """astroquery.mast with ``Observations`` and ``Mast`` objects aimed at the live server."""
    from astroquery.mast import MastClass, ObservationsClass, utils
    from astroquery.mast.discovery_portal import PortalAPI

    url = live_server.url
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(astroquery_mast.conf, "server", url)
        mp.setattr(PortalAPI, "MAST_REQUEST_URL", url + "/api/v0/invoke")
        mp.setattr(PortalAPI, "COLUMNS_CONFIG_URL", url + "/portal/Mashup/Mashup.asmx/columnsconfig")
        mp.setattr(PortalAPI, "MAST_DOWNLOAD_URL", url + "/api/v0.1/Download/file")
        mp.setattr(PortalAPI, "MAST_BUNDLE_URL", url + "/api/v0.1/Download/bundle")
        mp.setattr(PortalAPI, "_column_configs", {})
        mp.setattr(utils, "_simple_request", _no_internet)
        mp.delenv("MAST_API_TOKEN", raising=False)
        observations, mast = ObservationsClass(), MastClass()
        for query in (observations, mast):
            query._auth_obj.SESSION_INFO_URL = url + "/whoami"
            assert query._cloud_connection is None
        yield type("AQ", (), {"Observations": observations, "Mast": mast, "url": url})
        for query in (observations, mast):
            query._session.close()


@pytest.fixture(scope="module")
def catalog(archive_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(archive_dir / "catalog.duckdb"), read_only=True)
    yield con
    con.close()


def _obsids(catalog, where: str, params: list | None = None) -> set[str]:
    rows = catalog.execute(f"SELECT obsid FROM mast.caom_observation WHERE {where}", params or []).fetchall()
    return {str(r[0]) for r in rows}


def test_list_missions(aq, catalog) -> None:
    rows = catalog.execute("SELECT DISTINCT obs_collection FROM mast.caom_observation").fetchall()
    collections = {r[0] for r in rows}
    assert aq.Observations.list_missions() == sorted(collections)


def test_query_criteria_by_program(aq, catalog) -> None:
    table = aq.Observations.query_criteria(obs_collection="JWST", proposal_id=1621)
    assert isinstance(table, Table)
    assert set(table["obsid"]) == _obsids(catalog, "proposal_id = '1621'")
    assert set(table["proposal_id"]) == {"1621"}
    assert table["s_ra"].dtype == np.float64 and table["calib_level"].dtype == np.int64


def test_query_criteria_by_instrument_and_mode(aq, catalog) -> None:
    exact = aq.Observations.query_criteria(instrument_name="NIRSPEC/IFU", dataproduct_type="cube")
    assert set(exact["obsid"]) == _obsids(catalog, "instrument_name = 'NIRSPEC/IFU' AND dataproduct_type = 'cube'")
    wild = aq.Observations.query_criteria(instrument_name="NIRCAM*", filters=["F200W", "F444W"], calib_level=[3])
    expected = _obsids(
        catalog,
        "instrument_name LIKE 'NIRCAM%' AND calib_level = 3 AND "
        "list_has_any(string_split(filters, ';'), ['F200W', 'F444W'])",
    )
    assert expected and set(wild["obsid"]) == expected


def test_query_criteria_count(aq, catalog) -> None:
    count = aq.Observations.query_criteria_count(instrument_name="MIRI*", t_exptime=[100, 10_000])
    expected = len(_obsids(catalog, "instrument_name LIKE 'MIRI%' AND t_exptime BETWEEN 100 AND 10000"))
    assert count == expected > 0


def test_invalid_criterion_is_refused_with_a_suggestion(aq) -> None:
    from astroquery.exceptions import InvalidQueryError

    with pytest.raises(InvalidQueryError, match="obs_collection"):
        aq.Observations.query_criteria(oops_collection="JWST")


def test_query_region(aq, catalog) -> None:
    centre = SkyCoord(53.16, -27.79, unit="deg")
    table = aq.Observations.query_region(centre, radius=0.05 * u.deg)
    rows = catalog.execute("SELECT obsid, s_ra, s_dec FROM mast.caom_observation").fetchall()
    seps = centre.separation(SkyCoord([r[1] for r in rows], [r[2] for r in rows], unit="deg")).arcsec
    expected = {str(r[0]) for r, s in zip(rows, seps, strict=True) if s <= 180.0}
    assert expected and set(table["obsid"]) == expected
    assert list(table["distance"]) == sorted(table["distance"])
    positioned = aq.Observations.query_criteria(coordinates=centre, radius=0.05 * u.deg, instrument_name="MIRI*")
    assert set(positioned["obsid"]) == {
        o for o, i in zip(table["obsid"], table["instrument_name"], strict=True) if i.startswith("MIRI")
    }


@pytest.fixture(scope="module")
def program_products(aq) -> tuple[Table, Table]:
    observations = aq.Observations.query_criteria(proposal_id="2733")
    batch = observations[:12]
    return batch, aq.Observations.get_product_list(batch)


def test_get_product_list_over_a_batch(program_products, catalog) -> None:
    batch, products = program_products
    assert set(products["parent_obsid"]) == set(batch["obsid"])
    assert all(
        uri == "mast:JWST/product/" + name
        for uri, name in zip(products["dataURI"], products["productFilename"], strict=True)
    )
    for obsid in batch["obsid"][:3]:
        own = {
            r[0] for r in catalog.execute("SELECT filename FROM core.product WHERE obsid = ?", [int(obsid)]).fetchall()
        }
        listed = set(products["productFilename"][products["parent_obsid"] == obsid])
        assert own <= listed


def test_filter_products(aq, program_products) -> None:
    _, products = program_products
    science = aq.Observations.filter_products(products, productType="SCIENCE", calib_level=[2, 3], extension="fits")
    assert len(science) > 0
    assert set(science["productType"]) == {"SCIENCE"}
    assert set(science["calib_level"]) <= {2, 3}
    assert all(name.endswith("fits") for name in science["productFilename"])
    mrp = aq.Observations.filter_products(products, mrp_only=True)
    assert 0 < len(mrp) < len(products)
    assert set(mrp["productGroupDescription"]) == {"Minimum Recommended Products"}


def _small_files(aq, products: Table, n: int) -> Table:
    chosen = aq.Observations.filter_products(products, extension=["_asn.json", ".jpg"])
    unique = chosen[np.unique(chosen["dataURI"], return_index=True)[1]]
    return unique[:n]


def test_download_products_then_skip(aq, program_products, tmp_path: Path) -> None:
    _, products = program_products
    wanted = _small_files(aq, products, 4)
    assert len(wanted) == 4
    manifest = aq.Observations.download_products(wanted, download_dir=str(tmp_path), verbose=False)
    assert list(manifest["Status"]) == ["COMPLETE"] * 4
    stamps = {}
    for row, path in zip(wanted, manifest["Local Path"], strict=True):
        path = Path(path)
        assert path == tmp_path / "mastDownload" / "JWST" / row["obs_id"] / row["productFilename"]
        assert path.stat().st_size == row["size"]
        stamps[path] = path.stat().st_mtime_ns
    again = aq.Observations.download_products(wanted, download_dir=str(tmp_path), verbose=False)
    assert list(again["Status"]) == ["COMPLETE"] * 4
    assert {Path(p): Path(p).stat().st_mtime_ns for p in again["Local Path"]} == stamps


def test_curl_script(aq, program_products, tmp_path: Path) -> None:
    _, products = program_products
    wanted = _small_files(aq, products, 3)
    manifest = aq.Observations.download_products(wanted, download_dir=str(tmp_path), curl_flag=True, verbose=False)
    [path] = manifest["Local Path"]
    assert manifest["Status"][0] == "COMPLETE"
    script = Path(path).read_text()
    assert script.startswith("#!/bin/bash")
    for uri, obs_id, name in zip(wanted["dataURI"], wanted["obs_id"], wanted["productFilename"], strict=True):
        assert f"uri={uri}" in script and f"JWST/{obs_id}/{name}" in script
    assert aq.url + "/api/v0.1/Download/file" in script


def test_service_request_nirspec(aq, catalog) -> None:
    total = catalog.execute("SELECT count(*) FROM mast.si_nirspec").fetchone()[0]
    everything = aq.Mast.service_request_async("Mast.Jwst.Filtered.Nirspec", {"columns": "*", "filters": []})
    assert sum(len(r.json()["data"]) for r in everything) == total
    params = {
        "columns": "filename, exp_type, productLevel, date_obs_mjd",
        "filters": [
            {"paramName": "exp_type", "values": ["NRS_MSASPEC"]},
            {"paramName": "productLevel", "values": ["2a", "2b"]},
        ],
    }
    responses = aq.Mast.service_request_async("Mast.Jwst.Filtered.Nirspec", params)
    rows = [row for r in responses for row in r.json()["data"]]
    expected = {
        r[0]
        for r in catalog.execute(
            "SELECT filename FROM mast.si_nirspec WHERE exp_type = 'NRS_MSASPEC' AND productLevel IN ('2a', '2b')"
        ).fetchall()
    }
    assert expected and {r["filename"] for r in rows} == expected
    table = aq.Mast.service_request("Mast.Jwst.Filtered.Nirspec", params)
    assert set(table["filename"]) == expected and table.colnames == [
        "filename",
        "exp_type",
        "productLevel",
        "date_obs_mjd",
    ]


def test_proprietary_download_needs_a_token(aq, live_server, run_jwstarchive, tmp_path: Path) -> None:
    observations = aq.Observations.query_criteria(proposal_id="7123", dataRights="EXCLUSIVE_ACCESS")
    assert len(observations) > 0
    products = aq.Observations.get_product_list(observations[:1])
    wanted = _small_files(aq, aq.Observations.filter_products(products, dataRights="EXCLUSIVE_ACCESS"), 1)
    assert len(wanted) == 1
    denied = aq.Observations.download_products(wanted, download_dir=str(tmp_path), verbose=False)
    assert denied["Status"][0] == "ERROR" and "401" in denied["Message"][0]
    made = run_jwstarchive("token", "create", "--user", "demo", "--archive", str(live_server.archive))
    assert made.returncode == 0, made.stderr
    aq.Observations.login(token=made.stdout.strip())
    try:
        assert aq.Observations.session_info(verbose=False)["ezid"] == "demo"
        granted = aq.Observations.download_products(wanted, download_dir=str(tmp_path), verbose=False)
        assert granted["Status"][0] == "COMPLETE"
        assert os.path.getsize(granted["Local Path"][0]) == wanted["size"][0]
    finally:
        aq.Observations.logout()
