"""Product bytes: valid FITS, JPEG, JSON, CSV and ECSV, deterministic from the catalog row alone."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from PIL import Image

import jwstarchive
from jwstarchive.catalog import previews
from jwstarchive.catalog.fitsbytes import CARD, ImageHDU, TableHDU, format_card, render_fits
from jwstarchive.catalog.products import (
    fits_content,
    fits_keywords,
    product_kind,
    product_size_and_md5,
    render_product,
)
from jwstarchive.errors import InputError

BASE = "jw01410001001_02101_00001_nrca1"
LEVEL3 = "jw01410-o001_t001_nircam_clear-f200w"

SI_ROW: dict[str, Any] = {
    "ArchiveFileID": 123,
    "filename": f"{BASE}_cal.fits",
    "fileSetName": "jw01410001001_02101_00001",
    "productLevel": "2b",
    "program": "1410",
    "observtn": 1,
    "visit": 1,
    "visitgrp": 2,
    "seq_id": 1,
    "act_id": "01",
    "exposure": 1,
    "obs_id": "V01410001001P0000000002101",
    "targname": "NGC 1234",
    "targprop": "Ñandú field",
    "targ_ra": 53.1625,
    "targ_dec": -27.7914,
    "instrume": "NIRCAM",
    "detector": "NRCA1",
    "filter": "F200W",
    "pupil": "CLEAR",
    "readpatt": "SHALLOW4",
    "nints": 2,
    "ngroups": 6,
    "nframes": 4,
    "tgroup": 21.47354,
    "subarray": "FULL",
    "exp_type": "NRC_IMAGE",
    "date_obs": dt.datetime(2022, 7, 12, 10, 11, 12, 123456),
    "date_obs_mjd": 59772.42445,
    "date_beg": dt.datetime(2022, 7, 12, 10, 11, 12, 123456),
    "date_beg_mjd": 59772.42445,
    "date_end": "/Date(1657621272123)/",
    "expstart": 59772.42445,
    "effinttm": 300.6,
    "effexptm": 601.2,
    "tsovisit": "f",
    "is_psf": "t",
    "title": "An exceedingly long program title about O'Brien's galaxies at high redshift in deep fields",
    "pi_name": None,
    "gs_mag": float("nan"),
    "selfref": "",
    "cal_ver": "1.11.4",
    "crds_ctx": "jwst_1140.pmap",
    "vststart": dt.datetime(2022, 7, 12, 9, 0, 0),
    "mu_epoch_mjd": 51544.5,
    "fileSize": 28800,
    "checksum": "0" * 32,
    "ingestStartDate": dt.datetime(2022, 7, 14),
    "publicReleaseDate": dt.datetime(2023, 7, 14),
    "isRestricted": False,
    "dataURI": "mast:JWST/product/x.fits",
    "product_key": 7,
    "program_id": "01410",
    "suffix": "cal",
    "calib_level": 2,
    "is_guide_star": False,
    "caom_obs_id": BASE,
    "ra_ref": 53.16,
    "dec_ref": -27.79,
    "a_very_long_column": 3,
}
KEYWORDS = fits_keywords(SI_ROW)

# (filename, expected extensions as (EXTNAME, numpy shape or None for tables))
FITS_CASES: list[tuple[str, list[tuple[str, tuple[int, ...] | None]]]] = [
    (f"{BASE}_uncal.fits", [("SCI", (2, 5, 32, 32))]),
    (f"{BASE}_rate.fits", [("SCI", (32, 32)), ("ERR", (32, 32)), ("DQ", (32, 32))]),
    (f"{BASE}_rateints.fits", [("SCI", (2, 32, 32)), ("ERR", (2, 32, 32)), ("DQ", (2, 32, 32))]),
    (f"{BASE}_cal.fits", [("SCI", (32, 32)), ("ERR", (32, 32)), ("DQ", (32, 32))]),
    (f"{BASE}_calints.fits", [("SCI", (2, 32, 32)), ("ERR", (2, 32, 32)), ("DQ", (2, 32, 32))]),
    (f"{BASE}_o001_crf.fits", [("SCI", (32, 32)), ("ERR", (32, 32)), ("DQ", (32, 32))]),
    (f"{BASE}_trapsfilled.fits", [("SCI", (3, 32, 32))]),
    (f"{LEVEL3}_i2d.fits", [("SCI", (32, 32)), ("ERR", (32, 32)), ("CON", (1, 32, 32)), ("WHT", (32, 32))]),
    (f"{LEVEL3}_segm.fits", [("SCI", (32, 32))]),
    (f"{BASE}_s2d.fits", [("SCI", (24, 64)), ("ERR", (24, 64)), ("WHT", (24, 64)), ("CON", (1, 24, 64))]),
    (
        f"{BASE}_s3d.fits",
        [("SCI", (20, 16, 16)), ("ERR", (20, 16, 16)), ("DQ", (20, 16, 16)), ("WMAP", (20, 16, 16))],
    ),
    (f"{BASE}_x1d.fits", [("EXTRACT1D", None)]),
    (f"{BASE}_x1dints.fits", [("EXTRACT1D", None), ("EXTRACT1D", None)]),
    (f"{LEVEL3}_c1d.fits", [("EXTRACT1D", None)]),
    (f"{LEVEL3}_psfstack.fits", [("SCI", (2, 32, 32)), ("ERR", (2, 32, 32)), ("DQ", (2, 32, 32))]),
    (f"{LEVEL3}_ami.fits", [("OI_WAVELENGTH", None), ("OI_VIS2", None), ("OI_T3", None)]),
    ("jw01410001001_gs-id_1_image-uncal.fits", [("SCI", (2, 2, 8, 8))]),
    ("jw01410001001_gs-fg_2022044225832-seg001_cal.fits", [("SCI", (2, 8, 8)), ("ERR", (2, 8, 8))]),
    (f"{BASE}_dark.fits", [("SCI", (32, 32)), ("ERR", (32, 32)), ("DQ", (32, 32))]),
]

MEMBERS = [(f"{BASE}_cal.fits", "NRC_IMAGE"), ("jw01410001001_02101_00002_nrca1_cal.fits", "NRC_IMAGE")]


def fits_row(filename: str, **extra: Any) -> dict[str, Any]:
    """A product row as ``catalog/content.py`` builds it for a FITS file."""
    suffix = filename.rsplit(".", 1)[0].rsplit("_", 1)[-1]
    row = {
        "filename": filename,
        "extension": "fits",
        "suffix": suffix,
        "product_type": "SCIENCE",
        "calib_level": 2,
        "detector": "nrca1",
        "program_id": "01410",
        "instrument": "NIRCAM",
        "filters": "F200W;CLEAR",
        "exp_type": "NRC_IMAGE",
        "em_min": 1.755e-6,
        "em_max": 2.226e-6,
        "s_ra": 53.16,
        "s_dec": -27.79,
        "cal_ver": "1.11.4",
        "crds_ctx": "jwst_1140.pmap",
        "ingest_date": dt.datetime(2022, 7, 14, 5, 6, 7),
        "keywords": dict(KEYWORDS),
    }
    row.update(extra)
    return row


def picture_row(filename: str, product_type: str, **extra: Any) -> dict[str, Any]:
    """A preview or thumbnail row: no keywords, as content.py gives them."""
    stem = filename.rsplit(".", 1)[0]
    suffix = stem.split("_", 5)[-1] if stem.startswith(BASE) else stem.rsplit("_", 1)[-1]
    return {
        "filename": filename,
        "extension": "jpg",
        "suffix": suffix,
        "product_type": product_type,
        "instrument": "NIRCAM",
        "filters": "F200W;CLEAR",
        "exp_type": "NRC_IMAGE",
        "keywords": {},
        **extra,
    }


def asn_row(**extra: Any) -> dict[str, Any]:
    row = {
        "filename": "jw01410-o001_20220713t053316_image3_00001_asn.json",
        "extension": "json",
        "suffix": "asn",
        "product_type": "INFO",
        "program_id": "01410",
        "instrument": "NIRCAM",
        "filters": "F200W;CLEAR",
        "typecode": "C",
        "obs_id": LEVEL3,
        "cal_ver": "1.11.4",
        "keywords": {},
        "members": MEMBERS,
    }
    row.update(extra)
    return row


def pool_row() -> dict[str, Any]:
    return {
        "filename": "jw01410_20220713t053316_pool.csv",
        "extension": "csv",
        "suffix": "pool",
        "product_type": "INFO",
        "program_id": "01410",
        "instrument": "NIRCAM",
        "filters": "F200W;CLEAR",
        "keywords": {},
        "members": MEMBERS,
    }


def ecsv_row(suffix: str) -> dict[str, Any]:
    return {
        "filename": f"{LEVEL3}_{suffix}.ecsv",
        "extension": "ecsv",
        "suffix": suffix,
        "product_type": "SCIENCE",
        "program_id": "01410",
        "instrument": "NIRCAM",
        "filters": "F200W;CLEAR",
        "s_ra": 53.16,
        "s_dec": -27.79,
        "keywords": {},
    }


def every_row() -> list[dict[str, Any]]:
    """One row of every kind of product."""
    rows = [fits_row(name) for name, _ in FITS_CASES]
    rows += [
        picture_row(f"{BASE}_cal.jpg", "PREVIEW"),
        picture_row(f"{BASE}_cal_thumb.jpg", "THUMBNAIL"),
        picture_row(f"{BASE}_uncal.jpg", "PREVIEW"),
        picture_row(f"{BASE}_s2d.jpg", "PREVIEW", exp_type="NRS_FIXEDSLIT"),
        picture_row(f"{BASE}_x1d.jpg", "PREVIEW"),
        picture_row(f"{LEVEL3}_i2d_thumb.jpg", "THUMBNAIL"),
        asn_row(),
        pool_row(),
        ecsv_row("cat"),
        ecsv_row("whtlt"),
    ]
    return rows


def open_fits(data: bytes) -> fits.HDUList:
    return fits.open(io.BytesIO(data))


# ---------------------------------------------------------------------------------------------
# FITS


@pytest.mark.parametrize(("filename", "expected"), FITS_CASES, ids=[c[0].split("_", 1)[1] for c in FITS_CASES])
def test_fits_opens_verifies_and_has_the_keywords(filename: str, expected: list[Any]) -> None:
    row = fits_row(filename)
    data = render_product(row)
    assert len(data) % 2880 == 0
    with open_fits(data) as hdul:
        hdul.verify("exception")
        primary = hdul[0].header
        assert primary["SIMPLE"] is True and primary["NAXIS"] == 0 and primary["EXTEND"] is True
        assert primary["FILENAME"] == filename
        assert primary["TELESCOP"] == "JWST"
        for key, value in KEYWORDS.items():
            if key != "FILENAME":
                assert primary[key] == value, key
        got = [(h.name, h.data.shape if h.is_image else None) for h in hdul[1:]]
        assert got == expected
        for hdu in hdul[1:]:
            assert np.all(np.isfinite(hdu.data.tolist() if not hdu.is_image else hdu.data))


@pytest.mark.parametrize("filename", [c[0] for c in FITS_CASES], ids=[c[0].split("_", 1)[1] for c in FITS_CASES])
def test_hand_writer_data_equal_what_astropy_reads(filename: str) -> None:
    cards, hdus = fits_content(fits_row(filename))
    with open_fits(render_fits(cards, hdus)) as hdul:
        for ours, theirs in zip(hdus, hdul[1:], strict=True):
            if isinstance(ours, ImageHDU):
                assert theirs.data.dtype.newbyteorder("=") == ours.data.dtype
                np.testing.assert_array_equal(theirs.data, ours.data)
            else:
                for name, values, unit in ours.columns:
                    np.testing.assert_array_equal(theirs.data[name], values)
                    assert (theirs.columns[name].unit or "") == unit


def test_primary_header_standard_cards() -> None:
    with open_fits(render_product(fits_row(f"{BASE}_uncal.fits", keywords={}))) as hdul:
        header = hdul[0].header
        assert list(header)[:4] == ["SIMPLE", "BITPIX", "NAXIS", "EXTEND"]
        assert header["ORIGIN"] == "STSCI"
        assert header["FILETYPE"] == "uncalibrated"
        assert header["DATAMODL"] == "RampModel"
        assert header["DATE"] == "2022-07-14T05:06:07.000"  # the ingest date when no DATE keyword
        # filled from the product columns when the keywords are missing
        assert header["INSTRUME"] == "NIRCAM" and header["DETECTOR"] == "NRCA1"
        assert header["PROGRAM"] == "01410" and header["FILTER"] == "F200W" and header["PUPIL"] == "CLEAR"
        assert "CAL_VER" not in header  # level 1b has not been through calibration
        sci = hdul["SCI"]
        assert sci.data.dtype == np.uint16 and sci.header["BUNIT"] == "DN"
        ramp = sci.data.astype(np.int64)
        assert np.all(np.diff(ramp.mean(axis=(2, 3)), axis=1) > 0)  # signal accumulates up the ramp
    gs_row = fits_row("jw01410001001_gs-fg_2022044225832-seg001_uncal.fits", keywords={}, detector=None)
    with open_fits(render_product(gs_row)) as hdul:
        assert hdul[0].header["INSTRUME"] == "FGS" and hdul[0].header["DATAMODL"] == "GuiderRawModel"
    with open_fits(render_product(fits_row(f"{BASE}_cal.fits"))) as hdul:
        assert hdul[0].header["CAL_VER"] == "1.11.4" and hdul[0].header["CRDS_CTX"] == "jwst_1140.pmap"
        assert hdul[0].header["DATE"] == "2022-07-14T05:06:07.000"
        assert hdul["DQ"].data.dtype == np.uint32 and hdul["DQ"].data.any()


def test_image_has_celestial_wcs_at_the_pointing() -> None:
    from astropy.wcs import WCS

    with open_fits(render_product(fits_row(f"{BASE}_cal.fits"))) as hdul:
        wcs = WCS(hdul["SCI"].header)
        centre = wcs.pixel_to_world(15.5, 15.5)
        assert centre.ra.deg == pytest.approx(KEYWORDS["RA_REF"], abs=1e-9)
        assert centre.dec.deg == pytest.approx(KEYWORDS["DEC_REF"], abs=1e-9)
        corner = wcs.pixel_to_world(-0.5, -0.5)
        assert centre.separation(corner).arcsec == pytest.approx(0.031 * 2048 / 2 * 2**0.5, rel=0.01)


def test_x1d_covers_the_wavelength_range() -> None:
    with open_fits(render_product(fits_row(f"{BASE}_x1d.fits"))) as hdul:
        table = hdul["EXTRACT1D"]
        wave = table.data["WAVELENGTH"]
        assert wave[0] == pytest.approx(1.755) and wave[-1] == pytest.approx(2.226)
        assert table.columns["FLUX"].unit == "Jy" and table.columns["WAVELENGTH"].unit == "um"
        assert np.all(table.data["FLUX"] > 0)
    with open_fits(render_product(fits_row(f"{BASE}_x1dints.fits"))) as hdul:
        assert [h.header["EXTVER"] for h in hdul[1:]] == [1, 2]


def test_spectroscopic_cal_is_a_trace() -> None:
    row = fits_row(f"{BASE}_cal.fits", keywords={**KEYWORDS, "EXP_TYPE": "NRS_FIXEDSLIT"})
    with open_fits(render_product(row)) as hdul:
        sci = hdul["SCI"].data
        assert sci.shape == (32, 64)
        profile = sci.mean(axis=1)
        assert profile.max() > 5 * np.median(profile)  # light concentrated in a few rows
        assert hdul[0].header["DATAMODL"] == "SlitModel"


def test_fitsverify_accepts_every_kind(tmp_path: Path, fitsverify: str) -> None:
    for filename, _ in FITS_CASES:
        path = tmp_path / filename
        path.write_bytes(render_product(fits_row(filename)))
        result = subprocess.run([fitsverify, "-q", str(path)], capture_output=True, text=True, check=False)
        assert "verification OK" in result.stdout, result.stdout + result.stderr


# ---------------------------------------------------------------------------------------------
# SI keywords -> FITS keywords


def test_fits_keywords_maps_si_columns() -> None:
    kw = KEYWORDS
    assert kw["PROGRAM"] == "01410" and kw["OBSERVTN"] == "001" and kw["VISIT"] == "001"
    assert kw["VISITGRP"] == "02" and kw["SEQ_ID"] == "1" and kw["ACT_ID"] == "01" and kw["EXPOSURE"] == "00001"
    assert kw["DATE-BEG"] == "2022-07-12T10:11:12.123"
    assert kw["DATE-END"] == "2022-07-12T10:21:12.123"  # from MAST's /Date(ms)/
    assert kw["DATE-OBS"] == "2022-07-12" and kw["TIME-OBS"] == "10:11:12.123"
    assert kw["VSTSTART"] == "2022-07-12T09:00:00.000"
    assert kw["EXPSTART"] == 59772.42445
    assert kw["TSOVISIT"] is False and kw["IS_PSF"] is True
    assert kw["NINTS"] == 2 and kw["TARG_RA"] == 53.1625
    assert kw["TARGPROP"] == "Nandu field"
    assert kw["SELFREF"] == ""
    assert kw["RA_REF"] == 53.16
    assert len(kw["TITLE"]) + kw["TITLE"].count("'") <= 68 and kw["TITLE"].startswith("An exceedingly")
    for absent in (
        "PI_NAME",  # None
        "GS_MAG",  # NaN
        "DATE-OBS_MJD",
        "FILESIZE",
        "CHECKSUM",
        "DATAURI",
        "ARCHIVEFILEID",
        "SUFFIX",
        "CALIB_LEVEL",
        "PRODUCT_KEY",
        "MU_EPOCH",
    ):
        assert absent not in kw
    assert all(len(k) <= 8 for k in kw)
    assert all(isinstance(v, str | int | float | bool) for v in kw.values())


def test_fits_keywords_numpy_values_and_program_id() -> None:
    kw = fits_keywords(
        {
            "program_id": "01410",
            "nints": np.int64(3),
            "effexptm": np.float32(2.5),
            "date_beg": np.datetime64("2022-07-12T10:11:12.5"),
        }
    )
    assert kw == {"PROGRAM": "01410", "NINTS": 3, "EFFEXPTM": 2.5, "DATE-BEG": "2022-07-12T10:11:12.500"}
    assert type(kw["NINTS"]) is int


def test_card_values_round_trip_through_astropy() -> None:
    odd: dict[str, Any] = {
        "TINY": 1e-300,
        "HUGE": -1.2345678901234567e100,
        "THIRD": 1 / 3,
        "ONE": 1.0,
        "NEGZERO": -0.0,
        "BIGINT": 2**62,
        "QUOTE": "it's 'quoted'",
        "EMPTY": "",
        "LEAD": "  leading spaces",
        "LONGQ": "'" * 34,
        "FLAG": False,
    }
    data = render_product(fits_row(f"{BASE}_cal.fits", keywords=odd))
    with open_fits(data) as hdul:
        hdul.verify("exception")
        header = hdul[0].header
        for key, value in odd.items():
            if isinstance(value, float):
                assert header[key] == value and str(header[key]) == str(value), key
            else:
                assert header[key] == value, key
    assert len(format_card("LONGSTR", "x" * 200, "a comment")) == CARD
    assert format_card("HISTORY", "done") == "HISTORY done".ljust(CARD)


def test_render_fits_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="not a FITS keyword"):
        render_fits([("lower", 1)])
    with pytest.raises(ValueError, match="NaN"):
        render_fits([("BAD", float("nan"))])
    with pytest.raises(ValueError, match="unsupported"):
        render_fits([], [ImageHDU("SCI", np.zeros(3, dtype=np.complex64))])
    with pytest.raises(ValueError, match="rows"):
        render_fits([], [TableHDU("T", [("A", np.zeros(2), ""), ("B", np.zeros(3), "")])])


# ---------------------------------------------------------------------------------------------
# JPEG previews and thumbnails


@pytest.mark.parametrize(
    ("row", "size"),
    [
        (picture_row(f"{BASE}_cal.jpg", "PREVIEW"), (256, 256)),
        (picture_row(f"{BASE}_uncal.jpg", "PREVIEW"), (256, 256)),
        (picture_row(f"{BASE}_cal_thumb.jpg", "THUMBNAIL"), (128, 128)),
        (picture_row(f"{LEVEL3}_i2d_thumb.jpg", "THUMBNAIL"), (128, 128)),
        (picture_row(f"{BASE}_s2d.jpg", "PREVIEW", exp_type="NRS_FIXEDSLIT"), (256, 128)),
        (picture_row(f"{BASE}_x1d.jpg", "PREVIEW"), (256, 128)),
        (picture_row(f"{BASE}_x1d_thumb.jpg", "THUMBNAIL"), (128, 64)),
    ],
    ids=["cal", "uncal", "cal_thumb", "i2d_thumb", "s2d", "x1d", "x1d_thumb"],
)
def test_jpeg_opens_with_expected_size(row: dict[str, Any], size: tuple[int, int]) -> None:
    data = render_product(row)
    assert data[:3] == b"\xff\xd8\xff"
    assert len(data) < 16_000
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == size and image.mode == "L"
        assert "exif" not in image.info
        pixels = np.asarray(image)
    assert pixels.std() > 3  # not a blank picture


def test_preview_shows_the_fits_scene() -> None:
    """Preview and FITS of one exposure are seeded alike: bright FITS pixels are bright in the JPEG."""
    with open_fits(render_product(fits_row(f"{BASE}_cal.fits"))) as hdul:
        sci = hdul["SCI"].data
    with Image.open(io.BytesIO(render_product(picture_row(f"{BASE}_cal.jpg", "PREVIEW")))) as image:
        pixels = np.asarray(image, dtype=np.float64)
    y, x = np.unravel_index(np.argmax(sci[4:, :]), sci.shape)  # skip the label rows at the top
    y += 4
    block = pixels[y * 8 : y * 8 + 8, x * 8 : x * 8 + 8]
    assert block.max() > np.median(pixels) + 60


# ---------------------------------------------------------------------------------------------
# Associations, pools, catalogs


def test_asn_json_lists_the_members() -> None:
    doc = json.loads(render_product(asn_row()))
    assert doc["asn_type"] == "image3" and doc["asn_rule"] == "candidate_Asn_Lv3Image"
    assert doc["version_id"] == "20220713t053316" and doc["asn_id"] == "o001"
    assert doc["program"] == "01410" and doc["target"] == "t001" and doc["code_version"] == "1.11.4"
    assert doc["asn_pool"] == "jw01410_20220713t053316_pool.csv"
    assert "degraded" in doc["degraded_status"].lower()
    (product,) = doc["products"]
    assert product["name"] == LEVEL3
    assert [(m["expname"], m["exptype"]) for m in product["members"]] == [(n, "science") for n, _ in MEMBERS]


def test_level2_asn_names_its_product_after_the_exposure() -> None:
    row = asn_row(
        filename="jw01410-o001_20220713t053316_image2_00042_asn.json",
        typecode="S",
        obs_id=BASE,
        members=[(f"{BASE}_rate.fits", "science")],
    )
    doc = json.loads(render_product(row))
    assert doc["asn_type"] == "image2" and doc["asn_rule"] == "candidate_Asn_Lv2Image"
    assert doc["products"][0]["name"] == BASE
    assert doc["products"][0]["members"][0]["expname"] == f"{BASE}_rate.fits"


def test_pool_csv_parses() -> None:
    text = render_product(pool_row()).decode("ascii")
    rows = list(csv.DictReader(io.StringIO(text), delimiter="|"))
    assert len(rows) == len(MEMBERS)
    assert rows[0]["FILENAME"] == f"{BASE}_uncal.fits"
    assert rows[1]["EXPOSURE"] == "00002" and rows[0]["DETECTOR"] == "NRCA1"
    assert rows[0]["EXP_TYPE"] == "NRC_IMAGE" and rows[0]["PROGRAM"] == "01410"
    assert rows[0]["FILTER"] == "F200W" and rows[0]["ASN_CANDIDATE"] == "[('o001', 'observation')]"
    table = Table.read(text, format="ascii.basic", delimiter="|")
    assert len(table) == len(MEMBERS) and "FILENAME" in table.colnames


def test_source_catalog_reads_with_astropy() -> None:
    table = Table.read(render_product(ecsv_row("cat")).decode("ascii"), format="ascii.ecsv")
    assert len(table) >= 5
    assert {"label", "xcentroid", "ycentroid", "ra", "dec", "aper_total_flux"} <= set(table.colnames)
    assert str(table["ra"].unit) == "deg"
    assert np.all(np.abs(table["ra"] - 53.16) < 0.02) and np.all(np.abs(table["dec"] + 27.79) < 0.02)
    assert table.meta["instrument"] == "NIRCAM"


def test_white_light_curve_reads_with_astropy() -> None:
    row = ecsv_row("whtlt")
    row["keywords"] = {"NINTS": 50, "EXPSTART": 59800.0}
    table = Table.read(render_product(row).decode("ascii"), format="ascii.ecsv")
    assert len(table) == 50
    assert table["whitelight_flux"].min() < 0.995 < table["whitelight_flux"].max()


# ---------------------------------------------------------------------------------------------
# Determinism, identity, dispatch


def test_same_row_same_bytes_and_size_md5() -> None:
    for row in every_row():
        first = render_product(row)
        assert render_product(dict(row)) == first, row["filename"]
        assert product_size_and_md5(row) == (len(first), hashlib.md5(first).hexdigest())


def test_bytes_are_the_same_in_another_process() -> None:
    rows = every_row()
    here = [hashlib.md5(render_product(row)).hexdigest() for row in rows]
    script = (
        "import sys, json, hashlib, pickle\n"
        "from jwstarchive.catalog.products import render_product\n"
        "rows = pickle.load(sys.stdin.buffer)\n"
        "print(json.dumps([hashlib.md5(render_product(r)).hexdigest() for r in rows]))\n"
    )
    import pickle

    src = str(Path(jwstarchive.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}
    env["PYTHONHASHSEED"] = "12345"
    result = subprocess.run(
        [sys.executable, "-c", script], input=pickle.dumps(rows), capture_output=True, env=env, check=True
    )
    assert json.loads(result.stdout) == here


def test_different_filenames_give_different_bytes() -> None:
    """Every product differs from its neighbour; a pool (which never names itself) by its exposures."""
    for row in every_row():
        name = row["filename"]
        changed = name.replace("jw01410001001", "jw01410001002").replace("o001", "o002").replace("t053316", "t053317")
        other = dict(row, filename=changed)
        assert other["filename"] != name
        if row["suffix"] == "pool":
            assert render_product(other) == render_product(row)
            other["members"] = [(n.replace("00001", "00003"), e) for n, e in row["members"]]
        assert render_product(other) != render_product(row), name


def test_product_kind_dispatch() -> None:
    assert product_kind(fits_row(f"{BASE}_uncal.fits")) == "fits:uncal"
    assert product_kind({"filename": "jw01410001001_gs-id_1_image-uncal.fits", "suffix": "uncal"}) == ("fits:gs-uncal")
    assert product_kind({"filename": "jw01410001001_gs-track_2022193101112_cal.fits", "is_guide_star": True}) == (
        "fits:gs-cal"
    )
    assert product_kind(picture_row(f"{BASE}_cal_thumb.jpg", "THUMBNAIL")) == "thumbnail"
    assert product_kind({"filename": f"{BASE}_cal_thumb.jpg"}) == "thumbnail"
    assert product_kind({"filename": f"{BASE}_cal.jpg", "suffix": "cal", "extension": "jpg"}) == "preview"
    assert product_kind(asn_row()) == "asn" and product_kind(pool_row()) == "pool"
    assert product_kind(ecsv_row("cat")) == "cat" and product_kind(ecsv_row("whtlt")) == "whtlt"
    with pytest.raises(InputError, match="unknown extension"):
        render_product({"filename": "notes.txt", "extension": "txt"})


def test_noise_and_uniform_are_platform_stable() -> None:
    """Pinned values: the generators use only integer and IEEE + - * / arithmetic."""
    assert previews.seed_of(BASE) == 17426052247770926733
    assert previews.uniform(42, 3).tolist() == [0.7415648787718233, 0.1599103928769201, 0.27860113025513866]
    assert previews.gaussian_noise(7, (3,)).tolist() == [-0.13493629541822733, 0.3707144864611441, -1.4164213540864015]
    assert float(previews.sky_image(previews.seed_of("x"), (32, 32)).sum()).hex() == "0x1.1dd597469b1efp+8"
    noise = previews.gaussian_noise(7, (64, 64))
    assert abs(noise.mean()) < 0.1 and 0.9 < noise.std() < 1.1
    big = previews.gaussian_noise(7, (300, 300))
    assert abs(big.mean()) < 0.05 and 0.95 < big.std() < 1.05
