"""Duplicate-observation check against the demo archive (real server on loopback).

Expected candidates come from the demo catalog (``mast.caom_observation``, level 3, read with
duckdb when these tests were written): around the tutorial's MSA target GOODS-S, programs
1212, 3215 and 1286 took G395H/F290LP MSA spectra within 180"; 1287 did too but 8.75x deeper,
1286 o002 with G395M and 1212 o002 with the prism. The IFU target has program 1621, the S200B1
target program 4446.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from astropy.table import Table

from jwstarchive.errors import InputError
from jwstarchive.workflows.duplicates import PlannedObservation, check_duplicates, read_targets
from jwstarchive.workflows.footprints import field_overlap, parse_stcs

TUTORIAL = """\
id,ra,dec,instrument,mode,grating,filter,exposure_time
1,53.13,-27.8,NIRSPEC,MSA,G395H,F290LP,950
2,68.73091,24.48140,NIRSPEC,IFU,G395H,F290LP,22.749
3,5.130,-36.895,NIRSPEC,S200B1,G140H,F070LP,1880.22
empty,120.0,-10.0,NIRSPEC,IFU,G235M,F170LP,1000
"""


@pytest.fixture
def tutorial_targets(tmp_path: Path) -> Path:
    path = tmp_path / "planned.csv"
    path.write_text(TUTORIAL)
    return path


def test_tutorial_targets_from_the_command_line(demo_server, run_jwstarchive, tutorial_targets, tmp_path):
    ecsv, html = tmp_path / "report.ecsv", tmp_path / "report.html"
    proc = run_jwstarchive("duplicates", str(tutorial_targets), "--mast-url", demo_server.url,
                           "--ecsv", str(ecsv), "--html", str(html))
    assert proc.returncode == 1, proc.stderr  # 1 = candidates found
    table = Table.read(ecsv, format="ascii.ecsv")
    found = {(r["target"], r["program"], r["obs_id"]) for r in table if r["verdict"] == "candidate"}
    assert found == {
        ("1", "1212", "jw01212-o001_t001_nirspec_f290lp-g395h"),
        ("1", "3215", "jw03215-o001_t001_nirspec_f290lp-g395h"),
        ("1", "1286", "jw01286-o001_t001_nirspec_f290lp-g395h"),
        ("2", "1621", "jw01621-o001_t001_nirspec_f290lp-g395h"),
        ("3", "4446", "jw04446-o001_t001_nirspec_f070lp-g140h"),
    }
    rows = {r["obs_id"]: r for r in table}
    assert rows["jw01287-o001_t001_nirspec_f290lp-g395h"]["verdict"] == "no: exposure"
    assert rows["jw01287-o001_t001_nirspec_f290lp-g395h"]["exposure_ratio"] == pytest.approx(8.75, abs=0.01)
    assert rows["jw01286-o002_t001_nirspec_f290lp-g395m"]["verdict"] == "no: elements"
    assert rows["jw03215-o001_t001_nirspec_f290lp-g395h"]["separation"] == pytest.approx(50.0, abs=0.5)
    assert rows["jw01286-o001_t001_nirspec_f290lp-g395h"]["rules_matched"] == "position,mode,elements,exposure"
    assert all(str(o).isdigit() for o in table["obsid"])
    assert list(table.meta["targets_without_candidates"]) == ["empty"]
    out = proc.stdout
    assert "Target empty: NIRSPEC IFU" in out
    assert "no candidates" in out.split("Target empty")[1]
    assert "confirm every candidate in APT" in out
    assert "programs to check in APT: 1212, 1286, 1621, 3215, 4446" in out
    page = html.read_text()
    assert "No candidates" in page and "jw04446-o001_t001_nirspec_f070lp-g140h" in page and "APT" in page


def test_fixed_slit_and_ifu_are_also_checked_against_msa(demo_server):
    # a fixed-slit target in GOODS-S: the MSA spectra there are candidates (FS vs MOS rule)
    target = PlannedObservation("fs", 53.13, -27.8, "NIRSPEC", "S200A1", ("G395H", "F290LP"), 1000.0)
    report = check_duplicates([target], mast_url=demo_server.url)
    (result,) = report.results
    assert result.searched == ("NIRSPEC/SLIT", "NIRSPEC/MSA")
    assert [c.program_id for c in result.candidates] == ["1212"]  # only it lies within 3.3"
    assert "also checked against NIRSPEC/MSA" in " ".join(result.candidates[0].reasons)


def test_imaging_is_judged_by_field_overlap(demo_server):
    deep = PlannedObservation("lw", 53.20018541592016, -27.808061552188544, "NIRCAM", "IMAGE", ("F444W",), 5000.0)
    small = PlannedObservation("sw", 53.1625, -27.7914, "NIRCAM", "IMAGE", ("F090W",), 2748.0)
    module = PlannedObservation("sw1", 53.1625, -27.7914, "NIRCAM", "IMAGE", ("F090W",), 2748.0, (130.0, 130.0))
    report = check_duplicates([deep, small, module], mast_url=demo_server.url)
    by_target = {r.target.id: r for r in report.results}
    (lw,) = by_target["lw"].candidates
    assert lw.obs_id == "jw01180-o002_t002_nircam_clear-f444w" and lw.overlap > 0.5
    # the archived F090W mosaic covers less than half of a whole two-module NIRCam field ...
    assert by_target["sw"].candidates == []
    f090w = next(c for c in by_target["sw"].nearby if c.obs_id.endswith("clear-f090w"))
    assert f090w.rules == {"position": False, "mode": True, "elements": True, "exposure": True}
    assert 0.3 < f090w.overlap < 0.5
    # ... but all of a one-module field
    assert [c.obs_id for c in by_target["sw1"].candidates] == ["jw01180-o001_t001_nircam_clear-f090w"]


def test_no_candidates_exits_0(demo_server, run_jwstarchive, tmp_path):
    path = tmp_path / "planned.yaml"
    path.write_text("targets:\n  - {id: far, ra: 200.0, dec: 60.0, instrument: MIRI, mode: MRS, exposure_time: 500}\n")
    proc = run_jwstarchive("duplicates", str(path), "--mast-url", demo_server.url)
    assert proc.returncode == 0, proc.stderr
    assert "Target far: MIRI IFU" in proc.stdout and "no candidates" in proc.stdout
    assert "0 candidate(s) for 0 of 1 target(s)" in proc.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,ra,dec,mode,exposure_time\n1,10,20,FOO,100\n", "unknown instrument/mode"),
        ("id,ra,dec,mode,exposure_time\n1,10,95,MSA,100\n", "not on the sky"),
        ("id,ra,dec,mode\n1,10,20,MSA\n", "missing exposure_time"),
        ("id,ra,dec,mode,exposure_time\n1,ten,20,MSA,100\n", "must be numbers"),
    ],
)
def test_bad_targets_exit_2_with_one_line(run_jwstarchive, tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    proc = run_jwstarchive("duplicates", str(path), "--mast-url", "http://127.0.0.1:9")
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_read_targets_accepts_the_tutorial_spelling(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("- {number: '3', RA: 5.130, DEC: -36.895, aperture: S200B1, grating: G140H, filters: F070LP,"
                    " exposure_time: 1880.22}\n")
    (target,) = read_targets(path)
    assert (target.id, target.instrument, target.mode, target.elements) == ("3", "NIRSPEC", "S200B1",
                                                                            ("G140H", "F070LP"))
    assert target.aperture.radius == 3.3 and target.aperture.also == ("NIRSPEC/MSA",)
    other = tmp_path / "targets.xlsx"
    other.write_text("x")
    with pytest.raises(InputError, match="unknown target file type"):
        read_targets(other)


def test_field_overlap_of_squares():
    square = parse_stcs("POLYGON ICRS 10.01 0.01 9.99 0.01 9.99 -0.01 10.01 -0.01")  # 72" x 72"
    assert field_overlap(10.0, 0.0, 72.0, 72.0, square) == pytest.approx(1.0, abs=0.03)
    assert field_overlap(10.01, 0.0, 72.0, 72.0, square) == pytest.approx(0.5, abs=0.05)
    assert field_overlap(10.05, 0.0, 72.0, 72.0, square) == 0.0
    assert field_overlap(10.0, 0.0, 144.0, 72.0, square) == pytest.approx(0.5, abs=0.05)
    circle = parse_stcs("CIRCLE ICRS 10.0 0.0 0.02")
    assert field_overlap(10.0, 0.0, 72.0, 72.0, circle) == pytest.approx(1.0, abs=0.03)
