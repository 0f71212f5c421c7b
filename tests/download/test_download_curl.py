"""`write_curl_script`: what the script says, and running it with the real curl against the real server."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from catalogfiles import Product, assert_all_complete, file_requests, leftovers
from faultproxy import FaultProxy

from jwstarchive.download import FileRequest, part_path, write_curl_script


def _curl_lines(script: Path) -> list[str]:
    return [line for line in script.read_text().splitlines() if " curl " in line]


def test_the_script_has_one_resuming_curl_per_file(tmp_path: Path) -> None:
    base = "http://127.0.0.1:9/api/v0.1/Download/file?uri=mast:JWST/product/"
    requests = [FileRequest(f"{base}f{i}.fits", tmp_path / f"f{i}.fits") for i in range(3)]
    script = write_curl_script(requests, tmp_path / "get.sh", headers={"Authorization": "token abc123"})
    assert script == tmp_path / "get.sh"
    text = script.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    lines = _curl_lines(script)
    assert len(lines) == 3
    for request, line in zip(requests, lines, strict=True):
        assert "curl --fail " in line and "--retry 5" in line and " -C - " in line
        assert "-H 'Authorization: token abc123'" in line
        assert f"-o {part_path(request.path)} {request.url}" in line.replace("'", "")
        assert f"mv -f -- {part_path(request.path)} {request.path}" in line
    mode = stat.S_IMODE(script.stat().st_mode)
    assert mode == 0o700  # it holds a token
    public = write_curl_script(requests, tmp_path / "public.sh")
    assert stat.S_IMODE(public.stat().st_mode) == 0o755 and "Authorization" not in public.read_text()


def _run(script: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=300, check=False)


def test_running_the_script_downloads_skips_and_resumes(
    curl: str, live_server, public_products: list[Product], tmp_path: Path
) -> None:
    products = public_products[:5]
    outdir = tmp_path / "out" / "01621"
    with FaultProxy(live_server.url) as proxy:
        requests = file_requests(proxy.url, products, outdir)
        script = write_curl_script(requests, tmp_path / "get.sh")
        first = _run(script)
        assert first.returncode == 0, first.stderr
        assert_all_complete(products, outdir)
        assert len(proxy.seen) == len(products)

        # complete files are skipped; a partial one resumes; a complete .part is only renamed
        requests[0].path.unlink()
        part_path(requests[1].path).write_bytes(requests[1].path.read_bytes()[:5000])
        requests[1].path.unlink()
        requests[2].path.rename(part_path(requests[2].path))
        seen = len(proxy.seen)
        again = _run(script)
        assert again.returncode == 0, again.stderr
        assert_all_complete(products, outdir)
        new = proxy.seen[seen:]
        assert sorted((s.file, s.range) for s in new) == sorted(
            [(products[0].filename, None), (products[1].filename, "bytes=5000-")]
        )


def test_a_failed_file_makes_the_script_fail(
    curl: str, live_server, public_products: list[Product], tmp_path: Path
) -> None:
    good = public_products[0]
    missing = Product("jw99999001001_02101_00001_nrca1_cal.fits", 10, "0" * 32)
    requests = file_requests(live_server.url, [missing, good], tmp_path)
    bad_md5 = FileRequest(requests[1].url, tmp_path / "copy" / good.filename, good.size, "f" * 32)
    result = _run(write_curl_script([*requests, bad_md5], tmp_path / "get.sh"))
    assert result.returncode == 1
    assert f"FAILED: {tmp_path / missing.filename}" in result.stderr
    assert "md5 mismatch" in result.stderr and "2 file(s) failed" in result.stderr
    assert_all_complete([good], tmp_path)
    assert not bad_md5.path.exists() and leftovers(bad_md5.path.parent) == []
    assert os.access(tmp_path / "get.sh", os.X_OK)
