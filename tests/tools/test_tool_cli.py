"""jwst_query / jwst_download end to end against the real server (reference §7 items 23, 28–36, 41)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from toolrun import PROGRAM, WINDOW, ToolResult, jwstarchive_command, subprocess_env

SMALL = ("--propID", PROGRAM, "-d", *WINDOW, "--sca", "a1", "-f", "uncal")  # a handful of files
Tool = Callable[..., ToolResult]


def files(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_size for p in root.rglob("*") if p.is_file()}


def product_rows(text: str) -> list[list[str]]:
    """Rows of the saved product table (header first)."""
    return [line.split() for line in text.splitlines() if line.strip()]


# 41. nothing found: message, no files, status 0
def test_no_observations(tool: Tool) -> None:
    result = tool("download", "--propID", PROGRAM, "-d", "50000", "50001", "--outrootdir", "out", "-s", "t")
    assert result.returncode == 0, result.stderr
    assert "NO OBSERVATIONS FOUND" in result.stdout and "Nothing selected" in result.stdout
    assert not (result.cwd / "out").exists()


# 23. --savetables into outrootdir; 34. -n downloads nothing
def test_savetables_and_skipdownload(tool: Tool) -> None:
    result = tool("download", *SMALL, "--outrootdir", "out", "-s", "base", "-n")
    assert result.returncode == 0, result.stderr
    out = result.cwd / "out"
    assert sorted(files(out)) == ["base.obs.txt", "base.selprod.txt", "base.summary.txt"]
    rows = product_rows((out / "base.selprod.txt").read_text())
    header = rows[0]
    assert header[:4] == ["proposal_id", "obsnum", "obsID", "parent_obsid"] and "dl_code" in header
    assert len(rows) > 1 and all(r[header.index("sca")] == "a1" for r in rows[1:])
    assert all(r[header.index("dl_code")] == "0" for r in rows[1:])
    summary = product_rows((out / "base.summary.txt").read_text())
    assert summary[0] == ["proposal_id", "obsnum", "_uncal.fits", "date_start"]
    assert sum(int(r[2]) for r in summary[1:]) == len(rows) - 1
    for banner in ("### Selected Products:", "### Observations:", "### Summary propID/obsnum:"):
        assert banner in result.stdout
    assert "Download" not in result.stdout


# 29–33. download, then nothing new; a truncated file is fetched again; clobber; totals
def test_download_repeat_truncate_clobber(tool: Tool) -> None:
    first = tool("download", *SMALL, "--outrootdir", "out", "-s", "t")
    assert first.returncode == 0, first.stderr
    out = first.cwd / "out"
    got = {k: v for k, v in files(out).items() if k.endswith(".fits")}
    assert got and all(k.startswith("06010/") and "_nrca1_uncal" in k for k in got)
    assert f"### Download complete: {len(got)} successful, 0 failed" in first.stdout
    assert not [p for p in out.rglob("*.part")]

    again = tool("download", *SMALL, "--outrootdir", "out")
    assert again.returncode == 0
    assert "Nothing to download" in again.stdout and f"skipping {len(got)} files" in again.stdout

    victim = out / sorted(got)[0]
    victim.write_bytes(victim.read_bytes()[:100])
    check = tool("download", *SMALL, "--outrootdir", "out", "-n", "-s", "t")
    rows = product_rows((out / "t.selprod.txt").read_text())
    codes = {r[rows[0].index("dl_code")] for r in rows[1:]}
    assert codes == {"2", "4"} and "ERRfilesize" in check.stdout
    repaired = tool("download", *SMALL, "--outrootdir", "out")
    assert repaired.returncode == 0
    assert "### Download complete: 1 successful, 0 failed" in repaired.stdout
    assert files(out)[sorted(got)[0]] == got[sorted(got)[0]]

    lenient = tool("download", *SMALL, "--outrootdir", "out", "--skip_check_filesize", "-n", "-s", "t")
    assert lenient.returncode == 0

    clobber = tool("download", *SMALL, "--outrootdir", "out", "--clobber")
    assert f"### Download complete: {len(got)} successful, 0 failed" in clobber.stdout
    assert {k: v for k, v in files(out).items() if k.endswith(".fits")} == got


def test_skip_check_filesize_counts_any_existing_file_complete(tool: Tool) -> None:
    assert tool("download", *SMALL, "--outrootdir", "out").returncode == 0
    out = tool("download", *SMALL, "--outrootdir", "out", "-n").cwd / "out"
    victim = next(out.rglob("*_uncal.fits"))
    victim.write_bytes(b"short")
    lenient = tool("download", *SMALL, "--outrootdir", "out", "--skip_check_filesize")
    assert "Nothing to download" in lenient.stdout
    assert victim.read_bytes() == b"short"


# 24 end to end: obsnum and jpg sub-directories
def test_output_tree_options(tool: Tool) -> None:
    result = tool("download", "--propID", PROGRAM, "-d", *WINDOW, "--sca", "a1", "-f", "uncal", "uncal.jpg",
                  "--outrootdir", "out", "--outsubdir", "sub", "--obsnum2outsubdir", "true",
                  "--jpg_separate_subdir", "true")  # fmt: skip
    assert result.returncode == 0, result.stderr
    names = files(result.cwd / "out")
    assert names
    for name in names:
        parts = name.split("/")
        assert parts[:2] == ["sub", "06010"] and parts[2].startswith("obsnum")
        assert (parts[3] == "jpg") == name.endswith(".jpg")


# 32. errors are counted, the run continues, the status is 1
def test_exclusive_access_files_fail_without_a_token(tool: Tool) -> None:
    result = tool("download", "--propID", "7123", "-d", "61260", "61270", "--sca", "a1", "-f", "uncal",
                  "--outrootdir", "out", "-s", "t")  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 successful" in result.stdout and "failed" in result.stdout
    rows = product_rows((result.cwd / "out" / "t.selprod.txt").read_text())
    assert rows[1:]
    assert not list((result.cwd / "out").rglob("*.fits"))


# 28. a token unlocks exclusive-access data; public data needs none
def test_token_unlocks_exclusive_access(tool: Tool, live_server: object) -> None:
    archive = str(live_server.archive)  # type: ignore[attr-defined]
    def admin(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        return subprocess.run(jwstarchive_command(*args, "--archive", archive), env=subprocess_env(),
                              capture_output=True, text=True, timeout=120, check=check)  # fmt: skip

    made = admin("token", "create", "--user", "demo")
    if made.returncode != 0:
        admin("user", "add", "demo", "--password", "pw", check=True)
        made = admin("token", "create", "--user", "demo", check=True)
    token = made.stdout.strip().splitlines()[-1]
    result = tool("download", "--propID", "7123", "-d", "61260", "61270", "--sca", "a1", "-f", "uncal",
                  "--outrootdir", "out", env={"MAST_API_TOKEN": token})  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert list((result.cwd / "out").rglob("*_uncal.fits"))


# 35. the y/n question only on a terminal; --yes; declining stops with status 0
def _on_terminal(args: list[str], answer: str, cwd: Path, url: str) -> tuple[int, str]:
    master, slave = os.openpty()
    env = subprocess_env()
    env.update(JWSTARCHIVE_MAST_URL=url, COLUMNS="200")
    for name in ("JWST_QUERY_CFGFILE", "MAST_API_TOKEN"):
        env.pop(name, None)
    proc = subprocess.Popen(jwstarchive_command(*args), stdin=slave, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, cwd=cwd, env=env, text=True)  # fmt: skip
    os.close(slave)
    os.write(master, answer.encode())
    out, _ = proc.communicate(timeout=300)
    os.close(master)
    return proc.returncode, out


def test_prompt_on_a_terminal(tmp_path: Path, mast_url: str) -> None:
    args = ["download", *SMALL, "--outrootdir", "out"]
    status, out = _on_terminal(args, "n\n", tmp_path, mast_url)
    assert status == 0 and "Do you want to continue" in out and "OK, stopping" in out
    assert not list((tmp_path / "out").rglob("*.fits"))
    status, out = _on_terminal([*args, "--yes"], "", tmp_path, mast_url)
    assert status == 0 and "Do you want to continue" not in out
    assert list((tmp_path / "out").rglob("*.fits"))


def test_no_prompt_without_a_terminal(tool: Tool) -> None:
    result = tool("download", *SMALL, "--outrootdir", "out", stdin="n\n")
    assert result.returncode == 0 and "Do you want" not in result.stdout
    assert list((result.cwd / "out").rglob("*.fits"))


def test_curl_script_instead_of_downloading(tool: Tool) -> None:
    result = tool("download", *SMALL, "--outrootdir", "out", "--curl-script", "get.sh")
    assert result.returncode == 0, result.stderr
    script = (result.cwd / "get.sh").read_text()
    assert "curl" in script and "/jwst/api/v0.1/download/file?uri=mast:JWST/product/" in script
    assert not list((result.cwd / "out").rglob("*.fits"))


# 36–39. web pages, also when nothing new was downloaded
def test_webpages(tool: Tool) -> None:
    args = ("--propID", PROGRAM, "-d", *WINDOW, "--sca", "a1", "-f", "uncal", "uncal.jpg", "--outrootdir", "out",
            "-w")  # fmt: skip
    first = tool("download", *args)
    assert first.returncode == 0, first.stderr
    index = first.cwd / "out" / "06010" / "index.html"
    ascii_table = first.cwd / "out" / "06010" / "06010.products.txt"
    assert index.is_file() and ascii_table.is_file()
    html = index.read_text()
    uncal = sorted(p.name for p in (first.cwd / "out").rglob("*_uncal.fits"))
    assert uncal and all(name.removesuffix("_uncal.fits") in html for name in uncal)
    assert "FILTER" in html and "TARG_RA" in html and "sort" in html.lower()
    rows = product_rows(ascii_table.read_text())
    assert rows[0][:3] == ["proposal_id", "obsnum", "visit"] and len(rows) == len(uncal) + 1
    assert "uncal" not in rows[0] and "rate" not in rows[0]
    index.unlink()
    again = tool("download", *args)
    assert "Nothing to download" in again.stdout
    assert index.is_file()  # upstream exited before the web pages


def test_query_tool_makes_no_downloads_and_console_scripts_exist(tool: Tool) -> None:
    result = tool("query", *SMALL, "--outrootdir", "out")
    assert result.returncode == 0 and "### Selected Products:" in result.stdout
    assert not (result.cwd / "out").exists()
    bindir = Path(sys.executable).parent
    for script in ("jwst_query", "jwst_download"):
        path = shutil.which(script, path=str(bindir))
        assert path is not None, f"{script} is not installed next to {sys.executable}"
        shown = subprocess.run([path, "--help"], capture_output=True, text=True, timeout=60, check=True)
        assert "--propID" in shown.stdout and "--mast-url" in shown.stdout
    bad = tool("download", "--propID", "abc")
    assert bad.returncode == 2 and "propID" in bad.stderr and "Traceback" not in bad.stderr


# 37–39. FITS keywords from the local uncal files, thumbnails of the configured width, sortable table
def test_webpage_keywords_and_thumbnails(tool: Tool) -> None:
    from astropy.io import fits
    from PIL import Image

    args = ("--propID", PROGRAM, "-d", *WINDOW, "--sca", "a1", "-f", "uncal", "uncal.jpg", "--outrootdir", "out",
            "-w", "--webpage_thumbnails_width", "150")  # fmt: skip
    result = tool("download", *args)
    assert result.returncode == 0, result.stderr
    page = result.cwd / "out" / "06010"
    html = (page / "index.html").read_text()
    for uncal in (result.cwd / "out").rglob("*_uncal.fits"):
        header = fits.getheader(uncal)
        assert str(header["FILTER"]) in html and str(header["NGROUPS"]) in html
    thumbs = [p for p in page.rglob("*.jpg") if "TN" in p.name or "thumbnails" in p.parts]
    assert thumbs
    for thumb in thumbs:
        with Image.open(thumb) as image:
            assert image.width == 150
    assert "<table" in html and ("sortable" in html or "sort" in html)
