"""The real pyvo, unchanged, against the live server: sync, async, uploads, overflow, tables, errors."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from astropy.table import Table

pyvo = pytest.importorskip("pyvo")

pytestmark = [
    pytest.mark.compat,
    # requests' connection pool leaves sockets to the garbage collector (ResourceWarning).
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

QUERY = "SELECT TOP 5 observationid, calibrationlevel, target_ra, target_dec FROM jwst.main ORDER BY observationid"


@pytest.fixture(autouse=True)
def collect_leaked_sockets() -> Iterator[None]:
    """pyvo reads UWS documents from ``response.raw`` and stops at the root's end tag, so
    requests never releases those connections; collect them inside the test, where the
    ResourceWarning filter above applies, rather than at interpreter exit."""
    yield
    gc.collect()


@pytest.fixture(scope="module")
def service(live_server):
    import requests

    with requests.Session() as session:
        yield pyvo.dal.TAPService(live_server.tap, session=session)


def test_run_sync(service) -> None:
    result = service.run_sync(QUERY)
    table = result.to_table()
    assert len(table) == 5
    assert table["target_ra"].unit == "deg"
    assert result.query_status == "OK"


def test_run_async(service) -> None:
    table = service.run_async(QUERY).to_table()
    assert len(table) == 5
    assert list(table.colnames) == ["observationid", "calibrationlevel", "target_ra", "target_dec"]


def test_async_job_object(service) -> None:
    job = service.submit_job(QUERY, maxrec=2)
    assert job.phase == "PENDING"
    job.run().wait(timeout=60)
    assert job.phase == "COMPLETED"
    assert len(job.fetch_result().to_table()) == 2
    job.delete()


def test_upload_joined_to_a_catalog_table(service) -> None:
    ids = service.run_sync("SELECT TOP 4 observationid FROM jwst.main ORDER BY observationid").to_table()
    mine = Table({"obs": [str(x) for x in ids["observationid"]], "rank": [1, 2, 3, 4]})
    result = service.run_sync(
        "SELECT u.rank, m.calibrationlevel, m.instrument_name FROM TAP_UPLOAD.mine AS u "
        "JOIN jwst.main AS m ON m.observationid = u.obs",
        uploads={"mine": mine},
    ).to_table()
    assert len(result) >= 4
    assert set(result["rank"]) == {1, 2, 3, 4}


BIG = "SELECT a.filename, p.calibrationlevel FROM jwst.artifact AS a, jwst.plane AS p"


def test_default_maxrec_overflow_warns(service) -> None:
    """Cut at the service's default MAXREC (advertised in capabilities): pyvo warns."""
    with pytest.warns(pyvo.dal.exceptions.DALOverflowWarning, match="truncated"):
        result = service.run_sync(BIG)
    assert len(result) == service.maxrec


def test_requested_maxrec_is_honoured(service) -> None:
    """Cut at the client's own MAXREC: pyvo 1.9 treats this as expected and does not warn."""
    result = service.run_sync(BIG, maxrec=3)
    assert len(result) == 3
    assert result.query_status == "OVERFLOW"


def test_tables(service) -> None:
    tables = service.tables
    names = [t.name for t in tables]
    assert "jwst.main" in names and "ivoa.obscore" in names and "tap_schema.columns" in names
    obscore = tables["ivoa.obscore"]
    assert "s_ra" in [c.name for c in obscore.columns]


def test_capabilities(service) -> None:
    assert service.maxrec > 0 and service.hardlimit >= service.maxrec
    assert "application/x-votable+xml" in [f.mime for f in service.get_tap_capability().outputformats]


def test_bad_query_raises_with_our_message(service) -> None:
    with pytest.raises(pyvo.dal.DALQueryError, match="nosuchcolumn"):
        service.run_sync("SELECT nosuchcolumn FROM jwst.main")


def test_bad_async_query_raises_with_our_message(service) -> None:
    with pytest.raises(pyvo.dal.DALQueryError, match="nosuchcolumn"):
        service.run_async("SELECT nosuchcolumn FROM jwst.main")
