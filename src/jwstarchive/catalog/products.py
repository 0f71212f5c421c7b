"""A product's bytes, size and checksum, computed from its metadata.

A generated archive stores no files: every product's content is a pure function of its
catalog row, so the size and md5 written by the generator always equal what the server
sends, in any process. :func:`render_product` makes the bytes:

- FITS science files (``.fits``): a primary header holding the file's FITS keywords, then
  small extensions shaped like the real product (a uint16 ramp for ``uncal``, SCI/ERR/DQ for
  ``rate``/``cal``, SCI/ERR/CON/WHT for ``i2d``, a cube for ``s3d``, an ``EXTRACT1D`` table for
  ``x1d`` ...), written by the fast writer in :mod:`jwstarchive.catalog.fitsbytes`;
- JPEG previews (``_cal.jpg``) and thumbnails (``_cal_thumb.jpg``), from
  :mod:`jwstarchive.catalog.previews`;
- association files (``_asn.json``), association pools (``_pool.csv``, pipe-separated) and
  source catalogs (``_cat.ecsv``).

The data are synthetic but look the part: the sky of an exposure (stars and galaxies, or a
spectral trace) is seeded by its name without the product suffix, so the ``uncal``, ``rate``
and ``cal`` files and their previews of one detector exposure show the same field.

:func:`fits_keywords` turns a MAST SI-keyword row (``Mast.Jwst.Filtered.<Instrument>``
columns) into the FITS primary-header keywords that ``row["keywords"]`` carries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from jwstarchive.catalog import previews
from jwstarchive.catalog.fitsbytes import Card, ImageHDU, TableHDU, render_fits, valid_keyword
from jwstarchive.errors import InputError

__all__ = [
    "FitsContent",
    "fits_content",
    "fits_keywords",
    "product_kind",
    "product_size_and_md5",
    "render_product",
]

FitsContent = tuple[list[Card], list[ImageHDU | TableHDU]]
"""Primary-header cards and extension HDUs of a FITS product, before rendering."""

# ---------------------------------------------------------------------------------------------
# SI keyword row -> FITS keywords

# MAST bookkeeping columns with no FITS keyword (compared lower-case).
_SI_SKIP = frozenset(
    {
        "archivefileid",
        "filesetname",
        "productlevel",
        "filesize",
        "checksum",
        "ingeststartdate",
        "ingestcompletiondate",
        "filetypeid",
        "publicreleasedate",
        "isrestricted",
        "isitar",
        "isstale",
        "filesetid",
        "datauri",
        "obsid",
        "s_region",
        # internal columns of core.si_keywords
        "product_key",
        "caom_obs_id",
        "calib_level",
        "suffix",
        "is_guide_star",
        "release_date",
    }
)
_SI_RENAME = {"program_id": "PROGRAM", "time_obs": "TIME-OBS"}
# Identifier keywords JWST writes as zero-padded strings, and their widths.
_PADDED = {"PROGRAM": 5, "OBSERVTN": 3, "VISIT": 3, "VISITGRP": 2, "SEQ_ID": 1, "ACT_ID": 2, "EXPOSURE": 5}
_MAST_DATE = re.compile(r"^/Date\((-?\d+)\)/$")
_EPOCH = dt.datetime(1970, 1, 1)
_MAX_STRING = 68  # longest string value of a card with no comment


@lru_cache(maxsize=4096)
def _keyword_name(column: str) -> str | None:
    """The FITS keyword of an SI column, or None when it has none."""
    low = column.lower()
    if low in _SI_SKIP or low.endswith("_mjd"):
        return None
    if low in _SI_RENAME:
        name = _SI_RENAME[low]
    elif low.startswith("date_"):
        name = "DATE-" + low[5:].upper()
    else:
        name = low.upper()
    return name if valid_keyword(name) else None


def _iso(value: dt.datetime) -> str:
    """FITS ISO-8601 datetime with milliseconds, UTC, no zone."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}"


def _as_datetime(value: Any) -> dt.datetime | dt.date | None:
    """``value`` as a datetime/date when it is one (datetime, date, numpy datetime64, MAST ``/Date(ms)/``)."""
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, np.datetime64):
        item = value.astype("datetime64[us]").item()
        return item if isinstance(item, dt.datetime) else None
    if isinstance(value, str) and value.startswith("/Date("):
        match = _MAST_DATE.match(value)
        if match:
            return _EPOCH + dt.timedelta(milliseconds=int(match.group(1)))
    return None


def _fit_string(text: str) -> str:
    """``text`` as printable ASCII, right-stripped and cut to fit one card (quotes doubled)."""
    if not (text.isascii() and text.isprintable()):
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        text = "".join(c if " " <= c <= "~" else " " for c in text)
    text = text.rstrip()
    while len(text) + text.count("'") > _MAX_STRING:
        text = text[:-1].rstrip()
    return text


def _keyword_value(name: str, value: Any) -> Any:
    """An SI value as a FITS header value, or None to leave the keyword out."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    when = _as_datetime(value)
    if when is not None:
        if not isinstance(when, dt.datetime):
            return when.isoformat()
        return _iso(when)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if name in _PADDED:
            return str(value).zfill(_PADDED[name])
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    text = str(value)
    if text in ("t", "f"):
        return text == "t"
    if name in _PADDED and text.isdigit():
        text = text.zfill(_PADDED[name])
    return _fit_string(text)


def fits_keywords(si_row: Mapping[str, Any]) -> dict[str, Any]:
    """FITS primary-header keywords from an SI-keyword row (MAST ``Mast.Jwst.Filtered.*`` columns).

    Column names become the real JWST keyword spelling: upper case, ``date_beg`` ->
    ``DATE-BEG`` (every ``date_*``), ``time_obs`` -> ``TIME-OBS``, ``program_id`` -> ``PROGRAM``.
    Left out: ``*_mjd`` twins, MAST bookkeeping (``fileSize``, ``checksum``, ``dataURI``,
    ``ingest*``, ``publicReleaseDate``, ``ArchiveFileID``, ``fileSetName``, ``productLevel``,
    ``is*`` flags ...), the internal columns of ``core.si_keywords`` (``product_key``,
    ``suffix``, ``calib_level`` ...), names longer than 8 characters (no HIERARCH: JWST
    keywords all fit), null values and NaN/infinite floats.

    Values: ``'t'``/``'f'`` become logicals; datetimes (Python, numpy or MAST ``/Date(ms)/``)
    become ISO strings with milliseconds, except ``DATE-OBS`` which is the date alone with
    the time in ``TIME-OBS`` (added when absent), as JWST writes them; ``PROGRAM``,
    ``OBSERVTN``, ``VISIT``, ``VISITGRP``, ``SEQ_ID``, ``ACT_ID`` and ``EXPOSURE`` become
    zero-padded strings (``'01410'``, ``'001'``); strings become printable ASCII cut to fit one
    card. numpy scalars become Python values.

    Parameters
    ----------
    si_row
        One SI-keyword row: lower-case column name -> value.

    Returns
    -------
    dict
        Keyword -> value (str, int, float or bool) in the row's column order.
    """
    out: dict[str, Any] = {}
    time_obs: str | None = None
    for column, raw in si_row.items():
        name = _keyword_name(column)
        if name is None:
            continue
        value = _keyword_value(name, raw)
        if value is None:
            continue
        if name == "DATE-OBS" and isinstance(value, str) and "T" in value:
            value, time_obs = value.split("T", 1)
        out[name] = value
    if time_obs is not None and "TIME-OBS" not in out:
        out["TIME-OBS"] = time_obs
    return out


# ---------------------------------------------------------------------------------------------
# What a product is

_SPECTRAL_EXP_TYPES = frozenset(
    {
        "NRS_FIXEDSLIT",
        "NRS_IFU",
        "NRS_MSASPEC",
        "NRS_BRIGHTOBJ",
        "NRS_LAMP",
        "NRS_AUTOWAVE",
        "NRS_AUTOFLAT",
        "NIS_SOSS",
        "NIS_WFSS",
        "MIR_LRS-FIXEDSLIT",
        "MIR_LRS-SLITLESS",
        "MIR_MRS",
        "NRC_TSGRISM",
        "NRC_WFSS",
        "NRC_GRISM",
    }
)
_SPECTRAL_STAGES = frozenset({"s2d", "s3d", "x1d", "x1dints", "c1d"})
_ONE_D_STAGES = frozenset({"x1d", "x1dints", "c1d"})
_FITS_STAGES = frozenset(
    {
        "uncal",
        "rate",
        "rateints",
        "cal",
        "calints",
        "crf",
        "crfints",
        "i2d",
        "s2d",
        "s3d",
        "x1d",
        "x1dints",
        "c1d",
        "trapsfilled",
        "segm",
        "psfstack",
        "psfalign",
        "psfsub",
        "ami",
        "amiavg",
        "aminorm",
    }
)
_INSTRUMENTS = {"nircam": "NIRCAM", "nirspec": "NIRSPEC", "niriss": "NIRISS", "miri": "MIRI", "fgs": "FGS"}
_DETECTOR_PREFIX = (
    ("nrc", "NIRCAM"),
    ("nrs", "NIRSPEC"),
    ("nis", "NIRISS"),
    ("mir", "MIRI"),
    ("guider", "FGS"),
)


def _name_parts(filename: str) -> tuple[str, str]:
    """(stem without extension or ``_thumb``, stage: the last suffix token, lower case)."""
    stem = filename.split(".", 1)[0]
    if stem.endswith("_thumb"):
        stem = stem[: -len("_thumb")]
    stage = stem.rsplit("_", 1)[-1].lower()
    return stem, stage


def product_kind(row: Mapping[str, Any]) -> str:
    """What :func:`render_product` makes of ``row``.

    Parameters
    ----------
    row
        Product row (``filename``, ``extension``, ``suffix``, ``product_type``).

    Returns
    -------
    str
        ``fits:<stage>`` (``fits:uncal``, ``fits:cal``, ``fits:i2d``, ``fits:x1d``,
        ``fits:gs-uncal``, ``fits:gs-cal``, ``fits:ami``, ``fits:other`` ...), ``preview``,
        ``thumbnail``, ``asn``, ``pool``, ``cat`` (source catalog) or ``whtlt`` (white-light curve).

    Raises
    ------
    InputError
        For an extension the archive has no bytes for.
    """
    filename = str(row["filename"])
    extension = str(row.get("extension") or filename.rsplit(".", 1)[-1]).lower()
    suffix = str(row.get("suffix") or "").lower()
    if extension in ("jpg", "jpeg"):
        thumb = str(row.get("product_type") or "").upper() == "THUMBNAIL" or "thumb" in suffix
        return "thumbnail" if thumb or filename.endswith("_thumb.jpg") else "preview"
    if extension == "json":
        return "asn"
    if extension == "csv":
        return "pool"
    _, stage = _name_parts(filename)
    if extension == "ecsv":
        return "whtlt" if "whtlt" in (suffix, stage) else "cat"
    if extension != "fits":
        raise InputError(f"no content for product {filename!r}: unknown extension {extension!r}")
    if suffix.startswith("gs-") or "_gs-" in filename or row.get("is_guide_star"):
        return "fits:gs-uncal" if stage.endswith("uncal") else "fits:gs-cal"
    if suffix in _FITS_STAGES:
        return f"fits:{suffix}"
    return f"fits:{stage}" if stage in _FITS_STAGES else "fits:other"


def _keywords(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row's FITS keywords, completed from the product columns where missing."""
    kw = dict(row.get("keywords") or {})
    filename = str(row["filename"])
    kw.setdefault("TELESCOP", "JWST")
    detector = row.get("detector")
    if "INSTRUME" not in kw and ("_gs-" in filename or row.get("is_guide_star")):
        kw["INSTRUME"] = "FGS"  # guide-star files belong to FGS whatever the observation's instrument
    if "INSTRUME" not in kw:
        instrument = row.get("instrument")
        if not instrument:
            tokens = filename.lower().split("_")
            instrument = next((_INSTRUMENTS[t] for t in tokens if t in _INSTRUMENTS), None)
        if not instrument and detector:
            instrument = next((i for p, i in _DETECTOR_PREFIX if str(detector).lower().startswith(p)), None)
        if instrument:
            kw["INSTRUME"] = str(instrument).upper()
    if "DETECTOR" not in kw and detector:
        kw["DETECTOR"] = str(detector).upper()
    if "EXP_TYPE" not in kw and row.get("exp_type"):
        kw["EXP_TYPE"] = str(row["exp_type"])
    if not any(k in kw for k in ("FILTER", "PUPIL", "GRATING")) and row.get("filters"):
        # the composite's ';'-separated elements: FILTER first, then PUPIL (GRATING for NIRSpec)
        elements = [e.strip().upper() for e in str(row["filters"]).split(";")]
        second = "GRATING" if kw.get("INSTRUME") == "NIRSPEC" else "PUPIL"
        for key, element in zip(("FILTER", second), elements, strict=False):
            if element:
                kw[key] = element
    if "PROGRAM" not in kw and row.get("program_id"):
        kw["PROGRAM"] = str(row["program_id"]).zfill(5)
    return kw


def _is_spectral(row: Mapping[str, Any], kw: Mapping[str, Any], stage: str) -> bool:
    if stage in _SPECTRAL_STAGES:
        return True
    dptype = str(row.get("dataproduct_type") or "").lower()
    if dptype in ("spectrum", "cube"):
        return True
    return str(kw.get("EXP_TYPE") or "").upper() in _SPECTRAL_EXP_TYPES


def _wave_range(row: Mapping[str, Any], kw: Mapping[str, Any]) -> tuple[float, float]:
    """Wavelength range in micron: the row's ``em_min``/``em_max`` (m), else from the optics."""
    em_min, em_max = row.get("em_min"), row.get("em_max")
    if em_min and em_max and float(em_max) > float(em_min):
        return float(em_min) * 1e6, float(em_max) * 1e6
    grating = str(kw.get("GRATING") or "").upper()
    for key, span in (
        ("G140", (0.97, 1.89)),
        ("G235", (1.66, 3.17)),
        ("G395", (2.87, 5.27)),
        ("PRISM", (0.6, 5.3)),
    ):
        if grating.startswith(key):
            return span
    exp_type = str(kw.get("EXP_TYPE") or "").upper()
    if exp_type == "MIR_MRS":
        return 4.9, 27.9
    if exp_type.startswith("MIR_LRS"):
        return 5.0, 14.0
    if exp_type == "NIS_SOSS":
        return 0.6, 2.8
    match = re.match(r"F(\d{3,4})([WMNL])", str(kw.get("FILTER") or "").upper())
    if match:
        centre = int(match.group(1)) / 100.0
        half = {"W": 0.12, "M": 0.05, "N": 0.01, "L": 0.4}[match.group(2)]
        return centre * (1 - half), centre * (1 + half)
    return 1.0, 5.0


_PIXEL_SCALE = {"NIRCAM": 0.031, "NIRSPEC": 0.1, "NIRISS": 0.0656, "MIRI": 0.11, "FGS": 0.069}

_KEYWORD_COMMENTS = {
    "DATE": "UTC date file created",
    "ORIGIN": "Organization responsible for creating file",
    "TIMESYS": "principal time system for time-related keywords",
    "TIMEUNIT": "Default unit applicable to all time values",
    "FILENAME": "Name of the file",
    "FILETYPE": "Type of data in the file",
    "DATAMODL": "Type of data model",
    "TELESCOP": "Telescope used to acquire the data",
    "CAL_VER": "Calibration software version number",
    "CRDS_CTX": "CRDS context (.pmap) used to select ref files",
    "PROGRAM": "Program number",
    "OBSERVTN": "Observation number",
    "VISIT": "Visit number",
    "VISITGRP": "Visit group identifier",
    "SEQ_ID": "Parallel sequence identifier",
    "ACT_ID": "Activity identifier",
    "EXPOSURE": "Exposure request number",
    "TARGPROP": "Proposer's name for the target",
    "TARGNAME": "Standard astronomical catalog name for target",
    "TARG_RA": "Target RA at mid time of exposure",
    "TARG_DEC": "Target Dec at mid time of exposure",
    "INSTRUME": "Instrument used to acquire the data",
    "DETECTOR": "Name of detector used to acquire the data",
    "FILTER": "Name of the filter element used",
    "PUPIL": "Name of the pupil element used",
    "GRATING": "Name of the grating element used",
    "EXP_TYPE": "Type of data in the exposure",
    "READPATT": "Readout pattern",
    "NINTS": "Number of integrations in exposure",
    "NGROUPS": "Number of groups in integration",
    "NFRAMES": "Number of frames per group",
    "SUBARRAY": "Subarray used",
    "DATE-OBS": "[yyyy-mm-dd] UTC date at start of exposure",
    "TIME-OBS": "[hh:mm:ss.sss] UTC time at start of exposure",
    "DATE-BEG": "Date-time start of exposure",
    "DATE-END": "Date-time end of exposure",
    "EXPSTART": "[d] exposure start time in MJD",
    "EXPEND": "[d] exposure end time in MJD",
    "EFFINTTM": "[s] Effective integration time",
    "EFFEXPTM": "[s] Effective exposure time",
    "DURATION": "[s] Total duration of exposure",
}
_FILETYPES = {
    "uncal": "uncalibrated",
    "rate": "countrate",
    "rateints": "countrate",
    "gs-uncal": "uncalibrated",
}
_STRUCTURAL = frozenset(
    {
        "SIMPLE",
        "BITPIX",
        "NAXIS",
        "EXTEND",
        "XTENSION",
        "PCOUNT",
        "GCOUNT",
        "END",
        "BZERO",
        "BSCALE",
        "EXTNAME",
    }
)


def _file_date(row: Mapping[str, Any], kw: Mapping[str, Any]) -> str:
    """The file-creation DATE: the keyword, else the ingest date, else the exposure end."""
    for value in (kw.get("DATE"), row.get("ingest_date"), kw.get("DATE-END")):
        if value:
            when = _as_datetime(value)
            return _iso(when) if isinstance(when, dt.datetime) else str(value)
    return "2022-07-14T00:00:00.000"


def _primary_cards(row: Mapping[str, Any], kw: Mapping[str, Any], stage: str, model: str) -> list[Card]:
    merged: dict[str, Any] = {
        "DATE": _file_date(row, kw),
        "ORIGIN": "STSCI",
        "TIMESYS": "UTC",
        "TIMEUNIT": "s",
        "FILENAME": str(row["filename"]),
        "FILETYPE": _FILETYPES.get(stage, "calibrated"),
        "DATAMODL": model,
        "TELESCOP": "JWST",
    }
    commentary: list[Card] = []
    for key, value in kw.items():
        if key in _STRUCTURAL or key.startswith("NAXIS") or key == "FILENAME":
            continue
        if key in ("COMMENT", "HISTORY"):
            values = value if isinstance(value, list | tuple) else [value]
            commentary += [(key, str(v)) for v in values]
            continue
        merged[key] = value
    if stage not in ("uncal", "gs-uncal"):
        if row.get("cal_ver"):
            merged.setdefault("CAL_VER", str(row["cal_ver"]))
        if row.get("crds_ctx"):
            merged.setdefault("CRDS_CTX", str(row["crds_ctx"]))
    cards: list[Card] = [(k, v, _KEYWORD_COMMENTS.get(k, "")) for k, v in merged.items()]
    return cards + commentary


# ---------------------------------------------------------------------------------------------
# FITS data

N = 32  # side of the synthetic detector images (a whole 2048-pixel detector in 32 pixels)


def _f32(a: np.ndarray) -> np.ndarray:
    return a.astype(np.float32)


def _celestial_wcs(row: Mapping[str, Any], kw: Mapping[str, Any], shape: tuple[int, int]) -> list[Card]:
    """A TAN WCS putting the image on the sky at the pointing, covering the whole detector."""
    ra = kw.get("RA_REF", kw.get("TARG_RA", row.get("s_ra")))
    dec = kw.get("DEC_REF", kw.get("TARG_DEC", row.get("s_dec")))
    if not isinstance(ra, int | float) or not isinstance(dec, int | float):
        return []
    instrument = str(kw.get("INSTRUME") or "NIRCAM")
    scale = _PIXEL_SCALE.get(instrument, 0.05)
    if "LONG" in str(kw.get("DETECTOR") or ""):
        scale = 0.063
    real_pixels = 1024 if instrument == "MIRI" else 2048
    cdelt = round(scale * real_pixels / shape[1] / 3600.0, 12)
    angle = kw.get("PA_APER", kw.get("PA_V3", 0.0))
    theta = math.radians(float(angle)) if isinstance(angle, int | float) else 0.0
    cos, sin = round(math.cos(theta), 12), round(math.sin(theta), 12)
    return [
        ("WCSAXES", 2, "number of World Coordinate System axes"),
        ("CRPIX1", (shape[1] + 1) / 2, "axis 1 coordinate of the reference pixel"),
        ("CRPIX2", (shape[0] + 1) / 2, "axis 2 coordinate of the reference pixel"),
        ("CRVAL1", float(ra), "first axis value at the reference pixel"),
        ("CRVAL2", float(dec), "second axis value at the reference pixel"),
        ("CTYPE1", "RA---TAN", "Axis 1 type"),
        ("CTYPE2", "DEC--TAN", "Axis 2 type"),
        ("CUNIT1", "deg", "first spatial coordinate unit"),
        ("CUNIT2", "deg", "second spatial coordinate unit"),
        ("CDELT1", -cdelt, "first axis increment per pixel"),
        ("CDELT2", cdelt, "second axis increment per pixel"),
        ("PC1_1", cos, "linear transformation matrix element"),
        ("PC1_2", -sin, "linear transformation matrix element"),
        ("PC2_1", sin, "linear transformation matrix element"),
        ("PC2_2", cos, "linear transformation matrix element"),
        ("RADESYS", "ICRS", "Name of the coordinate reference frame"),
    ]


def _dq(seed: int, shape: tuple[int, ...], saturated: np.ndarray | None = None) -> np.ndarray:
    """Data-quality flags: a few hot pixels (DO_NOT_USE|HOT) and saturated cores."""
    dq = np.zeros(shape, dtype=np.uint32)
    flat = dq.reshape(-1)
    picks = (previews.uniform(seed, 3, stream=7) * flat.size).astype(np.int64)
    flat[picks] = 1 | 2048
    if saturated is not None:
        dq[saturated] |= 2
    return dq


def _image_hdus(seed: int, row: Mapping[str, Any], kw: Mapping[str, Any], stage: str) -> list[ImageHDU]:
    sky = previews.sky_image(seed, (N, N))
    noise = previews.gaussian_noise(seed, (N, N), stream=5)
    bunit, level, gain, sigma = {
        "rate": ("DN/s", 0.3, 2.0, 0.05),
        "i2d": ("MJy/sr", 0.0, 1.0, 0.01),
    }.get(stage, ("MJy/sr", 0.2, 1.0, 0.02))
    sci = level + gain * sky + sigma * noise
    err = np.sqrt(sigma * sigma + 0.01 * np.abs(gain * sky))
    wcs = _celestial_wcs(row, kw, (N, N)) if stage != "rate" else []
    sci_cards: list[Card] = [("BUNIT", bunit, "physical units of the array values"), *wcs]
    hdus = [ImageHDU("SCI", _f32(sci), sci_cards), ImageHDU("ERR", _f32(err), [("BUNIT", bunit)])]
    if stage == "i2d":
        con = np.ones((1, N, N), dtype=np.int32)
        wht = _f32(100.0 + 20.0 * previews.uniform(seed, N * N, stream=8).reshape(N, N))
        hdus += [ImageHDU("CON", con), ImageHDU("WHT", wht)]
    else:
        hdus.append(ImageHDU("DQ", _dq(seed, (N, N), sky > 40.0)))
    return hdus


def _trace_hdus(seed: int, stage: str, shape: tuple[int, int]) -> list[ImageHDU]:
    trace = previews.spectrum_trace(seed, shape)
    noise = previews.gaussian_noise(seed, shape, stream=5)
    bunit = "DN/s" if stage in ("rate", "rateints") else "MJy/sr"
    sci = 0.05 + trace + 0.02 * noise
    err = np.sqrt(0.0004 + 0.01 * trace)
    hdus = [ImageHDU("SCI", _f32(sci), [("BUNIT", bunit)]), ImageHDU("ERR", _f32(err), [("BUNIT", bunit)])]
    if stage == "s2d":
        hdus += [ImageHDU("WHT", _f32(np.ones(shape))), ImageHDU("CON", np.ones((1, *shape), dtype=np.int32))]
    else:
        hdus.append(ImageHDU("DQ", _dq(seed, shape)))
    return hdus


def _frame(seed: int, spectral: bool) -> np.ndarray:
    """One detector frame of signal (rate-like units): a star field or a trace."""
    if spectral:
        return previews.spectrum_trace(seed, (N, N))
    return 2.0 * previews.sky_image(seed, (N, N))


def _kw_int(kw: Mapping[str, Any], key: str, default: int) -> int:
    value = kw.get(key)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) and value >= 1 else default


def _ramp_hdus(seed: int, kw: Mapping[str, Any], spectral: bool, guider: bool = False) -> list[ImageHDU]:
    """A uint16 ramp (nints, ngroups, ny, nx): bias with column pattern plus accumulating signal."""
    side = 8 if guider else N
    nints = min(_kw_int(kw, "NINTS", 1), 3 if guider else 2)
    ngroups = min(_kw_int(kw, "NGROUPS", 2), 2 if guider else 5)
    tgroup = kw.get("TGROUP")
    tgroup = float(tgroup) if isinstance(tgroup, int | float) and tgroup > 0 else 10.737
    if guider:
        star = previews.Scene(*(np.array([v]) for v in (0.5, 0.5, 400.0, 0.0, 1.0, 1.0, 0.0)), np.array([False]))
        signal = previews.sky_scene(star, (side, side), star_width=1.2)
    else:
        signal = _frame(seed, spectral)
    bias = 11000.0 + 150.0 * previews.gaussian_noise(seed, (1, side), stream=9)
    group = np.arange(1, ngroups + 1, dtype=np.float64)[None, :, None, None]
    noise = 6.0 * previews.gaussian_noise(seed, (nints, ngroups, side, side), stream=10)
    ramp = bias[None, None] + (0.5 + signal)[None, None] * tgroup * group + noise
    ramp = np.clip(ramp, 0.0, 65535.0).astype(np.uint16)
    return [ImageHDU("SCI", ramp, [("BUNIT", "DN", "physical units of the array values")])]


def _cube_hdus(seed: int, spectral: bool, nints: int, stage: str) -> list[ImageHDU]:
    """Per-integration images (nints, ny, nx) for ``rateints``/``calints``."""
    frame = _frame(seed, spectral)
    noise = previews.gaussian_noise(seed, (nints, N, N), stream=5)
    bunit = "DN/s" if stage == "rateints" else "MJy/sr"
    sci = 0.2 + frame[None] + 0.05 * noise
    err = np.broadcast_to(np.sqrt(0.0025 + 0.01 * np.abs(frame)), (nints, N, N))
    return [
        ImageHDU("SCI", _f32(sci), [("BUNIT", bunit)]),
        ImageHDU("ERR", _f32(err), [("BUNIT", bunit)]),
        ImageHDU("DQ", _dq(seed, (nints, N, N))),
    ]


def _ifu_hdus(seed: int, row: Mapping[str, Any], kw: Mapping[str, Any]) -> list[ImageHDU]:
    """An IFU cube (nwave, ny, nx): a galaxy whose every spaxel has the same spectrum shape."""
    nwave, side = 20, 16
    lo, hi = _wave_range(row, kw)
    wave = np.linspace(lo, hi, nwave)
    galaxy = previews.Scene.random(seed, n_stars=0, n_galaxies=1)
    galaxy = previews.Scene(
        np.array([0.5]),
        np.array([0.5]),
        galaxy.flux,
        galaxy.size * 4,
        *(getattr(galaxy, f) for f in ("axis_ratio", "angle_cos", "angle_sin", "is_galaxy")),
    )
    image = previews.sky_scene(galaxy, (side, side)) / 10.0
    spectrum = previews.spectrum_1d(seed, wave)
    cube = image[None] * spectrum[:, None, None]
    noise = previews.gaussian_noise(seed, cube.shape, stream=5)
    cards: list[Card] = _celestial_wcs(row, kw, (side, side))
    if cards:
        cards[0] = ("WCSAXES", 3, "number of World Coordinate System axes")
        cards += [
            ("CRPIX3", 1.0, "axis 3 coordinate of the reference pixel"),
            ("CRVAL3", lo, "third axis value at the reference pixel"),
            ("CTYPE3", "WAVE", "Axis 3 type"),
            ("CUNIT3", "um", "third axis units"),
            ("CDELT3", (hi - lo) / (nwave - 1), "third axis increment per pixel"),
            ("PC3_3", 1.0, "linear transformation matrix element"),
        ]
    return [
        ImageHDU("SCI", _f32(cube + 0.01 * noise), [("BUNIT", "MJy/sr"), *cards]),
        ImageHDU("ERR", _f32(np.sqrt(0.0001 + 0.01 * cube)), [("BUNIT", "MJy/sr")]),
        ImageHDU("DQ", _dq(seed, cube.shape)),
        ImageHDU("WMAP", _f32(np.ones(cube.shape))),
    ]


def _extract1d_hdu(seed: int, wave: np.ndarray, integration: int | None) -> TableHDU:
    n = len(wave)
    flux = 1e-4 * previews.spectrum_1d(seed, wave)
    noise = previews.gaussian_noise(seed + (integration or 0), (n,), stream=6)
    err = 2e-6 + 0.01 * flux
    measured = flux + err * noise
    sb = measured * 3.0
    columns = [
        ("WAVELENGTH", wave, "um"),
        ("FLUX", measured, "Jy"),
        ("FLUX_ERROR", err, "Jy"),
        ("FLUX_VAR_POISSON", err * err * 0.8, "Jy^2"),
        ("FLUX_VAR_RNOISE", err * err * 0.2, "Jy^2"),
        ("FLUX_VAR_FLAT", np.zeros(n), "Jy^2"),
        ("SURF_BRIGHT", sb, "MJy/sr"),
        ("SB_ERROR", err * 3.0, "MJy/sr"),
        ("DQ", np.zeros(n, dtype=np.int32), ""),
        ("BACKGROUND", np.full(n, 0.05), "MJy/sr"),
        ("BKGD_ERROR", np.full(n, 0.002), "MJy/sr"),
        ("NPIXELS", np.full(n, 5.0), ""),
    ]
    cards: list[Card] = [("SRCTYPE", "POINT", "Source type used for calibration")]
    if integration is not None:
        cards.append(("INT_NUM", integration, "Integration number"))
    return TableHDU("EXTRACT1D", columns, cards, extver=integration)


def _segm_hdus(seed: int, row: Mapping[str, Any], kw: Mapping[str, Any]) -> list[ImageHDU]:
    """A segmentation map: the number of the source that dominates each pixel above a threshold."""
    scene = previews.Scene.random(seed)
    grid = np.arange(N, dtype=np.float64)
    dx = grid[None, None, :] - (scene.x * N)[:, None, None]
    dy = grid[None, :, None] - (scene.y * N)[:, None, None]
    width = np.where(scene.is_galaxy, scene.size * N * 2.0, 0.9)[:, None, None]
    core = 1.0 / (1.0 + (dx * dx + dy * dy) / (width * width))
    strength = scene.flux[:, None, None] * core * core
    best = strength.argmax(axis=0)
    labels = np.where(strength.max(axis=0) > 0.5, best + 1, 0).astype(np.int32)
    return [ImageHDU("SCI", labels, _celestial_wcs(row, kw, (N, N)))]


def _oifits_hdus(seed: int, row: Mapping[str, Any], kw: Mapping[str, Any]) -> list[ImageHDU | TableHDU]:
    """AMI interferometric observables in the OIFITS layout (7 holes: 21 baselines, 35 triangles)."""
    lo, hi = _wave_range(row, kw)
    holes = previews.uniform(seed, 14, stream=13).reshape(7, 2) * 6.5 - 3.25
    pairs = [(i, j) for i in range(7) for j in range(i + 1, 7)]
    triples = [(i, j, k) for i in range(7) for j in range(i + 1, 7) for k in range(j + 1, 7)]
    u = np.array([holes[j, 0] - holes[i, 0] for i, j in pairs])
    v = np.array([holes[j, 1] - holes[i, 1] for i, j in pairs])
    baseline2 = u * u + v * v
    vis2 = 1.0 / (1.0 + 0.01 * baseline2)
    noise = previews.gaussian_noise(seed, (len(pairs) + len(triples),), stream=14)
    phases = 2.0 * noise[len(pairs) :]
    wave_m = np.array([(lo + hi) / 2e6])
    return [
        TableHDU("OI_WAVELENGTH", [("EFF_WAVE", wave_m, "m"), ("EFF_BAND", np.array([(hi - lo) * 1e-6]), "m")]),
        TableHDU(
            "OI_VIS2",
            [
                ("VIS2DATA", vis2 + 0.002 * noise[: len(pairs)], ""),
                ("VIS2ERR", np.full(len(pairs), 0.002), ""),
                ("UCOORD", u, "m"),
                ("VCOORD", v, "m"),
            ],
            [("OI_REVN", 2, "Revision number")],
        ),
        TableHDU(
            "OI_T3",
            [("T3PHI", phases, "deg"), ("T3PHIERR", np.full(len(triples), 2.0), "deg")],
            [("OI_REVN", 2, "Revision number")],
        ),
    ]


_DATA_MODELS = {
    "uncal": "RampModel",
    "rate": "ImageModel",
    "rateints": "CubeModel",
    "cal": "ImageModel",
    "calints": "CubeModel",
    "crf": "ImageModel",
    "crfints": "CubeModel",
    "i2d": "ImageModel",
    "s2d": "SlitModel",
    "s3d": "IFUCubeModel",
    "x1d": "MultiSpecModel",
    "x1dints": "MultiSpecModel",
    "c1d": "CombinedSpecModel",
    "trapsfilled": "TrapsFilledModel",
    "segm": "SegmentationMapModel",
    "psfstack": "CubeModel",
    "psfalign": "QuadModel",
    "psfsub": "CubeModel",
    "ami": "AmiOIModel",
    "amiavg": "AmiOIModel",
    "aminorm": "AmiOIModel",
    "gs-uncal": "GuiderRawModel",
    "gs-cal": "GuiderCalModel",
    "other": "ImageModel",
}


def _seed_name(filename: str, stage: str) -> str:
    """The name that seeds a product's sky: the file name without suffix, ``_thumb`` and extension."""
    stem, last = _name_parts(filename)
    if last == stage or last in _FITS_STAGES:
        stem = stem.rsplit("_", 1)[0]
    return stem


def fits_content(row: Mapping[str, Any]) -> FitsContent:
    """The primary-header cards and extension HDUs of a FITS product, before rendering.

    :func:`render_product` renders them with :func:`~jwstarchive.catalog.fitsbytes.render_fits`;
    ``bench/bench_products.py`` hands the same content to astropy's writer for comparison.

    Parameters
    ----------
    row
        Product row with ``filename`` and ``keywords``; see :func:`render_product`.

    Returns
    -------
    FitsContent
        (primary cards, extension HDUs).

    Raises
    ------
    InputError
        When ``row`` is not a FITS product.
    """
    kind = product_kind(row)
    if not kind.startswith("fits:"):
        raise InputError(f"{row['filename']!r} is not a FITS product")
    stage = kind[5:]
    kw = _keywords(row)
    filename = str(row["filename"])
    seed = previews.seed_of(_seed_name(filename, stage))
    spectral = _is_spectral(row, kw, stage)
    model = "SlitModel" if spectral and stage in ("cal", "crf") else _DATA_MODELS.get(stage, "ImageModel")
    nints = min(_kw_int(kw, "NINTS", 1), 3)
    hdus: list[ImageHDU | TableHDU]
    if stage == "uncal":
        hdus = list(_ramp_hdus(seed, kw, spectral))
    elif stage == "gs-uncal":
        hdus = list(_ramp_hdus(seed, kw, False, guider=True))
    elif stage == "gs-cal":
        ramp = _ramp_hdus(seed, kw, False, guider=True)[0].data
        sci = (ramp[:, -1].astype(np.float64) - 11000.0) / 20.0
        hdus = [
            ImageHDU("SCI", _f32(sci), [("BUNIT", "DN/s")]),
            ImageHDU("ERR", _f32(np.sqrt(np.abs(sci) + 1.0))),
        ]
    elif stage in ("rateints", "calints", "crfints", "psfstack", "psfalign", "psfsub"):
        hdus = list(_cube_hdus(seed, spectral, nints, stage))
    elif stage in ("ami", "amiavg", "aminorm"):
        hdus = _oifits_hdus(seed, row, kw)
    elif stage in ("x1d", "x1dints", "c1d"):
        lo, hi = _wave_range(row, kw)
        wave = np.linspace(lo, hi, 100)
        if stage == "x1dints":
            hdus = [_extract1d_hdu(seed, wave, i) for i in range(1, nints + 1)]
        else:
            hdus = [_extract1d_hdu(seed, wave, None)]
    elif stage == "s3d":
        hdus = list(_ifu_hdus(seed, row, kw))
    elif stage == "s2d" or (spectral and stage in ("rate", "cal", "crf", "other")):
        hdus = list(_trace_hdus(seed, stage, (24, 64) if stage == "s2d" else (N, 2 * N)))
    elif stage == "trapsfilled":
        traps = 50.0 * previews.uniform(seed, 3 * N * N, stream=11).reshape(3, N, N)
        hdus = [ImageHDU("SCI", _f32(traps))]
    elif stage == "segm":
        hdus = list(_segm_hdus(seed, row, kw))
    else:
        hdus = list(_image_hdus(seed, row, kw, stage))
    return _primary_cards(row, kw, stage, model), hdus


# ---------------------------------------------------------------------------------------------
# JPEG previews and thumbnails


def _optics_label(kw: Mapping[str, Any]) -> str:
    parts = [str(kw.get("INSTRUME") or "")]
    for key in ("GRATING", "FILTER", "PUPIL"):
        value = str(kw.get(key) or "")
        if value and value not in ("CLEAR", "N/A", "NONE") and value not in parts:
            parts.append(value)
    return " ".join(p for p in parts if p)


def _render_picture(row: Mapping[str, Any], thumbnail: bool) -> bytes:
    filename = str(row["filename"])
    stem, stage = _name_parts(filename)
    kw = _keywords(row)
    seed = previews.seed_of(_seed_name(filename, stage))
    size = previews.THUMB_SIZE if thumbnail else previews.PREVIEW_SIZE
    optics = _optics_label(kw)
    chars = size // 6
    lines = [optics[:chars]] if thumbnail else [stem[:chars], optics[:chars]]
    spectral = _is_spectral(row, kw, stage)
    if stage in _ONE_D_STAGES:
        return previews.render_spectrum_plot(seed, (size, size // 2), lines)
    if spectral and stage != "s3d":
        trace = previews.spectrum_trace(seed, (size // 2, size))
        pixels = previews.stretch(trace, seed)
    else:
        sky = previews.sky_image(seed, (size, size))
        if stage == "uncal":
            stripes = previews.gaussian_noise(seed, (1, size), stream=12)
            sky = sky + 0.1 + 0.01 * stripes
        pixels = previews.stretch(sky, seed)
    return previews.render_jpeg(pixels, lines)


# ---------------------------------------------------------------------------------------------
# Associations, pools and catalogs

_ASN_NAME = re.compile(
    r"^(?P<prefix>jw\d{5}(?:-(?P<asn_id>[aco]\d{3,4}))?)_(?P<version>\d{8}t\d{6})_(?P<type>[a-z0-9-]+?)_(?P<seq>\d{3,5})_asn$"
)
_ASN_RULES = {
    "image2": "Asn_Lv2Image",
    "image3": "Asn_Lv3Image",
    "spec2": "Asn_Lv2Spec",
    "spec3": "Asn_Lv3SpecAux",
    "tso-image2": "Asn_Lv2ImageTSO",
    "tso-spec2": "Asn_Lv2SpecTSO",
    "tso3": "Asn_Lv3TSO",
    "ami3": "Asn_Lv3AMI",
    "coron3": "Asn_Lv3Coron",
    "wfs-image2": "Asn_Lv2WFSC",
    "wfs-image3": "Asn_Lv3WFSCMB",
    "nrslamp-spec2": "Asn_Lv2NRSLAMPSpectral",
}
_EXPOSURE_NAME = re.compile(
    r"^jw(?P<program>\d{5})(?P<observtn>\d{3})(?P<visit>\d{3})_(?P<visitgrp>\d{2})(?P<seq_id>\d)"
    r"(?P<act_id>[0-9a-z]{2})_(?P<exposure>\d{5})(?:_(?P<detector>[a-z0-9]+))?"
)
_LEVEL2_INPUT = re.compile(r"_(uncal|rate|rateints|cal|calints|crf|crfints)\.fits$")


_MEMBER_TYPES = frozenset({"science", "background", "target_acquisition", "imprint", "psf", "selfcal", "sourceimage"})


def _members(row: Mapping[str, Any]) -> list[tuple[str, str, str | None]]:
    """(expname, association member type, EXP_TYPE or None) for each of ``row["members"]``.

    The second item of a member pair may be the association type (``science``) or the
    exposure's EXP_TYPE (``NRC_IMAGE``, which makes a ``science`` member).
    """
    out: list[tuple[str, str, str | None]] = []
    for member in row.get("members") or []:
        if isinstance(member, Mapping):
            expname, kind = member["expname"], member.get("exptype", "science")
        else:
            expname, kind = member
        kind = str(kind or "science")
        if kind.lower() in _MEMBER_TYPES:
            out.append((str(expname), kind.lower(), None))
        else:
            out.append((str(expname), "science", kind))
    return out


def _program(row: Mapping[str, Any], kw: Mapping[str, Any]) -> str:
    return str(kw.get("PROGRAM") or row.get("program_id") or "00000").zfill(5)


def _asn_product_name(row: Mapping[str, Any], kw: Mapping[str, Any], asn_type: str, asn_id: str) -> str:
    given = row.get("asn_product_name")
    if given:
        return str(given)
    if row.get("typecode") == "C" and row.get("obs_id"):
        return str(row["obs_id"])
    members = _members(row)
    if asn_type.endswith("2") and members:
        return _LEVEL2_INPUT.sub("", members[0][0]).rsplit(".", 1)[0]
    optics = sorted(str(kw[k]).lower() for k in ("FILTER", "PUPIL", "GRATING") if kw.get(k))
    instrument = str(kw.get("INSTRUME") or "nircam").lower()
    target = row.get("target_id")
    target_part = f"t{int(target):03d}" if isinstance(target, int) else "t001"
    return f"jw{_program(row, kw)}-{asn_id}_{target_part}_{instrument}_{'-'.join(optics) or 'clear'}"


def _render_asn(row: Mapping[str, Any]) -> bytes:
    kw = _keywords(row)
    stem = str(row["filename"]).rsplit(".", 1)[0]
    match = _ASN_NAME.match(stem)
    asn_type = match.group("type") if match else str(row.get("asn_type") or "image3")
    version = match.group("version") if match else "20220101t000000"
    asn_id = (match.group("asn_id") if match else None) or "o001"
    program = _program(row, kw)
    rule = _ASN_RULES.get(asn_type, "Asn_Lv3Image")
    constraints = [
        f"DMSAttrConstraint({{'name': 'program', 'sources': ['program'], 'value': '{program.lstrip('0')}'}})",
        f"DMSAttrConstraint({{'name': 'instrument', 'sources': ['instrume'], 'value': "
        f"'{str(kw.get('INSTRUME', '')).lower()}'}})",
    ]
    for i, key in enumerate(("FILTER", "PUPIL"), start=1):
        if kw.get(key):
            name = "opt_elem" if i == 1 else "opt_elem2"
            constraints.append(
                f"DMSAttrConstraint({{'name': '{name}', 'sources': ['{key.lower()}'], "
                f"'value': '{str(kw[key]).lower()}'}})"
            )
    candidate = f"[('{asn_id}', 'observation')]"
    product_name = _asn_product_name(row, kw, asn_type, asn_id)
    target = re.search(r"_(t\d{3})_", product_name)
    document = {
        "asn_type": asn_type,
        "asn_rule": f"candidate_{rule}",
        "version_id": version,
        "code_version": str(kw.get("CAL_VER") or row.get("cal_ver") or "1.11.4"),
        "degraded_status": "No known degraded exposures in association.",
        "program": program,
        "constraints": "\n".join(constraints),
        "asn_id": asn_id,
        "target": target.group(1) if target else "t001",
        "asn_pool": str(row.get("asn_pool") or f"jw{program}_{version}_pool.csv"),
        "products": [
            {
                "name": product_name,
                "members": [
                    {"expname": expname, "exptype": exptype, "exposerr": "null", "asn_candidate": candidate}
                    for expname, exptype, _ in _members(row)
                ],
            }
        ],
    }
    return (json.dumps(document, indent=4) + "\n").encode("utf-8")


_POOL_COLUMNS = (
    "ASN_CANDIDATE",
    "BKGDTARG",
    "DATE-OBS",
    "DETECTOR",
    "EXPOSURE",
    "EXP_TYPE",
    "FILENAME",
    "FILTER",
    "INSTRUME",
    "IS_PSF",
    "NGROUPS",
    "NINTS",
    "OBSERVTN",
    "PATTTYPE",
    "PATT_NUM",
    "PROGRAM",
    "PUPIL",
    "READPATT",
    "SEQ_ID",
    "ACT_ID",
    "SUBARRAY",
    "TARGETID",
    "TARGNAME",
    "TEMPLATE",
    "TSOVISIT",
    "VISIT",
    "VISITGRP",
)


def _pool_value(value: Any) -> str:
    if value is None or value == "":
        return "null"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("|", "/")


def _render_pool(row: Mapping[str, Any]) -> bytes:
    kw = _keywords(row)
    lines = ["|".join(_POOL_COLUMNS)]
    for expname, exptype, exp_type in _members(row):
        uncal = _LEVEL2_INPUT.sub("_uncal.fits", expname)
        values = dict(kw)
        values["FILENAME"] = uncal
        values["BKGDTARG"] = exptype == "background"
        if exp_type:
            values["EXP_TYPE"] = exp_type
        values.setdefault("TARGETID", 1)
        values["ASN_CANDIDATE"] = f"[('o{str(kw.get('OBSERVTN') or '1').zfill(3)}', 'observation')]"
        match = _EXPOSURE_NAME.match(expname)
        if match:
            for key, value in match.groupdict().items():
                if value is not None:
                    values[key.upper()] = value.upper() if key == "detector" else value
            values["ASN_CANDIDATE"] = f"[('o{match.group('observtn')}', 'observation')]"
        lines.append("|".join(_pool_value(values.get(col)) for col in _POOL_COLUMNS))
    return ("\n".join(lines) + "\n").encode("ascii", "replace")


def _render_catalog(row: Mapping[str, Any]) -> bytes:
    """A source catalog in ECSV, matching the sources of the image of the same name."""
    filename = str(row["filename"])
    kw = _keywords(row)
    seed = previews.seed_of(_seed_name(filename, "cat"))
    scene = previews.Scene.random(seed)
    wcs = dict((card[0], card[1]) for card in _celestial_wcs(row, kw, (N, N)))
    ra0, dec0 = float(wcs.get("CRVAL1", 0.0)), float(wcs.get("CRVAL2", 0.0))
    scale = float(wcs.get("CDELT2", 0.031 * 2048 / N / 3600.0))
    cos_dec = max(math.cos(math.radians(dec0)), 1e-6)
    header = [
        "# %ECSV 1.0",
        "# ---",
        "# datatype:",
        "# - {name: label, datatype: int64, description: source label in the segmentation map}",
        "# - {name: xcentroid, unit: pix, datatype: float64}",
        "# - {name: ycentroid, unit: pix, datatype: float64}",
        "# - {name: ra, unit: deg, datatype: float64, description: sky centroid right ascension ICRS}",
        "# - {name: dec, unit: deg, datatype: float64, description: sky centroid declination ICRS}",
        "# - {name: aper_total_flux, unit: Jy, datatype: float64}",
        "# - {name: aper_total_abmag, unit: mag, datatype: float64}",
        "# - {name: is_extended, datatype: bool}",
        "# meta: !!omap",
        f"# - {{instrument: {json.dumps(str(kw.get('INSTRUME', '')))}}}",
        f"# - {{filter: {json.dumps(str(kw.get('FILTER', '')))}}}",
        f"# - {{filename: {json.dumps(filename)}}}",
        "# schema: astropy-2.0",
        "label xcentroid ycentroid ra dec aper_total_flux aper_total_abmag is_extended",
    ]
    rows = []
    for i in range(len(scene.x)):
        x, y = float(scene.x[i]) * N, float(scene.y[i]) * N
        ra = ra0 - (x - (N - 1) / 2) * scale / cos_dec
        dec = dec0 + (y - (N - 1) / 2) * scale
        flux = float(scene.flux[i]) * 2e-7
        abmag = -2.5 * math.log10(flux / 3631.0)
        extended = "True" if scene.is_galaxy[i] else "False"
        rows.append(f"{i + 1} {x:.4f} {y:.4f} {ra % 360.0:.8f} {dec:.8f} {flux:.6e} {abmag:.4f} {extended}")
    return ("\n".join(header + rows) + "\n").encode("ascii")


def _render_whitelight(row: Mapping[str, Any]) -> bytes:
    """A TSO white-light curve in ECSV: flux per integration with a transit-like dip."""
    filename = str(row["filename"])
    kw = _keywords(row)
    seed = previews.seed_of(_seed_name(filename, "whtlt"))
    n = min(_kw_int(kw, "NINTS", 200), 200)
    start = kw.get("EXPSTART")
    start = float(start) if isinstance(start, int | float) else 59800.0
    step = float(kw.get("EFFINTTM") or 20.0) / 86400.0 if isinstance(kw.get("EFFINTTM"), int | float) else 2.3e-4
    t = np.arange(n, dtype=np.float64)
    centre, width = n * 0.5, n * 0.12
    d = (t - centre) / width
    dip = 0.012 / (1.0 + d * d * d * d)
    noise = previews.gaussian_noise(seed, (n,), stream=15)
    flux = 1.0 - dip + 0.0005 * noise
    header = [
        "# %ECSV 1.0",
        "# ---",
        "# datatype:",
        "# - {name: int_mid_MJD, unit: d, datatype: float64}",
        "# - {name: int_mid_BJD_TDB, unit: d, datatype: float64}",
        "# - {name: whitelight_flux, datatype: float64, description: normalised white-light flux}",
        "# - {name: whitelight_flux_err, datatype: float64}",
        "# meta: !!omap",
        f"# - {{instrument: {json.dumps(str(kw.get('INSTRUME', '')))}}}",
        f"# - {{filename: {json.dumps(filename)}}}",
        "# schema: astropy-2.0",
        "int_mid_MJD int_mid_BJD_TDB whitelight_flux whitelight_flux_err",
    ]
    rows = [
        f"{start + (i + 0.5) * step:.8f} {start + (i + 0.5) * step + 0.0007:.8f} {flux[i]:.7f} 0.0005000"
        for i in range(n)
    ]
    return ("\n".join(header + rows) + "\n").encode("ascii")


# ---------------------------------------------------------------------------------------------
# Public entry points


def render_product(row: Mapping[str, Any]) -> bytes:
    """The bytes of a product, computed from its catalog row alone.

    The same row gives the same bytes in any process (no clock, no global random state).

    Parameters
    ----------
    row
        Product columns: ``filename`` (required), ``extension``, ``suffix``, ``product_type``
        (these three are taken from the filename when missing), and optionally
        ``detector``, ``program_id``, ``instrument``, ``cal_ver``, ``crds_ctx``, ``ingest_date``
        (the FITS ``DATE`` when the keywords have none), ``em_min``/``em_max`` (m, the
        wavelength range of spectra), ``s_ra``/``s_dec`` (pointing when the keywords have
        none), ``dataproduct_type``, ``target_id``; ``keywords``: FITS primary-header keyword ->
        value, as made by :func:`fits_keywords`; for ``_asn.json`` and ``_pool.csv``,
        ``members``: (expname, exptype) pairs (or dicts with those keys), and optionally
        ``asn_product_name`` and ``asn_pool``.

    Returns
    -------
    bytes
        The file content.

    Raises
    ------
    InputError
        For a product extension the archive has no content for.
    """
    kind = product_kind(row)
    if kind.startswith("fits:"):
        cards, hdus = fits_content(row)
        return render_fits(cards, hdus)
    if kind == "preview":
        return _render_picture(row, thumbnail=False)
    if kind == "thumbnail":
        return _render_picture(row, thumbnail=True)
    if kind == "asn":
        return _render_asn(row)
    if kind == "pool":
        return _render_pool(row)
    if kind == "whtlt":
        return _render_whitelight(row)
    return _render_catalog(row)


def product_size_and_md5(row: Mapping[str, Any]) -> tuple[int, str]:
    """Size in bytes and md5 hex digest of :func:`render_product` ``(row)``.

    Parameters
    ----------
    row
        Product row, as for :func:`render_product`.

    Returns
    -------
    tuple of (int, str)
        (size, md5 hex digest).
    """
    data = render_product(row)
    return len(data), hashlib.md5(data).hexdigest()
