"""Pure rules of the selection flow (reference §7 items 7–9, 12–14, 16, 24, 29)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from jwstarchive.config import add_tool_options, resolve_options
from jwstarchive.errors import InputError
from jwstarchive.naming import filetype_of
from jwstarchive.workflows.select import (
    check_existing,
    expand_filetypes,
    filetype_matches,
    id_parts,
    mjd_window,
    output_path,
    parse_limits,
    render_table,
)

NOW = 60000.0


def options(*argv: str, env: dict[str, str] | None = None):
    parser = argparse.ArgumentParser()
    add_tool_options(parser, download=True)
    return resolve_options(vars(parser.parse_args(list(argv))), env or {})


# 7. default window: now - lookbacktime .. now + 0.1
def test_default_window_is_one_day_back() -> None:
    assert mjd_window(options(), NOW) == (NOW - 1.0, NOW + 0.1)
    assert mjd_window(options("-l", "3"), NOW) == (NOW - 3.0, NOW + 0.1)


def test_lone_propid_searches_the_whole_mission() -> None:
    # our change (#43/#61): `--propID X` alone finds the program's data whatever its date
    assert mjd_window(options("--propID", "1410"), NOW) == (None, NOW + 0.1)
    assert mjd_window(options("--propID", "1410", "-l", "2"), NOW) == (NOW - 2.0, NOW + 0.1)
    assert mjd_window(options("-l", "0"), NOW) == (None, NOW + 0.1)


# 8. date_select parsing
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["59430.0+"], (59430.0, NOW + 0.1)),
        (["2021-08-11T16:49:49-"], (None, 59437.70126157407)),
        (["2022-05-15", "2022-05-16"], (59714.0, 59715.0)),
        (["59500"], (59500.0, 59500.0)),
    ],
    ids=["mjd-plus", "iso-minus", "iso-range", "single"],
)
def test_date_select(argv: list[str], expected: tuple[float | None, float]) -> None:
    lo, hi = mjd_window(options("-d", *argv), NOW)
    assert lo == pytest.approx(expected[0]) if expected[0] is not None else lo is None
    assert hi == pytest.approx(expected[1])


def test_three_dates_are_an_error() -> None:
    with pytest.raises(InputError, match="got 3"):
        mjd_window(options("-d", "1", "2", "3"), NOW)


def test_bad_date_says_what_is_expected() -> None:
    with pytest.raises(InputError, match="neither an MJD nor an ISO date"):
        mjd_window(options("-d", "yesterday"), NOW)


# 9. date_select wins over lookbacktime
def test_date_select_overrides_lookbacktime() -> None:
    assert mjd_window(options("-l", "30", "-d", "59000", "59001"), NOW) == (59000.0, 59001.0)


def test_parse_limits() -> None:
    assert parse_limits(["385539+"]) == ("385539", None)
    assert parse_limits(["7-"]) == (None, "7")
    assert parse_limits(["5", "9"]) == ("5", "9")
    assert parse_limits("5 9") == ("5", "9")
    assert parse_limits([]) is None


# 12. filetype is the last _xxx.yyy
@pytest.mark.parametrize(
    ("name", "filetype"),
    [
        ("jw01410001001_02101_00001_nrca1_uncal.fits", "_uncal.fits"),
        ("jw01410-o001_t001_nircam_clear-f200w_i2d_thumb.jpg", "_thumb.jpg"),
        ("jw01410-o001_20220603t034800_image3_00591_asn.json", "_asn.json"),
    ],
)
def test_filetype(name: str, filetype: str) -> None:
    assert filetype_of(name) == filetype


# 13 and 14. obsnum, visit and sca from the obs_id
@pytest.mark.parametrize(
    ("obs_id", "parts"),
    [
        ("jw01410003001_02101_00001_guider1", (3, "001", "guider1")),
        ("jw01410103002_02101_00001_nrca1", (103, "002", "a1")),
        ("jw01410003001_02101_00001_nrcblong", (3, "001", "blong")),
        ("jw01410003001_02101_00001_nrcalong", (3, "001", "along")),
        ("jw01091001001_02101_00001_nis", (1, "001", "nis")),
        ("jw01410-o003_t001_nircam_clear-f150w", (3, None, None)),
        ("jw01410001001_gs-acq1_2022044224802", (1, None, None)),
    ],
)
def test_obsnum_visit_sca(obs_id: str, parts: tuple[int | None, str | None, str | None]) -> None:
    assert id_parts(obs_id) == parts


# 16. filetype expansion and matching
def test_filetype_expansion() -> None:
    assert expand_filetypes(["uncal", "_rate", "rate.jpg", "_cal.jpg", "fits", "jpg", "asn.json"]) == [
        "_uncal.fits", "_rate.fits", "_rate.jpg", "_cal.jpg", "fits", "jpg", "_asn.json",
    ]  # fmt: skip


def test_filetype_matching() -> None:
    assert filetype_matches("_rate.fits", "_rate.fits")
    assert not filetype_matches("_rateints.fits", "_rate.fits")
    assert filetype_matches("_i2d.fits", "fits") and not filetype_matches("_i2d.jpg", "fits")
    assert filetype_matches("_thumb.jpg", "jpg")
    assert not filetype_matches("_asn.json", "fits") and not filetype_matches(None, "fits")


# 24. output paths
def test_output_path_rules(tmp_path: Path) -> None:
    root = str(tmp_path)
    name = "f.fits"
    assert output_path(options("--outrootdir", root), 1410, 3, False, name) == tmp_path / "01410" / name
    sub = options("--outrootdir", root, "--outsubdir", "s", "--obsnum2outsubdir", "true")
    assert output_path(sub, 1410, 3, False, name) == tmp_path / "s" / "01410" / "obsnum03" / name
    assert output_path(sub, 1410, 103, False, name) == tmp_path / "s" / "01410" / "obsnum103" / name
    assert output_path(sub, 1410, None, False, name) == tmp_path / "s" / "01410" / "NA" / name
    listed = options("--outrootdir", root, "--propIDs_obsnum2outsubdir", "1409")
    assert output_path(listed, 1409, 7, False, name) == tmp_path / "01409" / "obsnum07" / name
    assert output_path(listed, 1410, 7, False, name) == tmp_path / "01410" / name
    flat = options("--outrootdir", root, "--skip_propID2outsubdir", "--jpg_separate_subdir", "true")
    assert output_path(flat, 1410, 7, True, "f.jpg") == tmp_path / "jpg" / "f.jpg"
    assert output_path(flat, 1410, 7, False, name) == tmp_path / name


def test_output_path_defaults_to_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert output_path(options(), 1410, 1, False, "f.fits") == tmp_path / "01410" / "f.fits"


# 29. dl_code before downloading
def test_existing_file_codes(tmp_path: Path) -> None:
    path = tmp_path / "f.fits"
    assert check_existing(path, 10, False) == (0, None)
    path.write_bytes(b"x" * 10)
    assert check_existing(path, 10, False) == (2, "exists")
    assert check_existing(path, 11, False) == (4, "ERRfilesize")
    assert check_existing(path, 11, True) == (2, "exists")


def test_render_table_wraps_to_the_width_and_prints_missing_values_as_na() -> None:
    from astropy.table import Table

    columns = {"proposal_id": [1410, 1410], "obs_id": ["jw01410001001_02101_00001_nrca1", "x"],
               "productFilename": ["a" * 40, "b"], "dl_str": [None, "exists"]}  # fmt: skip
    table = Table(columns, dtype=[int, str, str, object])
    text = render_table(table, width=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "\n\n" in text  # two blocks
    assert "NA" in text and "exists" in text
    assert render_table(table[:0]).split() == ["proposal_id", "obs_id", "productFilename", "dl_str"]
