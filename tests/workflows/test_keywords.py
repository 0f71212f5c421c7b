"""SI keyword search workflow against the demo archive (real server on loopback).

The demo catalog holds the MAST exoplanet tutorial's selection: NIRISS SOSS TSO files of the
commissioning program 1091 and the ERS program 1366 taken 2022-06-01..2022-08-04 (44 files,
8 CAOM observations); DD program 2734 (same mode and dates) and GO 7890 (2026) must stay out.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from jwstarchive.errors import InputError
from jwstarchive.workflows import keywords as kw

TUTORIAL = ["-k", "category=COM,ERS", "-k", "exp_type=NIS_SOSS", "-k", "tsovisit=T",
            "-k", "date_obs_mjd=2022-06-01..2022-08-04"]
PRODUCT_FILTER = ["--product-type", "SCIENCE", "--product-type", "INFO", "--calib-level", "2", "--calib-level", "3"]
OBSERVATIONS = {
    "jw01091-o001_t001_niriss_clear-gr700xd-substrip256",
    "jw01091-o002_t001_niriss_clear-gr700xd-substrip256",
    "jw01091-o003_t001_niriss_clear-gr700xd-substrip96",
    "jw01091001001_02101_00001_nis",
    "jw01091002001_02101_00001_nis",
    "jw01091003001_02101_00001_nis",
    "jw01366-o003_t001_niriss_clear-gr700xd-substrip256",
    "jw01366003001_02101_00001_nis",
}


def _section(stdout: str, title: str) -> list[str]:
    block = stdout.split(title, 1)[1].split("\n\n", 1)[0]
    return block.splitlines()[3:]  # after the count line, the header and the dashes


def test_exoplanet_tutorial_selection_and_curl_script(demo_server, run_jwstarchive, tmp_path, curl):
    script = tmp_path / "exoplanets.sh"
    proc = run_jwstarchive("keywords", "--instrument", "niriss", *TUTORIAL, *PRODUCT_FILTER,
                           "--curl-script", str(script), "--mast-url", demo_server.url)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Matching files (44):" in out
    files = [line.split()[0] for line in _section(out, "Matching files (44):")]
    assert len(files) == 44 and all(f.startswith(("jw01091", "jw01366")) for f in files)
    assert "Unique observations (8):" in out
    assert {line.split()[0] for line in _section(out, "Unique observations (8):")} == OBSERVATIONS
    products = [line.split() for line in _section(out, "Products (")]
    assert products and all(p[1] in ("SCIENCE", "INFO") and p[3] in ("2", "3") for p in products)
    assert not any("_uncal" in p[0] or "_gs-" in p[0] for p in products)
    sizes = {p[0]: int(p[4]) for p in products}

    text = script.read_text()
    urls = [u for u in text.split("'") if u.startswith(demo_server.url)]
    assert len(urls) == len(products)
    assert all("/api/v0.1/Download/file?uri=mast:JWST/product/" in u for u in urls)
    with httpx.Client(timeout=60) as client:
        for url in urls[:: max(1, len(urls) // 5)]:  # a few of them
            name = url.rsplit("/", 1)[1]
            response = client.get(url)
            assert response.status_code == 200, url
            assert len(response.content) == sizes[name]

    run = subprocess.run(["bash", str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    got = {p.name: p.stat().st_size for p in (tmp_path / "jwst_products").rglob("*") if p.is_file()}
    assert got == sizes


def test_criteria_file_and_download(demo_server, run_jwstarchive, tmp_path):
    criteria = tmp_path / "exoplanets.yaml"
    criteria.write_text(
        "instrument: niriss\n"
        "criteria:\n"
        "  category: [COM, ERS]\n"
        "  exp_type: NIS_SOSS\n"
        "  tsovisit: T\n"
        "  date_obs_mjd: {min: 2022-06-01, max: 2022-08-04}\n"
    )
    out_dir = tmp_path / "data"
    proc = run_jwstarchive("keywords", "--file", str(criteria), "--product-type", "SCIENCE", "--calib-level", "3",
                           "--extension", "fits", "--download", str(out_dir), "--mast-url", demo_server.url)
    assert proc.returncode == 0, proc.stderr
    assert "Matching files (44):" in proc.stdout and "Unique observations (8):" in proc.stdout
    got = sorted(p.name for p in out_dir.rglob("*.fits"))
    assert got == sorted([
        "jw01091-o001_t001_niriss_clear-gr700xd-substrip256_x1dints.fits",
        "jw01091-o002_t001_niriss_clear-gr700xd-substrip256_x1dints.fits",
        "jw01091-o003_t001_niriss_clear-gr700xd-substrip96_x1dints.fits",
        "jw01366-o003_t001_niriss_clear-gr700xd-substrip256_x1dints.fits",
    ])
    assert all(p.read_bytes()[:6] == b"SIMPLE" for p in out_dir.rglob("*.fits"))
    assert "downloaded 4, already there 0, failed 0" in proc.stdout
    again = run_jwstarchive("keywords", "--file", str(criteria), "--product-type", "SCIENCE", "--calib-level", "3",
                            "--extension", "fits", "--download", str(out_dir), "--mast-url", demo_server.url)
    assert "downloaded 0, already there 4, failed 0" in again.stdout


def test_all_instruments_search(demo_server):
    files = kw.find_files({"exp_type": ["NIS_SOSS", "NRS_IFU"]}, mast_url=demo_server.url)
    programs = {str(p).lstrip("0") for p in files["program"]}
    assert {"1091", "1366", "1621"} <= programs
    assert {name.split("_")[-1] for name in files["filename"]} <= {
        "uncal.fits", "rate.fits", "rateints.fits", "cal.fits", "calints.fits", "x1dints.fits", "s3d.fits",
        "x1d.fits", "s2d.fits",
    }


def test_unknown_keyword_names_the_nearest(demo_server, run_jwstarchive):
    proc = run_jwstarchive("keywords", "--instrument", "niriss", "-k", "exp_typ=NIS_SOSS",
                           "--mast-url", demo_server.url)
    assert proc.returncode == 2
    assert "exp_type" in proc.stderr and "Traceback" not in proc.stderr


def test_no_criteria_is_a_usage_error(run_jwstarchive):
    proc = run_jwstarchive("keywords", "--mast-url", "http://127.0.0.1:9")
    assert proc.returncode == 2 and "-k KEY=VALUE" in proc.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("exp_type=NIS_SOSS", ("exp_type", ["NIS_SOSS"])),
        ("category=COM,ERS", ("category", ["COM", "ERS"])),
        ("date_obs_mjd=2022-06-01..2022-08-04", ("date_obs_mjd", [("2022-06-01", "2022-08-04")])),
        ("nints=10..20.5", ("nints", [(10.0, 20.5)])),
        ("program=01366", ("program", ["01366"])),
    ],
)
def test_parse_criterion(text, expected):
    assert kw.parse_criterion(text) == expected


@pytest.mark.parametrize("text", ["exp_type", "=NIS_SOSS", "nints=..5", "exp_type="])
def test_parse_criterion_refuses(text):
    with pytest.raises(InputError):
        kw.parse_criterion(text)


@pytest.mark.parametrize(
    ("name", "obs_id"),
    [
        ("jw01091-o001_t001_niriss_clear-gr700xd-substrip256_x1dints.fits",
         "jw01091-o001_t001_niriss_clear-gr700xd-substrip256"),
        ("jw01091002001_02101_00001-seg001_nis_calints.fits", "jw01091002001_02101_00001_nis"),
        ("jw01180001001_02101_00001_nrca1_o001_crf.fits", "jw01180001001_02101_00001_nrca1"),
    ],
)
def test_observation_id_of(name, obs_id):
    assert kw.observation_id_of(name) == obs_id


def test_load_criteria_turns_yaml_dates_into_text(tmp_path: Path):
    path = tmp_path / "c.yaml"
    path.write_text("date_obs_mjd: 2022-06-01..2022-08-04\ndate_beg_mjd: {min: 2022-06-01, max: 2022-06-02}\n"
                    "tsovisit: true\n")
    criteria, instruments = kw.load_criteria(path)
    assert criteria == {"date_obs_mjd": [("2022-06-01", "2022-08-04")],
                        "date_beg_mjd": [("2022-06-01", "2022-06-02")], "tsovisit": ["T"]}
    assert instruments == []
