"""MAST's "JWST SI Keyword Search for Exoplanet Spectra" tutorial, end to end with jwstarchive.mast on the demo archive.

Steps as the tutorial: NIRISS SOSS TSO COM/ERS keyword search between 2022-06-01 and 2022-08-04 ->
unique observation ids -> products in batches of five -> unique by productFilename -> level 2/3
SCIENCE + INFO -> a curl script, and one downloaded file opened with astropy. Also the LRE5 case:
every product of the 264-observation program 01410 listed in one call.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from astropy.io import fits
from astropy.table import Table, unique, vstack

from jwstarchive.mast import MastClass, ObservationsClass, keyword_filters, keyword_search

KEYWORDS = {
    "category": ["COM", "ERS"],
    "exp_type": ["NIS_SOSS"],
    "tsovisit": ["T"],
    "date_obs_mjd": [("2022-06-01", "2022-08-04")],
}


@pytest.fixture
def observations(demo_server: Any) -> Iterator[ObservationsClass]:
    with ObservationsClass(mast_url=demo_server.url) as client:
        yield client


def _observation_ids(files: Table) -> list[str]:
    """CAOM obs_ids from the files' fileSetName: level 3 as is, exposures with the NIRISS detector suffix."""
    ids = []
    for fileset in sorted(set(files["fileSetName"])):
        ids.append(fileset if "-o" in fileset else f"{fileset}_nis")
    return ids


def test_si_keyword_tutorial_end_to_end(
    demo_server: Any, observations: ObservationsClass, tmp_path: Path, curl: str
) -> None:
    # Part I: the keyword search, once through the tutorial's raw service call and once through the helper.
    params = {"columns": "*", "filters": keyword_filters(KEYWORDS)}
    with MastClass(mast_url=demo_server.url) as mast:
        raw = mast.service_request_async("Mast.Jwst.Filtered.Niriss", params)
    raw_rows = [row for response in raw for row in response.json()["data"]]
    files = keyword_search(KEYWORDS, instrument="niriss", mast_url=demo_server.url)
    assert len(files) == len(raw_rows) > 0
    assert set(files["exp_type"]) == {"NIS_SOSS"}
    assert set(files["category"]) <= {"COM", "ERS"}
    assert {str(v).upper() for v in files["tsovisit"]} == {"T"}
    assert all(59731.0 <= mjd <= 59795.0 for mjd in files["date_obs_mjd"])
    assert {name[:7] for name in files["filename"]} <= {"jw01091", "jw01366"}

    # Part II: unique observation ids -> an Observations search.
    obs_ids = _observation_ids(files)
    matched_obs = observations.query_criteria(obs_collection="JWST", obs_id=obs_ids)
    assert sorted(matched_obs["obs_id"]) == obs_ids

    # Part III: products in batches of five, stacked, unique by productFilename.
    batch_size = 5
    batches = [matched_obs[i : i + batch_size] for i in range(0, len(matched_obs), batch_size)]
    tables = [observations.get_product_list(batch, unique=False) for batch in batches]
    products = unique(vstack(tables), keys="productFilename")
    ours = observations.get_product_list(matched_obs, batch_size=batch_size)
    assert sorted(ours["productFilename"]) == sorted(products["productFilename"])
    assert len(products) < sum(len(t) for t in tables), "the tutorial's unique() should drop shared files"

    filtered = observations.filter_products(products, productType=["SCIENCE", "INFO"], calib_level=[2, 3])
    assert len(filtered) > 0
    assert set(filtered["productType"]) == {"SCIENCE", "INFO"}
    assert set(filtered["calib_level"]) <= {2, 3}

    # The bash script for the whole list ...
    manifest = observations.download_products(filtered, download_dir=tmp_path / "script", curl_flag=True)
    assert manifest["Status"][0] == "COMPLETE"
    script = Path(manifest["Local Path"][0])
    text = script.read_text()
    assert text.count("curl ") >= len(set(filtered["dataURI"]))
    few = filtered[filtered["productType"] == "INFO"][:2]
    small = observations.download_products(few, download_dir=tmp_path / "few", curl_flag=True)
    run = subprocess.run(["bash", str(small["Local Path"][0])], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    for row in few:
        landed = tmp_path / "few" / "mastDownload" / "JWST" / row["obs_id"] / row["productFilename"]
        assert landed.stat().st_size == row["size"]

    # ... and one level-2 rate file downloaded and opened with astropy.
    rate = observations.filter_products(filtered, productSubGroupDescription="RATE", extension="_rate.fits")
    assert len(rate) > 0
    one = observations.download_products(rate[:1], download_dir=tmp_path, flat=True)
    assert list(one["Status"]) == ["COMPLETE"]
    path = Path(one["Local Path"][0])
    assert path.name == rate[0]["productFilename"] and path.stat().st_size == rate[0]["size"]
    with fits.open(path) as hdul:
        assert hdul[0].header["EXP_TYPE"] == "NIS_SOSS"
        assert hdul[0].header["INSTRUME"] == "NIRISS"
        sci = hdul["SCI"].data
    assert sci is not None and sci.ndim >= 2


def test_lre5_program_01410_lists_every_product(observations: ObservationsClass) -> None:
    obs = observations.query_criteria(obs_collection="JWST", proposal_id="1410")
    assert len(obs) >= 264
    every = observations.get_product_list(obs, unique=False)
    products = observations.get_product_list(obs)
    assert len(products) > 17000
    assert len(products) == len(set(every["productFilename"])) < len(every)
    assert set(every["parent_obsid"]) == set(obs["obsid"])
    guide_stars = [name for name in products["productFilename"] if "_gs-" in name]
    assert len(guide_stars) > 5000
