"""The examples of the astroquery.esa.jwst documentation (seeds/esa_jwst_astroquery_docs.txt), run with
``jwstarchive.esa`` against the demo archive: same calls, same shapes of output.

Identifiers differ from the documentation's (the demo archive holds other programs), so each example
picks the same kind of thing (an NIRCam exposure, a MIRI imaging exposure, a level-3 composite, ...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import astropy.units as u
import pytest
from astropy.coordinates import SkyCoord
from astropy.table import Table

from jwstarchive.errors import AuthenticationError, InputError
from jwstarchive.esa import JwstClass

DOC_COLUMNS = ["dist", *JwstClass.JWST_DEFAULT_COLUMNS]


@pytest.fixture
def Jwst(jwst: JwstClass) -> JwstClass:  # noqa: N802 - the documentation's name
    """The documentation's ``Jwst``, aimed at the demo server."""
    return jwst


def _one(Jwst: JwstClass, where: str, column: str = "observationid") -> str:  # noqa: N803
    row = Jwst.launch_job(f"select top 1 {column} from jwst.main where {where} order by {column}").get_results()
    assert len(row) == 1, where
    return str(row[column][0])


def test_1_status_messages(Jwst: JwstClass) -> None:  # noqa: N803
    assert isinstance(Jwst.get_status_messages(), list)


def test_1_1_query_region_box(Jwst: JwstClass) -> None:  # noqa: N803
    coord = SkyCoord(ra=53, dec=-27, unit=(u.degree, u.degree), frame="icrs")
    result = Jwst.query_region(coordinate=coord, width=u.Quantity(5, u.deg), height=u.Quantity(5, u.deg))
    assert result.colnames == DOC_COLUMNS and len(result) > 10
    assert list(result["dist"]) == sorted(result["dist"])


def test_1_3_query_target_all(Jwst: JwstClass) -> None:  # noqa: N803
    result = Jwst.query_target(target_name="M1", target_resolver="ALL", radius=u.Quantity(5, u.deg))
    assert result.colnames == DOC_COLUMNS  # the demo archive has nothing near the Crab: the shape stays


def test_1_3_query_target_ned_box_async(Jwst: JwstClass) -> None:  # noqa: N803
    result = Jwst.query_target(
        target_name="LMC",
        target_resolver="NED",
        width=u.Quantity(5, u.deg),
        height=u.Quantity(5, u.deg),
        async_job=True,
    )
    assert result.colnames == DOC_COLUMNS and len(result) > 10
    assert 0.2 < result["dist"][0] < 2.5


def test_1_4_product_list(Jwst: JwstClass) -> None:  # noqa: N803
    exposure = _one(Jwst, "observationid like '%_nrca3' and calibrationlevel=2 and \"public\"='true'")
    product_list = Jwst.get_product_list(observation_id=exposure)
    names = list(product_list["filename"])
    assert any(n.endswith("_asn.json") for n in names)
    for suffix in ("_cal.fits", "_cal.jpg", "_cal_thumb.jpg", "_rate.fits", "_uncal.fits"):
        assert exposure + suffix in names, suffix


def test_1_4_product_list_science(Jwst: JwstClass) -> None:  # noqa: N803
    exposure = _one(Jwst, "observationid like '%_mirimage' and calibrationlevel=2 and \"public\"='true'")
    product_list = Jwst.get_product_list(observation_id=exposure, product_type="science")
    assert len(product_list) > 0 and all(n.endswith(".fits") for n in product_list["filename"])
    assert exposure + "_cal.fits" in list(product_list["filename"])


def test_1_4_download_a_product(Jwst: JwstClass, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: N803
    monkeypatch.chdir(tmp_path)
    proposal = _one(Jwst, "\"public\"='true' and intent='science'", "proposal_id")
    query = f"""select o.observationid, a.artifactid, a.filename
    from jwst.observation o join jwst.artifact a on a.obsid = o.obsid
    where o.proposal_id = '{proposal}' and o.intent = 'science'"""
    job = Jwst.launch_job(query, async_job=True)
    results = job.get_results()
    assert results.colnames == ["observationid", "artifactid", "filename"] and len(results) > 0
    fits = results[[str(n).endswith("_cal.fits") for n in results["filename"]]]
    output_file = Jwst.get_product(artifact_id=str(results["artifactid"][0]))
    assert Path(output_file).name == results["filename"][0] and Path(output_file).is_file()
    output_file = Jwst.get_product(file_name=str(fits["filename"][0]))
    assert Path(output_file).read_bytes()[:9] == b"SIMPLE  ="


def test_1_4_get_obs_products(Jwst: JwstClass, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: N803
    monkeypatch.chdir(tmp_path)
    observation_id = _one(Jwst, "observationid like '%_nrs2' and calibrationlevel=2 and \"public\"='true'")
    results = Jwst.get_obs_products(observation_id=observation_id, cal_level=2, product_type="science")
    assert results and all(Path(f).is_file() and f.endswith(".fits") for f in results)
    assert all(
        Path(f).is_relative_to(tmp_path) and Path(f).relative_to(tmp_path).parts[0].startswith("temp_") for f in results
    )
    with pytest.raises(ValueError, match="Requesting upper levels is not allowed"):
        Jwst.get_obs_products(observation_id=observation_id, cal_level=3)


def test_1_4_proprietary_data_needs_a_login(Jwst: JwstClass, tmp_path: Path) -> None:  # noqa: N803
    private = _one(Jwst, "\"public\"='false' and calibrationlevel=2")
    with pytest.raises(AuthenticationError, match=r"403 Error 403:\nPrivate file\(s\) requested"):
        Jwst.get_obs_products(observation_id=private, output_file=tmp_path / "p" / "x")


def test_1_4_related_observations(Jwst: JwstClass) -> None:  # noqa: N803
    observation_id = _one(Jwst, "observationid like '%grismr' and calibrationlevel=3 and members is not null")
    results = Jwst.get_related_observations(observation_id=observation_id)
    assert isinstance(results, list) and len(results) > 1
    assert all(r.startswith(observation_id[:7]) and "-" not in r for r in results)


def test_1_5_tables(Jwst: JwstClass) -> None:  # noqa: N803
    names = [t.name for t in Jwst.load_tables(only_names=True)]
    for name in ("ivoa.obscore", "jwst.archive", "jwst.artifact", "jwst.main", "jwst.observation"):
        assert name in names
    assert [t.name for t in Jwst.load_tables()] == names
    table = Jwst.load_table("jwst.main")
    assert str(table).startswith("TAP Table name: jwst.main") and "Num. columns: 109" in str(table)
    columns = [c.name for c in table.columns]
    assert columns[0] == '"public"' and "algorithm_name" in columns


def test_1_6_sync_query(Jwst: JwstClass) -> None:  # noqa: N803
    job = Jwst.launch_job(
        "SELECT TOP 100 instrument_name, proposal_id, calibrationlevel, dataproducttype "
        "FROM jwst.main ORDER BY instrument_name, observationuri"
    )
    text = str(job)
    assert "Jobid: None" in text and "Phase: COMPLETED" in text
    result = job.get_results()
    assert len(result) == 100 and result["calibrationlevel"].dtype == "int32"
    assert result["instrument_name"][0] == "FGS"


def test_1_6_sync_query_to_file(Jwst: JwstClass, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: N803
    monkeypatch.chdir(tmp_path)
    job = Jwst.launch_job(
        "SELECT TOP 100 instrument_name, proposal_id, calibrationlevel, dataproducttype "
        "FROM jwst.main ORDER BY instrument_name, observationuri",
        dump_to_file=True,
    )
    assert f"Output file: {job.outputFile}" in str(job) and (tmp_path / job.outputFile).is_file()
    assert len(job.get_results()) == 100


def test_1_7_upload_on_the_fly(Jwst: JwstClass, tmp_path: Path) -> None:  # noqa: N803
    # The documentation uploads mytable.xml.gz; astroquery reads uploads as text, so plain XML is the portable form.
    upload_resource = tmp_path / "mytable.xml"
    Table({"source_id": ["a", "b", "c"], "alpha": [1.0, 3.0, 5.0], "delta": [2.0, 4.0, 6.0]}).write(
        upload_resource, format="votable"
    )
    j = Jwst.launch_job(
        query="SELECT * from tap_upload.table_test",
        upload_resource=str(upload_resource),
        upload_table_name="table_test",
        verbose=True,
    )
    result = j.get_results()
    assert result.colnames == ["source_id", "alpha", "delta"]
    assert sorted(result["source_id"]) == ["a", "b", "c"]


def test_1_8_async_query(Jwst: JwstClass, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: N803
    job = Jwst.launch_job("select top 100 * from jwst.main", async_job=True)
    assert job.jobid and "Phase: COMPLETED" in str(job)
    r = job.get_results()
    assert len(r["observationid"]) == 100
    monkeypatch.chdir(tmp_path)
    job2 = Jwst.launch_job("select top 100 * from jwst.main", dump_to_file=True)
    assert len(job2.get_results()["instrument_name"]) == 100
    Jwst.remove_jobs([job.jobid])
    assert job.jobid not in [j.jobid for j in Jwst.list_async_jobs()]


def test_2_authenticated_access(Jwst: JwstClass, esa_demo_server: Any, tmp_path: Path) -> None:  # noqa: N803
    credentials = tmp_path / "my_credentials_file"
    credentials.write_text(f"demo\n{esa_demo_server.passwords['demo']}\n")
    Jwst.login(credentials_file=str(credentials))
    Jwst.logout()
    Jwst.login(user="demo", password=esa_demo_server.passwords["demo"], token=esa_demo_server.tokens["demo"])
    Jwst.set_token(token=esa_demo_server.tokens["demo"])
    names = [t.name for t in Jwst.load_tables(only_names=True, include_shared_tables=True)]
    assert "jwst.main" in names and "tap_schema.tables" in names
    private = _one(Jwst, "\"public\"='false' and calibrationlevel=2")
    assert Jwst.get_obs_products(observation_id=private, output_file=tmp_path / "p" / "x")
    Jwst.logout()
    with pytest.raises(InputError):
        Jwst.login(user="demo")  # no password and no terminal to ask on
