"""Garbage in, a 4xx TAP error document out: no request may produce a 500 or a traceback.

The server's stderr is checked for tracebacks when ``live_server`` stops.
"""

from __future__ import annotations

import pytest
from votables import error_message

SYNC = "/sync"

BAD_REQUESTS: list[tuple[str, str, dict]] = [  # (method, path, httpx keyword arguments)
    ("GET", SYNC, {}),
    ("GET", SYNC, {"params": {"QUERY": "\x00\x01\x02"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT * FROM"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT TOP -1 * FROM jwst.main"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT * FROM jwst.main; DROP TABLE jwst.main"}}),
    ("GET", SYNC, {"params": {"QUERY": "DELETE FROM jwst.main"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT * FROM read_parquet('x')"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT * FROM information_schema.tables"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT getenv('HOME')"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT CAST('x' AS INTEGER) FROM jwst.main"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT POINT('ICRS', 'a', 'b') FROM jwst.main"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT CONTAINS(POINT('ICRS', 1, 2), CIRCLE('ICRS', 1, 2, -1))"}}),
    ("GET", SYNC, {"params": {"QUERY": "(" * 5000}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT " + "x," * 5000 + "y FROM jwst.main"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT 'unterminated FROM jwst.main"}}),
    ("GET", SYNC, {"params": {"QUERY": 'SELECT "unterminated FROM jwst.main'}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT * FROM jwst.main", "MAXREC": "1e3"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT * FROM jwst.main", "FORMAT": "\u00e9\u00e8"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT * FROM jwst.main", "UPLOAD": ",,;;"}}),
    ("GET", SYNC, {"params": {"QUERY": "SELECT 1", "UPLOAD": "t,http://127.0.0.1:9/nothing.vot"}}),
    (
        "POST",
        SYNC,
        {"content": b"\xff\xfe\x00garbage", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
    ),
    ("POST", SYNC, {"content": b"--x\r\nbroken", "headers": {"Content-Type": "multipart/form-data; boundary=x"}}),
    ("POST", SYNC, {"content": b"QUERY=SELECT", "headers": {"Content-Type": "multipart/form-data"}}),
    ("POST", SYNC, {"content": b"{}", "headers": {"Content-Type": "application/json"}}),
    ("PUT", SYNC, {}),
    ("DELETE", SYNC, {}),
    ("GET", "/nothing/here", {}),
    ("GET", "/async/../../etc/passwd", {}),
    ("POST", "/async", {"data": {"QUERY": "SELECT 1", "PHASE": "EXPLODE"}}),
    ("GET", "/async", {"params": {"LAST": "-3"}}),
    ("GET", "/async", {"params": {"AFTER": "not-a-time"}}),
    ("GET", "/async/x" * 50, {}),
    ("POST", "/async/nope/phase", {"data": {"PHASE": "RUN"}}),
    ("GET", "/async/nope/results/result", {}),
    ("GET", "/async/nope/error", {}),
    ("PATCH", "/async/nope", {}),
    ("GET", "/tables/%00", {}),
    ("GET", "/tables", {"params": {"tables": "a.b.c.d"}}),
    ("POST", "/capabilities", {}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), BAD_REQUESTS, ids=[f"{m} {p[:30]}" for m, p, _ in BAD_REQUESTS])
def test_bad_request_gets_an_error_document(http, live_server, method: str, path: str, kwargs: dict) -> None:
    response = http.request(method, live_server.tap + path, **kwargs)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/x-votable+xml")
    assert error_message(response)


UNUSUAL_BUT_VALID = [
    {"QUERY": "SELECT TOP 3 1.0/0 AS x FROM jwst.main"},
    {"QUERY": "SELECT TOP 3 observationid FROM jwst.main", "MAXREC": "9" * 40},
    {"QUERY": "SELECT TOP 3 observationid FROM jwst.main", "UNKNOWN_PARAMETER": "ignored"},
    {"QUERY": "select  distinct  TOP 2000 calibrationlevel from jwst.main ;"},
]


@pytest.mark.parametrize("params", UNUSUAL_BUT_VALID)
def test_unusual_but_valid_requests(http, live_server, params: dict[str, str]) -> None:
    response = http.get(live_server.tap + SYNC, params={"LANG": "ADQL", **params})
    assert response.status_code == 200, response.text[:500]


EDGE_CASES = [
    "SELECT TOP 99999999999999999999 observationid FROM jwst.main",
    "SELECT TOP 0 observationid FROM jwst.main",
    "SELECT observationid FROM jwst.main WHERE 1 = CONTAINS(POINT('ICRS', target_ra, target_dec), "
    "CIRCLE('ICRS', 400, 100, 1))",
    "SELECT TOP 5 DISTANCE(POINT('ICRS', 0, 91), POINT('ICRS', 0, 0)) AS d FROM jwst.main",
    "SELECT TOP 5 SQRT(-1.0) AS x FROM jwst.main",
    "SELECT TOP 5 LOG(0.0) AS x FROM jwst.main",
    "SELECT TOP 5 'é' || observationid AS x FROM jwst.main",
]


@pytest.mark.parametrize("query", EDGE_CASES)
def test_edge_cases_never_fail_the_server(http, live_server, query: str) -> None:
    """Either a result or a refusal the user can read, never a server error."""
    response = http.get(live_server.tap + SYNC, params={"LANG": "ADQL", "QUERY": query})
    assert response.status_code in (200, 400), response.text[:500]
    if response.status_code == 400:
        assert error_message(response)


def test_bad_requests_on_async_jobs(http, live_server) -> None:
    created = http.post(live_server.tap + "/async", data={"LANG": "ADQL", "QUERY": "SELECT TOP 1 * FROM jwst.main"})
    job = created.headers["location"]
    for method, suffix, data in [
        ("POST", "/phase", {}),
        ("POST", "/phase", {"PHASE": "HOLD"}),
        ("POST", "", {"ACTION": "EXPLODE"}),
        ("POST", "/executionduration", {}),
        ("POST", "/destruction", {"DESTRUCTION": "2025-13-45T99:99:99Z"}),
        ("GET", "/results/other", {}),
        ("GET", "/error", {}),
        ("GET", "", {"WAIT": "forever"}),
        ("GET", "", {"WAIT": "1", "PHASE": "NOPE"}),
    ]:
        response = http.request(method, job + suffix, data=data or None, params=data if method == "GET" else None)
        assert 400 <= response.status_code < 500, (method, suffix, response.status_code, response.text[:300])
        assert error_message(response)
    http.delete(job)
