"""The ESA TAP+ face over HTTP(S): login, data, user tables, sharing, notifications, job lists."""

from __future__ import annotations

import csv
import io
import ssl
import tarfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

UWS = "{http://www.ivoa.net/xml/UWS/v1.0}"
VOTABLE = """<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
<FIELD name="RA" datatype="double" unit="deg"/><FIELD name="Dec" datatype="double" unit="deg"/>
<FIELD name="label" datatype="char" arraysize="*"/>
<DATA><TABLEDATA>
<TR><TD>53.1</TD><TD>-27.8</TD><TD>a</TD></TR>
<TR><TD>150.1</TD><TD>2.2</TD><TD>b</TD></TR>
</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
"""


def client(server: Any) -> httpx.Client:
    """An https client that trusts the server's certificate (cookies kept, redirects not followed)."""
    context = ssl.create_default_context(cafile=str(server.cert_path))
    return httpx.Client(base_url=server.tls_url, verify=context, timeout=120)


@contextmanager
def login(server: Any, user: str) -> Iterator[httpx.Client]:
    """A client logged in as ``user``."""
    with client(server) as c:
        r = c.post("/server/login", data={"username": user, "password": server.passwords[user]})
        assert r.status_code == 200, r.text
        yield c


def adql(c: httpx.Client, query: str) -> list[dict[str, str]]:
    """Rows of a sync query, as CSV dictionaries."""
    r = c.post("/server/tap/sync", data={"REQUEST": "doQuery", "LANG": "ADQL", "FORMAT": "csv", "QUERY": query})
    assert r.status_code == 200, r.text
    return list(csv.DictReader(io.StringIO(r.text)))


def upload_table(c: httpx.Client, name: str, path: str = "/server/Upload") -> httpx.Response:
    """Upload VOTABLE as a persistent user table, as TapPlus does (multipart, FILE part)."""
    return c.post(
        path,
        data={"TASKID": "-1", "TABLE_NAME": name, "TABLE_DESC": "my sources", "FORMAT": "votable"},
        files={"FILE": ("pytable", VOTABLE.encode(), "None")},
    )


def test_tls_listener_uses_the_archive_certificate(esa_server: Any) -> None:
    assert esa_server.cert_path == esa_server.archive / "tls" / "cert.pem"
    assert esa_server.first_line.startswith("Serving jwstarchive at http://127.0.0.1:")
    with client(esa_server) as c:
        assert c.get("/server/tap/availability").status_code == 200


def test_notifications_are_key_value_lines(esa_server: Any) -> None:
    with client(esa_server) as c:
        r = c.get("/server/tap/notification", params={"action": "GetNotifications"})
        assert r.status_code == 200 and r.text == ""
        (esa_server.archive / "notifications.txt").write_text("Maintenance on Monday\n\nNew data = more fun\n")
        try:
            lines = c.get("/server/tap/notification", params={"action": "GetNotifications"}).text.splitlines()
        finally:
            (esa_server.archive / "notifications.txt").unlink()
    assert len(lines) == 2
    assert all("=" in line for line in lines)
    assert lines[0].split("=", 1)[1] == "Maintenance on Monday"
    assert lines[1].split("=", 1)[1] == "New data = more fun"


def test_login_failure_is_a_401_page(esa_server: Any) -> None:
    with client(esa_server) as c:
        r = c.post("/server/login", data={"username": "alice", "password": "wrong"})
    assert r.status_code == 401
    assert "Unauthorized" in r.text
    assert "JSESSIONID" not in r.headers.get("set-cookie", "")


def test_login_sets_jsessionid_and_logout_ends_it(esa_server: Any) -> None:
    with login(esa_server, "alice") as c:
        sid = c.cookies.get("JSESSIONID")
        assert sid
        assert c.get("/server/tap/users", params={"USER": "bob"}).text == "bob: bob\n"
        c.post("/server/logout")
        # the old cookie no longer identifies anyone
        c.cookies.set("JSESSIONID", sid)
        assert c.get("/server/tap/users", params={"USER": "bob"}).status_code == 403


def test_users_lookup(esa_server: Any) -> None:
    with login(esa_server, "alice") as c:
        assert c.get("/server/tap/users", params={"USER": "nobody"}).text == ""
    with client(esa_server) as c:
        assert c.get("/server/tap/users", params={"USER": "bob"}).status_code == 403


def test_token_needs_a_login(esa_server: Any) -> None:
    with client(esa_server) as c:
        r = c.post("/server/jwstToken", data={"token": esa_server.tokens["demo"]})
    assert r.status_code == 403
    with login(esa_server, "alice") as c:
        assert c.post("/server/jwstToken", data={"token": "not-a-token"}).status_code == 400
        assert c.post("/server/jwstToken", data={"token": esa_server.tokens["alice"]}).status_code == 200


def _public_observation(c: httpx.Client) -> dict[str, str]:
    rows = adql(
        c,
        "SELECT TOP 1 m.observationid, m.planeid, m.proposal_id, COUNT(*) AS n FROM jwst.main m "
        "JOIN jwst.artifact a ON a.planeid = m.planeid WHERE m.public = 'true' AND m.calibrationlevel = 2 "
        "GROUP BY m.observationid, m.planeid, m.proposal_id HAVING COUNT(*) > 2 ORDER BY m.observationid",
    )
    assert rows
    return rows[0]


def test_product_by_artifact_id_and_by_file_name(esa_server: Any) -> None:
    with client(esa_server) as c:
        obs = _public_observation(c)
        art = adql(
            c, f"SELECT TOP 1 artifactid, filename, contentlength FROM jwst.artifact WHERE planeid = '{obs['planeid']}'"
        )[0]
        by_id = c.post(
            "/server/data",
            data={"RETRIEVAL_TYPE": "PRODUCT", "TAPCLIENT": "ASTROQUERY", "ARTIFACTID": art["artifactid"]},
        )
        by_name = c.get("/server/data", params={"RETRIEVAL_TYPE": "PRODUCT", "file_name": art["filename"]})
        part = c.get(
            "/server/data",
            params={"RETRIEVAL_TYPE": "PRODUCT", "ARTIFACTID": art["artifactid"]},
            headers={"Range": "bytes=10-19"},
        )
    assert by_id.status_code == 200 and by_name.status_code == 200
    assert by_id.content == by_name.content
    assert len(by_id.content) == int(art["contentlength"])
    assert by_id.headers["content-disposition"].endswith(f'filename="{art["filename"]}"')
    assert part.status_code == 206 and part.content == by_id.content[10:20]


def test_observation_products_arrive_as_a_tar(esa_server: Any) -> None:
    with client(esa_server) as c:
        obs = _public_observation(c)
        arts = adql(
            c, f"SELECT filename, producttype, contentlength FROM jwst.artifact WHERE planeid = '{obs['planeid']}'"
        )
        r = c.post(
            "/server/data",
            data={"RETRIEVAL_TYPE": "OBSERVATION", "planeid": obs["planeid"], "calibrationlevel": "SELECTED"},
        )
        science = c.post(
            "/server/data",
            data={
                "RETRIEVAL_TYPE": "OBSERVATION",
                "planeid": obs["planeid"],
                "calibrationlevel": "SELECTED",
                "product_type": "science",
            },
        )
    assert r.status_code == 200, r.text
    assert int(r.headers["content-length"]) == len(r.content)
    with tarfile.open(fileobj=io.BytesIO(r.content)) as tar:
        members = {m.name: m.size for m in tar.getmembers()}
    level = 2
    expected = {f"jw{int(obs['proposal_id']):05d}/level_{level}/{a['filename']}": int(a["contentlength"]) for a in arts}
    assert members == expected
    want_science = [a for a in arts if a["producttype"] == "science"]
    if len(want_science) == 1:
        assert science.content[:6] == b"SIMPLE"
    else:
        with tarfile.open(fileobj=io.BytesIO(science.content)) as tar:
            assert len(tar.getmembers()) == len(want_science)


def test_observation_filters_are_checked(esa_server: Any) -> None:
    with client(esa_server) as c:
        r = c.post("/server/data", data={"RETRIEVAL_TYPE": "OBSERVATION", "planeid": "x", "product_type": "bogus"})
        assert r.status_code == 400 and "product_type" in r.text
        r = c.post("/server/data", data={"RETRIEVAL_TYPE": "OBSERVATION"})
        assert r.status_code == 400 and "planeid" in r.text
        r = c.post("/server/data", data={"RETRIEVAL_TYPE": "PRODUCT", "ARTIFACTID": "no-such-artifact"})
        assert r.status_code == 404


def _exclusive_artifact(c: httpx.Client) -> dict[str, str]:
    rows = adql(
        c,
        "SELECT TOP 1 a.artifactid, a.filename, a.planeid FROM jwst.artifact a "
        "JOIN jwst.main m ON m.planeid = a.planeid WHERE m.public = 'false' AND a.filename LIKE '%.fits' "
        "ORDER BY a.filename",
    )
    assert rows, "the small archive has exclusive-access products"
    return rows[0]


def test_exclusive_products_need_a_granting_token(esa_server: Any) -> None:
    with client(esa_server) as c:
        art = _exclusive_artifact(c)
        r = c.post("/server/data", data={"RETRIEVAL_TYPE": "PRODUCT", "ARTIFACTID": art["artifactid"]})
        assert r.status_code == 403
        assert r.text == "Private file(s) requested: MAST token required for authentication."
        r = c.post("/server/data", data={"RETRIEVAL_TYPE": "OBSERVATION", "planeid": art["planeid"]})
        assert r.status_code == 403
    with login(esa_server, "alice") as c:
        c.post("/server/jwstToken", data={"token": esa_server.tokens["alice"]})
        assert (
            c.post("/server/data", data={"RETRIEVAL_TYPE": "PRODUCT", "ARTIFACTID": art["artifactid"]}).status_code
            == 403
        )
    with login(esa_server, "demo") as c:
        assert c.post("/server/jwstToken", data={"token": esa_server.tokens["demo"]}).status_code == 200
        r = c.post("/server/data", data={"RETRIEVAL_TYPE": "PRODUCT", "ARTIFACTID": art["artifactid"]})
        assert r.status_code == 200 and r.content[:6] == b"SIMPLE"


def test_user_table_upload_query_share_and_delete(esa_server: Any, uid: str) -> None:
    with login(esa_server, "alice") as alice, login(esa_server, "bob") as bob, client(esa_server) as anon:
        r = upload_table(alice, uid)
        assert r.status_code == 200, r.text
        # astroquery's JWST client posts uploads to the bare server context
        assert upload_table(alice, uid + "b", path="/server").status_code == 200
        rows = adql(alice, f"SELECT {uid}_oid, ra, dec, label FROM user_alice.{uid} ORDER BY {uid}_oid")
        assert [(r[f"{uid}_oid"], r["label"]) for r in rows] == [("1", "a"), ("2", "b")]
        joined = adql(
            alice, f"SELECT COUNT(*) AS n FROM user_alice.{uid} AS u JOIN jwst.main AS m ON 1=1 WHERE u.label='a'"
        )
        assert int(joined[0]["n"]) > 0
        tables = ET.fromstring(alice.get("/server/tap/tables", params={"only_tables": "true"}).content)
        names = [t.findtext("name") for t in tables.iter("table")]
        assert f"user_alice.{uid}" in names
        one = alice.get("/server/tap/tables", params={"tables": f"user_alice.{uid}"}).text
        assert 'esatapplus:public="false"' in one and 'esatapplus:flags="16"' in one
        # nobody else sees it
        r = anon.post("/server/tap/sync", data={"LANG": "ADQL", "QUERY": f"SELECT * FROM user_alice.{uid}"})
        assert r.status_code == 400
        assert f"user_alice.{uid}" not in bob.get("/server/tap/tables", params={"share_accessible": "true"}).text
        # share through a group holding bob
        assert (
            alice.post(
                "/server/tap/share",
                content=f"action=CreateOrUpdateGroup&resource_type=0&title=grp{uid}&description=friends",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ).status_code
            == 200
        )
        groups = ET.fromstring(alice.get("/server/tap/share", params={"action": "GetGroups"}).content)
        group = next(g for g in groups.iter("sharedGroup") if g.findtext("title") == f"grp{uid}")
        gid = group.get("id")
        alice.post(
            "/server/tap/share",
            content=f"action=CreateOrUpdateGroup&group_id={gid}&title=grp{uid}&description=friends&users_list=bob",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        r = alice.post(
            "/server/tap/share",
            content=f"action=CreateOrUpdateItem&resource_type=0&title=user_alice.{uid}&description=d&items_list={gid}|Group|Read",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert r.status_code == 200, r.text
        items = ET.fromstring(alice.get("/server/tap/share", params={"action": "GetSharedItems"}).content)
        # the server is shared by the session: other tests may have shared tables of their own
        assert f"user_alice.{uid}" in [i.findtext("title") for i in items.iter("sharedItem")]
        listed = bob.get("/server/tap/tables", params={"only_tables": "true", "share_accessible": "true"}).text
        assert f"user_alice.{uid}" in listed
        assert len(adql(bob, f"SELECT * FROM user_alice.{uid}")) == 2
        # delete: the table and its share item go
        r = alice.post("/server/Upload", data={"TABLE_NAME": uid, "DELETE": "TRUE", "FORCE_REMOVAL": "FALSE"})
        assert r.status_code == 200, r.text
        assert (
            bob.post("/server/tap/sync", data={"LANG": "ADQL", "QUERY": f"SELECT * FROM user_alice.{uid}"}).status_code
            == 400
        )
        items = ET.fromstring(alice.get("/server/tap/share", params={"action": "GetSharedItems"}).content)
        assert f"user_alice.{uid}" not in [i.findtext("title") for i in items.iter("sharedItem")]


def test_upload_needs_a_login(esa_server: Any, uid: str) -> None:
    with client(esa_server) as anon:
        r = upload_table(anon, uid)
    assert r.status_code == 403


def test_jobs_belong_to_their_user(esa_server: Any) -> None:
    with login(esa_server, "alice") as alice, login(esa_server, "bob") as bob:
        r = alice.post(
            "/server/tap/async", data={"LANG": "ADQL", "QUERY": "SELECT TOP 1 * FROM jwst.main", "PHASE": "RUN"}
        )
        assert r.status_code == 303
        job_id = r.headers["location"].rsplit("/", 1)[1]
        job = ET.fromstring(alice.get(f"/server/tap/async/{job_id}").content)
        assert job.findtext(f"{UWS}ownerId") == "alice"
        # kept until deleted: destruction decades away
        assert int(job.findtext(f"{UWS}destruction")[:4]) > 2100
        listed = ET.fromstring(alice.get("/server/tap/async").content)
        assert job_id in [j.get("id") for j in listed.iter(f"{UWS}jobref")]
        assert job_id not in bob.get("/server/tap/async").text
        assert bob.get(f"/server/tap/async/{job_id}").status_code == 404
        search = alice.get("/server/tap/jobs/async", params={"jobid": job_id}).text
        assert "<uws:jobs" in search and f"<uws:jobId>{job_id}</uws:jobId>" in search
        assert (
            bob.post(
                "/server/tap/deletejobs",
                content=f"JOB_IDS={job_id}",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ).status_code
            == 404
        )
        r = alice.post(
            "/server/tap/deletejobs",
            content=f"JOB_IDS={job_id}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert r.status_code == 200 and r.text == "OK"
        assert alice.get(f"/server/tap/async/{job_id}").status_code == 404


def test_metadata_is_never_gzip_encoded(esa_server: Any) -> None:
    with client(esa_server) as c:
        for path in ("/server/tap/tables", "/server/tap/async", "/server/tap/jobs/async"):
            r = c.get(path, headers={"Accept-Encoding": "gzip"})
            assert r.status_code == 200
            assert "content-encoding" not in r.headers, path


@pytest.mark.parametrize("path", ["/server/tap/share", "/server/tap/users"])
def test_anonymous_callers_cannot_share(esa_server: Any, path: str) -> None:
    with client(esa_server) as c:
        assert c.get(path, params={"action": "GetGroups"}).status_code == 403
