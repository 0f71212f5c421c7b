"""``jwstarchive.mast`` against the real server on loopback (small archive): the issue's scenarios."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.coordinates import SkyCoord
from astropy.table import Table

from jwstarchive.errors import AuthenticationError, InputError, NameResolutionError, QueryFailed
from jwstarchive.mast import MastClass, ObservationsClass

WASP39 = SkyCoord(217.3266, -3.4445, unit="deg")


@pytest.fixture
def observations(live_server: Any) -> Iterator[ObservationsClass]:
    client = ObservationsClass(mast_url=live_server.url)
    yield client
    client.close()


@pytest.fixture
def mast(live_server: Any) -> Iterator[MastClass]:
    client = MastClass(mast_url=live_server.url)
    yield client
    client.close()


@pytest.fixture
def demo_token(live_server: Any, run_jwstarchive: Callable[..., Any]) -> str:
    """A MAST token of user ``demo``, who holds the small archive's exclusive-access programs."""
    proc = run_jwstarchive("token", "create", "--user", "demo", "--archive", str(live_server.archive))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


def test_query_criteria_by_program(observations: ObservationsClass) -> None:
    obs = observations.query_criteria(obs_collection="JWST", proposal_id="2733")
    assert len(obs) > 0
    assert set(obs["proposal_id"]) == {"2733"}
    assert obs["s_ra"].dtype.kind == "f" and obs["calib_level"].dtype.kind == "i"
    assert obs["obsid"].dtype.kind == "U"


def test_query_criteria_by_instrument_mode_with_wildcard(observations: ObservationsClass) -> None:
    soss = observations.query_criteria(instrument_name="NIRISS/SOSS")
    niriss = observations.query_criteria(instrument_name="NIRISS*")
    assert len(soss) > 0 and set(soss["instrument_name"]) == {"NIRISS/SOSS"}
    assert len(niriss) >= len(soss)
    assert all(name.startswith("NIRISS") for name in niriss["instrument_name"])


def test_query_criteria_with_range_and_position(observations: ObservationsClass) -> None:
    everything = observations.query_criteria(proposal_id="1366")
    t_mid = float(np.median(np.asarray(everything["t_min"])))
    early = observations.query_criteria(proposal_id="1366", t_min=[0, t_mid])
    assert 0 < len(early) < len(everything)
    assert all(t <= t_mid for t in early["t_min"])
    near = observations.query_criteria(coordinates=WASP39, radius="3 arcmin", proposal_id="1366")
    assert len(near) > 0 and "distance" in near.colnames


def test_query_criteria_count_matches_query(observations: ObservationsClass) -> None:
    obs = observations.query_criteria(proposal_id="2733")
    assert observations.query_criteria_count(proposal_id="2733") == len(obs)
    assert observations.query_criteria_count(proposal_id="99999") == 0


def test_paged_query_equals_one_page(observations: ObservationsClass) -> None:
    whole = observations.query_criteria(obs_collection="JWST")
    paged = observations.query_criteria(obs_collection="JWST", pagesize=7)
    assert len(whole) > 14
    assert sorted(paged["obsid"]) == sorted(whole["obsid"])
    one = observations.query_criteria(obs_collection="JWST", pagesize=7, page=2)
    assert len(one) == 7


def test_query_region_and_object(observations: ObservationsClass) -> None:
    obs = observations.query_region(WASP39, radius=0.05)
    assert len(obs) > 0
    assert "WASP-39" in set(obs["target_name"])
    assert float(np.max(obs["distance"])) <= 0.05 * 3600 + 1
    assert observations.query_region_count("217.3266 -3.4445", radius=0.05) == len(obs)
    by_name = observations.query_object("WASP-39", radius=0.05)
    assert sorted(by_name["obsid"]) == sorted(obs["obsid"])


def test_unknown_target_name(observations: ObservationsClass) -> None:
    with pytest.raises(NameResolutionError, match="Could not resolve"):
        observations.query_object("no such target xyzzy")


def test_unknown_criterion_suggests_a_column(observations: ObservationsClass) -> None:
    with pytest.raises(InputError, match="Did you mean 'instrument_name'"):
        observations.query_criteria(instrument_nam="NIRCAM/IMAGE")
    with pytest.raises(InputError, match="At least one non-positional criterion"):
        observations.query_criteria(coordinates=WASP39)


def test_get_product_list_over_a_batch(observations: ObservationsClass) -> None:
    obs = observations.query_criteria(proposal_id="2733")
    every = observations.get_product_list(obs, batch_size=3, unique=False)
    unique = observations.get_product_list(obs, batch_size=3)
    assert set(every["parent_obsid"]) <= set(obs["obsid"])
    assert len(set(every["parent_obsid"])) > 3
    assert len(unique) == len(set(every["productFilename"])) <= len(every)
    assert unique["size"].dtype.kind == "i" and unique["calib_level"].dtype.kind == "i"
    single = observations.get_product_list(obs[0])
    assert set(single["parent_obsid"]) == {obs[0]["obsid"]}
    with pytest.raises(InputError, match="not an obsid"):
        observations.get_product_list(["jw02733-o001_t001_nircam_clear-f090w"])


def test_filter_products_on_a_listing(observations: ObservationsClass) -> None:
    products = observations.get_product_list(observations.query_criteria(proposal_id="1366"))
    science = observations.filter_products(products, productType=["SCIENCE", "INFO"], calib_level=[2, 3])
    assert 0 < len(science) < len(products)
    assert set(science["productType"]) <= {"SCIENCE", "INFO"}
    assert set(science["calib_level"]) <= {2, 3}
    sub = str(science[science["productType"] == "SCIENCE"][0]["productSubGroupDescription"])
    suffix = f"_{sub.lower()}.fits"
    picked = observations.filter_products(products, extension=suffix, productSubGroupDescription=sub)
    assert len(picked) > 0 and all(name.endswith(suffix) for name in picked["productFilename"])
    assert set(picked["productSubGroupDescription"]) == {sub}


def _small_public_products(observations: ObservationsClass, count: int = 6) -> Table:
    products = observations.get_product_list(observations.query_criteria(proposal_id="1366"))
    fits = observations.filter_products(products, extension="fits", dataRights="PUBLIC")
    fits.sort("size")
    return fits[:count]


def test_download_products_land_with_sizes_and_second_run_skips(
    observations: ObservationsClass, tmp_path: Path
) -> None:
    products = _small_public_products(observations)
    manifest = observations.download_products(products, download_dir=tmp_path)
    assert manifest.colnames == ["Local Path", "Status", "Message", "URL"]
    assert list(manifest["Status"]) == ["COMPLETE"] * len(products)
    for row, product in zip(manifest, products, strict=True):
        path = Path(row["Local Path"])
        assert path == tmp_path / "mastDownload" / "JWST" / product["obs_id"] / product["productFilename"]
        assert path.stat().st_size == product["size"]
    again = observations.download_products(products, download_dir=tmp_path)
    assert list(again["Status"]) == ["COMPLETE"] * len(products)
    assert set(again["Message"]) == {"Found a complete local file; not downloaded again"}


def test_download_products_flat_and_download_file(observations: ObservationsClass, tmp_path: Path) -> None:
    products = _small_public_products(observations, 2)
    manifest = observations.download_products(products, download_dir=tmp_path, flat=True, verbose=False)
    assert sorted(Path(p).name for p in manifest["Local Path"]) == sorted(products["productFilename"])
    assert all(Path(p).parent == tmp_path for p in manifest["Local Path"])
    status, message, url = observations.download_file(products[0]["dataURI"], local_path=tmp_path / "one")
    assert (status, message, url) == ("COMPLETE", None, None)
    assert (tmp_path / "one" / products[0]["productFilename"]).stat().st_size == products[0]["size"]


def test_curl_script(observations: ObservationsClass, tmp_path: Path, live_server: Any) -> None:
    products = _small_public_products(observations, 4)
    manifest = observations.download_products(products, download_dir=tmp_path, curl_flag=True)
    assert manifest.colnames == ["Local Path", "Status", "Message"]
    assert manifest["Status"][0] == "COMPLETE"
    script = Path(manifest["Local Path"][0])
    assert script.name.startswith("mastDownload_") and script.suffix == ".sh"
    assert script.stat().st_mode & stat.S_IXUSR
    text = script.read_text()
    for uri in products["dataURI"]:
        assert f"{live_server.url}/api/v0.1/Download/file?uri={uri}" in text
    assert "Authorization" not in text


def test_service_request_async_nirspec(mast: MastClass) -> None:
    every = mast.service_request_async("Mast.Jwst.Filtered.Nirspec", {"columns": "*", "filters": []})
    rows = [row for response in every for row in response.json()["data"]]
    assert rows and all("filename" in row for row in rows)
    msa = {"columns": "*", "filters": [{"paramName": "exp_type", "values": ["NRS_MSASPEC"]}]}
    some = mast.service_request_async("Mast.Jwst.Filtered.Nirspec", msa)
    selected = [row for response in some for row in response.json()["data"]]
    assert 0 < len(selected) < len(rows)
    assert {row["exp_type"] for row in selected} == {"NRS_MSASPEC"}
    table = mast.service_request("Mast.Jwst.Filtered.Nirspec", msa)
    assert len(table) == len(selected)
    assert table["date_obs_mjd"].dtype.kind == "f"


def test_service_error_is_a_clear_exception(mast: MastClass) -> None:
    bad = {"columns": "*", "filters": [{"paramName": "no_such_keyword", "values": ["x"]}]}
    with pytest.raises(QueryFailed, match=r"Mast\.Jwst\.Filtered\.Nirspec failed"):
        mast.service_request("Mast.Jwst.Filtered.Nirspec", bad)


def test_keyword_search_one_and_all_instruments(mast: MastClass, live_server: Any) -> None:
    from jwstarchive.mast import keyword_search

    soss = keyword_search({"exp_type": "NIS_SOSS"}, instrument="niriss", mast_url=live_server.url)
    assert len(soss) > 0 and set(soss["exp_type"]) == {"NIS_SOSS"}
    anywhere = mast.keyword_search({"exp_type": ["NIS_SOSS", "NRS_MSASPEC"]}, columns=["filename", "exp_type"])
    assert anywhere.colnames == ["filename", "exp_type"]
    assert set(anywhere["exp_type"]) == {"NIS_SOSS", "NRS_MSASPEC"}
    with pytest.raises(InputError, match="Did you mean 'exp_type'"):
        mast.keyword_search({"exptype": "NIS_SOSS"}, instrument="niriss")
    with pytest.raises(InputError, match="Unknown instrument 'nircan'"):
        mast.keyword_search({"exp_type": "NIS_SOSS"}, instrument="nircan")


def _exclusive_products(observations: ObservationsClass) -> Table:
    obs = observations.query_criteria(proposal_id="7456")
    products = observations.get_product_list(obs[:2])
    fits = observations.filter_products(products, extension="fits", dataRights="EXCLUSIVE_ACCESS")
    fits.sort("size")
    return fits[:2]


def test_proprietary_download_needs_a_token(
    live_server: Any, demo_token: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MAST_API_TOKEN", raising=False)
    with ObservationsClass(mast_url=live_server.url) as anonymous:
        products = _exclusive_products(anonymous)
        assert len(products) == 2
        refused = anonymous.download_products(products, download_dir=tmp_path / "anon")
    assert list(refused["Status"]) == ["ERROR", "ERROR"]
    assert all(url.startswith(live_server.url) for url in refused["URL"])
    assert all("token" in message for message in refused["Message"])
    assert not any(Path(p).exists() for p in refused["Local Path"])

    with ObservationsClass(mast_url=live_server.url) as owner:
        owner.login(demo_token)
        assert owner.session_info(verbose=False)["ezid"] == "demo"
        granted = owner.download_products(products, download_dir=tmp_path / "demo")
        assert list(granted["Status"]) == ["COMPLETE", "COMPLETE"]
        assert [Path(p).stat().st_size for p in granted["Local Path"]] == list(products["size"])
        owner.logout()
        assert owner.session_info(verbose=False)["anon"] is True

    monkeypatch.setenv("MAST_API_TOKEN", demo_token)
    with ObservationsClass(mast_url=live_server.url) as from_env:
        again = from_env.download_products(products, download_dir=tmp_path / "env")
    assert list(again["Status"]) == ["COMPLETE", "COMPLETE"]


def test_bad_token_is_refused(observations: ObservationsClass) -> None:
    with pytest.raises(AuthenticationError, match="token invalid"):
        observations.login("not-a-real-token")


def test_base_url_from_environment(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from jwstarchive.mast import Observations

    monkeypatch.setenv("JWSTARCHIVE_MAST_URL", live_server.url)
    assert Observations.mast_url == live_server.url
    try:
        assert Observations.query_criteria_count(proposal_id="2733") > 0
    finally:
        Observations.close()


def test_keyword_only_one_instrument_has(mast: MastClass) -> None:
    files = mast.keyword_search({"grating": "G395H"}, columns="filename,grating,instrume")
    assert len(files) > 0
    assert set(files["instrume"]) == {"NIRSPEC"} and set(files["grating"]) == {"G395H"}
    with pytest.raises(InputError, match="Did you mean 'grating'"):
        mast.keyword_search({"gratin": "G395H"})
    with pytest.raises(InputError, match="Did you mean 'filename'"):
        mast.keyword_search({"grating": "G395H"}, instrument="nirspec", columns=["filenam"])


def test_nothing_to_download_gives_an_empty_manifest(observations: ObservationsClass, tmp_path: Path) -> None:
    products = _small_public_products(observations, 2)
    manifest = observations.download_products(products, download_dir=tmp_path, productType="NO_SUCH_TYPE")
    assert len(manifest) == 0 and manifest.colnames == ["Local Path", "Status", "Message", "URL"]
    assert not any(tmp_path.iterdir())


def test_public_surface() -> None:
    import jwstarchive.mast

    assert sorted(jwstarchive.mast.__all__) == [
        "Mast",
        "MastClass",
        "Observations",
        "ObservationsClass",
        "keyword_filters",
        "keyword_search",
    ]


def test_executing_answers_are_polled_until_complete(mast: MastClass) -> None:
    params = {"columns": "filename,exp_type", "filters": []}
    direct = mast.service_request("Mast.Jwst.Filtered.Nirspec", params)
    polled = mast.service_request("Mast.Jwst.Filtered.Nirspec", params, timeout=0)
    assert len(direct) > 0
    assert sorted(polled["filename"]) == sorted(direct["filename"])


def test_bad_keyword_value_across_all_instruments_names_the_value(mast: MastClass) -> None:
    with pytest.raises(InputError, match="neither a number nor an ISO date"):
        mast.keyword_search({"date_obs_mjd": ("2022-06-01", "next week")})


def test_get_metadata_lists_filterable_columns(observations: ObservationsClass) -> None:
    columns = observations.get_metadata("observations")
    assert {"proposal_id", "instrument_name", "s_ra", "t_min", "obsid"} <= set(columns["Column Name"])
    products = observations.get_metadata("products")
    assert {"productFilename", "productType", "calib_level", "size"} <= set(products["Column Name"])
    with pytest.raises(InputError, match="use 'observations' or 'products'"):
        observations.get_metadata("targets")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"coordinates": "nowhere", "radius": 0.1}, "Cannot read coordinates"),
        ({"coordinates": WASP39, "radius": "3 parsecs of sky"}, "Cannot read the radius"),
        ({"coordinates": WASP39, "radius": "1 kg"}, "Cannot read the radius"),
        ({"coordinates": WASP39, "radius": -1}, "must be 0 or more"),
    ],
)
def test_bad_positions_are_input_errors(observations: ObservationsClass, kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        observations.query_region(**kwargs)


def test_list_missions(observations: ObservationsClass) -> None:
    assert observations.list_missions() == ["JWST"]
