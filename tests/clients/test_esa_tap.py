"""The general TAP client under jwstarchive.esa: every result format the server writes reads back the same."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from jwstarchive.clients.tap import TAPClient, error_message, read_table
from jwstarchive.errors import QueryFailed, UnknownJob

QUERY = "select top 50 observationid, calibrationlevel, target_ra, public from jwst.main order by observationid"


@pytest.fixture(scope="module")
def reference(live_server: Any) -> Any:
    with TAPClient(live_server.tap) as tap:
        table, _ = tap.run_sync(QUERY)
    return table


@pytest.mark.parametrize("fmt", ["parquet", "votable", "votable/b2", "csv"])
def test_every_format_reads_the_same_rows(live_server: Any, reference: Any, fmt: str) -> None:
    body = httpx.post(
        live_server.tap + "/sync", data={"REQUEST": "doQuery", "LANG": "ADQL", "FORMAT": fmt, "QUERY": QUERY}
    )
    table = read_table(body.content, body.headers["content-type"])
    assert len(table) == 50
    assert [str(v) for v in table["observationid"]] == [str(v) for v in reference["observationid"]]
    assert list(table["calibrationlevel"]) == list(reference["calibrationlevel"])
    assert [round(float(v), 9) for v in table["target_ra"]] == [round(float(v), 9) for v in reference["target_ra"]]


def test_parquet_is_preferred_and_keeps_units(live_server: Any, reference: Any) -> None:
    with TAPClient(live_server.tap) as tap:
        _, response = tap.run_sync("select top 1 target_ra from jwst.main")
    assert "parquet" in response.headers["content-type"]
    assert str(reference["target_ra"].unit) == "deg"


def test_error_message_of_a_tap_error(live_server: Any) -> None:
    with TAPClient(live_server.tap) as tap, pytest.raises(QueryFailed) as info:
        tap.run_sync("select nope from jwst.nothing")
    assert info.value.status == 400 and info.value.message.startswith("Error 400: ")
    assert error_message(500, "<li><b>Message: </b>boom</li>") == "Error 500:\nboom"
    assert error_message(404, "plain") == "Error 404:\nplain"


def test_unknown_job(live_server: Any) -> None:
    with TAPClient(live_server.tap) as tap, pytest.raises(UnknownJob):
        tap.job_phase("no-such-job-123")
