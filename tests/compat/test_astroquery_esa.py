"""The real ``astroquery.esa.jwst`` (0.4.11) against our server, with only the host changed.

The client is built as astroquery documents for other hosts: ``TapPlus(url=http://HOST:PORT/server/tap,
data_context='data', client_id='ASTROQUERY', sslport=TLS_PORT)``. Login, logout and set_token go
over HTTPS (and, once logged in, everything does); ``SSL_CERT_FILE`` makes http.client trust the
server's self-signed certificate.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path
from typing import Any

import pytest

pytestmark = [
    pytest.mark.compat,
    # astroquery's TapPlus opens one http.client connection per request and never closes it
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    # TapPlus renames dump files of compressed formats (it says so with a UserWarning)
    pytest.mark.filterwarnings("ignore:By default, results in votable:UserWarning"),
]


VOTABLE = """<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
<FIELD name="name" datatype="char" arraysize="*"/><FIELD name="x" datatype="int"/>
<DATA><TABLEDATA><TR><TD>a</TD><TD>1</TD></TR><TR><TD>b</TD><TD>2</TD></TR></TABLEDATA></DATA>
</TABLE></RESOURCE></VOTABLE>
"""


@pytest.fixture
def jwst(esa_server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """A fresh ``JwstClass`` aimed at the server (working directory: a temporary one)."""
    from astroquery.esa.jwst import JwstClass
    from astroquery.utils.tap.core import TapPlus

    monkeypatch.setenv("SSL_CERT_FILE", str(esa_server.cert_path))
    monkeypatch.chdir(tmp_path)
    tls_port = int(esa_server.tls_url.rsplit(":", 1)[1])
    tap = TapPlus(url=esa_server.tap, data_context="data", client_id="ASTROQUERY", sslport=tls_port)
    return JwstClass(tap_plus_handler=tap, show_messages=False)


@pytest.fixture(scope="module")
def sample(esa_server: Any) -> dict[str, Any]:
    """Observations of the archive to query: a composite with members, its exposure, an exclusive one."""
    import httpx
    from astropy.io.votable import parse_single_table

    def rows(query: str) -> Any:
        r = httpx.post(esa_server.tap + "/sync", data={"LANG": "ADQL", "QUERY": query}, timeout=120)
        assert r.status_code == 200, r.text
        import io

        return parse_single_table(io.BytesIO(r.content)).to_table()

    composite = rows(
        "SELECT TOP 1 observationid, members, target_ra, target_dec FROM jwst.main "
        "WHERE members IS NOT NULL AND public = 'true' AND calibrationlevel = 3 ORDER BY observationid"
    )[0]
    member = composite["members"].split()[0].replace("caom:JWST/", "")
    exclusive = rows(
        "SELECT TOP 1 observationid FROM jwst.main WHERE public = 'false' AND calibrationlevel = 2 "
        "ORDER BY observationid"
    )[0]
    return {
        "composite": str(composite["observationid"]),
        "member": member,
        "ra": float(composite["target_ra"]),
        "dec": float(composite["target_dec"]),
        "exclusive": str(exclusive["observationid"]),
    }


def test_get_status_messages(jwst: Any, esa_server: Any, capsys: pytest.CaptureFixture[str]) -> None:
    (esa_server.archive / "notifications.txt").write_text("Archive maintenance tonight\n")
    try:
        jwst.get_status_messages()
    finally:
        (esa_server.archive / "notifications.txt").unlink()
    assert "Archive maintenance tonight" in capsys.readouterr().out


def test_load_tables(jwst: Any) -> None:
    names = [t.get_qualified_name() for t in jwst.load_tables(only_names=True)]
    assert {"jwst.main", "jwst.artifact", "jwst.plane", "ivoa.obscore"} <= set(names)
    full = {t.get_qualified_name(): t for t in jwst.load_tables()}
    assert "target_ra" in [c.name for c in full["jwst.main"].columns]


def test_load_table(jwst: Any) -> None:
    table = jwst.load_table("jwst.main")
    columns = {c.name: c for c in table.columns}
    assert table.get_qualified_name() == "jwst.main"
    assert columns["target_ra"].flags == "1" and columns["target_dec"].flags == "2"


def test_launch_job_sync_and_dump_to_file(jwst: Any, tmp_path: Path) -> None:
    job = jwst.launch_job("SELECT TOP 5 observationid, calibrationlevel, public FROM jwst.main ORDER BY observationid")
    result = job.get_results()
    assert len(result) == 5 and "observationid" in result.colnames
    out = tmp_path / "sync.vot"
    job = jwst.launch_job("SELECT TOP 3 * FROM jwst.plane", dump_to_file=True, output_file=str(out))
    # TapPlus appends .gz to dump names of votable results
    saved = out.with_name("sync.vot.gz")
    assert saved.exists() and saved.stat().st_size > 0
    assert len(job.get_results()) == 3


def test_launch_job_async_list_and_remove(jwst: Any) -> None:
    job = jwst.launch_job("SELECT TOP 7 planeid FROM jwst.plane", async_job=True)
    assert job.get_phase() == "COMPLETED"
    assert len(job.get_results()) == 7
    assert job.jobid in [j.jobid for j in jwst.list_async_jobs()]
    jwst.remove_jobs([job.jobid])
    assert job.jobid not in [j.jobid for j in jwst.list_async_jobs()]


def test_launch_job_with_upload(jwst: Any, tmp_path: Path) -> None:
    path = tmp_path / "mine.xml"
    path.write_text(VOTABLE)
    job = jwst.launch_job(
        "SELECT name, x FROM tap_upload.mine ORDER BY x", upload_resource=str(path), upload_table_name="mine"
    )
    assert list(job.get_results()["name"]) == ["a", "b"]


def test_query_region_radius_and_box(jwst: Any, sample: dict[str, Any]) -> None:
    from astropy import units as u
    from astropy.coordinates import SkyCoord

    where = SkyCoord(sample["ra"], sample["dec"], unit="deg", frame="icrs")
    by_radius = jwst.query_region(where, radius=3 * u.arcmin)
    assert sample["composite"] in list(by_radius["observationid"])
    assert list(by_radius["dist"]) == sorted(by_radius["dist"])
    box = jwst.query_region(where, width=5 * u.arcmin, height=5 * u.arcmin, cal_level=None)
    assert sample["composite"] in list(box["observationid"])


def test_cone_search(jwst: Any, sample: dict[str, Any]) -> None:
    from astropy import units as u
    from astropy.coordinates import SkyCoord

    where = SkyCoord(sample["ra"], sample["dec"], unit="deg", frame="icrs")
    job = jwst.cone_search(where, 3 * u.arcmin, instrument_name=None, show_all_columns=True, cal_level=None)
    result = job.get_results()
    assert len(result) > 0 and "planeid" in result.colnames
    job = jwst.cone_search(where, 3 * u.arcmin, async_job=True)
    assert sample["composite"] in list(job.get_results()["observationid"])


def test_get_product_list(jwst: Any, sample: dict[str, Any]) -> None:
    products = jwst.get_product_list(observation_id=sample["member"])
    assert len(products) > 1 and {"filename", "artifactid", "producttype"} <= set(products.colnames)
    science = jwst.get_product_list(observation_id=sample["member"], product_type="science")
    assert 0 < len(science) < len(products)
    assert set(science["producttype"]) == {"science"}


def test_get_product_by_artifact_id_and_file_name(jwst: Any, sample: dict[str, Any], tmp_path: Path) -> None:
    products = jwst.get_product_list(observation_id=sample["member"], product_type="science")
    row = next(r for r in products if str(r["filename"]).endswith(".fits"))
    name = jwst.get_product(artifact_id=row["artifactid"])
    assert name == row["filename"]
    assert (tmp_path / name).read_bytes()[:6] == b"SIMPLE"
    (tmp_path / name).unlink()
    assert jwst.get_product(file_name=row["filename"]) == row["filename"]
    assert (tmp_path / row["filename"]).stat().st_size > 2880


def test_get_obs_products_extracts_the_tar(jwst: Any, sample: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "obs" / "products.tar"
    files = jwst.get_obs_products(observation_id=sample["member"], cal_level="ALL", output_file=str(out))
    expected = jwst.get_product_list(observation_id=sample["member"], cal_level="ALL")
    names = sorted(Path(f).name for f in files)
    assert names == sorted(set(expected["filename"]))
    assert all(f"{os.sep}level_" in f for f in files)
    assert tarfile.is_tarfile(out)


def test_get_related_observations(jwst: Any, sample: dict[str, Any]) -> None:
    members = jwst.get_related_observations(sample["composite"])
    assert sample["member"] in list(members)
    composites = jwst.get_related_observations(sample["member"])
    assert sample["composite"] in list(composites)


def test_exclusive_product_needs_a_token(jwst: Any, sample: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(Exception, match="Private file"):
        jwst.get_obs_products(observation_id=sample["exclusive"], output_file=str(tmp_path / "x" / "p.tar"))


def test_login_set_token_and_logout(
    jwst: Any, esa_server: Any, sample: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str], uid: str
) -> None:
    from requests import HTTPError

    with pytest.raises(HTTPError, match="Unauthorized"):
        jwst.login(user="demo", password="wrong")
    jwst.login(user="demo", password=esa_server.passwords["demo"])
    jwst.set_token(esa_server.tokens["demo"])
    assert "MAST token has been set successfully" in capsys.readouterr().out
    files = jwst.get_obs_products(observation_id=sample["exclusive"], output_file=str(tmp_path / "p" / "p.tar"))
    assert files
    # a logged-in user's async job belongs to them and stays listed
    job = jwst.launch_job("SELECT TOP 1 * FROM jwst.main", async_job=True)
    assert job.jobid in [j.jobid for j in jwst.list_async_jobs()]
    jwst.remove_jobs(job.jobid)
    jwst.logout()


def test_user_table_upload_and_sharing_through_tapplus(jwst: Any, esa_server: Any, uid: str, tmp_path: Path) -> None:
    tap = jwst._JwstClass__jwsttap  # the TapPlus inside Jwst: its user-table and sharing calls
    path = tmp_path / "mine.xml"
    path.write_text(VOTABLE)
    jwst.login(user="alice", password=esa_server.passwords["alice"])
    try:
        tap.upload_table(upload_resource=str(path), table_name=uid, table_description="two rows")
        own = [t.get_qualified_name() for t in jwst.load_tables(only_names=True)]
        assert f"user_alice.{uid}" in own
        tap.share_group_create(group_name=f"g{uid}", description="friends")
        tap.share_group_add_user(group_name=f"g{uid}", user_id="bob")
        tap.share_table(group_name=f"g{uid}", table_name=f"user_alice.{uid}", description="for bob")
    finally:
        jwst.logout()
    jwst.login(user="bob", password=esa_server.passwords["bob"])
    try:
        plain = [t.get_qualified_name() for t in jwst.load_tables(only_names=True)]
        shared = [t.get_qualified_name() for t in jwst.load_tables(only_names=True, include_shared_tables=True)]
        assert f"user_alice.{uid}" not in plain
        assert f"user_alice.{uid}" in shared
        result = jwst.launch_job(f"SELECT name, x FROM user_alice.{uid} ORDER BY x").get_results()
        assert list(result["x"]) == [1, 2]
    finally:
        jwst.logout()


def test_query_target_through_a_ned_compatible_resolver(jwst: Any, esa_server: Any, monkeypatch) -> None:
    """query_target(..., target_resolver="NED") resolves on our /cgi-bin/objsearch (NED's URL, host changed)."""
    from astropy import units as u
    from astroquery.ipac.ned import Ned

    monkeypatch.setattr(Ned, "OBJ_SEARCH_URL", esa_server.url + "/cgi-bin/objsearch")
    found = jwst.query_target("WASP-39", target_resolver="NED", radius=10 * u.arcmin, cal_level=None)
    assert len(found) > 0
    assert {"observationid", "dist"} <= set(found.colnames)
    assert max(found["dist"]) <= 10 / 60 + 1e-9
    with pytest.raises(ValueError, match="cannot be determined"):
        jwst.query_target("no such object 12345", target_resolver="NED", radius=1 * u.arcmin)
