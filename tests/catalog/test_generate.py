"""The generator: determinism, realism (the seed documents' cases), sizes and checksums, CLI errors."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import warnings
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from jwstarchive import naming
from jwstarchive.catalog.content import iter_content_rows
from jwstarchive.catalog.generate import generate
from jwstarchive.catalog.products import render_product


@pytest.fixture(scope="module")
def con(archive_dir: Path):
    connection = duckdb.connect(str(archive_dir / "catalog.duckdb"), read_only=True)
    yield connection
    connection.close()


def _rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def test_same_seed_gives_the_same_archive(tmp_path: Path, con) -> None:
    again = generate(tmp_path / "again", scale="small", seed=1)
    other = duckdb.connect(str(again.archive / "catalog.duckdb"), read_only=True)
    query = "SELECT md5(string_agg(filename || size || md5, ',' ORDER BY filename)) FROM core.product"
    try:
        assert other.execute(query).fetchone() == con.execute(query).fetchone()
    finally:
        other.close()


def test_a_different_seed_gives_a_different_archive(tmp_path: Path, con) -> None:
    other = generate(tmp_path / "seed2", scale="small", seed=2)
    c2 = duckdb.connect(str(other.archive / "catalog.duckdb"), read_only=True)
    query = "SELECT md5(string_agg(filename || size, ',' ORDER BY filename)) FROM core.product"
    try:
        assert c2.execute(query).fetchone() != con.execute(query).fetchone()
    finally:
        c2.close()


def test_every_file_name_follows_jwst_naming(con) -> None:
    names = [r[0] for r in _rows(con, "SELECT filename FROM core.product")]
    assert len(names) > 1000
    for name in names:
        parsed = naming.parse_filename(name)
        assert str(parsed) == name


def test_every_obs_id_follows_jwst_naming(con) -> None:
    for obs_id, typecode in _rows(con, "SELECT obs_id, typecode FROM core.caom_observation"):
        if typecode == "S":
            assert str(naming.parse_exposure_id(obs_id)) == obs_id
        else:
            assert str(naming.parse_level3_id(obs_id)) == obs_id


def test_product_classification_agrees_with_naming(con) -> None:
    rows = _rows(con, "SELECT filename, product_type, extension FROM core.product")
    for filename, product_type, extension in rows:
        info = naming.product_info(filename)
        assert info.extension == extension, filename
        assert info.product_type == product_type, filename


def test_niriss_soss_com_and_ers_visits_in_june_to_august_2022(con) -> None:
    rows = _rows(
        con,
        """
        SELECT DISTINCT p.category, s.program, s.tsovisit FROM mast.si_niriss s
        JOIN core.program p ON p.program_num = CAST(s.program AS INTEGER)
        WHERE s.exp_type = 'NIS_SOSS' AND s.date_obs_mjd BETWEEN 59731 AND 59795""",
    )
    categories = {r[0] for r in rows}
    assert {"COM", "ERS"} <= categories
    assert all(str(r[2]).lower() == "t" for r in rows)


@pytest.mark.parametrize(
    ("mode", "ra", "dec", "radius", "grating", "filt"),
    [
        ("NIRSPEC/MSA", 53.13, -27.8, 0.5, "G395H", "F290LP"),
        ("NIRSPEC/IFU", 68.73091, 24.48140, 3 / 360, "G395H", "F290LP"),
        ("NIRSPEC/SLIT", 5.130, -36.895, 3.3 / 360, "G140H", "F070LP"),
    ],
    ids=["msa-goods-s", "ifu-taurus", "fixed-slit-sculptor"],
)
def test_nirspec_data_near_the_duplication_tutorial_targets(
    con, mode, ra, dec, radius, grating, filt
) -> None:
    rows = _rows(
        con,
        """
        SELECT obs_id, filters FROM core.caom_observation
        WHERE mode = ? AND degrees(acos(least(1, _x*cos(radians(?))*cos(radians(?))
              + _y*cos(radians(?))*sin(radians(?)) + _z*sin(radians(?))))) < ?""",
        [mode, dec, ra, dec, ra, dec, radius],
    )
    assert rows, f"no {mode} data near ({ra}, {dec})"
    assert any(grating in f and filt in f for _, f in rows)


def test_miri_program_in_goods_s(con) -> None:
    rows = _rows(
        con,
        """SELECT DISTINCT program_id FROM core.caom_observation
                         WHERE instrument = 'MIRI' AND s_ra BETWEEN 52.5 AND 53.5 AND s_dec BETWEEN -28 AND -27""",
    )
    assert rows


def test_exclusive_access_programs_belong_to_demo_and_are_not_public(con) -> None:
    rows = _rows(
        con,
        """SELECT p.program_id, p.owner, min(o.release_date) FROM core.program p
                         JOIN core.observation o USING (program_id) WHERE p.owner IS NOT NULL GROUP BY ALL""",
    )
    assert rows
    assert all(owner == "demo" and release > datetime.now() for _, owner, release in rows)
    rights = _rows(
        con,
        "SELECT DISTINCT dataRights FROM mast.caom_observation WHERE proposal_id = ?",
        [str(int(rows[0][0]))],
    )
    assert rights == [("EXCLUSIVE_ACCESS",)]


def test_positions_carry_a_healpix_index(con) -> None:
    import numpy as np
    from astropy import units as u
    from cdshealpix.nested import lonlat_to_healpix

    sample = con.execute("SELECT s_ra, s_dec, _healpix FROM core.caom_observation USING SAMPLE 200 ROWS").fetchnumpy()
    expected = lonlat_to_healpix(np.asarray(sample["s_ra"]) * u.deg, np.asarray(sample["s_dec"]) * u.deg, 29)
    assert (expected.astype("int64") == np.asarray(sample["_healpix"])).all()


def test_every_product_size_and_checksum_match_its_bytes(con) -> None:
    checked = 0
    for row in iter_content_rows(con):
        data = render_product(row)
        expected = _rows(
            con, "SELECT size, md5 FROM core.product WHERE product_key = ?", [row["product_key"]]
        )
        assert expected == [(len(data), hashlib.md5(data).hexdigest())], row["filename"]
        checked += 1
    assert checked == _rows(con, "SELECT count(*) FROM core.product")[0][0]


def test_fits_headers_match_the_si_keyword_rows(con) -> None:
    from astropy.io import fits

    sample = _rows(
        con,
        """SELECT product_key FROM core.product WHERE extension = 'fits' AND NOT is_guide_star
                           ORDER BY hash(product_key) LIMIT 40""",
    )
    keys = [r[0] for r in sample]
    rows = {
        r["product_key"]: r for r in iter_content_rows(con, "p.product_key IN (SELECT unnest(?))", [keys])
    }
    assert len(rows) == len(keys)
    import io

    for key, row in rows.items():
        si = con.execute("SELECT * FROM core.si_keywords WHERE product_key = ?", [key]).fetchone()
        names = [d[0] for d in con.description]
        si_row = dict(zip(names, si, strict=True))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with fits.open(io.BytesIO(render_product(row))) as hdul:
                hdul.verify("exception")
                header = hdul[0].header
                assert header["FILENAME"] == row["filename"]
                assert header["INSTRUME"] == si_row["instrume"]
                assert header["DETECTOR"] == si_row["detector"]
                assert header["EXP_TYPE"] == si_row["exp_type"]
                assert header["READPATT"] == si_row["readpatt"]
                assert header["NGROUPS"] == si_row["ngroups"]
                assert header["NINTS"] == si_row["nints"]
                assert header["TARG_RA"] == pytest.approx(si_row["targ_ra"])
                assert header["TARG_DEC"] == pytest.approx(si_row["targ_dec"])
                assert int(header["PROGRAM"]) == int(si_row["program"])
                assert header["EFFEXPTM"] == pytest.approx(si_row["effexptm"])
                if si_row["filter"] is not None:
                    assert header["FILTER"] == si_row["filter"]
                assert hdul[1].data is not None


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jwstarchive.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def test_unknown_scale_is_a_one_line_error(tmp_path: Path) -> None:
    result = _cli("generate", "--scale", "huge", "--out", str(tmp_path / "x"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "unknown scale 'huge'" in result.stderr and "1e6" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere; the file case below covers it")
def test_unwritable_directory_is_a_one_line_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = _cli("generate", "--scale", "small", "--out", str(locked / "archive"))
    assert result.returncode == 2
    assert "writable" in result.stderr


def test_out_path_that_is_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    target = tmp_path / "afile"
    target.write_text("keep me")
    result = _cli("generate", "--scale", "small", "--out", str(target / "archive"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert target.read_text() == "keep me"


def test_existing_archive_needs_force(tmp_path: Path, archive_dir: Path) -> None:
    result = _cli("generate", "--scale", "small", "--out", str(archive_dir))
    assert result.returncode == 2
    assert "--force" in result.stderr


def test_malformed_identifier_is_a_one_line_error() -> None:
    result = _cli("name", "jw0141x001001_02101_00001_nrca1_cal.fits")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "program" in result.stderr


def test_name_command_describes_an_identifier() -> None:
    result = _cli("name", "jw01410001001_02101_00001_nrca1_cal.fits")
    assert result.returncode == 0
    assert "01410" in result.stdout and "nrca1" in result.stdout


def test_summary_names_instruments_levels_and_product_types(archive_dir: Path) -> None:
    result = _cli("summary", str(archive_dir))
    assert result.returncode == 0, result.stderr
    for word in ("NIRSPEC", "NIRISS", "MIRI", "SCIENCE", "PREVIEW", "THUMBNAIL", "AUXILIARY", "INFO", "demo"):
        assert word in result.stdout


def test_a_264_observation_nircam_program_has_lre5_proportions() -> None:
    from jwstarchive.catalog.generate import program_rows
    from jwstarchive.catalog.model import PRODUCT
    from jwstarchive.catalog.programs import curated_programs

    plan = next(p for p in curated_programs() if p.num == 1410)
    rows = program_rows(plan)
    assert len(rows["observation"]) == 264
    products = rows["product"]
    guide = PRODUCT.column_names.index("is_guide_star")
    level = PRODUCT.column_names.index("suffix")
    n_gs = sum(1 for r in products if r[guide])
    n_uncal = sum(1 for r in products if r[level] == "uncal" and not r[guide])
    assert len(products) > 17_000
    assert 0.65 < n_gs / len(products) < 0.75
    assert 250 <= n_uncal <= 800


def test_random_programs_follow_jwst_naming_in_every_mode() -> None:
    import random

    from jwstarchive.catalog.generate import ARCHIVE_END, ARCHIVE_START, program_rows
    from jwstarchive.catalog.model import PRODUCT
    from jwstarchive.catalog.programs import random_program

    rng = random.Random(7)
    modes = set()
    filename = PRODUCT.column_names.index("filename")
    for num in range(1000, 1300):
        plan = random_program(rng, num, ARCHIVE_START, ARCHIVE_END)
        modes.add(plan.observations[0].mode)
        for row in program_rows(plan)["product"]:
            assert str(naming.parse_filename(row[filename])) == row[filename]
    assert len(modes) >= 15
