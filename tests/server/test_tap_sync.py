"""Synchronous TAP over HTTP against a real server: parameters, formats, MAXREC, uploads, errors."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from astropy.io import fits
from astropy.io.votable import from_table, writeto
from astropy.table import Table
from votables import error_message, parse_votable, query_status

MAIN_QUERY = "SELECT TOP 7 observationid, calibrationlevel, target_ra, target_dec FROM jwst.main ORDER BY observationid"


def sync(http: httpx.Client, server, method: str = "POST", **params: str) -> httpx.Response:
    params = {"REQUEST": "doQuery", "LANG": "ADQL", **params}
    url = server.tap + "/sync"
    if method == "GET":
        return http.get(url, params=params)
    return http.post(url, data=params)


def test_get_and_post_give_the_same_rows(http, live_server) -> None:
    got = sync(http, live_server, "GET", QUERY=MAIN_QUERY)
    posted = sync(http, live_server, "POST", QUERY=MAIN_QUERY)
    assert got.status_code == posted.status_code == 200
    assert got.headers["content-type"].startswith("application/x-votable+xml")
    a = parse_votable(got.content).get_first_table().to_table()
    b = parse_votable(posted.content).get_first_table().to_table()
    assert len(a) == 7
    assert list(a["observationid"]) == list(b["observationid"])
    assert query_status(got.content) == [("OK", "")]


def test_parameter_names_are_case_insensitive(http, live_server) -> None:
    response = http.get(
        live_server.tap + "/sync",
        params={"request": "doQuery", "lang": "adql", "query": MAIN_QUERY, "responseformat": "csv", "maxrec": "3"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert len(response.text.strip().splitlines()) == 1 + 3


def test_fields_carry_the_published_metadata(http, live_server) -> None:
    table = parse_votable(sync(http, live_server, QUERY=MAIN_QUERY).content).get_first_table()
    fields = {f.name: f for f in table.fields}
    assert fields["target_ra"].unit == "deg"
    assert fields["target_ra"].datatype == "double"
    assert fields["target_ra"].ucd and "pos.eq.ra" in fields["target_ra"].ucd
    assert fields["observationid"].datatype == "char"


@pytest.mark.parametrize("lang", ["ADQL", "ADQL-2.0", "ADQL-2.1", "adql"])
def test_lang_versions(http, live_server, lang: str) -> None:
    assert sync(http, live_server, LANG=lang, QUERY=MAIN_QUERY).status_code == 200


def _rows(key: str, body: bytes) -> int:
    if key.startswith("votable") or key.startswith("application/x-votable"):
        return len(parse_votable(body).get_first_table().to_table())
    if key in ("csv", "tsv"):
        return len(Table.read(body.decode(), format="ascii.csv" if key == "csv" else "ascii.tab"))
    if key == "json":
        return len(json.loads(body)["data"])
    if key == "fits":
        with fits.open(io.BytesIO(body)) as hdus:
            return len(hdus[1].data)
    if key == "parquet":
        return pq.read_table(pa.BufferReader(body)).num_rows
    raise AssertionError(key)


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("votable", "application/x-votable+xml"),
        ("votable/b2", "application/x-votable+xml;serialization=BINARY2"),
        ("application/x-votable+xml;serialization=BINARY2", "application/x-votable+xml;serialization=BINARY2"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("json", "application/json"),
        ("fits", "application/fits"),
        ("parquet", "application/vnd.apache.parquet"),
    ],
)
def test_each_output_format(http, live_server, fmt: str, media_type: str) -> None:
    response = sync(http, live_server, QUERY=MAIN_QUERY, RESPONSEFORMAT=fmt)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].replace(" ", "").startswith(media_type)
    assert _rows(fmt, response.content) == 7


def test_format_parameter_of_tap_1_0(http, live_server) -> None:
    response = sync(http, live_server, QUERY=MAIN_QUERY, FORMAT="csv")
    assert response.headers["content-type"].startswith("text/csv")


def test_maxrec_overflow_is_marked_after_the_table(http, live_server) -> None:
    response = sync(http, live_server, QUERY="SELECT observationid FROM jwst.main", MAXREC="5")
    assert response.status_code == 200
    assert len(parse_votable(response.content).get_first_table().to_table()) == 5
    text = response.text
    assert query_status(response.content) == [("OK", ""), ("OVERFLOW", "")]
    assert text.index("</TABLE>") < text.index('value="OVERFLOW"')


def test_top_below_maxrec_is_no_overflow(http, live_server) -> None:
    response = sync(http, live_server, QUERY="SELECT TOP 5 observationid FROM jwst.main", MAXREC="5")
    assert query_status(response.content) == [("OK", "")]
    assert len(parse_votable(response.content).get_first_table().to_table()) == 5


def test_maxrec_zero_returns_metadata_only(http, live_server) -> None:
    response = sync(http, live_server, QUERY=MAIN_QUERY, MAXREC="0")
    table = parse_votable(response.content).get_first_table()
    assert [f.name for f in table.fields] == ["observationid", "calibrationlevel", "target_ra", "target_dec"]
    assert len(table.to_table()) == 0
    assert ("OVERFLOW", "") in query_status(response.content)


def test_multipart_post(http, live_server) -> None:
    files = {"QUERY": (None, MAIN_QUERY), "LANG": (None, "ADQL"), "FORMAT": (None, "csv")}
    response = http.post(live_server.tap + "/sync", files=files)
    assert response.status_code == 200, response.text
    assert len(response.text.strip().splitlines()) == 8


def test_esa_client_request_shape(http, live_server) -> None:
    """What astroquery's TapPlus sends: injected TOP 2000 after a double space, PHASE=RUN, Accept: text/plain."""
    body = (
        "REQUEST=doQuery&LANG=ADQL&FORMAT=votable&tapclient=ASTROQUERY"
        "&QUERY=SELECT++TOP+2000+observationid%2C+%22public%22+FROM+jwst.main+WHERE+calibrationlevel%3D3%3B&PHASE=RUN"
    )
    response = http.post(
        live_server.tap + "/sync",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/plain"},
    )
    assert response.status_code == 200, response.text[:800]
    assert query_status(response.content)[0][0] == "OK"


def _votable_bytes(table: Table) -> bytes:
    out = io.BytesIO()
    writeto(from_table(table), out)
    return out.getvalue()


@pytest.fixture(scope="module")
def some_observations(live_server) -> list[str]:
    with httpx.Client(timeout=60) as client:
        response = client.post(
            live_server.tap + "/sync",
            data={"LANG": "ADQL", "FORMAT": "csv", "QUERY": "SELECT TOP 3 observationid FROM jwst.main ORDER BY 1"},
        )
    return [row[0] for row in csv.reader(response.text.strip().splitlines()[1:])]


def test_inline_upload_joined_with_a_catalog_table(http, live_server, some_observations) -> None:
    mine = Table({"obs": some_observations, "tag": [10, 20, 30]})
    files = {
        "REQUEST": (None, "doQuery"),
        "LANG": (None, "ADQL"),
        "QUERY": (
            None,
            "SELECT u.tag, m.observationid, m.calibrationlevel FROM TAP_UPLOAD.mine AS u "
            "JOIN jwst.main AS m ON m.observationid = u.obs ORDER BY u.tag",
        ),
        "UPLOAD": (None, "mine,param:table1"),
        "table1": ("mine.vot", _votable_bytes(mine), "application/x-votable+xml"),
    }
    response = http.post(live_server.tap + "/sync", files=files)
    assert response.status_code == 200, response.text[:800]
    result = parse_votable(response.content).get_first_table().to_table()
    assert set(result["observationid"]) == set(some_observations)
    assert sorted(set(result["tag"])) == [10, 20, 30]


@pytest.fixture
def votable_url(some_observations) -> Iterator[str]:
    body = _votable_bytes(Table({"obs": some_observations[:2]}))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/x-votable+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/list.vot"
    server.shutdown()
    server.server_close()


def test_upload_by_url(http, live_server, votable_url) -> None:
    response = sync(
        http,
        live_server,
        QUERY="SELECT obs FROM tap_upload.remote",
        UPLOAD=f"remote,{votable_url}",
        FORMAT="csv",
    )
    assert response.status_code == 200, response.text[:800]
    assert len(response.text.strip().splitlines()) == 3


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"QUERY": "SELEC observationid FROM jwst.main"}, ""),
        ({"QUERY": "SELECT nosuchcolumn FROM jwst.main"}, "nosuchcolumn"),
        ({"QUERY": "SELECT * FROM nosuch.tab"}, "nosuch"),
        ({"QUERY": "SELECT * FROM core.program"}, ""),
        ({"QUERY": ""}, "QUERY"),
        ({}, "QUERY"),
        ({"QUERY": MAIN_QUERY, "LANG": "SQL"}, "LANG"),
        ({"QUERY": MAIN_QUERY, "REQUEST": "getCapabilities"}, "REQUEST"),
        ({"QUERY": MAIN_QUERY, "RESPONSEFORMAT": "excel"}, "RESPONSEFORMAT"),
        ({"QUERY": MAIN_QUERY, "MAXREC": "lots"}, "MAXREC"),
        ({"QUERY": MAIN_QUERY, "MAXREC": "-1"}, "MAXREC"),
        ({"QUERY": MAIN_QUERY, "UPLOAD": "no-comma"}, "UPLOAD"),
        ({"QUERY": MAIN_QUERY, "UPLOAD": "t,param:absent"}, "absent"),
        ({"QUERY": MAIN_QUERY, "UPLOAD": "t,ftp://example.org/x.vot"}, "not supported"),
        ({"QUERY": MAIN_QUERY, "UPLOAD": "1bad,param:x"}, "not allowed"),
        ({"QUERY": "SELECT read_csv('/etc/passwd')"}, ""),
    ],
)
def test_refusals_are_400_error_votables(http, live_server, params: dict[str, str], needle: str) -> None:
    response = sync(http, live_server, **params)
    assert response.status_code == 400, response.text[:500]
    assert response.headers["content-type"].startswith("application/x-votable+xml")
    message = error_message(response)
    assert message
    assert needle in message


def test_upload_that_is_not_a_votable(http, live_server) -> None:
    files = {
        "QUERY": (None, "SELECT * FROM TAP_UPLOAD.t"),
        "LANG": (None, "ADQL"),
        "UPLOAD": (None, "t,param:f"),
        "f": ("t.vot", b"this is not XML", "text/plain"),
    }
    response = http.post(live_server.tap + "/sync", files=files)
    assert response.status_code == 400
    assert "not a readable VOTable" in error_message(response)


def test_astroquery_style_multipart_upload(http, live_server, some_observations) -> None:
    """TapPlus's hand-made multipart: unquoted ``===<ms>===`` boundary, bogus part Content-Type."""
    boundary = "===1700000000000==="
    votable = _votable_bytes(Table({"obs": some_observations})).decode()
    fields = {
        "REQUEST": "doQuery",
        "LANG": "ADQL",
        "FORMAT": "votable",
        "tapclient": "ASTROQUERY",
        "QUERY": "SELECT  TOP 2000 * FROM tap_upload.mine",
        "UPLOAD": "mine,param:mine",
        "format": "votable",
    }
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="mine"; filename="mine.vot"\r\n'
        f"Content-Type: None\r\n\r\n{votable}\r\n--{boundary}--\r\n"
    )
    response = http.post(
        live_server.tap + "/sync",
        content="".join(parts).encode(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "text/plain"},
    )
    assert response.status_code == 200, response.text[:800]
    assert len(parse_votable(response.content).get_first_table().to_table()) == len(some_observations)
