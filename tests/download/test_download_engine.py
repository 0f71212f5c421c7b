"""The download engine against the real server: verified downloads, skips, repairs, resumes, errors, progress."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest
from catalogfiles import (
    Product,
    assert_all_complete,
    file_requests,
    leftovers,
    product_url,
)

from jwstarchive.download import (
    FileRequest,
    LogProgress,
    RichProgress,
    dl_code,
    download_files,
    existing_file_code,
    is_success,
    md5_from_etag,
    part_path,
)
from jwstarchive.download.progress import human_bytes
from jwstarchive.errors import AuthenticationError, ChecksumMismatch, InputError


def test_downloads_many_files_and_verifies_them(live_server, public_products: list[Product], tmp_path: Path) -> None:
    requests = file_requests(live_server.url, public_products, tmp_path / "a" / "b")
    results = download_files(requests, concurrency=6, progress=False)
    assert [r.request for r in results] == requests
    assert [r.status for r in results] == ["COMPLETE"] * len(requests)
    assert [r.nbytes for r in results] == [p.size for p in public_products]
    assert all(r.http_status == 200 and r.attempts == 1 and not r.resumed for r in results)
    assert {dl_code(r) for r in results} == {(1, "downloaded")}
    assert_all_complete(public_products, tmp_path / "a" / "b")


def test_a_second_run_skips_complete_files(live_server, public_products: list[Product], tmp_path: Path) -> None:
    requests = file_requests(live_server.url, public_products[:6], tmp_path)
    download_files(requests, progress=False)
    assert [existing_file_code(r) for r in requests] == [(2, "exists")] * 6
    mtimes = [r.path.stat().st_mtime_ns for r in requests]
    again = download_files(requests, progress=False)
    assert [(r.status, r.nbytes, r.attempts) for r in again] == [("SKIPPED", 0, 0)] * 6
    assert {dl_code(r) for r in again} == {(2, "exists")}
    assert [r.path.stat().st_mtime_ns for r in requests] == mtimes


def test_clobber_downloads_complete_files_again(live_server, public_products: list[Product], tmp_path: Path) -> None:
    requests = file_requests(live_server.url, public_products[:3], tmp_path)
    download_files(requests, progress=False)
    again = download_files(requests, progress=False, clobber=True)
    assert [r.status for r in again] == ["COMPLETE"] * 3
    assert [r.nbytes for r in again] == [p.size for p in public_products[:3]]
    assert_all_complete(public_products[:3], tmp_path)


def test_short_and_corrupt_files_are_downloaded_again(
    live_server, public_products: list[Product], tmp_path: Path
) -> None:
    short, corrupt, good = public_products[:3]
    requests = file_requests(live_server.url, [short, corrupt, good], tmp_path)
    download_files(requests[2:], progress=False)
    (tmp_path / short.filename).write_bytes(b"SIMPLE  =                    T" * 10)
    (tmp_path / corrupt.filename).write_bytes(b"\0" * corrupt.size)
    assert existing_file_code(requests[0]) == (4, "ERRfilesize")
    assert existing_file_code(requests[1]) == (2, "exists")  # same size: upstream's check cannot tell
    results = download_files(requests, progress=False)
    assert [r.status for r in results] == ["COMPLETE", "COMPLETE", "SKIPPED"]
    assert_all_complete([short, corrupt, good], tmp_path)


def test_without_the_md5_check_a_same_size_file_counts_as_complete(
    live_server, public_products: list[Product], tmp_path: Path
) -> None:
    product = public_products[0]
    request = file_requests(live_server.url, [product], tmp_path)[0]
    request.path.write_bytes(b"\0" * product.size)
    assert download_files([request], progress=False, check_md5=False)[0].status == "SKIPPED"
    assert download_files([request], progress=False)[0].status == "COMPLETE"
    assert hashlib.md5(request.path.read_bytes()).hexdigest() == product.md5


def test_a_partial_file_is_resumed_with_range(live_server, public_products: list[Product], tmp_path: Path) -> None:
    product = public_products[0]
    request = file_requests(live_server.url, [product], tmp_path)[0]
    done = download_files([request], progress=False)[0]
    data = request.path.read_bytes()
    request.path.unlink()
    half = product.size // 3
    part_path(request.path).write_bytes(data[:half])
    result = download_files([request], progress=False)[0]
    assert (result.status, result.resumed, result.http_status) == ("COMPLETE", True, 206)
    assert result.nbytes == product.size - half < done.nbytes
    assert_all_complete([product], tmp_path)


def test_a_partial_file_of_other_bytes_is_thrown_away(
    live_server, public_products: list[Product], tmp_path: Path
) -> None:
    product = public_products[1]
    request = file_requests(live_server.url, [product], tmp_path)[0]
    part_path(request.path).write_bytes(b"x" * (product.size // 2))
    result = download_files([request], progress=False, backoff=0.01)[0]
    assert result.status == "COMPLETE" and result.attempts == 2
    assert_all_complete([product], tmp_path)


def test_a_complete_part_file_is_only_renamed(live_server, public_products: list[Product], tmp_path: Path) -> None:
    product = public_products[2]
    request = file_requests(live_server.url, [product], tmp_path)[0]
    download_files([request], progress=False)
    request.path.rename(part_path(request.path))
    result = download_files([request], progress=False)[0]
    assert (result.status, result.attempts, result.nbytes) == ("COMPLETE", 0, 0)
    assert_all_complete([product], tmp_path)


def test_without_catalog_md5_the_etag_md5_is_checked_and_kept_for_resume(
    live_server, public_products: list[Product], tmp_path: Path
) -> None:
    product = public_products[3]
    request = FileRequest(product_url(live_server.url, product.filename), tmp_path / product.filename)
    result = download_files([request], progress=False)[0]
    assert result.status == "COMPLETE"
    assert_all_complete([product], tmp_path)
    # a partial copy and its ETag note: resumed with If-Range
    data = request.path.read_bytes()
    request.path.unlink()
    part_path(request.path).write_bytes(data[:1000])
    part_path(request.path).with_name(part_path(request.path).name + ".etag").write_text(f'"{product.md5}"')
    resumed = download_files([request], progress=False)[0]
    assert (resumed.status, resumed.resumed, resumed.nbytes) == ("COMPLETE", True, product.size - 1000)
    assert_all_complete([product], tmp_path)
    # a note of another version: the server sends the whole file
    request.path.unlink()
    part_path(request.path).write_bytes(data[:1000])
    part_path(request.path).with_name(part_path(request.path).name + ".etag").write_text('"0" ')
    fresh = download_files([request], progress=False)[0]
    assert (fresh.status, fresh.resumed, fresh.nbytes, fresh.http_status) == ("COMPLETE", False, product.size, 200)
    assert_all_complete([product], tmp_path)


def test_a_wrong_catalog_md5_is_an_error_after_the_retries(
    live_server, public_products: list[Product], tmp_path: Path
) -> None:
    product = public_products[4]
    request = FileRequest(
        product_url(live_server.url, product.filename), tmp_path / product.filename, product.size, "0" * 32
    )
    result = download_files([request], progress=False, retries=1, backoff=0.01)[0]
    assert (result.status, result.attempts) == ("ERROR", 2)
    assert isinstance(result.error, ChecksumMismatch)
    assert product.filename in result.message and "md5" in result.message
    assert not request.path.exists() and leftovers(tmp_path) == []
    assert dl_code(result) == (7, "ERRORdownload") and not is_success(dl_code(result)[0])


def test_missing_and_exclusive_files_are_errors_per_file(
    live_server, run_jwstarchive, uid: str, public_products: list[Product], exclusive_product: Product, tmp_path: Path
) -> None:
    good = public_products[5]
    missing = Product("jw99999001001_02101_00001_nrca1_cal.fits", 10, "0" * 32)
    requests = file_requests(live_server.url, [good, missing, exclusive_product], tmp_path)
    results = download_files(requests, progress=False, retries=3)
    assert [r.status for r in results] == ["COMPLETE", "ERROR", "ERROR"]
    assert [r.http_status for r in results] == [200, 404, 401]
    assert [r.attempts for r in results] == [1, 1, 1]  # no retry on 4xx
    assert missing.filename in results[1].message and "not found" in results[1].message
    assert exclusive_product.filename in results[2].message and "MAST_API_TOKEN" in results[2].message
    assert isinstance(results[2].error, AuthenticationError)

    archive = str(live_server.archive)
    other = run_jwstarchive("token", "create", "--user", uid, "--archive", archive).stdout.strip()
    denied = download_files(requests[2:], headers={"Authorization": f"token {other}"}, progress=False)[0]
    assert (denied.status, denied.http_status) == ("ERROR", 403)
    assert "does not grant" in denied.message
    demo = run_jwstarchive("token", "create", "--user", "demo", "--archive", archive).stdout.strip()
    granted = download_files(requests[2:], headers={"Authorization": f"token {demo}"}, progress=False)[0]
    assert granted.status == "COMPLETE"
    assert_all_complete([good, exclusive_product], tmp_path)
    assert not (tmp_path / missing.filename).exists()


def test_requests_for_one_path_are_fetched_once(live_server, public_products: list[Product], tmp_path: Path) -> None:
    product = public_products[6]
    request = file_requests(live_server.url, [product], tmp_path)[0]
    results = download_files([request, request], progress=False)
    assert [r.status for r in results] == ["COMPLETE", "COMPLETE"]
    assert sum(r.nbytes for r in results) == 2 * product.size  # the second is a copy of the first's result
    assert results[0] == results[1]


def test_unreachable_server_is_an_error_after_retries(public_products: list[Product], tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    request = file_requests(f"http://127.0.0.1:{port}", public_products[:1], tmp_path)[0]
    result = download_files([request], progress=False, retries=2, backoff=0.01)[0]
    assert (result.status, result.attempts) == ("ERROR", 3)
    assert "ConnectError" in result.message and "gave up after 3 attempts" in result.message


def test_bad_settings_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="concurrency"):
        download_files([], concurrency=0)
    with pytest.raises(InputError, match="retries"):
        download_files([], retries=-1)


def test_progress_off_a_terminal_is_log_lines(
    live_server, public_products: list[Product], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    products = public_products[7:10]
    requests = file_requests(live_server.url, products, tmp_path)
    caplog.set_level(logging.INFO, logger="jwstarchive.download")
    download_files(requests)  # progress=None and stderr is not a terminal under pytest
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("jwstarchive.download")]
    total = sum(p.size for p in products)
    assert lines[0] == f"downloading 3 files ({human_bytes(total)})"
    assert sorted(line.split(" ", 2)[2].split(" (")[0] for line in lines[1:4]) == sorted(p.filename for p in products)
    assert all(line.split(" ")[1] == "COMPLETE" for line in lines[1:4])
    assert {line.split(" ")[0] for line in lines[1:4]} == {"[1/3]", "[2/3]", "[3/3]"}
    assert lines[-1].startswith("download finished: 3 complete, 0 failed, ")
    caplog.clear()
    download_files(requests)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("jwstarchive.download")] == [
        "skipping 3 files that are already complete",
        "nothing to download",
    ]


def test_log_progress_reports_a_failed_file(live_server, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    name = "jw99999001001_02101_00001_nrca1_uncal.fits"
    request = FileRequest(product_url(live_server.url, name), tmp_path / name)
    caplog.set_level(logging.INFO, logger="jwstarchive.download")
    download_files([request], progress=LogProgress(interval=0))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].startswith(f"[1/1] ERROR {name}: {name}: not found")
    assert caplog.records[-1].getMessage().startswith("download finished: 0 complete, 1 failed")


def test_md5_from_etag() -> None:
    digest = "55acf40f2a831cc508488b4fbb53fffa"
    assert md5_from_etag(f'"{digest}"') == digest
    assert md5_from_etag(digest.upper()) == digest
    assert md5_from_etag(f'W/"{digest}"') is None
    assert md5_from_etag('"abc"') is None and md5_from_etag(None) is None


def test_existing_file_code_follows_jwst_mast_query(tmp_path: Path) -> None:
    request = FileRequest("http://127.0.0.1:9/x", tmp_path / "x.fits", size=5)
    assert existing_file_code(request) == (0, None)
    request.path.write_bytes(b"1234")
    assert existing_file_code(request) == (4, "ERRfilesize")
    assert existing_file_code(request, check_size=False) == (2, "exists")
    request.path.write_bytes(b"12345")
    assert existing_file_code(request) == (2, "exists")
    assert is_success(2) and is_success(0) and not is_success(4) and not is_success(None)


def test_rich_progress_shows_files_and_bytes(
    live_server, public_products: list[Product], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    products = public_products[10:12]
    results = download_files(file_requests(live_server.url, products, tmp_path), progress=RichProgress())
    assert [r.status for r in results] == ["COMPLETE", "COMPLETE"]
    err = capsys.readouterr().err
    assert "2/2 files" in err and "download" in err


def test_an_unwritable_destination_is_an_error_for_that_file(
    live_server, public_products: list[Product], tmp_path: Path
) -> None:
    (tmp_path / "blocker").write_text("a file where a directory should be")
    good, blocked = (
        file_requests(live_server.url, public_products[:1], tmp_path)[0],
        FileRequest(
            product_url(live_server.url, public_products[1].filename),
            tmp_path / "blocker" / public_products[1].filename,
        ),
    )
    results = download_files([good, blocked], progress=False)
    assert [r.status for r in results] == ["COMPLETE", "ERROR"]
    assert "cannot create its directory" in results[1].message
