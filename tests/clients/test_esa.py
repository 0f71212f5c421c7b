"""jwstarchive.esa.JwstClass against a real local server (demo archive, http + https).

The scenarios of the astroquery.esa.jwst compatibility list: status messages, tables, sync and
async jobs (file dumps, uploads), region/cone/target queries, product lists and downloads,
related observations, job removal, login/logout/token and exclusive-access protection.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import astropy.units as u
import httpx
import pytest
from astropy.coordinates import SkyCoord
from astropy.table import Table

from jwstarchive.errors import AuthenticationError, InputError, NameResolutionError, OverflowWarning, QueryFailed
from jwstarchive.esa import JwstClass, TAPJob

HUDF = SkyCoord(53.1625, -27.7914, unit="deg")
COMPOSITE = "jw07123-o002_t001_nircam_f444w-grismr"  # exclusive access (program 07123, user demo)
PUBLIC_COMPOSITE_QUERY = (
    "select top 1 observationid, members from jwst.main where calibrationlevel=3 and members is not null "
    "and public='true' and proposal_id='01410' order by observationid"
)


def _public_composite(jwst: JwstClass) -> tuple[str, list[str]]:
    row = jwst.launch_job(PUBLIC_COMPOSITE_QUERY).get_results()[0]
    return str(row["observationid"]), str(row["members"]).replace("caom:JWST/", "").split()


# -- service status and metadata ----------------------------------------------------------------


def test_status_messages_are_the_notification_lines(jwst: JwstClass, esa_demo_server: Any) -> None:
    body = httpx.get(esa_demo_server.tap + "/notification", params={"action": "GetNotifications"}).text
    expected = [line.split("=", 1)[1] for line in body.splitlines() if "=" in line]
    assert jwst.get_status_messages() == expected


def test_load_tables_lists_the_esa_schema(jwst: JwstClass) -> None:
    tables = {t.get_qualified_name(): t for t in jwst.load_tables()}
    for name in ("jwst.main", "jwst.artifact", "jwst.plane", "jwst.observation", "ivoa.obscore"):
        assert name in tables
    assert len(tables["jwst.main"].columns) == 109
    assert all(c.flags is not None for c in tables["jwst.main"].columns)


def test_load_tables_only_names_has_no_columns(jwst: JwstClass) -> None:
    tables = jwst.load_tables(only_names=True)
    assert "jwst.main" in [t.name for t in tables]
    assert all(not t.columns for t in tables)


def test_load_table_gives_columns(jwst: JwstClass) -> None:
    table = jwst.load_table("jwst.main")
    assert table is not None
    names = [c.name.strip('"') for c in table.columns]
    assert {"observationid", "calibrationlevel", "public", "target_ra", "planeid"} <= set(names)
    assert "Num. columns: 109" in str(table)


@pytest.mark.parametrize(
    ("table", "message"),
    [(None, "Table name is required"), ("main", "Not found schema name in full qualified table: 'main'")],
)
def test_load_table_input_errors(jwst: JwstClass, table: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        jwst.load_table(table)


# -- jobs -------------------------------------------------------------------------------------


def test_sync_job(jwst: JwstClass) -> None:
    job = jwst.launch_job(
        "SELECT TOP 100 instrument_name, proposal_id, calibrationlevel, dataproducttype "
        "FROM jwst.main ORDER BY instrument_name, observationuri"
    )
    assert isinstance(job, TAPJob)
    assert job.jobid is None and job.get_phase() == "COMPLETED"
    result = job.get_results()
    assert isinstance(result, Table) and len(result) == 100
    assert result.colnames == ["instrument_name", "proposal_id", "calibrationlevel", "dataproducttype"]
    assert result["calibrationlevel"].dtype.kind == "i"
    assert list(result["instrument_name"]) == sorted(result["instrument_name"])


def test_sync_job_is_capped_at_2000_rows_with_a_warning(jwst: JwstClass) -> None:
    with pytest.warns(OverflowWarning, match="2000"):
        result = jwst.launch_job("select observationid from jwst.main").get_results()
    assert len(result) == 2000


def test_sync_job_dump_to_file(jwst: JwstClass, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    job = jwst.launch_job("select top 7 observationid, target_name from jwst.main", dump_to_file=True)
    assert job.outputFile is not None and Path(job.outputFile).is_file()
    saved = Table.read(job.outputFile, format="votable")
    assert len(saved) == 7
    assert list(job.get_results()["observationid"]) == list(saved["observationid"])


def test_sync_job_output_file_and_format(jwst: JwstClass, tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    job = jwst.launch_job("select top 3 observationid from jwst.main", output_file=str(out), output_format="csv")
    assert out.read_text().splitlines()[0].strip('"') == "observationid"
    assert len(job.get_results()) == 3


def test_async_job_round_trip(jwst: JwstClass) -> None:
    job = jwst.launch_job("select observationid, calibrationlevel from jwst.main", async_job=True)
    assert job.jobid and job.get_phase() == "COMPLETED"
    count = jwst.launch_job("select count(*) as n from jwst.main").get_results()["n"][0]
    assert len(job.get_results()) == count > 2000
    assert job.jobid in [j.jobid for j in jwst.list_async_jobs()]
    again = jwst.load_async_job(jobid=job.jobid)
    assert len(again.get_results()) == count
    jwst.remove_jobs([job.jobid])
    assert job.jobid not in [j.jobid for j in jwst.list_async_jobs()]


def test_async_job_dump_to_file(jwst: JwstClass, tmp_path: Path) -> None:
    out = tmp_path / "async.vot"
    job = jwst.launch_job("select top 100 * from jwst.main", async_job=True, output_file=str(out))
    assert out.is_file() and len(Table.read(out, format="votable")) == 100
    assert len(job.get_results()["instrument_name"]) == 100
    jwst.remove_jobs(job.jobid)


def test_async_job_in_background_then_wait(jwst: JwstClass) -> None:
    job = jwst.launch_job("select top 5 observationid from jwst.main", async_job=True, background=True)
    assert job.wait_for_job_end() == "COMPLETED"
    assert len(job.get_results()) == 5
    jwst.remove_jobs(job.jobid)


def test_async_job_error_is_reported(jwst: JwstClass) -> None:
    with pytest.raises(QueryFailed, match="no_such_table"):
        jwst.launch_job("select * from jwst.no_such_table", async_job=True)


def test_sync_query_error_carries_the_service_message(jwst: JwstClass) -> None:
    with pytest.raises(QueryFailed, match=r"Error 400"):
        jwst.launch_job("select frobnicate from")


def test_upload_astropy_table(jwst: JwstClass) -> None:
    table = Table({"source_id": ["a", "b", "c"], "alpha": [1.0, 3.0, 5.0], "delta": [2.0, 4.0, 6.0]})
    job = jwst.launch_job(
        "SELECT * from tap_upload.table_test order by source_id", upload_resource=table, upload_table_name="table_test"
    )
    result = job.get_results()
    assert list(result["source_id"]) == ["a", "b", "c"]
    assert list(result["delta"]) == [2.0, 4.0, 6.0]


def test_upload_votable_file_async(jwst: JwstClass, tmp_path: Path) -> None:
    path = tmp_path / "mytable.xml"
    Table({"obs": ["jw01410001001_02101_00001_nrca1"], "n": [1]}).write(path, format="votable")
    job = jwst.launch_job(
        "SELECT u.obs, u.n FROM tap_upload.mine AS u",
        upload_resource=str(path),
        upload_table_name="mine",
        async_job=True,
    )
    assert list(job.get_results()["n"]) == [1]
    jwst.remove_jobs(job.jobid)


def test_upload_without_a_name_is_refused(jwst: JwstClass) -> None:
    with pytest.raises(InputError, match="upload_table_name"):
        jwst.launch_job("select 1 from tap_upload.x", upload_resource=Table({"a": [1]}))


def test_remove_jobs_refuses_other_types(jwst: JwstClass) -> None:
    with pytest.raises(InputError, match="Invalid object type"):
        jwst.remove_jobs(42)  # type: ignore[arg-type]


# -- positional queries ------------------------------------------------------------------------


def test_query_region_radius(jwst: JwstClass) -> None:
    result = jwst.query_region(HUDF, radius=0.5 * u.deg)
    assert len(result) > 0
    assert result.colnames == ["dist", *JwstClass.JWST_DEFAULT_COLUMNS]
    assert max(result["dist"]) <= 0.5
    assert list(result["dist"]) == sorted(result["dist"])


def test_query_region_box(jwst: JwstClass) -> None:
    result = jwst.query_region(HUDF, width=1 * u.deg, height=1 * u.deg)
    assert len(result) > 0
    assert all(abs(dec + 27.7914) <= 0.5 + 1e-9 for dec in result["target_dec"])


def test_query_region_filters(jwst: JwstClass) -> None:
    result = jwst.query_region(
        HUDF, radius="30 arcmin", cal_level=3, instrument_name="nircam", only_public=True, show_all_columns=True
    )
    assert len(result) > 0
    assert set(result["calibrationlevel"]) == {3}
    assert all("NIRCAM" in name.upper() for name in result["instrument_name"])
    assert all(result["public"])
    assert "planeid" in result.colnames


def test_query_region_top_level_only_by_default(jwst: JwstClass) -> None:
    result = jwst.query_region(HUDF, radius=0.5, show_all_columns=True)
    assert all(result["calibrationlevel"] == result["max_cal_level"])


def test_cone_search_sync_and_async_agree(jwst: JwstClass) -> None:
    sync = jwst.cone_search(HUDF, 0.3 * u.deg, cal_level=None).get_results()
    job = jwst.cone_search(HUDF, 0.3 * u.deg, cal_level=None, async_job=True)
    assert job.jobid
    assert sorted(job.get_results()["observationid"]) == sorted(sync["observationid"])
    jwst.remove_jobs(job.jobid)


def test_cone_search_accepts_plain_degrees_and_strings(jwst: JwstClass) -> None:
    a = jwst.cone_search((53.1625, -27.7914), 0.2).get_results()
    b = jwst.cone_search("03h32m39s -27d47m29s", "0.2 deg").get_results()
    assert len(a) == len(b) > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"radius": [1]}, "radius must be either a string or units.Quantity"),
        ({"radius": 1, "cal_level": "High"}, "cal_level must be either 'Top' or an integer"),
        (
            {"radius": 1, "instrument_name": "WFC3"},
            "instrument_name must be one of: NIRISS, NIRSPEC, NIRCAM, MIRI, FGS",
        ),
        ({"radius": 1, "prod_type": "movie"}, "prod_type must be one of: image, cube, measurements, spectrum"),
        ({"radius": 1, "only_public": "yes"}, "only_public must be boolean"),
        ({"radius": 1, "filter_name": 444}, "filter_name must be string"),
        ({"radius": 1, "proposal_id": 1410}, "proposal_id must be string"),
        ({"radius": 1, "observation_id": 5}, "observation_id must be string"),
    ],
)
def test_query_region_input_errors(jwst: JwstClass, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        jwst.query_region(HUDF, **kwargs)


def test_cone_search_needs_a_radius(jwst: JwstClass) -> None:
    with pytest.raises(InputError, match="Missing required argument: 'radius'"):
        jwst.cone_search(HUDF, None)


def test_box_needs_width_then_height(jwst: JwstClass) -> None:
    with pytest.raises(InputError, match="Missing required argument: 'width'"):
        jwst.query_region(HUDF)
    with pytest.raises(InputError, match="Missing required argument: 'height'"):
        jwst.query_region(HUDF, width=1)


def test_bad_coordinate(jwst: JwstClass) -> None:
    with pytest.raises(InputError, match=r"coordinate must be either a string or astropy\.coordinates"):
        jwst.query_region(42, radius=1)


@pytest.mark.parametrize("resolver", ["ALL", "SIMBAD", "NED", "VIZIER"])
def test_query_target_through_our_sesame(jwst: JwstClass, resolver: str) -> None:
    result = jwst.query_target("WASP-39", target_resolver=resolver, radius=1 * u.arcmin)
    assert len(result) > 0
    assert set(result["target_name"]) == {"WASP-39"}


def test_query_target_by_alias_and_box(jwst: JwstClass) -> None:
    result = jwst.query_target("Southern Ring Nebula", width=0.2 * u.deg, height=0.2 * u.deg)
    assert "NGC-3132" in set(result["target_name"])


def test_query_target_unknown_name(jwst: JwstClass) -> None:
    with pytest.raises(NameResolutionError, match="This target name cannot be determined with this resolver: ALL"):
        jwst.query_target("surely-not-a-target-9x", radius=1)


def test_query_target_bad_resolver(jwst: JwstClass) -> None:
    with pytest.raises(InputError, match="This target resolver is not allowed"):
        jwst.query_target("M1", target_resolver="GAIA", radius=1)


# -- products ---------------------------------------------------------------------------------


def test_get_product_list(jwst: JwstClass) -> None:
    _, members = _public_composite(jwst)
    products = jwst.get_product_list(observation_id=members[0])
    assert products.colnames == [
        "uri",
        "artifactid",
        "filename",
        "contenttype",
        "producttype",
        "calibrationlevel",
        "public",
    ]
    assert any(name.endswith("_uncal.fits") for name in products["filename"])
    assert any(name.startswith(members[0]) for name in products["filename"])
    science = jwst.get_product_list(observation_id=members[0], product_type="science")
    assert 0 < len(science) < len(products)
    assert set(science["producttype"]) == {"science"}


def test_get_product_list_of_a_composite_includes_member_levels(jwst: JwstClass) -> None:
    composite, members = _public_composite(jwst)
    top = jwst.get_product_list(observation_id=composite, cal_level=3)
    every = jwst.get_product_list(observation_id=composite)
    assert set(top["calibrationlevel"]) == {3}
    assert {1, 2, 3} <= set(every["calibrationlevel"])
    assert any(name.startswith(members[0]) for name in every["filename"])


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"observation_id": None}, "Missing required argument: 'observation_id'"),
        ({"observation_id": "jw01410001001_02101_00001_nrca1", "cal_level": 7}, "This calibration level is not valid"),
        ({"observation_id": "jw99999999999_99999_99999_nope"}, "This observation_id does not exist in JWST database"),
        (
            {"observation_id": "jw01410001001_02101_00001_nrca1", "product_type": "movie"},
            "product_type must be one of: info, thumbnail, auxiliary, science, preview",
        ),
    ],
)
def test_get_product_list_input_errors(jwst: JwstClass, kwargs: dict[str, Any], error: str) -> None:
    with pytest.raises(InputError, match=error):
        jwst.get_product_list(**kwargs)


def test_upper_levels_are_refused(jwst: JwstClass) -> None:
    _, members = _public_composite(jwst)
    with pytest.raises(InputError, match="Requesting upper levels is not allowed"):
        jwst.get_product_list(observation_id=members[0], cal_level=3)
    with pytest.raises(InputError, match="Requesting upper levels is not allowed"):
        jwst.get_obs_products(observation_id=members[0], cal_level=3)


def _artifact(jwst: JwstClass, suffix: str) -> Any:
    return jwst.launch_job(
        "select top 1 a.artifactid, a.filename, a.contentlength, a.contentchecksum from jwst.artifact a "
        f"join jwst.plane p on p.planeid = a.planeid where p.\"public\" = 'true' and a.filename like '%{suffix}' "
        "order by a.filename"
    ).get_results()[0]


def test_get_product_by_artifact_id_and_by_file_name(jwst: JwstClass, tmp_path: Path) -> None:
    row = _artifact(jwst, "_cal.fits")
    by_id = Path(jwst.get_product(artifact_id=str(row["artifactid"]), output_dir=tmp_path / "a"))
    by_name = Path(jwst.get_product(file_name=str(row["filename"]), output_dir=tmp_path / "b"))
    for path in (by_id, by_name):
        assert path.name == row["filename"]
        data = path.read_bytes()
        assert len(data) == row["contentlength"]
        assert "md5:" + hashlib.md5(data).hexdigest() == row["contentchecksum"]
        assert data.startswith(b"SIMPLE  =")


def test_get_product_in_the_current_directory(jwst: JwstClass, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    row = _artifact(jwst, "_asn.json")
    path = jwst.get_product(file_name=str(row["filename"]))
    assert (tmp_path / row["filename"]).is_file() and Path(path).name == row["filename"]


def test_get_product_errors(jwst: JwstClass) -> None:
    with pytest.raises(InputError, match="Missing required argument: 'artifact_id' or 'file_name'"):
        jwst.get_product()
    with pytest.raises(InputError, match=r"Cannot retrieve product for file_name nope\.fits"):
        jwst.get_product(file_name="nope.fits")


def test_get_obs_products_unpacks_the_tar(jwst: JwstClass, tmp_path: Path) -> None:
    _, members = _public_composite(jwst)
    expected = jwst.get_product_list(observation_id=members[0], product_type="science")
    out = tmp_path / "dl" / f"{members[0]}_all_products"
    files = jwst.get_obs_products(
        observation_id=members[0], cal_level="ALL", product_type="science", output_file=str(out)
    )
    names = sorted(Path(f).name for f in files)
    assert names == sorted(expected["filename"])
    program = members[0][:7]
    assert all(Path(f).relative_to(out.parent).parts[0] == program for f in files)
    assert all(Path(f).parent.name.startswith("level_") for f in files)
    assert tarfile.is_tarfile(out)


def test_get_obs_products_default_directory(jwst: JwstClass, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _, members = _public_composite(jwst)
    files = jwst.get_obs_products(observation_id=members[0], cal_level=1)
    assert files and all(Path(f).is_relative_to(tmp_path) for f in files)
    assert next(tmp_path.iterdir()).name.startswith("temp_")
    expected = jwst.get_product_list(observation_id=members[0], cal_level=1)
    assert sorted(Path(f).name for f in files) == sorted(expected["filename"])
    assert set(expected["calibrationlevel"]) == {1}


def test_get_related_observations(jwst: JwstClass) -> None:
    composite, members = _public_composite(jwst)
    assert jwst.get_related_observations(composite) == members
    assert composite in jwst.get_related_observations(members[0])
    with pytest.raises(InputError, match="Missing required argument: 'observation_id'"):
        jwst.get_related_observations(None)


def test_download_files_from_program(jwst: JwstClass, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    program = jwst.launch_job(
        "select top 1 proposal_id, count(*) as n from jwst.archive where \"public\"='true' group by proposal_id "
        "order by n"
    ).get_results()[0]
    ids = jwst.download_files_from_program(str(program["proposal_id"]), product_type="info")
    assert len(ids) == len(set(ids)) > 0
    assert any(tmp_path.rglob("*.json")) or any(tmp_path.rglob("*_all_products"))


# -- accounts and exclusive access -------------------------------------------------------------


def test_login_logout(jwst: JwstClass, esa_demo_server: Any) -> None:
    jwst.login(user="alice", password=esa_demo_server.passwords["alice"])
    assert jwst.user == "alice"
    job = jwst.launch_job("select top 1 observationid from jwst.main", async_job=True)
    assert job.jobid in [j.jobid for j in jwst.list_async_jobs()]
    jwst.logout()
    assert jwst.user is None
    jwst.login(user="alice", password=esa_demo_server.passwords["alice"])
    assert job.jobid in [j.jobid for j in jwst.list_async_jobs()]
    jwst.remove_jobs([job.jobid])


def test_login_with_credentials_file(jwst: JwstClass, esa_demo_server: Any, tmp_path: Path) -> None:
    credentials = tmp_path / "credentials"
    credentials.write_text(f"alice\n{esa_demo_server.passwords['alice']}\n")
    jwst.login(credentials_file=credentials)
    tables = jwst.load_tables(only_names=True, include_shared_tables=True)
    assert "jwst.main" in [t.name for t in tables]


def test_bad_password(jwst: JwstClass) -> None:
    with pytest.raises(AuthenticationError, match="401"):
        jwst.login(user="alice", password="wrong")
    assert jwst.user is None


def test_set_token_needs_a_login(jwst: JwstClass, esa_demo_server: Any) -> None:
    with pytest.raises(AuthenticationError, match="MAST tokens cannot be assigned or requested by anonymous users"):
        jwst.set_token(esa_demo_server.tokens["demo"])


def test_exclusive_access_product_needs_a_token(jwst: JwstClass, esa_demo_server: Any, tmp_path: Path) -> None:
    with pytest.raises(AuthenticationError, match="Private file"):
        jwst.get_obs_products(observation_id=COMPOSITE, cal_level=3, output_file=tmp_path / "a" / "x")
    jwst.login(user="alice", password=esa_demo_server.passwords["alice"], token=esa_demo_server.tokens["alice"])
    with pytest.raises(AuthenticationError, match="403"):
        jwst.get_obs_products(observation_id=COMPOSITE, cal_level=3, output_file=tmp_path / "b" / "x")
    jwst.logout()
    jwst.login(user="demo", password=esa_demo_server.passwords["demo"])
    assert jwst.set_token(esa_demo_server.tokens["demo"]) == "MAST token has been set successfully"
    files = jwst.get_obs_products(observation_id=COMPOSITE, cal_level=3, output_file=tmp_path / "c" / "x")
    assert files and all(Path(f).stat().st_size > 0 for f in files)


def test_named_async_job_is_found_by_name(jwst: JwstClass, uid: str) -> None:
    job = jwst.launch_job("select top 2 observationid from jwst.main", async_job=True, name=uid)
    found = jwst.load_async_job(name=uid)
    assert found.jobid == job.jobid
    assert len(found.get_results()) == 2
    assert job.jobid in [j.jobid for j in jwst.search_async_jobs(jobfilter={"name": uid})]
    jwst.remove_jobs(job.jobid)


def test_default_instance_reads_the_environment_and_stays_offline() -> None:
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise SystemExit('network used at import')\n"
        "socket.socket.connect = refuse\n"
        "from jwstarchive.esa import Jwst\n"
        "print(Jwst.tap_url, Jwst.data_url)\n"
    )
    env = {**os.environ, "JWSTARCHIVE_ESA_URL": "http://archive.example:8000"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["http://archive.example:8000/server/tap", "http://archive.example:8000/server/data"]


@pytest.mark.parametrize("name", ["../evil.fits", "/etc/evil.fits"])
def test_tar_members_outside_the_directory_are_refused(tmp_path: Path, name: str) -> None:
    import io

    from jwstarchive.clients.esa import _unpack
    from jwstarchive.errors import DownloadError

    path = tmp_path / "x_all_products"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo(name)
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    with pytest.raises(DownloadError, match="refusing to unpack"):
        _unpack(path)
    assert not (tmp_path.parent / "evil.fits").exists()
