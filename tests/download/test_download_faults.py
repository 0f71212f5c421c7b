"""Fault tests: a proxy between the engine and the real server drops, truncates, corrupts and refuses
answers, and a download process is killed mid-run; afterwards every file is the catalog's, byte for byte,
and no partial file sits under a final name."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from catalogfiles import (
    Product,
    assert_all_complete,
    assert_no_partial_under_final_name,
    file_requests,
    leftovers,
    product_url,
)
from faultproxy import FaultProxy

from jwstarchive.download import FileRequest, download_files
from jwstarchive.errors import ServiceUnavailable

REPO = Path(__file__).resolve().parents[2]


def test_dropped_connections_resume_where_they_stopped(
    live_server, public_products: list[Product], tmp_path: Path
) -> None:
    products = public_products[:12]
    with FaultProxy(live_server.url, faults=("drop", "drop")) as proxy:
        results = download_files(
            file_requests(proxy.url, products, tmp_path), concurrency=4, backoff=0.01, progress=False
        )
    assert [(r.status, r.attempts, r.resumed) for r in results] == [("COMPLETE", 3, True)] * len(products)
    assert_all_complete(products, tmp_path)
    # each file: a first request, then two asking for the rest from where the bytes stopped
    resumed = proxy.resumed_ranges()
    assert len(resumed) == 2 * len(products)
    first = {s.file: s.range for s in resumed if s.fault == "drop"}
    assert first == {p.filename: f"bytes={p.size // 2}-" for p in products}
    # only the bytes that were missing travelled again
    assert [r.nbytes for r in results] == [p.size for p in products]


def test_truncated_bodies_without_length_are_caught_by_size_or_etag(
    live_server, public_products: list[Product], tmp_path: Path
) -> None:
    products = public_products[:6]
    with FaultProxy(live_server.url, faults=("truncate",)) as proxy:
        with_catalog = download_files(file_requests(proxy.url, products[:3], tmp_path), backoff=0.01, progress=False)
        # no catalog size or md5: the md5 in the server's ETag catches the short body
        bare = [FileRequest(product_url(proxy.url, p.filename), tmp_path / p.filename) for p in products[3:]]
        without_catalog = download_files(bare, backoff=0.01, progress=False)
    assert [(r.status, r.attempts) for r in with_catalog] == [("COMPLETE", 2)] * 3
    assert [(r.status, r.attempts) for r in without_catalog] == [("COMPLETE", 2)] * 3
    assert_all_complete(products, tmp_path)


def test_corrupt_bodies_fail_the_md5_and_are_fetched_again(
    live_server, public_products: list[Product], tmp_path: Path
) -> None:
    products = public_products[:4]
    with FaultProxy(live_server.url, faults=("corrupt",)) as proxy:
        results = download_files(file_requests(proxy.url, products, tmp_path), backoff=0.01, progress=False)
    assert [(r.status, r.attempts) for r in results] == [("COMPLETE", 2)] * 4
    assert_all_complete(products, tmp_path)


def test_busy_answers_are_retried_after_the_delay_the_server_asks(
    live_server, public_products: list[Product], tmp_path: Path
) -> None:
    products = public_products[12:20]
    with FaultProxy(live_server.url, faults=("503", "429", "503")) as proxy:
        # backoff of an hour: only Retry-After (0 s here) can make this finish
        results = download_files(file_requests(proxy.url, products, tmp_path), backoff=3600, progress=False)
    assert [(r.status, r.attempts, r.http_status) for r in results] == [("COMPLETE", 4, 200)] * len(products)
    assert_all_complete(products, tmp_path)


def test_retries_run_out_and_the_file_is_an_error(live_server, public_products: list[Product], tmp_path: Path) -> None:
    products = public_products[12:14]
    with FaultProxy(live_server.url, faults=("503",) * 5) as proxy:
        results = download_files(file_requests(proxy.url, products, tmp_path), retries=2, progress=False)
    assert [(r.status, r.attempts, r.http_status) for r in results] == [("ERROR", 3, 503)] * 2
    assert all("HTTP 503" in r.message and "gave up after 3 attempts" in r.message for r in results)
    assert all(isinstance(r.error, ServiceUnavailable) for r in results)
    assert not any((tmp_path / p.filename).exists() for p in products)


def test_every_fault_at_once(live_server, public_products: list[Product], tmp_path: Path) -> None:
    products = public_products
    with FaultProxy(live_server.url, faults=("503", "drop", "429", "truncate", "corrupt")) as proxy:
        results = download_files(
            file_requests(proxy.url, products, tmp_path), concurrency=8, backoff=0.01, progress=False
        )
    assert [r.status for r in results] == ["COMPLETE"] * len(products)
    assert_all_complete(products, tmp_path)


RUNNER = """
import json, sys
from pathlib import Path
from jwstarchive.download import FileRequest, download_files
spec = json.loads(Path(sys.argv[1]).read_text())
requests = [FileRequest(r["url"], Path(r["path"]), r["size"], r["md5"]) for r in spec]
for r in download_files(requests, concurrency=3, backoff=0.01, progress=False):
    print(json.dumps({"file": r.request.path.name, "status": r.status, "resumed": r.resumed}), flush=True)
"""


def _run_downloads(spec: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(spec)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def _wait_for(condition, what: str, limit: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.02)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_killed_download_leaves_no_half_file_and_the_next_run_resumes(
    live_server, public_products: list[Product], tmp_path: Path, sig: signal.Signals
) -> None:
    products = public_products[:12]
    outdir = tmp_path / "out"
    spec = tmp_path / "spec.json"
    with FaultProxy(live_server.url, throttle=100_000) as slow:
        spec.write_text(
            json.dumps(
                [
                    {"url": r.url, "path": str(r.path), "size": r.size, "md5": r.md5}
                    for r in file_requests(slow.url, products, outdir)
                ]
            )
        )
        proc = _run_downloads(spec)

        def some_done_and_some_partial() -> bool:
            done = [p for p in products if (outdir / p.filename).exists()]
            partial = [p for p in leftovers(outdir) if p.stat().st_size > 0]
            return bool(done) and bool(partial)

        _wait_for(some_done_and_some_partial, "a complete file and a partial one")
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:  # Ctrl-C: the workers stop between chunks and KeyboardInterrupt ends the process
        assert proc.returncode != 0 and "KeyboardInterrupt" in err
    assert_no_partial_under_final_name(products, outdir)
    complete_before = {p.filename for p in products if (outdir / p.filename).exists()}
    parts = [p for p in leftovers(outdir) if p.name.endswith(".part")]
    partial_before = {p.name[1 : -len(".part")] for p in parts if p.stat().st_size > 0}
    assert complete_before and partial_before and len(complete_before) < len(products)

    with FaultProxy(live_server.url) as proxy:
        spec.write_text(spec.read_text().replace(slow.url, proxy.url))
        proc = _run_downloads(spec)
        out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    statuses = {row["file"]: row for row in map(json.loads, out.splitlines())}
    assert {name for name, row in statuses.items() if row["status"] == "SKIPPED"} == complete_before
    assert {name for name, row in statuses.items() if row["resumed"]} == partial_before
    assert all(row["status"] in ("SKIPPED", "COMPLETE") for row in statuses.values())
    assert_all_complete(products, outdir)
    assert {s.file for s in proxy.resumed_ranges()} == partial_before
