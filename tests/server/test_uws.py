"""UWS 1.1 over HTTP: job lifecycle, waits, limits, abort, persistence across restarts, destruction."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import httpx
import pytest
from votables import error_message, parse_votable, query_status

UWS = "{http://www.ivoa.net/xml/UWS/v1.0}"
QUICK = "SELECT TOP 20 observationid, calibrationlevel FROM jwst.main ORDER BY observationid"
#: A query no test waits for: a four-way cross join of about 1e14 rows.
RUNAWAY = (
    "SELECT COUNT(*) AS n FROM jwst.artifact AS a, jwst.artifact AS b, jwst.artifact AS c, jwst.plane AS d "
    "WHERE a.contentlength + b.contentlength + c.contentlength > d.calibrationlevel"
)


def create(http: httpx.Client, server, query: str = QUICK, **params: str) -> str:
    response = http.post(server.tap + "/async", data={"REQUEST": "doQuery", "LANG": "ADQL", "QUERY": query, **params})
    assert response.status_code == 303, response.text[:500]
    location = response.headers["location"]
    assert location.startswith(server.tap + "/async/")
    return location


def job_doc(http: httpx.Client, url: str, **params: str) -> ElementTree.Element:
    response = http.get(url, params=params)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/xml")
    assert "<uws:job " in response.text and "<uws:phase>" in response.text  # literal prefix (astroquery)
    return ElementTree.fromstring(response.content)


def phase_of(http: httpx.Client, url: str) -> str:
    response = http.get(url + "/phase")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def wait_final(http: httpx.Client, url: str, timeout: float = 60) -> ElementTree.Element:
    deadline = time.monotonic() + timeout
    while True:
        doc = job_doc(http, url, WAIT="10")
        if doc.findtext(f"{UWS}phase") in ("COMPLETED", "ERROR", "ABORTED"):
            return doc
        assert time.monotonic() < deadline, "job did not finish"


def test_job_lifecycle(http, live_server) -> None:
    url = create(http, live_server, RUNID="lifecycle")
    doc = job_doc(http, url)
    assert doc.findtext(f"{UWS}jobId") == url.rsplit("/", 1)[1]
    assert doc.findtext(f"{UWS}phase") == "PENDING"
    assert doc.findtext(f"{UWS}runId") == "lifecycle"
    params = {p.get("id"): p.text for p in doc.iter(f"{UWS}parameter")}
    assert params["query"] == QUICK and params["request"] == "doQuery"
    assert phase_of(http, url) == "PENDING"

    response = http.post(url + "/phase", data={"PHASE": "RUN"})
    assert response.status_code == 303 and response.headers["location"] == url
    doc = wait_final(http, url)
    assert doc.findtext(f"{UWS}phase") == "COMPLETED"
    assert doc.findtext(f"{UWS}startTime").endswith("Z") and doc.findtext(f"{UWS}endTime").endswith("Z")
    result = doc.find(f"{UWS}results/{UWS}result")
    assert result is not None and result.get("id") == "result"
    href = result.get("{http://www.w3.org/1999/xlink}href")
    assert href == url + "/results/result"

    data = http.get(href)
    assert data.status_code == 200
    assert len(parse_votable(data.content).get_first_table().to_table()) == 20
    assert query_status(data.content)[0][0] == "OK"
    results = ElementTree.fromstring(http.get(url + "/results").content)
    assert results.tag == f"{UWS}results"

    response = http.delete(url)
    assert response.status_code == 303 and response.headers["location"] == live_server.tap + "/async"
    gone = http.get(url)
    assert gone.status_code == 404
    assert "no job" in error_message(gone)


def test_phase_run_at_creation_and_result_formats(http, live_server) -> None:
    url = create(http, live_server, PHASE="RUN", RESPONSEFORMAT="csv", MAXREC="5")
    doc = wait_final(http, url)
    assert doc.findtext(f"{UWS}phase") == "COMPLETED"
    result = http.get(url + "/results/result")
    assert result.headers["content-type"].startswith("text/csv")
    assert len(result.text.strip().splitlines()) == 6


def test_blocking_wait_returns_when_the_job_finishes(http, live_server) -> None:
    url = create(http, live_server)
    http.post(url + "/phase", data={"PHASE": "RUN"})
    started = time.monotonic()
    doc = wait_final(http, url)
    assert doc.findtext(f"{UWS}phase") == "COMPLETED"
    assert time.monotonic() - started < 5  # woken by the change, not by a 10 s timeout
    started = time.monotonic()
    job_doc(http, url, WAIT="30")  # a finished job does not block
    assert time.monotonic() - started < 2


def test_wait_on_a_pending_job_times_out(http, live_server) -> None:
    url = create(http, live_server)
    started = time.monotonic()
    assert job_doc(http, url, WAIT="1").findtext(f"{UWS}phase") == "PENDING"
    assert 0.8 < time.monotonic() - started < 5
    assert job_doc(http, url, WAIT="5", PHASE="QUEUED").findtext(f"{UWS}phase") == "PENDING"  # not QUEUED: at once


def test_failed_job_reports_its_error(http, live_server) -> None:
    url = create(http, live_server, query="SELECT nosuchcolumn FROM jwst.main", PHASE="RUN")
    doc = wait_final(http, url)
    assert doc.findtext(f"{UWS}phase") == "ERROR"
    summary = doc.find(f"{UWS}errorSummary")
    assert summary is not None and "nosuchcolumn" in summary.findtext(f"{UWS}message")
    error = http.get(url + "/error")
    assert error.status_code == 200
    assert "nosuchcolumn" in error_message(error)
    assert '<INFO name="QUERY_STATUS" value="ERROR">' in error.text
    result = http.get(url + "/results/result")
    assert result.status_code == 400 and "nosuchcolumn" in error_message(result)


def test_parameters_change_only_while_pending(http, live_server) -> None:
    url = create(http, live_server, RUNID="one")
    response = http.post(url + "/parameters", data={"RUNID": "two", "MAXREC": "3"})
    assert response.status_code == 303
    params = ElementTree.fromstring(http.get(url + "/parameters").content)
    values = {p.get("id"): p.text for p in params}
    assert values["runid"] == "two" and values["maxrec"] == "3"
    assert job_doc(http, url).findtext(f"{UWS}runId") == "two"
    response = http.post(url, data={"QUERY": "SELECT TOP 1 observationid FROM jwst.main"})  # astroquery's form
    assert response.status_code == 303
    http.post(url + "/phase", data={"PHASE": "RUN"})
    assert wait_final(http, url).findtext(f"{UWS}phase") == "COMPLETED"
    refused = http.post(url + "/parameters", data={"MAXREC": "9"})
    assert refused.status_code == 400 and "PENDING" in error_message(refused)
    refused = http.post(url + "/phase", data={"PHASE": "RUN"})
    assert refused.status_code == 400


def test_execution_duration_and_destruction(http, live_server) -> None:
    url = create(http, live_server)
    assert http.get(url + "/executionduration").text == job_doc(http, url).findtext(f"{UWS}executionDuration")
    assert http.post(url + "/executionduration", data={"EXECUTIONDURATION": "42"}).status_code == 303
    assert http.get(url + "/executionduration").text == "42"
    when = (datetime.now(UTC) + timedelta(hours=5)).replace(microsecond=0)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert http.post(url + "/destruction", data={"DESTRUCTION": stamp}).status_code == 303
    text = http.get(url + "/destruction").text
    assert text.startswith(stamp[:-1]) and text.endswith("Z")
    assert job_doc(http, url).findtext(f"{UWS}destruction") == text
    quote = http.get(url + "/quote")
    assert quote.status_code == 200 and quote.headers["content-type"].startswith("text/plain")
    assert http.get(url + "/owner").status_code == 200
    for bad in ({"EXECUTIONDURATION": "soon"}, {"EXECUTIONDURATION": "-5"}):
        assert http.post(url + "/executionduration", data=bad).status_code == 400
    assert http.post(url + "/destruction", data={"DESTRUCTION": "tomorrow"}).status_code == 400
    assert http.post(url + "/phase", data={"PHASE": "SUSPEND"}).status_code == 400


def test_abort_and_delete_by_post(http, live_server) -> None:
    url = create(http, live_server)
    assert http.post(url + "/phase", data={"PHASE": "ABORT"}).status_code == 303
    assert phase_of(http, url) == "ABORTED"
    response = http.post(url, data={"ACTION": "DELETE"})
    assert response.status_code == 303
    assert http.get(url).status_code == 404
    assert http.get(url + "/phase").status_code == 404


def test_runaway_queries_are_interrupted_by_abort(http, live_server) -> None:
    # Two runaways occupy both workers; only if ABORT really stops them can the next job run.
    urls = [create(http, live_server, query=RUNAWAY, PHASE="RUN") for _ in range(2)]
    for url in urls:
        assert job_doc(http, url, WAIT="5", PHASE="QUEUED").findtext(f"{UWS}phase") == "EXECUTING"
    started = time.monotonic()
    for url in urls:
        http.post(url + "/phase", data={"PHASE": "ABORT"})
        assert phase_of(http, url) == "ABORTED"
    quick = create(http, live_server, PHASE="RUN")
    assert wait_final(http, quick).findtext(f"{UWS}phase") == "COMPLETED"
    assert time.monotonic() - started < 15


def test_execution_duration_limits_a_runaway_query(http, live_server) -> None:
    url = create(http, live_server, query=RUNAWAY)
    http.post(url + "/executionduration", data={"EXECUTIONDURATION": "2"})
    http.post(url + "/phase", data={"PHASE": "RUN"})
    started = time.monotonic()
    doc = wait_final(http, url, timeout=30)
    assert doc.findtext(f"{UWS}phase") == "ERROR"
    assert "time limit" in doc.find(f"{UWS}errorSummary").findtext(f"{UWS}message")
    assert time.monotonic() - started < 15


def test_job_list_filters(http, live_server) -> None:
    before = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    time.sleep(0.01)
    pending = create(http, live_server, RUNID="listed")
    done = create(http, live_server, PHASE="RUN")
    wait_final(http, done)

    def ids(**params: str) -> list[str]:
        response = http.get(live_server.tap + "/async", params=params)
        assert response.status_code == 200
        assert "<uws:jobs " in response.text
        root = ElementTree.fromstring(response.content)
        return [ref.get("id") for ref in root.iter(f"{UWS}jobref")]

    pid, did = pending.rsplit("/", 1)[1], done.rsplit("/", 1)[1]
    assert {pid, did} <= set(ids())
    assert pid in ids(PHASE="PENDING") and did not in ids(PHASE="PENDING")
    assert did in ids(PHASE="COMPLETED")
    assert set(ids(AFTER=before)) >= {pid, did}
    assert ids(LAST="1") == [did]
    assert ids(LAST="2", AFTER=before) == [did, pid]
    for bad in ({"PHASE": "SLEEPING"}, {"LAST": "0"}, {"LAST": "x"}, {"AFTER": "yesterday"}):
        response = http.get(live_server.tap + "/async", params=bad)
        assert response.status_code == 400
        error_message(response)


def test_jobs_and_results_survive_a_restart(http, fresh_server) -> None:
    done = create(http, fresh_server, PHASE="RUN", RUNID="kept")
    wait_final(http, done)
    before = http.get(done + "/results/result").content
    pending = create(http, fresh_server)
    done_id, pending_id = done.rsplit("/", 1)[1], pending.rsplit("/", 1)[1]

    fresh_server.restart()
    done = f"{fresh_server.tap}/async/{done_id}"
    pending = f"{fresh_server.tap}/async/{pending_id}"
    doc = job_doc(http, done)
    assert doc.findtext(f"{UWS}phase") == "COMPLETED" and doc.findtext(f"{UWS}runId") == "kept"
    assert http.get(done + "/results/result").content == before
    assert phase_of(http, pending) == "PENDING"
    http.post(pending + "/phase", data={"PHASE": "RUN"})
    assert wait_final(http, pending).findtext(f"{UWS}phase") == "COMPLETED"


def test_destruction_time_is_honoured(http, fresh_server) -> None:
    url = create(http, fresh_server, PHASE="RUN")
    wait_final(http, url)
    job_id = url.rsplit("/", 1)[1]
    job_dir = fresh_server.archive / "state" / "jobs" / job_id
    assert job_dir.is_dir()
    soon = (datetime.now(UTC) + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    http.post(url + "/destruction", data={"DESTRUCTION": soon})
    deadline = time.monotonic() + 10
    while job_dir.exists():  # the sweeper removes it without any request for the job
        assert time.monotonic() < deadline, "job was not destroyed"
        time.sleep(0.2)
    assert http.get(url).status_code == 404
    response = http.get(fresh_server.tap + "/async")
    assert job_id not in response.text


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_unknown_job_is_404(http, live_server, method: str) -> None:
    response = http.request(method, live_server.tap + "/async/no-such-job")
    assert response.status_code == 404
    error_message(response)
