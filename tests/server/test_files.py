"""Product files over HTTP (MAST Download/file) and the accounts that unlock exclusive access."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import httpx
import pytest

from jwstarchive.server.files import byte_range

DOWNLOAD = "/api/v0.1/Download/file"


def _products(archive: Path, where: str, limit: int = 3) -> list[tuple[str, int, str]]:
    con = duckdb.connect(str(archive / "catalog.duckdb"), read_only=True)
    try:
        return con.execute(
            f"SELECT filename, size, md5 FROM core.product WHERE {where} ORDER BY filename LIMIT {limit}"
        ).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def public_files(archive_dir: Path) -> list[tuple[str, int, str]]:
    rows = _products(archive_dir, "release_date < now() AND extension = 'fits'", 2)
    rows += _products(archive_dir, "release_date < now() AND extension = 'jpg'", 1)
    rows += _products(archive_dir, "release_date < now() AND extension = 'json'", 1)
    assert len(rows) == 4
    return rows


@pytest.fixture(scope="module")
def private_file(archive_dir: Path) -> str:
    rows = _products(archive_dir, "release_date > now() AND program_id = '07123'", 1)
    assert rows, "the small archive holds exclusive-access products of program 07123"
    return rows[0][0]


def _url(server, name: str) -> str:
    return f"{server.url}{DOWNLOAD}?uri=mast:JWST/product/{name}"


def test_files_match_the_catalog(live_server, http: httpx.Client, public_files) -> None:
    for name, size, md5 in public_files:
        head = http.head(_url(live_server, name))
        assert head.status_code == 200
        assert head.headers["content-length"] == str(size)
        assert head.headers["accept-ranges"] == "bytes"
        assert head.headers["etag"] == f'"{md5}"'
        body = http.get(_url(live_server, name))
        assert body.status_code == 200
        assert len(body.content) == size
        assert hashlib.md5(body.content).hexdigest() == md5
        assert name in body.headers["content-disposition"]


def test_ranges(live_server, http: httpx.Client, public_files) -> None:
    name, size, _ = public_files[0]
    whole = http.get(_url(live_server, name)).content
    part = http.get(_url(live_server, name), headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{size}"
    assert part.content == whole[100:200]
    tail = http.get(_url(live_server, name), headers={"Range": f"bytes={size - 10}-"})
    assert tail.status_code == 206 and tail.content == whole[-10:]
    suffix = http.get(_url(live_server, name), headers={"Range": "bytes=-5"})
    assert suffix.content == whole[-5:]
    beyond = http.get(_url(live_server, name), headers={"Range": f"bytes={size}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{size}"
    stale = http.get(_url(live_server, name), headers={"Range": "bytes=0-9", "If-Range": '"not-the-md5"'})
    assert stale.status_code == 200 and stale.content == whole


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        (None, 10, None),
        ("bytes=0-4", 10, (0, 4)),
        ("bytes=5-", 10, (5, 9)),
        ("bytes=-3", 10, (7, 9)),
        ("bytes=-30", 10, (0, 9)),
        ("bytes=8-100", 10, (8, 9)),
        ("bytes=10-", 10, "unsatisfiable"),
        ("bytes=5-2", 10, "unsatisfiable"),
        ("bytes=0-1,4-5", 10, None),
        ("items=0-1", 10, None),
    ],
)
def test_byte_range(header, size, expected) -> None:
    assert byte_range(header, size) == expected


def test_bad_and_unknown_uris(live_server, http: httpx.Client) -> None:
    bad = http.get(f"{live_server.url}{DOWNLOAD}?uri=foo")
    assert bad.status_code == 400 and "mast:JWST/product/" in bad.text
    missing = http.get(_url(live_server, "jw99999999999_99999_99999_nrca1_cal.fits"))
    assert missing.status_code == 404


def test_exclusive_access_needs_the_right_token(fresh_server, http, run_jwstarchive, private_file) -> None:
    archive = str(fresh_server.archive)
    url = _url(fresh_server, private_file)
    assert http.get(url).status_code == 401
    assert http.head(url).status_code == 401
    demo = run_jwstarchive("token", "create", "--user", "demo", "--archive", archive).stdout.strip()
    other = run_jwstarchive("token", "create", "--user", "alice", "--archive", archive).stdout.strip()
    assert len(demo) == 32 and demo != other
    assert http.get(url, headers={"Authorization": f"token {demo}"}).status_code == 200
    assert http.get(url, headers={"Authorization": f"Bearer {demo}"}).status_code == 200
    assert http.get(url, headers={"Cookie": f"mast_token={demo}"}).status_code == 200
    assert http.get(url, headers={"Authorization": f"token {other}"}).status_code == 403
    assert http.get(url, headers={"Authorization": "token 0123456789abcdef0123456789abcdef"}).status_code == 401


def test_user_add_refuses_bad_input(fresh_server, run_jwstarchive) -> None:
    archive = str(fresh_server.archive)
    ok = run_jwstarchive("user", "add", "alice", "--password", "secret1", "--archive", archive)
    assert ok.returncode == 0 and "alice added" in ok.stdout
    again = run_jwstarchive("user", "add", "alice", "--password", "secret1", "--archive", archive)
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = run_jwstarchive("user", "add", "9lives", "--password", "secret1", "--archive", archive)
    assert bad.returncode == 2 and "invalid user name" in bad.stderr
    short = run_jwstarchive("user", "add", "bob", "--password", "x", "--archive", archive)
    assert short.returncode == 2 and "at least" in short.stderr
    demo = run_jwstarchive("user", "add", "demo", "--password", "demo-pass", "--archive", archive)
    assert "07123" in demo.stdout
    days = run_jwstarchive("token", "create", "--user", "demo", "--days", "0", "--archive", archive)
    assert days.returncode == 2 and "--days" in days.stderr
