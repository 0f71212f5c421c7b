"""JWST identifier grammar and instrument tables, shared by the archive generator and the clients.

Pure: no I/O, no logging. Everything here is either a parser (text → frozen dataclass), a formatter
(dataclass → text, the exact inverse of the parser) or a read-only table with lookup functions.

Identifier kinds
----------------
* exposure level: ``jw01410001001_02101_00001_nrca1_uncal.fits`` (:class:`ExposureId`), including the
  segment form ``jw02734001001_04101_00001-seg004_nis_rate.fits``, the exposure-level stage-3 form
  ``jw01023029001_02101_00004_mirimage_o029_crf.fits`` and ESA's planned form
  ``jw02516010001_xx107_00007_miri``;
* stage 3: ``jw02739-o001_t001_nircam_clear-f444w_i2d.fits`` (:class:`Level3Id`);
* associations: ``jw01063-o107_20220328t013707_image2_144_asn.json`` (:class:`AssociationId`) and
  pools ``jw01063_20220328t013707_pool.csv`` (:class:`PoolId`);
* guide-star products: ``jw01410001001_gs-fg_2022044225832_uncal.fits`` and
  ``jw01410001001_gs-id_1_image-uncal.fits`` (:class:`GuideStarId`).

Sources: the jwst pipeline's "File Naming Schemes", "Guide star data products" and "JWST
Conventions" (associations) pages, JDox instrument pages, and the ESA/MAST references in this project.
Numbers in the instrument tables are the documented values where known and the nearest documented
value otherwise (frame times of small subarrays follow the SIDECAR formula).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TypeVar

from jwstarchive.errors import InputError

__all__ = [
    "ASN_TYPES",
    "CANDIDATE_KINDS",
    "CONTENT_TYPES",
    "DETECTORS",
    "EXP_TYPES",
    "EXTENSIONS",
    "FILTERS",
    "GUIDE_STAR_FUNCTIONS",
    "INSTRUMENTS",
    "MODES",
    "PRODUCT_SUFFIXES",
    "PRODUCT_TYPES",
    "READOUT_PATTERNS",
    "SCA_ORDER",
    "SUBARRAYS",
    "AssociationId",
    "Bandpass",
    "Detector",
    "ExpType",
    "ExposureId",
    "GuideStarFunction",
    "GuideStarId",
    "Instrument",
    "JWSTName",
    "Level3Id",
    "Mode",
    "PoolId",
    "ProductInfo",
    "ProductSuffix",
    "ReadoutPattern",
    "Subarray",
    "describe",
    "detector_shorthand",
    "exp_type_info",
    "expand_filetype",
    "filetype_of",
    "get_detector",
    "get_instrument",
    "get_mode",
    "get_product_suffix",
    "get_readout_pattern",
    "get_subarray",
    "instrument_of_detector",
    "mode_for_exp_type",
    "normalize_detector",
    "normalize_exp_type",
    "normalize_instrument",
    "normalize_obsnum",
    "normalize_program",
    "normalize_visit",
    "optical_elements",
    "parse_association_id",
    "parse_exposure_id",
    "parse_filename",
    "parse_guide_star_id",
    "parse_level3_id",
    "parse_pool_id",
    "product_info",
    "program_int",
    "sca_from_obs_id",
    "wavelength_range",
]

_T = TypeVar("_T")


# ---------------------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------------------
def _near(word: str, choices: Iterable[str], n: int = 4) -> str:
    """Return ``" (did you mean 'a', 'b'?)"`` for the closest ``choices``, or ``""``."""
    matches = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    if not matches:
        return ""
    return " (did you mean " + ", ".join(repr(m) for m in matches) + "?)"


def _index(records: Iterable[_T], key: str, what: str) -> Mapping[str, _T]:
    """Build a read-only name → record map, refusing duplicate names."""
    out: dict[str, _T] = {}
    for record in records:
        name = getattr(record, key)
        if name in out:
            raise RuntimeError(f"duplicate {what} {name!r} in naming tables")
        out[name] = record
    return MappingProxyType(out)


def _digits(value: str, width: int, part: str) -> None:
    """Raise InputError unless ``value`` is exactly ``width`` decimal digits."""
    if len(value) != width or not value.isascii() or not value.isdigit():
        raise InputError(f"{part} must be {width} digits, got {value!r}")


def _normalize_number(value: int | str, width: int, part: str) -> str:
    """Zero-pad a positive number given as int or digit string to ``width`` digits."""
    if isinstance(value, bool):
        raise InputError(f"{part} must be a number, got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not text or not text.isascii() or not text.isdigit():
            raise InputError(f"{part} must be a number of at most {width} digits, got {value!r}")
        if len(text) > width:
            raise InputError(f"{part} must have at most {width} digits, got {value!r}")
        number = int(text)
    else:
        raise InputError(f"{part} must be an int or a digit string, got {type(value).__name__}")
    if number < 1 or number >= 10**width:
        raise InputError(f"{part} must be between 1 and {10**width - 1}, got {value!r}")
    return f"{number:0{width}d}"


def _reraise(text: str, exc: InputError) -> InputError:
    """Prefix an InputError message with the identifier it concerns."""
    return InputError(f"{text}: {exc.message}")


# ---------------------------------------------------------------------------------------------------------
# numbers: program, observation, visit
# ---------------------------------------------------------------------------------------------------------
def normalize_program(program: int | str) -> str:
    """Return a JWST program id as its 5-digit string.

    Parameters
    ----------
    program
        ``1410``, ``"1410"``, ``"01410"`` or ``"jw01410"``.

    Returns
    -------
    str
        ``"01410"``.

    Raises
    ------
    InputError
        When the value is not a number from 1 to 99999.

    Examples
    --------
    >>> normalize_program(1410)
    '01410'
    """
    if isinstance(program, str) and program.strip().lower().startswith("jw"):
        program = program.strip()[2:]
    return _normalize_number(program, 5, "program")


def program_int(program: int | str) -> int:
    """Return a program id as an integer (``"01410"`` → ``1410``).

    Raises
    ------
    InputError
        When the value is not a valid program id (see :func:`normalize_program`).
    """
    return int(normalize_program(program))


def normalize_obsnum(obsnum: int | str) -> str:
    """Return an observation number as its 3-digit string (``7`` → ``"007"``).

    Raises
    ------
    InputError
        When the value is not a number from 1 to 999.
    """
    return _normalize_number(obsnum, 3, "observation number")


def normalize_visit(visit: int | str) -> str:
    """Return a visit number as its 3-digit string (``1`` → ``"001"``).

    Raises
    ------
    InputError
        When the value is not a number from 1 to 999.
    """
    return _normalize_number(visit, 3, "visit number")


# ---------------------------------------------------------------------------------------------------------
# instrument tables
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Detector:
    """One JWST detector (SCA).

    Attributes
    ----------
    name
        Lower-case file-name form (``nrca1``); the FITS DETECTOR keyword is its upper case.
    instrument
        ``NIRCAM``, ``NIRSPEC``, ``MIRI``, ``NIRISS`` or ``FGS``.
    shorthand
        jwst_mast_query's ``--sca`` token (``a1``, ``along``, ``nrs1`` …).
    sca_num
        FITS SCA_NUM.
    channel
        NIRCam ``SHORT``/``LONG``; MIRI MRS ``12``/``34``; else ``""``.
    columns, rows
        Full-frame size in pixels.
    pixel_scale
        Arcsec per pixel (mean).
    field
        Sky field covered by the full frame, (x, y) in arcsec, for footprints.
    """

    name: str
    instrument: str
    shorthand: str
    sca_num: int
    channel: str
    columns: int
    rows: int
    pixel_scale: float
    field: tuple[float, float]


def _nrc(name: str, short: str, sca: int) -> Detector:
    if name.endswith("long"):
        return Detector(name, "NIRCAM", short, sca, "LONG", 2048, 2048, 0.063, (129.0, 129.0))
    return Detector(name, "NIRCAM", short, sca, "SHORT", 2048, 2048, 0.031, (63.5, 63.5))


DETECTORS: tuple[Detector, ...] = (
    _nrc("nrca1", "a1", 481),
    _nrc("nrca2", "a2", 482),
    _nrc("nrca3", "a3", 483),
    _nrc("nrca4", "a4", 484),
    _nrc("nrcalong", "along", 485),
    _nrc("nrcb1", "b1", 486),
    _nrc("nrcb2", "b2", 487),
    _nrc("nrcb3", "b3", 488),
    _nrc("nrcb4", "b4", 489),
    _nrc("nrcblong", "blong", 490),
    Detector("nrs1", "NIRSPEC", "nrs1", 491, "", 2048, 2048, 0.10, (108.0, 204.0)),
    Detector("nrs2", "NIRSPEC", "nrs2", 492, "", 2048, 2048, 0.10, (108.0, 204.0)),
    Detector("mirimage", "MIRI", "mirimage", 493, "", 1032, 1024, 0.11, (74.0, 113.0)),
    Detector("mirifulong", "MIRI", "mirifulong", 494, "34", 1032, 1024, 0.245, (6.6, 7.7)),
    Detector("mirifushort", "MIRI", "mirifushort", 495, "12", 1032, 1024, 0.196, (4.0, 4.8)),
    Detector("nis", "NIRISS", "nis", 496, "", 2048, 2048, 0.0656, (133.0, 133.0)),
    Detector("guider1", "FGS", "guider1", 497, "", 2048, 2048, 0.069, (138.0, 138.0)),
    Detector("guider2", "FGS", "guider2", 498, "", 2048, 2048, 0.069, (138.0, 138.0)),
)
_DETECTORS = _index(DETECTORS, "name", "detector")

#: jwst_mast_query's ordered ``sca`` tokens: the first one contained in an obs_id wins.
SCA_ORDER: tuple[str, ...] = (
    "a1", "a2", "a3", "a4", "a5", "along", "b1", "b2", "b3", "b4", "b5", "blong",
    "guider1", "guider2", "nrs1", "nrs2", "mirimage", "mirifulong", "mirifushort", "nis",
)  # fmt: skip

_DETECTOR_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        **{d.shorthand: d.name for d in DETECTORS},
        "a5": "nrcalong",
        "b5": "nrcblong",
        "nrca5": "nrcalong",
        "nrcb5": "nrcblong",
    }
)


def normalize_detector(text: str) -> str:
    """Return the full lower-case detector name for a name, FITS value or jwst_mast_query shorthand.

    Parameters
    ----------
    text
        ``"nrca1"``, ``"NRCA1"``, ``"a1"``, ``"a5"``/``"along"``/``"NRCALONG"``, ``"guider1"`` …

    Returns
    -------
    str
        A key of :data:`DETECTORS`, e.g. ``"nrcalong"``.

    Raises
    ------
    InputError
        For an unknown detector; the message lists near matches.

    Examples
    --------
    >>> normalize_detector("b5")
    'nrcblong'
    """
    key = text.strip().lower() if isinstance(text, str) else ""
    if key in _DETECTORS:
        return key
    if key in _DETECTOR_ALIASES:
        return _DETECTOR_ALIASES[key]
    choices = [*_DETECTORS, *_DETECTOR_ALIASES]
    raise InputError(f"unknown detector {text!r}{_near(key, choices)}")


def get_detector(name: str) -> Detector:
    """Return the :class:`Detector` record for any form :func:`normalize_detector` accepts."""
    return _DETECTORS[normalize_detector(name)]


def instrument_of_detector(name: str) -> str:
    """Return the instrument (``NIRCAM`` …) of a detector name or shorthand.

    Raises
    ------
    InputError
        For an unknown detector.
    """
    return get_detector(name).instrument


def detector_shorthand(name: str) -> str:
    """Return jwst_mast_query's ``sca`` token for a detector (``nrcalong`` → ``along``)."""
    return get_detector(name).shorthand


def sca_from_obs_id(obs_id: str) -> str | None:
    """Apply jwst_mast_query's ``sca`` rule: the first :data:`SCA_ORDER` token contained in ``obs_id``.

    Returns ``None`` when none occurs (level-3 ids, some guide-star files). ``a5``/``b5`` never win
    because ``along``/``blong`` ids do not contain them.

    Examples
    --------
    >>> sca_from_obs_id("jw01410001001_02101_00001_nrcblong")
    'blong'
    """
    for token in SCA_ORDER:
        if token in obs_id:
            return token
    return None


@dataclass(frozen=True)
class ReadoutPattern:
    """A READPATT value: frames averaged per group and frames skipped between groups."""

    name: str
    instrument: str
    nframes: int
    groupgap: int
    description: str = ""


READOUT_PATTERNS: tuple[ReadoutPattern, ...] = (
    ReadoutPattern("RAPID", "NIRCAM", 1, 0),
    ReadoutPattern("BRIGHT1", "NIRCAM", 1, 1),
    ReadoutPattern("BRIGHT2", "NIRCAM", 2, 0),
    ReadoutPattern("SHALLOW2", "NIRCAM", 2, 3),
    ReadoutPattern("SHALLOW4", "NIRCAM", 4, 1),
    ReadoutPattern("MEDIUM2", "NIRCAM", 2, 8),
    ReadoutPattern("MEDIUM8", "NIRCAM", 8, 2),
    ReadoutPattern("DEEP2", "NIRCAM", 2, 18),
    ReadoutPattern("DEEP8", "NIRCAM", 8, 12),
    ReadoutPattern("NRSRAPID", "NIRSPEC", 1, 0),
    ReadoutPattern("NRS", "NIRSPEC", 4, 0),
    ReadoutPattern("NRSRAPIDD1", "NIRSPEC", 1, 1),
    ReadoutPattern("NRSRAPIDD2", "NIRSPEC", 1, 2),
    ReadoutPattern("NRSRAPIDD6", "NIRSPEC", 1, 5),
    ReadoutPattern("NRSIRS2RAPID", "NIRSPEC", 1, 0, "IRS2 reference sampling"),
    ReadoutPattern("NRSIRS2", "NIRSPEC", 5, 0, "IRS2 reference sampling"),
    ReadoutPattern("FAST", "MIRI", 1, 0),
    ReadoutPattern("SLOW", "MIRI", 1, 0, "9 samples per frame"),
    ReadoutPattern("FASTR1", "MIRI", 1, 0, "FAST with one reset between integrations"),
    ReadoutPattern("FASTR100", "MIRI", 1, 0, "FAST with 100 resets (coronagraphic TSO)"),
    ReadoutPattern("SLOWR1", "MIRI", 1, 0),
    ReadoutPattern("NISRAPID", "NIRISS", 1, 0),
    ReadoutPattern("NIS", "NIRISS", 4, 0),
    ReadoutPattern("FGSRAPID", "FGS", 1, 0),
    ReadoutPattern("FGS", "FGS", 4, 0),
)
_READOUT_PATTERNS = _index(READOUT_PATTERNS, "name", "readout pattern")


def get_readout_pattern(name: str) -> ReadoutPattern:
    """Return a :class:`ReadoutPattern` by READPATT value (case-insensitive).

    Raises
    ------
    InputError
        For an unknown pattern; the message lists near matches.
    """
    key = name.strip().upper()
    if key not in _READOUT_PATTERNS:
        raise InputError(f"unknown readout pattern {name!r}{_near(key, _READOUT_PATTERNS)}")
    return _READOUT_PATTERNS[key]


def _tframe(columns: int, rows: int, outputs: int) -> float:
    """SIDECAR frame time in seconds: (columns/outputs + 12) × (rows + 1) × 10 µs."""
    return round((columns // outputs + 12) * (rows + 1) * 10e-6, 5)


@dataclass(frozen=True)
class Subarray:
    """A SUBARRAY value with its size (SUBSIZE1 × SUBSIZE2), readout outputs and frame time in s."""

    name: str
    instrument: str
    columns: int
    rows: int
    outputs: int
    frame_time: float
    description: str = ""

    @property
    def key(self) -> str:
        """``INSTRUMENT/NAME`` (subarray names repeat across instruments)."""
        return f"{self.instrument}/{self.name}"


def _sub(
    instrument: str, name: str, columns: int, rows: int, outputs: int = 1, tframe: float = 0.0
) -> Subarray:
    return Subarray(name, instrument, columns, rows, outputs, tframe or _tframe(columns, rows, outputs))


SUBARRAYS: tuple[Subarray, ...] = (
    _sub("NIRCAM", "FULL", 2048, 2048, 4, 10.73677),
    _sub("NIRCAM", "SUB640", 640, 640, 1, 4.18584),
    _sub("NIRCAM", "SUB320", 320, 320, 1, 1.06904),
    _sub("NIRCAM", "SUB160", 160, 160, 1, 0.27864),
    _sub("NIRCAM", "SUB400P", 400, 400, 1, 0.65144),
    _sub("NIRCAM", "SUB160P", 160, 160, 1, 0.27864),
    _sub("NIRCAM", "SUB64P", 64, 64, 1, 0.0492),
    _sub("NIRCAM", "SUBGRISM64", 2048, 64, 4, 0.34061),
    _sub("NIRCAM", "SUBGRISM128", 2048, 128, 4, 0.67597),
    _sub("NIRCAM", "SUBGRISM256", 2048, 256, 4, 1.34669),
    _sub("NIRCAM", "SUB32TATS", 32, 32),
    _sub("NIRCAM", "SUB32TATSGRISM", 32, 32),
    _sub("NIRCAM", "SUB320A335R", 320, 320, 1, 1.06904),
    _sub("NIRCAM", "SUB320A430R", 320, 320, 1, 1.06904),
    _sub("NIRCAM", "SUB320ALWB", 320, 320, 1, 1.06904),
    _sub("NIRCAM", "SUB640A210R", 640, 640, 1, 4.18584),
    _sub("NIRCAM", "SUB640ASWB", 640, 640, 1, 4.18584),
    _sub("NIRSPEC", "FULL", 2048, 2048, 4, 10.73677),
    _sub("NIRSPEC", "SUB2048", 2048, 32),
    _sub("NIRSPEC", "SUB1024A", 1024, 32),
    _sub("NIRSPEC", "SUB1024B", 1024, 32),
    _sub("NIRSPEC", "SUB512", 512, 32),
    _sub("NIRSPEC", "SUB512S", 512, 16),
    _sub("NIRSPEC", "SUB32", 32, 32),
    _sub("NIRSPEC", "SUBS200A1", 2048, 64),
    _sub("NIRSPEC", "SUBS200A2", 2048, 64),
    _sub("NIRSPEC", "SUBS200B1", 2048, 64),
    _sub("NIRSPEC", "SUBS400A1", 2048, 64),
    _sub("NIRSPEC", "SUBS1600A1", 2048, 32),
    _sub("NIRSPEC", "ALLSLITS", 2048, 256),
    _sub("MIRI", "FULL", 1032, 1024, 4, 2.77504),
    _sub("MIRI", "BRIGHTSKY", 512, 512, 4, 0.86528),
    _sub("MIRI", "SUB256", 256, 256, 4, 0.29952),
    _sub("MIRI", "SUB128", 136, 128, 4, 0.11904),
    _sub("MIRI", "SUB64", 72, 64, 4, 0.08544),
    _sub("MIRI", "SLITLESSPRISM", 72, 416, 4, 0.15904),
    _sub("MIRI", "MASK1065", 288, 224, 4, 0.23936),
    _sub("MIRI", "MASK1140", 288, 224, 4, 0.23936),
    _sub("MIRI", "MASK1550", 288, 224, 4, 0.23936),
    _sub("MIRI", "MASKLYOT", 320, 304, 4, 0.32),
    _sub("NIRISS", "FULL", 2048, 2048, 4, 10.73677),
    _sub("NIRISS", "SUBSTRIP256", 2048, 256, 1, 5.49155),
    _sub("NIRISS", "SUBSTRIP96", 2048, 96, 1, 2.21400),
    _sub("NIRISS", "SUB80", 80, 80, 1, 0.07544),
    _sub("NIRISS", "SUB64", 64, 64),
    _sub("NIRISS", "SUB128", 128, 128),
    _sub("NIRISS", "SUB256", 256, 256),
    _sub("NIRISS", "SUBTAAMI", 64, 64),
    _sub("NIRISS", "SUBTASOSS", 64, 64),
    _sub("FGS", "FULL", 2048, 2048, 4, 10.73677),
    _sub("FGS", "SUB128CNTR", 128, 128),
    _sub("FGS", "SUB32CNTR", 32, 32),
    _sub("FGS", "SUB8CNTR", 8, 8),
)
_SUBARRAYS = _index(SUBARRAYS, "key", "subarray")


def get_subarray(instrument: str, name: str) -> Subarray:
    """Return the :class:`Subarray` ``name`` of ``instrument`` (both case-insensitive).

    Raises
    ------
    InputError
        For an unknown instrument or subarray; the message lists near matches.
    """
    inst = normalize_instrument(instrument)
    key = f"{inst}/{name.strip().upper()}"
    if key not in _SUBARRAYS:
        names = [s.name for s in SUBARRAYS if s.instrument == inst]
        raise InputError(f"unknown {inst} subarray {name!r}{_near(name.strip().upper(), names)}")
    return _SUBARRAYS[key]


@dataclass(frozen=True)
class Bandpass:
    """Wavelength coverage of one optical element (or element pair), in micron.

    ``kind`` is ``filter``, ``pupil``, ``grating``, ``config`` (NIRSpec grating/filter pair, named
    ``G235H/F170LP``) or ``band`` (MIRI MRS ``CH1-SHORT``).
    """

    instrument: str
    name: str
    kind: str
    wave_min: float
    wave_max: float

    @property
    def key(self) -> str:
        """``INSTRUMENT/NAME``."""
        return f"{self.instrument}/{self.name}"


def _bp(instrument: str, kind: str, rows: str) -> tuple[Bandpass, ...]:
    out = []
    for line in rows.split(";"):
        name, lo, hi = line.split()
        out.append(Bandpass(instrument, name, kind, float(lo), float(hi)))
    return tuple(out)


FILTERS: tuple[Bandpass, ...] = (
    *_bp(
        "NIRCAM",
        "filter",
        "F070W 0.624 0.781; F090W 0.795 1.005; F115W 1.013 1.282; F140M 1.331 1.479; F150W 1.331 1.668;"
        "F150W2 0.977 2.345; F182M 1.722 1.968; F187N 1.863 1.884; F200W 1.755 2.226; F210M 1.992 2.201;"
        "F212N 2.109 2.134; F250M 2.412 2.595; F277W 2.416 3.127; F300M 2.831 3.157; F322W2 2.413 4.010;"
        "F335M 3.177 3.537; F356W 3.140 3.980; F360M 3.426 3.814; F410M 3.864 4.302; F430M 4.167 4.398;"
        "F444W 3.880 4.986; F460M 4.515 4.747; F480M 4.662 4.973",
    ),
    *_bp(
        "NIRCAM",
        "pupil",
        "F162M 1.538 1.713; F164N 1.635 1.655; F323N 3.217 3.245; F405N 4.041 4.079;"
        "F466N 4.638 4.681; F470N 4.679 4.733",
    ),
    *_bp(
        "NIRSPEC",
        "grating",
        "PRISM 0.60 5.30; G140M 0.70 1.89; G140H 0.70 1.89; G235M 1.66 3.17;"
        "G235H 1.66 3.17; G395M 2.87 5.27; G395H 2.87 5.27",
    ),
    *_bp(
        "NIRSPEC",
        "filter",
        "CLEAR 0.60 5.30; F070LP 0.70 1.27; F100LP 0.97 1.89; F170LP 1.66 3.17;"
        "F290LP 2.87 5.27; F110W 1.00 1.24; F140X 0.80 2.00",
    ),
    *_bp(
        "NIRSPEC",
        "config",
        "PRISM/CLEAR 0.60 5.30; G140M/F070LP 0.70 1.27; G140M/F100LP 0.97 1.89; G235M/F170LP 1.66 3.17;"
        "G395M/F290LP 2.87 5.27; G140H/F070LP 0.81 1.27; G140H/F100LP 0.97 1.89; G235H/F170LP 1.66 3.17;"
        "G395H/F290LP 2.87 5.27",
    ),
    *_bp(
        "MIRI",
        "filter",
        "F560W 5.054 6.171; F770W 6.581 8.687; F1000W 9.023 10.891; F1130W 10.953 11.667;"
        "F1280W 11.588 14.115; F1500W 13.527 16.640; F1800W 16.519 19.502; F2100W 18.477 23.159;"
        "F2550W 23.301 26.733; F2550WR 23.301 26.733; FND 9.5 19.0; F1065C 10.30 10.90; F1140C 10.90 11.60;"
        "F1550C 15.10 16.00; F2300C 20.30 25.60; P750L 5.00 14.00",
    ),
    *_bp(
        "MIRI",
        "band",
        "CH1-SHORT 4.90 5.74; CH1-MEDIUM 5.66 6.63; CH1-LONG 6.53 7.65; CH2-SHORT 7.51 8.77;"
        "CH2-MEDIUM 8.67 10.13; CH2-LONG 10.02 11.70; CH3-SHORT 11.55 13.47; CH3-MEDIUM 13.34 15.57;"
        "CH3-LONG 15.41 17.98; CH4-SHORT 17.70 20.95; CH4-MEDIUM 20.69 24.48; CH4-LONG 24.19 27.90",
    ),
    *_bp(
        "NIRISS",
        "filter",
        "F277W 2.413 3.143; F356W 3.140 3.984; F380M 3.604 3.979; F430M 4.166 4.398; F444W 3.880 5.000;"
        "F480M 4.668 4.971",
    ),
    *_bp(
        "NIRISS",
        "pupil",
        "F090W 0.796 1.005; F115W 1.013 1.283; F140M 1.331 1.479; F150W 1.330 1.666; F158M 1.488 1.674;"
        "F200W 1.751 2.226; GR700XD 0.60 2.80",
    ),
    *_bp("FGS", "filter", "CLEAR 0.60 5.00"),
)
_FILTERS = _index(FILTERS, "key", "bandpass")

# Optical elements that exist but carry no wavelength limit of their own.
_NEUTRAL_ELEMENTS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "NIRCAM": frozenset(
            {"CLEAR", "GRISMR", "GRISMC", "MASKRND", "MASKBAR", "WLP8", "WLM8", "FLAT", "MASKIPR", "WLP4"}
        ),
        "NIRSPEC": frozenset({"MIRROR", "OPAQUE"}),
        "MIRI": frozenset({"OPAQUE"}),
        "NIRISS": frozenset({"CLEAR", "CLEARP", "GR150R", "GR150C", "NRM"}),
        "FGS": frozenset(),
    }
)


def wavelength_range(instrument: str, element: str) -> tuple[float, float]:
    """Return (em_min, em_max) in micron for an optical element or element combination.

    Parameters
    ----------
    instrument
        ``NIRCAM``, ``nirspec``, ``MIRI/IFU`` … (the mode part is ignored).
    element
        One element (``F444W``, ``G395H``, ``P750L``, ``CH4-LONG``) or several joined by ``-``,
        ``/``, ``;`` or ``+`` as FILTER/PUPIL pairs, level-3 name parts or ESA bandpass names are
        written (``F444W-GRISMR``, ``CLEAR;F200W``, ``G395H/F290LP``, ``f170lp-g235m``,
        ``CH12-LONG``). The range is the intersection of the elements' ranges; elements without a
        range of their own (CLEAR, GRISMR, NRM …) and subarray names are ignored.

    Returns
    -------
    tuple of float
        Minimum and maximum wavelength in micron.

    Raises
    ------
    InputError
        For an unknown instrument or element; the message lists near matches.

    Examples
    --------
    >>> wavelength_range("NIRSPEC", "G235H/F170LP")
    (1.66, 3.17)
    """
    inst = normalize_instrument(instrument)
    text = element.strip().upper()
    if not text:
        raise InputError(f"empty {inst} optical element")
    # MIRI MRS: CH1-SHORT, CH12-LONG, CH1-SHORTMEDIUMLONG, CH4
    mrs = re.fullmatch(r"CH([1-4]+)(?:[-_ ]((?:SHORT|MEDIUM|LONG)+))?", text) if inst == "MIRI" else None
    if mrs:
        bands = re.findall("SHORT|MEDIUM|LONG", mrs.group(2) or "SHORTMEDIUMLONG")
        ranges = [_FILTERS[f"MIRI/CH{ch}-{band}"] for ch in mrs.group(1) for band in bands]
        return (min(b.wave_min for b in ranges), max(b.wave_max for b in ranges))
    parts = [p for p in re.split(r"[-/;+ ]+", text) if p]
    if inst == "NIRSPEC":
        gratings = [p for p in parts if p.startswith("G") or p == "PRISM"]
        filters = [p for p in parts if p not in gratings]
        if len(gratings) == 1 and len(filters) == 1 and f"NIRSPEC/{gratings[0]}/{filters[0]}" in _FILTERS:
            record = _FILTERS[f"NIRSPEC/{gratings[0]}/{filters[0]}"]
            return (record.wave_min, record.wave_max)
    subarrays = {s.name for s in SUBARRAYS if s.instrument == inst}
    lo, hi, found = 0.0, 1e9, False
    for part in parts:
        record = _FILTERS.get(f"{inst}/{part}")
        if record is not None:
            lo, hi, found = max(lo, record.wave_min), min(hi, record.wave_max), True
        elif part not in _NEUTRAL_ELEMENTS[inst] and part not in subarrays:
            names = [b.name for b in FILTERS if b.instrument == inst] + sorted(_NEUTRAL_ELEMENTS[inst])
            raise InputError(f"unknown {inst} optical element {part.lower()!r}{_near(part, names)}")
    if not found:
        raise InputError(f"{inst} optical element {element!r} has no wavelength range of its own")
    if lo > hi:
        raise InputError(f"{inst} optical elements {element!r} do not overlap in wavelength")
    return (lo, hi)


@dataclass(frozen=True)
class ExpType:
    """An EXP_TYPE value: the MAST mode it belongs to, its data product type and its role.

    ``category`` is ``science``, ``target_acquisition``, ``calibration`` or ``wavefront``.
    """

    name: str
    mode: str
    dataproduct_type: str
    category: str = "science"
    tso: bool = False


def _et(
    mode: str, dptype: str, names: str, category: str = "science", tso: bool = False
) -> tuple[ExpType, ...]:
    return tuple(ExpType(n, mode, dptype, category, tso) for n in names.split())


EXP_TYPES: tuple[ExpType, ...] = (
    *_et("NIRCAM/IMAGE", "image", "NRC_IMAGE"),
    *_et("NIRCAM/IMAGE", "timeseries", "NRC_TSIMAGE", tso=True),
    *_et("NIRCAM/IMAGE", "image", "NRC_FOCUS NRC_DARK NRC_FLAT NRC_LED", "calibration"),
    *_et("NIRCAM/WFSS", "spectrum", "NRC_WFSS"),
    *_et("NIRCAM/GRISM", "timeseries", "NRC_TSGRISM", tso=True),
    *_et("NIRCAM/CORON", "image", "NRC_CORON"),
    *_et("NIRCAM/TARGACQ", "image", "NRC_TACQ NRC_TACONFIRM", "target_acquisition"),
    *_et("NIRSPEC/MSA", "spectrum", "NRS_MSASPEC"),
    *_et("NIRSPEC/MSA", "image", "NRS_MSATA", "target_acquisition"),
    *_et("NIRSPEC/IFU", "cube", "NRS_IFU"),
    *_et("NIRSPEC/SLIT", "spectrum", "NRS_FIXEDSLIT"),
    *_et("NIRSPEC/SLIT", "timeseries", "NRS_BRIGHTOBJ", tso=True),
    *_et("NIRSPEC/SLIT", "image", "NRS_WATA", "target_acquisition"),
    *_et("NIRSPEC/IMAGE", "image", "NRS_TACQ NRS_TASLIT NRS_TACONFIRM NRS_CONFIRM", "target_acquisition"),
    *_et("NIRSPEC/IMAGE", "image", "NRS_IMAGE NRS_FOCUS NRS_MIMF NRS_DARK NRS_LAMP", "calibration"),
    *_et("NIRISS/IMAGE", "image", "NIS_IMAGE"),
    *_et("NIRISS/IMAGE", "image", "NIS_TACQ NIS_TACONFIRM", "target_acquisition"),
    *_et("NIRISS/IMAGE", "image", "NIS_FOCUS NIS_DARK NIS_LAMP", "calibration"),
    *_et("NIRISS/WFSS", "spectrum", "NIS_WFSS"),
    *_et("NIRISS/SOSS", "timeseries", "NIS_SOSS", tso=True),
    *_et("NIRISS/AMI", "image", "NIS_AMI"),
    *_et("MIRI/IMAGE", "image", "MIR_IMAGE"),
    *_et("MIRI/IMAGE", "image", "MIR_FLATIMAGE MIR_DARKIMG", "calibration"),
    *_et("MIRI/IFU", "cube", "MIR_MRS"),
    *_et("MIRI/IFU", "cube", "MIR_FLATMRS MIR_DARKMRS", "calibration"),
    *_et("MIRI/SLIT", "spectrum", "MIR_LRS-FIXEDSLIT"),
    *_et("MIRI/SLITLESS", "timeseries", "MIR_LRS-SLITLESS", tso=True),
    *_et("MIRI/CORON", "image", "MIR_4QPM MIR_LYOT"),
    *_et("MIRI/CORON", "image", "MIR_CORONCAL", "calibration"),
    *_et("MIRI/TARGACQ", "image", "MIR_TACQ MIR_TACONFIRM", "target_acquisition"),
    *_et("FGS", "image", "FGS_IMAGE"),
    *_et("FGS", "image", "FGS_FOCUS FGS_SKYFLAT FGS_INTFLAT FGS_DARK", "calibration"),
)
_EXP_TYPES = _index(EXP_TYPES, "name", "EXP_TYPE")


def normalize_exp_type(text: str) -> str:
    """Return an EXP_TYPE in its FITS spelling (``nrc_image`` → ``NRC_IMAGE``).

    Raises
    ------
    InputError
        For an unknown EXP_TYPE (guide-star EXP_TYPEs included); lists near matches.
    """
    key = text.strip().upper()
    if key in _EXP_TYPES or key in _GS_EXP_TYPES:
        return key
    raise InputError(f"unknown EXP_TYPE {text!r}{_near(key, [*_EXP_TYPES, *_GS_EXP_TYPES])}")


def exp_type_info(exp_type: str) -> ExpType:
    """Return the :class:`ExpType` record of a science-instrument EXP_TYPE.

    Raises
    ------
    InputError
        For an unknown EXP_TYPE or a guide-star one (see :data:`GUIDE_STAR_FUNCTIONS`).
    """
    key = normalize_exp_type(exp_type)
    if key not in _EXP_TYPES:
        raise InputError(f"EXP_TYPE {key!r} is a guide-star function, not an observing mode")
    return _EXP_TYPES[key]


@dataclass(frozen=True)
class Mode:
    """An observing mode as MAST names it in ``instrument_name`` (``NIRCAM/IMAGE``).

    Attributes
    ----------
    name
        MAST/ESA ``instrument_name`` value.
    instrument
        Instrument (``NIRCAM`` …).
    exp_types
        EXP_TYPE values filed under this mode, the main science one first.
    dataproduct_type
        ObsCore/CAOM data product type of its science products.
    detectors
        Detectors used.
    element_keywords
        FITS keywords the values in ``configurations`` belong to, e.g. ``("FILTER", "PUPIL")``.
    configurations
        Realistic optical configurations, one tuple of values per entry, ordered like
        ``element_keywords``.
    subarrays
        SUBARRAY values used, the default first.
    readout_patterns
        READPATT values used, the most common first.
    exposure_products
        Suffixes of the exposure-level products the pipeline makes; those whose
        :attr:`ProductSuffix.exposure_level` is ``2c`` (``crf``, ``psfsub`` …) are stage-3 outputs
        named after the exposure plus the association candidate (``_o107_crf``).
    level3_products
        Suffixes of the stage-3 products (empty when the mode has none).
    """

    name: str
    instrument: str
    exp_types: tuple[str, ...]
    dataproduct_type: str
    detectors: tuple[str, ...]
    element_keywords: tuple[str, ...]
    configurations: tuple[tuple[str, ...], ...]
    subarrays: tuple[str, ...]
    readout_patterns: tuple[str, ...]
    exposure_products: tuple[str, ...]
    level3_products: tuple[str, ...]

    @property
    def tso(self) -> bool:
        """True when the main EXP_TYPE is a time-series one."""
        return _EXP_TYPES[self.exp_types[0]].tso


def _cfg(text: str) -> tuple[tuple[str, ...], ...]:
    """``"F200W CLEAR; F444W F405N"`` → ``(("F200W", "CLEAR"), ("F444W", "F405N"))``."""
    return tuple(tuple(item.split()) for item in text.split(";") if item.strip())


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_NRC_ALL = _w("nrca1 nrca2 nrca3 nrca4 nrcalong nrcb1 nrcb2 nrcb3 nrcb4 nrcblong")
_NRC_READ = _w("RAPID BRIGHT1 BRIGHT2 SHALLOW2 SHALLOW4 MEDIUM2 MEDIUM8 DEEP2 DEEP8")
_NRS_GRATINGS = _cfg(
    "PRISM CLEAR; G140M F070LP; G140M F100LP; G235M F170LP; G395M F290LP; G140H F070LP; G140H F100LP;"
    "G235H F170LP; G395H F290LP"
)
_IMG_EXP = _w("uncal rate rateints cal i2d crf")
_IMG_L3 = _w("i2d segm cat")

MODES: tuple[Mode, ...] = (
    Mode(
        "NIRCAM/IMAGE", "NIRCAM", _w("NRC_IMAGE NRC_TSIMAGE NRC_FOCUS NRC_DARK NRC_FLAT NRC_LED"), "image",
        _NRC_ALL, ("FILTER", "PUPIL"),
        _cfg("F070W CLEAR; F090W CLEAR; F115W CLEAR; F140M CLEAR; F150W CLEAR; F150W2 CLEAR; F150W2 F162M;"
             "F150W2 F164N; F182M CLEAR; F187N CLEAR; F200W CLEAR; F210M CLEAR; F212N CLEAR; F250M CLEAR;"
             "F277W CLEAR; F300M CLEAR; F322W2 CLEAR; F322W2 F323N; F335M CLEAR; F356W CLEAR; F360M CLEAR;"
             "F410M CLEAR; F430M CLEAR; F444W CLEAR; F444W F405N; F444W F466N; F444W F470N; F460M CLEAR;"
             "F480M CLEAR"),
        _w("FULL SUB640 SUB320 SUB160 SUB400P SUB160P SUB64P"), _NRC_READ, _IMG_EXP, _IMG_L3,
    ),
    Mode(
        "NIRCAM/WFSS", "NIRCAM", ("NRC_WFSS",), "spectrum", _w("nrcalong nrcblong"), ("FILTER", "PUPIL"),
        _cfg("F250M GRISMR; F277W GRISMR; F300M GRISMR; F322W2 GRISMR; F335M GRISMR; F356W GRISMR;"
             "F360M GRISMR; F410M GRISMR; F430M GRISMR; F444W GRISMR; F460M GRISMR; F480M GRISMR;"
             "F277W GRISMC; F356W GRISMC; F444W GRISMC"),
        ("FULL",), _w("DEEP8 MEDIUM8 SHALLOW4 BRIGHT2 RAPID"), _w("uncal rate rateints cal"),
        _w("x1d s2d cat"),
    ),
    Mode(
        "NIRCAM/GRISM", "NIRCAM", ("NRC_TSGRISM",), "timeseries", _w("nrcalong"), ("FILTER", "PUPIL"),
        _cfg("F277W GRISMR; F322W2 GRISMR; F356W GRISMR; F444W GRISMR"),
        _w("SUBGRISM64 SUBGRISM128 SUBGRISM256 FULL"), _w("RAPID BRIGHT1 BRIGHT2 SHALLOW2"),
        _w("uncal rateints calints x1dints"), _w("x1dints whtlt"),
    ),
    Mode(
        "NIRCAM/CORON", "NIRCAM", ("NRC_CORON",), "image", _w("nrca2 nrca4 nrcalong"), ("FILTER", "PUPIL"),
        _cfg("F182M MASKRND; F187N MASKRND; F200W MASKRND; F210M MASKRND; F250M MASKRND; F300M MASKRND;"
             "F335M MASKRND; F356W MASKRND; F410M MASKRND; F444W MASKRND; F210M MASKBAR; F335M MASKBAR;"
             "F444W MASKBAR"),
        _w("SUB320A335R SUB320A430R SUB640A210R SUB320ALWB SUB640ASWB FULL"), _w("MEDIUM8 DEEP8 RAPID"),
        _w("uncal rate rateints calints cal psfalign psfsub"), _w("psfstack i2d"),
    ),
    Mode(
        "NIRCAM/TARGACQ", "NIRCAM", _w("NRC_TACQ NRC_TACONFIRM"), "image", _w("nrca3 nrcalong nrcb4"),
        ("FILTER", "PUPIL"), _cfg("F335M CLEAR; F210M CLEAR; F182M CLEAR; F444W WLP4"),
        _w("SUB32TATS SUB32TATSGRISM SUB64P"), _w("RAPID BRIGHT2"), _w("uncal rate cal"), (),
    ),
    Mode(
        "NIRSPEC/MSA", "NIRSPEC", _w("NRS_MSASPEC NRS_MSATA"), "spectrum", _w("nrs1 nrs2"),
        ("GRATING", "FILTER"), _NRS_GRATINGS, ("FULL",), _w("NRSIRS2RAPID NRSIRS2 NRS NRSRAPID"),
        _w("uncal rate rateints cal s2d x1d"), _w("s2d x1d"),
    ),
    Mode(
        "NIRSPEC/IFU", "NIRSPEC", ("NRS_IFU",), "cube", _w("nrs1 nrs2"), ("GRATING", "FILTER"), _NRS_GRATINGS,
        ("FULL",), _w("NRSIRS2RAPID NRSIRS2 NRS NRSRAPID"), _w("uncal rate rateints cal s3d x1d"),
        _w("s3d x1d"),
    ),
    Mode(
        "NIRSPEC/SLIT", "NIRSPEC", _w("NRS_FIXEDSLIT NRS_BRIGHTOBJ NRS_WATA"), "spectrum", _w("nrs1 nrs2"),
        ("GRATING", "FILTER"), _NRS_GRATINGS,
        _w("SUBS200A1 SUBS200A2 SUBS200B1 SUBS400A1 SUBS1600A1 ALLSLITS SUB2048 SUB1024A SUB1024B SUB512"
           " SUB512S FULL"),
        _w("NRSRAPID NRS NRSIRS2RAPID NRSIRS2 NRSRAPIDD1 NRSRAPIDD2 NRSRAPIDD6"),
        _w("uncal rate rateints cal calints s2d x1d x1dints"), _w("s2d x1d x1dints whtlt"),
    ),
    Mode(
        "NIRSPEC/IMAGE", "NIRSPEC",
        _w("NRS_TACQ NRS_TASLIT NRS_TACONFIRM NRS_CONFIRM NRS_IMAGE NRS_FOCUS NRS_MIMF NRS_DARK NRS_LAMP"),
        "image", _w("nrs1 nrs2"), ("GRATING", "FILTER"), _cfg("MIRROR F110W; MIRROR F140X; MIRROR CLEAR"),
        _w("SUB32 SUB2048 FULL"), _w("NRSRAPID NRS"), _w("uncal rate cal"), (),
    ),
    Mode(
        "NIRISS/IMAGE", "NIRISS", _w("NIS_IMAGE NIS_TACQ NIS_TACONFIRM NIS_FOCUS NIS_DARK NIS_LAMP"), "image",
        ("nis",), ("FILTER", "PUPIL"),
        _cfg("CLEAR F090W; CLEAR F115W; CLEAR F140M; CLEAR F150W; CLEAR F158M; CLEAR F200W; F277W CLEARP;"
             "F356W CLEARP; F380M CLEARP; F430M CLEARP; F444W CLEARP; F480M CLEARP"),
        _w("FULL SUB64 SUB128 SUB256"), _w("NIS NISRAPID"), _IMG_EXP, _IMG_L3,
    ),
    Mode(
        "NIRISS/WFSS", "NIRISS", ("NIS_WFSS",), "spectrum", ("nis",), ("FILTER", "PUPIL"),
        _cfg("GR150R F090W; GR150R F115W; GR150R F140M; GR150R F150W; GR150R F158M; GR150R F200W;"
             "GR150C F090W; GR150C F115W; GR150C F140M; GR150C F150W; GR150C F158M; GR150C F200W"),
        ("FULL",), _w("NIS NISRAPID"), _w("uncal rate rateints cal x1d"), _w("x1d s2d cat"),
    ),
    Mode(
        "NIRISS/SOSS", "NIRISS", ("NIS_SOSS",), "timeseries", ("nis",), ("FILTER", "PUPIL"),
        _cfg("CLEAR GR700XD; F277W GR700XD"), _w("SUBSTRIP256 SUBSTRIP96 FULL"), _w("NISRAPID NIS"),
        _w("uncal rateints calints x1dints"), _w("x1dints whtlt"),
    ),
    Mode(
        "NIRISS/AMI", "NIRISS", ("NIS_AMI",), "image", ("nis",), ("FILTER", "PUPIL"),
        _cfg("F277W NRM; F380M NRM; F430M NRM; F480M NRM"), _w("SUB80 FULL"), _w("NISRAPID NIS"),
        _w("uncal rate rateints calints ami-oi amimulti-oi amilg"), _w("aminorm-oi amiavg aminorm"),
    ),
    Mode(
        "MIRI/IMAGE", "MIRI", _w("MIR_IMAGE MIR_FLATIMAGE MIR_DARKIMG"), "image", ("mirimage",), ("FILTER",),
        _cfg("F560W; F770W; F1000W; F1130W; F1280W; F1500W; F1800W; F2100W; F2550W"),
        _w("FULL BRIGHTSKY SUB256 SUB128 SUB64"), _w("FASTR1 FAST SLOWR1"), _IMG_EXP, _IMG_L3,
    ),
    Mode(
        "MIRI/IFU", "MIRI", _w("MIR_MRS MIR_FLATMRS MIR_DARKMRS"), "cube", _w("mirifushort mirifulong"),
        ("CHANNEL", "BAND"), _cfg("12 SHORT; 12 MEDIUM; 12 LONG; 34 SHORT; 34 MEDIUM; 34 LONG"),
        ("FULL",), _w("FASTR1 FAST SLOWR1"), _w("uncal rate rateints cal s3d x1d"), _w("s3d x1d"),
    ),
    Mode(
        "MIRI/SLIT", "MIRI", ("MIR_LRS-FIXEDSLIT",), "spectrum", ("mirimage",), ("FILTER",), _cfg("P750L"),
        ("FULL",), _w("FASTR1 FAST"), _w("uncal rate rateints cal s2d x1d"), _w("s2d x1d"),
    ),
    Mode(
        "MIRI/SLITLESS", "MIRI", ("MIR_LRS-SLITLESS",), "timeseries", ("mirimage",), ("FILTER",),
        _cfg("P750L"), _w("SLITLESSPRISM"), _w("FASTR1 FAST"), _w("uncal rateints calints x1dints"),
        _w("x1dints whtlt"),
    ),
    Mode(
        "MIRI/CORON", "MIRI", _w("MIR_4QPM MIR_LYOT MIR_CORONCAL"), "image", ("mirimage",), ("FILTER",),
        _cfg("F1065C; F1140C; F1550C; F2300C"), _w("MASK1065 MASK1140 MASK1550 MASKLYOT"), _w("FASTR1 FAST"),
        _w("uncal rate rateints calints cal psfalign psfsub"), _w("psfstack i2d"),
    ),
    Mode(
        "MIRI/TARGACQ", "MIRI", _w("MIR_TACQ MIR_TACONFIRM"), "image", ("mirimage",), ("FILTER",),
        _cfg("F560W; F1000W; F1500W; FND"), _w("FULL BRIGHTSKY SUB256 SUB128 SUB64 SLITLESSPRISM"),
        _w("FAST"), _w("uncal rate cal"), (),
    ),
    Mode(
        "FGS", "FGS", _w("FGS_IMAGE FGS_FOCUS FGS_SKYFLAT FGS_INTFLAT FGS_DARK"), "image",
        _w("guider1 guider2"), ("FILTER",), _cfg("CLEAR"), _w("FULL SUB128CNTR SUB32CNTR SUB8CNTR"),
        _w("FGS FGSRAPID"), _IMG_EXP, _w("i2d"),
    ),
)  # fmt: skip
_MODES = _index(MODES, "name", "mode")


def get_mode(name: str) -> Mode:
    """Return a :class:`Mode` by MAST ``instrument_name`` (``nircam/image`` works too).

    Raises
    ------
    InputError
        For an unknown mode; the message lists near matches.
    """
    key = name.strip().upper()
    if key not in _MODES:
        raise InputError(f"unknown observing mode {name!r}{_near(key, _MODES)}")
    return _MODES[key]


def mode_for_exp_type(exp_type: str) -> Mode:
    """Return the :class:`Mode` an EXP_TYPE is filed under (``NRS_IFU`` → ``NIRSPEC/IFU``).

    Raises
    ------
    InputError
        For an unknown or guide-star EXP_TYPE.
    """
    return _MODES[exp_type_info(exp_type).mode]


@dataclass(frozen=True)
class Instrument:
    """A JWST science instrument.

    ``name`` is the INSTRUME keyword and MAST's instrument prefix, ``lower`` its file-name form,
    ``label`` the usual spelling.
    """

    name: str
    label: str
    detectors: tuple[str, ...]
    modes: tuple[str, ...]
    readout_patterns: tuple[str, ...]
    subarrays: tuple[str, ...]

    @property
    def lower(self) -> str:
        """File-name form (``nircam``)."""
        return self.name.lower()


def _instrument(name: str, label: str) -> Instrument:
    return Instrument(
        name,
        label,
        tuple(d.name for d in DETECTORS if d.instrument == name),
        tuple(m.name for m in MODES if m.instrument == name),
        tuple(r.name for r in READOUT_PATTERNS if r.instrument == name),
        tuple(s.name for s in SUBARRAYS if s.instrument == name),
    )


INSTRUMENTS: tuple[Instrument, ...] = (
    _instrument("NIRCAM", "NIRCam"),
    _instrument("NIRSPEC", "NIRSpec"),
    _instrument("NIRISS", "NIRISS"),
    _instrument("MIRI", "MIRI"),
    _instrument("FGS", "FGS"),
)
_INSTRUMENTS = _index(INSTRUMENTS, "name", "instrument")


def normalize_instrument(text: str) -> str:
    """Return the INSTRUME spelling of an instrument (``nircam``, ``NIRCam/IMAGE`` → ``NIRCAM``).

    Raises
    ------
    InputError
        For an unknown instrument; the message lists near matches.
    """
    key = text.strip().upper().split("/")[0] if isinstance(text, str) else ""
    if key not in _INSTRUMENTS:
        raise InputError(f"unknown instrument {text!r}{_near(key, _INSTRUMENTS)}")
    return key


def get_instrument(name: str) -> Instrument:
    """Return the :class:`Instrument` record for any form :func:`normalize_instrument` accepts."""
    return _INSTRUMENTS[normalize_instrument(name)]


def optical_elements(mode: str, configuration: Iterable[str], subarray: str | None = None) -> tuple[str, ...]:
    """Return the level-3 ``optElements`` parts for a mode configuration, lower case.

    NIRSpec IFU names keep grating-filter order (``g395h-f290lp``, as MAST shows them); MIRI MRS
    names become ``ch1-short``-style pairs; every other mode sorts the elements alphabetically
    (``clear-f444w``, ``f444w-grismr``, ``f170lp-g235m``). A non-FULL subarray is appended.

    Examples
    --------
    >>> optical_elements("NIRCAM/IMAGE", ("F444W", "CLEAR"), "SUB160")
    ('clear', 'f444w', 'sub160')
    """
    record = get_mode(mode)
    values = [v.strip().lower() for v in configuration if v.strip()]
    if record.name == "MIRI/IFU" and len(values) == 2:
        channel, band = values
        elements = [f"ch{channel[0]}", band]
    elif record.name == "NIRSPEC/IFU":
        elements = values
    else:
        elements = sorted(values)
    if subarray and subarray.strip().upper() != "FULL":
        elements.append(subarray.strip().lower())
    return tuple(elements)


@dataclass(frozen=True)
class GuideStarFunction:
    """One FGS guiding function and how its products are named (``gs-fg`` …)."""

    token: str
    name: str
    exp_types: tuple[str, ...]
    code: str


GUIDE_STAR_FUNCTIONS: tuple[GuideStarFunction, ...] = (
    GuideStarFunction("gs-id", "Identification", ("FGS_ID-IMAGE", "FGS_ID-STACK"), "GS-ID"),
    GuideStarFunction("gs-acq1", "Acquisition 1", ("FGS_ACQ1",), "GS-ACQ1"),
    GuideStarFunction("gs-acq2", "Acquisition 2", ("FGS_ACQ2",), "GS-ACQ2"),
    GuideStarFunction("gs-track", "Track", ("FGS_TRACK",), "GS-TRACK"),
    GuideStarFunction("gs-fg", "Fine Guide", ("FGS_FINEGUIDE",), "GS-FG"),
)
_GS_FUNCTIONS = _index(GUIDE_STAR_FUNCTIONS, "token", "guide-star function")
_GS_EXP_TYPES = frozenset(e for f in GUIDE_STAR_FUNCTIONS for e in f.exp_types)


# ---------------------------------------------------------------------------------------------------------
# product suffixes
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductSuffix:
    """A product suffix (``uncal``, ``i2d``, ``ami-oi`` …) and what MAST says about such files.

    Attributes
    ----------
    name
        Suffix as written in file names.
    code
        MAST ``productSubGroupDescription`` (``UNCAL`` …).
    description
        One line for people.
    exposure_level
        MAST ``productLevel`` when the suffix appears on exposure-level names (``1b``, ``2a``,
        ``2b``, ``2c``), or ``None`` when it never does.
    level3
        True when the suffix appears on stage-3 names.
    extension
        Extension of the data file (``fits``, ``ecsv``, ``json``, ``csv``).
    product_type
        MAST ``productType`` of the data file: ``SCIENCE``, ``INFO`` or ``AUXILIARY``.
    """

    name: str
    code: str
    description: str
    exposure_level: str | None
    level3: bool
    extension: str = "fits"
    product_type: str = "SCIENCE"


def _ps(name: str, level: str | None, level3: bool, description: str, extension: str = "fits",
        product_type: str = "SCIENCE") -> ProductSuffix:  # fmt: skip
    return ProductSuffix(name, name.upper(), description, level, level3, extension, product_type)


PRODUCT_SUFFIXES: tuple[ProductSuffix, ...] = (
    _ps("uncal", "1b", False, "uncalibrated raw ramps"),
    _ps("ramp", "2a", False, "corrected ramps before ramp fitting"),
    _ps("dark", "2a", False, "dark-subtracted ramps (intermediate)"),
    _ps("jump", "2a", False, "ramps with jumps flagged (intermediate)"),
    _ps("fitopt", "2a", False, "optional ramp-fit results"),
    _ps("trapsfilled", "2a", False, "NIRCam persistence trap state"),
    _ps("rate", "2a", False, "count rate, averaged over integrations"),
    _ps("rateints", "2a", False, "count rate per integration"),
    _ps("bsub", "2b", False, "background-subtracted count rate"),
    _ps("bsubints", "2b", False, "background-subtracted count rate per integration"),
    _ps("cal", "2b", False, "calibrated exposure"),
    _ps("calints", "2b", False, "calibrated exposure per integration"),
    _ps("i2d", "2b", True, "rectified (resampled) image"),
    _ps("s2d", "2b", True, "rectified 2-D spectra"),
    _ps("s3d", "2b", True, "spectral cube"),
    _ps("x1d", "2b", True, "extracted 1-D spectra"),
    _ps("x1dints", "2b", True, "extracted 1-D spectra per integration"),
    _ps("crf", "2c", False, "calibrated exposure with outliers flagged"),
    _ps("crfints", "2c", False, "calibrated integrations with outliers flagged"),
    _ps("psfalign", "2c", False, "aligned PSF references"),
    _ps("psfsub", "2c", False, "PSF-subtracted exposure"),
    _ps("ami", "2c", False, "AMI fringe parameters (legacy)"),
    _ps("ami-oi", "2c", False, "AMI interferometric observables (OIFITS)"),
    _ps("amimulti-oi", "2c", False, "AMI observables per integration (OIFITS)"),
    _ps("amilg", "2c", False, "AMI fringe-fitting model"),
    _ps("amiavg", None, True, "averaged AMI observables (legacy)"),
    _ps("aminorm", None, True, "calibrated AMI observables (legacy)"),
    _ps("aminorm-oi", None, True, "calibrated AMI observables (OIFITS)"),
    _ps("psfstack", None, True, "stacked PSF references"),
    _ps("c1d", None, True, "combined 1-D spectrum"),
    _ps("segm", None, True, "source segmentation map"),
    _ps("cat", None, True, "source catalog", "ecsv"),
    _ps("whtlt", None, True, "white-light light curve", "ecsv"),
    _ps("phot", None, True, "TSO imaging photometry", "ecsv"),
    _ps("wfscmb", None, True, "combined wavefront-sensing image"),
    _ps("asn", None, False, "association", "json", "INFO"),
    _ps("pool", None, False, "association pool", "csv", "INFO"),
)
_SUFFIXES = _index(PRODUCT_SUFFIXES, "name", "product suffix")

#: Extensions accepted in file names and their MIME types.
CONTENT_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "fits": "application/fits",
        "jpg": "image/jpeg",
        "png": "image/png",
        "json": "application/json",
        "csv": "text/csv",
        "ecsv": "text/plain",
        "txt": "text/plain",
        "asdf": "application/octet-stream",
    }
)
EXTENSIONS: tuple[str, ...] = tuple(CONTENT_TYPES)

#: MAST ``productType`` values.
PRODUCT_TYPES: tuple[str, ...] = ("SCIENCE", "PREVIEW", "THUMBNAIL", "INFO", "AUXILIARY")

#: Association types (``ATYPE``) of the jwst pipeline.
ASN_TYPES: tuple[str, ...] = (
    "ami3", "coron3", "image2", "image3", "nrslamp-spec2", "spec2", "spec3", "tso3", "tso-image2",
    "tso-spec2", "wfs-image2", "wfs-image3",
)  # fmt: skip

#: Association candidate prefixes: observation, candidate, whole-program, reserved.
CANDIDATE_KINDS: Mapping[str, str] = MappingProxyType(
    {"o": "observation", "c": "association candidate", "a": "discovered (whole program)", "r": "reserved"}
)


def get_product_suffix(name: str) -> ProductSuffix:
    """Return the :class:`ProductSuffix` record for a suffix (``"_cal"`` and ``"CAL"`` work too).

    Raises
    ------
    InputError
        For an unknown suffix; the message lists near matches.
    """
    key = name.strip().lstrip("_").lower()
    if key not in _SUFFIXES:
        raise InputError(f"unknown product suffix {name!r}{_near(key, _SUFFIXES)}")
    return _SUFFIXES[key]


def filetype_of(filename: str) -> str | None:
    """jwst_mast_query's ``filetype``: the last ``_<alnum>.<alnum>`` of a name, or None.

    Examples
    --------
    >>> filetype_of("jw01410001001_02101_00001_nrca1_i2d_thumb.jpg")
    '_thumb.jpg'
    """
    match = re.search(r"_[a-zA-Z0-9]+\.[a-zA-Z0-9]+$", filename)
    return match.group(0) if match else None


def expand_filetype(text: str) -> str:
    """Expand a jwst_mast_query ``--filetypes`` entry: add a leading ``_`` and a missing ``.fits``.

    ``"uncal"`` → ``"_uncal.fits"``, ``"rate.jpg"`` → ``"_rate.jpg"``; ``"fits"`` and ``"jpg"`` stay
    as they are (they mean "any file ending so").
    """
    if text in ("fits", "jpg"):
        return text
    out = text if text.startswith("_") else "_" + text
    return out if "." in out else out + ".fits"


# ---------------------------------------------------------------------------------------------------------
# identifiers
# ---------------------------------------------------------------------------------------------------------
_BASE36 = re.compile(r"[0-9a-z]{2}")
_CANDIDATE = re.compile(r"(?:o\d{3}|[car]\d{4})")
_CANDIDATE_LIKE = re.compile(r"[ocar]\d+")
_TIMESTAMP = re.compile(r"(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})")
_INSTRUMENT_TOKENS = frozenset(i.lower for i in INSTRUMENTS)


def _check_candidate(value: str, part: str = "association candidate") -> None:
    if not _CANDIDATE.fullmatch(value):
        raise InputError(
            f"{part} must be 'o' + 3 digits or 'c'/'a'/'r' + 4 digits (o107, c1005, a3001), got {value!r}"
        )


def _check_timestamp(value: str, part: str) -> None:
    match = _TIMESTAMP.fullmatch(value)
    if not match:
        raise InputError(f"{part} must be YYYYMMDDtHHMMSS, got {value!r}")
    _, month, day, hour, minute, second = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60 and second < 61):
        raise InputError(f"{part} is not a valid date and time, got {value!r}")


def _check_product(suffix: str | None, thumb: bool, extension: str | None, *, allowed: str) -> None:
    """Check suffix / thumbnail / extension; ``allowed`` is ``exposure``, ``level3`` or ``guidestar``."""
    if suffix is None:
        if thumb:
            raise InputError("thumbnail marker '_thumb' needs a product suffix before it")
        if extension is not None:
            raise InputError(f"extension {extension!r} needs a product suffix before it")
        return
    record = _SUFFIXES.get(suffix)
    if record is None:
        raise InputError(f"unknown product suffix {suffix!r}{_near(suffix, _SUFFIXES)}")
    if allowed == "exposure" and record.exposure_level is None:
        raise InputError(f"product suffix {suffix!r} does not occur on exposure-level names")
    if allowed == "level3" and not record.level3:
        raise InputError(f"product suffix {suffix!r} does not occur on stage-3 names")
    if extension is not None and extension not in CONTENT_TYPES:
        raise InputError(f"extension must be one of {', '.join(EXTENSIONS)}, got {extension!r}")
    if thumb and extension not in (None, "jpg"):
        raise InputError(f"a '_thumb' product must be a .jpg, got extension {extension!r}")


def _split_extension(text: str) -> tuple[str, str | None]:
    stem, dot, extension = text.partition(".")
    return stem, (extension if dot else None)


def _product_text(candidate: str | None, suffix: str | None, thumb: bool, extension: str | None) -> str:
    out = ""
    if candidate is not None:
        out += "_" + candidate
    if suffix is not None:
        out += "_" + suffix
    if thumb:
        out += "_thumb"
    if extension is not None:
        out += "." + extension
    return out


def _check_lower(text: str) -> None:
    if not isinstance(text, str):
        raise InputError(f"identifier must be a string, got {type(text).__name__}")
    if not text:
        raise InputError("empty identifier")
    if text != text.strip():
        raise InputError(f"{text!r}: identifier has leading or trailing white space")
    if text != text.lower():
        raise InputError(f"{text}: JWST file names and observation ids are lower case")
    if not text.startswith("jw"):
        raise InputError(f"{text}: JWST identifiers start with 'jw', got {text[:2]!r}")
    if "/" in text or "\\" in text:
        raise InputError(f"{text}: give a file name, not a path")


@dataclass(frozen=True)
class ExposureId:
    """An exposure-level identifier, optionally with its product part.

    ``jw<program><obsnum><visit>_<visit_group><parallel_seq><activity>_<exposure>[-seg<segment>]
    _<detector>[_<candidate>][_<suffix>][_thumb][.<extension>]``

    The planned form ESA lists for observations not yet executed has ``xx`` for the visit group
    (``jw02516010001_xx107_00007_miri``), sometimes ``xxxxx`` for the whole group
    (``jw96854009004_xxxxx_00003-00003_nircam``, with an exposure range), and an instrument name
    instead of a detector. ``detector=None`` gives MAST's ``fileSetName``.

    Attributes
    ----------
    program, obsnum, visit
        5, 3 and 3 digits.
    visit_group
        2 digits, or ``xx`` (planned).
    parallel_seq
        1 digit (1 prime, 2-5 parallel), or ``x`` (planned).
    activity
        2 base-36 characters (``01``, ``0r``), or ``xx`` (planned).
    exposure
        5 digits.
    exposure_last
        5 digits: the end of an exposure range (planned form only), else None.
    segment
        3 digits of ``-segNNN``, or None.
    detector
        Detector name (``nrca1``), an instrument name in the planned form, or None.
    candidate
        Stage-3 association candidate of an exposure-level stage-3 product (``o029`` in
        ``…_o029_crf.fits``), or None.
    suffix, thumb, extension
        Product part: suffix (``cal``), ``_thumb`` marker, extension (``fits``); all optional.

    Examples
    --------
    >>> ExposureId("01410", "001", "001", "02", "1", "01", "00001", detector="nrca1").filename("uncal")
    'jw01410001001_02101_00001_nrca1_uncal.fits'
    """

    program: str
    obsnum: str
    visit: str
    visit_group: str
    parallel_seq: str
    activity: str
    exposure: str
    detector: str | None = None
    segment: str | None = None
    exposure_last: str | None = None
    candidate: str | None = None
    suffix: str | None = None
    thumb: bool = False
    extension: str | None = None

    def __post_init__(self) -> None:
        _digits(self.program, 5, "program")
        _digits(self.obsnum, 3, "observation number")
        _digits(self.visit, 3, "visit number")
        if self.visit_group != "xx":
            _digits(self.visit_group, 2, "visit group")
        if self.parallel_seq != "x":
            _digits(self.parallel_seq, 1, "parallel sequence")
        if self.activity != "xx" and not _BASE36.fullmatch(self.activity):
            raise InputError(f"activity must be 2 base-36 characters (0-9, a-z), got {self.activity!r}")
        _digits(self.exposure, 5, "exposure number")
        if self.exposure_last is not None:
            _digits(self.exposure_last, 5, "last exposure number")
            if not self.planned:
                raise InputError(
                    "an exposure range (00003-00003) only occurs in planned ids (visit group 'xx')"
                )
        if self.segment is not None:
            _digits(self.segment, 3, "segment")
        if self.detector is not None and self.detector not in _DETECTORS:
            if self.detector not in _INSTRUMENT_TOKENS:
                choices = [*_DETECTORS, *_INSTRUMENT_TOKENS]
                raise InputError(f"unknown detector {self.detector!r}{_near(self.detector, choices)}")
            if not self.planned:
                raise InputError(
                    f"detector must be a detector name, got instrument {self.detector!r}"
                    " (instrument names only occur in planned ids with visit group 'xx')"
                )
        if self.detector is None and (self.suffix or self.candidate or self.extension):
            raise InputError("a product name needs a detector")
        if self.candidate is not None:
            _check_candidate(self.candidate)
            if self.suffix is None:
                raise InputError(f"association candidate {self.candidate!r} must be followed by a suffix")
        _check_product(self.suffix, self.thumb, self.extension, allowed="exposure")

    @property
    def planned(self) -> bool:
        """True for ESA's planned form (visit group ``xx``)."""
        return self.visit_group == "xx"

    @property
    def visit_id(self) -> str:
        """``program + obsnum + visit`` (``01410001001``), MAST's ``visit_id``."""
        return self.program + self.obsnum + self.visit

    @property
    def file_set_name(self) -> str:
        """MAST's ``fileSetName`` (``jw01410001001_02101_00001``, segment included)."""
        seq = f"{self.visit_group}{self.parallel_seq}{self.activity}"
        out = f"jw{self.visit_id}_{seq}_{self.exposure}"
        if self.exposure_last is not None:
            out += "-" + self.exposure_last
        if self.segment is not None:
            out += "-seg" + self.segment
        return out

    @property
    def observation_id(self) -> str:
        """The id without its product part (``jw01410001001_02101_00001_nrca1``)."""
        return self.file_set_name + (f"_{self.detector}" if self.detector is not None else "")

    @property
    def instrument(self) -> str | None:
        """Instrument (``NIRCAM``) from the detector, or None without a detector."""
        if self.detector is None:
            return None
        if self.detector in _INSTRUMENT_TOKENS:
            return self.detector.upper()
        return _DETECTORS[self.detector].instrument

    def format(self) -> str:
        """Return the identifier text; ``parse_exposure_id(x.format()) == x``."""
        return self.observation_id + _product_text(self.candidate, self.suffix, self.thumb, self.extension)

    def __str__(self) -> str:
        return self.format()

    def base(self) -> ExposureId:
        """Return the id without its product part."""
        return replace(self, candidate=None, suffix=None, thumb=False, extension=None)

    def filename(
        self, suffix: str, extension: str = "fits", *, candidate: str | None = None, thumb: bool = False
    ) -> str:
        """Return the file name of one product of this exposure.

        Parameters
        ----------
        suffix
            Product suffix (``uncal``, ``cal`` …).
        extension
            ``fits``, ``jpg`` …
        candidate
            Stage-3 candidate for exposure-level stage-3 products (``o107`` for ``_o107_crf``).
        thumb
            True for the ``_thumb.jpg`` thumbnail.

        Raises
        ------
        InputError
            When the parts do not form a valid name.
        """
        product = replace(self, candidate=candidate, suffix=suffix, thumb=thumb, extension=extension)
        return product.format()


def _split_visit_id(token: str) -> tuple[str, str, str]:
    body = token[2:]
    if len(body) < 11 or not body[:5].isdigit():
        _digits(body[:5], 5, "program")
    if len(body) != 11:
        raise InputError(
            f"visit id must be 11 digits (program 5, observation 3, visit 3) after 'jw', got {body!r}"
        )
    return body[:5], body[5:8], body[8:11]


def _split_product(tokens: list[str], extension: str | None) -> tuple[str | None, str | None, bool]:
    """``["o029", "crf"]`` → (candidate, suffix, thumb)."""
    thumb = False
    if tokens and tokens[-1] == "thumb":
        thumb = True
        tokens = tokens[:-1]
        if not tokens:
            raise InputError("thumbnail marker '_thumb' needs a product suffix before it")
    candidate = None
    if len(tokens) == 2 and _CANDIDATE_LIKE.fullmatch(tokens[0]):
        candidate = tokens[0]
        _check_candidate(candidate)
        tokens = tokens[1:]
    if len(tokens) != 1 or not tokens[0]:
        part = "_".join(tokens)
        raise InputError(f"unexpected product part {part!r} (expected [candidate_]suffix[_thumb])")
    return candidate, tokens[0], thumb


def parse_exposure_id(text: str) -> ExposureId:
    """Parse an exposure-level identifier or file name.

    Parameters
    ----------
    text
        ``jw01410001001_02101_00001_nrca1``, ``jw01410001001_02101_00001_nrca1_uncal.fits``,
        ``jw01410001001_02101_00001`` (file set), ``jw02516010001_xx107_00007_miri`` (planned) …

    Returns
    -------
    ExposureId

    Raises
    ------
    InputError
        Naming the identifier and the part that is wrong.

    Examples
    --------
    >>> parse_exposure_id("jw02734001001_04101_00001-seg004_nis_rate.fits").segment
    '004'
    """
    _check_lower(text)
    try:
        stem, extension = _split_extension(text)
        tokens = stem.split("_")
        if len(tokens) < 3:
            raise InputError(
                "expected jwPPPPPOOOVVV_GGSAA_EEEEE[_detector[_suffix]], got "
                f"{len(tokens)} underscore-separated field(s)"
            )
        program, obsnum, visit = _split_visit_id(tokens[0])
        seq = tokens[1]
        if seq.startswith("gs-"):
            raise InputError("this is a guide-star name; use parse_guide_star_id")
        if len(seq) != 5:
            raise InputError(
                f"visit group/sequence/activity field must be 5 characters (GGSAA, e.g. 02101), got {seq!r}"
            )
        group, parallel, activity = seq[:2], seq[2], seq[3:]
        if seq == "xxxxx":
            parallel, activity = "x", "xx"
        match = re.fullmatch(r"([^-]*)(?:-(\d{5}))?(?:-seg([^-]*))?", tokens[2])
        if match is None:
            raise InputError(f"exposure field must be EEEEE[-segNNN], got {tokens[2]!r}")
        exposure, exposure_last, segment = match.groups()
        detector = tokens[3] if len(tokens) > 3 else None
        candidate, suffix, thumb = (None, None, False)
        if len(tokens) > 4:
            candidate, suffix, thumb = _split_product(tokens[4:], extension)
        exp = ExposureId(
            program, obsnum, visit, group, parallel, activity, exposure, detector, segment, exposure_last,
            candidate, suffix, thumb, extension,
        )  # fmt: skip
    except InputError as exc:
        raise _reraise(text, exc) from None
    if exp.format() != text:  # e.g. "xxxxx" with a digit parallel sequence cannot be rebuilt
        raise InputError(f"{text}: not a canonical exposure identifier (rebuilds as {exp.format()!r})")
    return exp


@dataclass(frozen=True)
class Level3Id:
    """A stage-3 (combined, "source-based") identifier, optionally with its product part.

    ``jw<program>-<candidate>_<target>[-epoch<N>]_<instrument>_<elements>[-<subarray>]
    [_<suffix>[-<act_id>]][_thumb][.<extension>]``

    Attributes
    ----------
    program
        5 digits.
    candidate
        ``o``+3 digits (observation), ``c``/``a``/``r`` + 4 digits.
    target
        ``t`` + 3 digits, or a source id: ``s``/``b``/``v`` + 5 or 9 digits.
    instrument
        Lower case (``nircam``).
    elements
        Optical elements, lower case, in name order (``("clear", "f444w")``).
    subarray
        Lower-case subarray appended to the elements (``sub160``), or None.
    epoch
        Epoch digit of ``-epochN``, or None.
    suffix, act_id, thumb, extension
        Product part: suffix (``i2d``), 2-digit activity (``_wfscmb-01``), ``_thumb`` marker and
        extension; all optional (MAST level-3 obs_ids sometimes end in ``_s3d``/``_x1d``).

    Examples
    --------
    >>> Level3Id("02739", "o001", "t001", "nircam", ("clear", "f444w")).format()
    'jw02739-o001_t001_nircam_clear-f444w'
    """

    program: str
    candidate: str
    target: str
    instrument: str
    elements: tuple[str, ...]
    subarray: str | None = None
    epoch: str | None = None
    suffix: str | None = None
    act_id: str | None = None
    thumb: bool = False
    extension: str | None = None

    def __post_init__(self) -> None:
        _digits(self.program, 5, "program")
        _check_candidate(self.candidate)
        if not re.fullmatch(r"t\d{3}|[sbv](?:\d{5}|\d{9})", self.target):
            raise InputError(
                "target must be 't' + 3 digits or a source id 's'/'b'/'v' + 5 or 9 digits, "
                f"got {self.target!r}"
            )
        if self.epoch is not None and not re.fullmatch(r"\d", self.epoch):
            raise InputError(f"epoch must be 1 digit, got {self.epoch!r}")
        if self.instrument not in _INSTRUMENT_TOKENS:
            hint = _near(self.instrument, _INSTRUMENT_TOKENS)
            raise InputError(f"unknown instrument {self.instrument!r}{hint}")
        if not isinstance(self.elements, tuple) or not self.elements:
            raise InputError("optical elements must be a non-empty tuple")
        for element in self.elements:
            if not re.fullmatch(r"[0-9a-z]+", element):
                raise InputError(f"optical element must be lower-case letters and digits, got {element!r}")
        if self.subarray is not None and self.subarray not in _level3_subarrays(self.instrument):
            names = _level3_subarrays(self.instrument)
            hint = _near(self.subarray, names)
            raise InputError(f"unknown {self.instrument} subarray {self.subarray!r}{hint}")
        if self.act_id is not None:
            _digits(self.act_id, 2, "activity id")
            if self.suffix is None:
                raise InputError("activity id needs a product suffix")
        _check_product(self.suffix, self.thumb, self.extension, allowed="level3")

    @property
    def observation_id(self) -> str:
        """The id without its product part (``jw02739-o001_t001_nircam_clear-f444w``)."""
        target = self.target + (f"-epoch{self.epoch}" if self.epoch is not None else "")
        optical = "-".join(self.elements) + (f"-{self.subarray}" if self.subarray is not None else "")
        return f"jw{self.program}-{self.candidate}_{target}_{self.instrument}_{optical}"

    @property
    def is_source(self) -> bool:
        """True when ``target`` is a source id (``s00017``) rather than a target (``t001``)."""
        return not self.target.startswith("t")

    @property
    def obsnum(self) -> str | None:
        """Observation number for ``o`` candidates (``o003`` → ``003``), else None."""
        return self.candidate[1:] if self.candidate.startswith("o") else None

    def format(self) -> str:
        """Return the identifier text; ``parse_level3_id(x.format()) == x``."""
        out = self.observation_id
        if self.suffix is not None:
            out += "_" + self.suffix + (f"-{self.act_id}" if self.act_id is not None else "")
        if self.thumb:
            out += "_thumb"
        if self.extension is not None:
            out += "." + self.extension
        return out

    def __str__(self) -> str:
        return self.format()

    def base(self) -> Level3Id:
        """Return the id without its product part."""
        return replace(self, suffix=None, act_id=None, thumb=False, extension=None)

    def filename(self, suffix: str, extension: str = "fits", *, thumb: bool = False) -> str:
        """Return the file name of one product (``i2d``, ``cat``/``ecsv`` …) of this combination."""
        return replace(self, suffix=suffix, thumb=thumb, extension=extension).format()


def _level3_subarrays(instrument: str) -> frozenset[str]:
    return frozenset(
        s.name.lower() for s in SUBARRAYS if s.instrument.lower() == instrument and s.name != "FULL"
    )


def parse_level3_id(text: str) -> Level3Id:
    """Parse a stage-3 identifier or file name.

    A trailing element that is one of the instrument's subarray names becomes ``subarray``.

    Raises
    ------
    InputError
        Naming the identifier and the part that is wrong.

    Examples
    --------
    >>> parse_level3_id("jw00777-c1005_t005_nircam_f277w-sub160").subarray
    'sub160'
    """
    _check_lower(text)
    try:
        stem, extension = _split_extension(text)
        tokens = stem.split("_")
        head = tokens[0]
        program, dash, candidate = head[2:].partition("-")
        if not dash:
            raise InputError(f"stage-3 ids start with jwPPPPP-<candidate>, got {head!r}")
        _digits(program, 5, "program")
        _check_candidate(candidate)
        if len(tokens) < 4:
            raise InputError(
                "expected jwPPPPP-<candidate>_<target>_<instrument>_<elements>[_<suffix>], got "
                f"{len(tokens)} underscore-separated field(s)"
            )
        target, _, epoch_text = tokens[1].partition("-")
        epoch = None
        if epoch_text:
            if not re.fullmatch(r"epoch\d", epoch_text):
                raise InputError(f"target qualifier must be -epochN, got {epoch_text!r}")
            epoch = epoch_text[5:]
        instrument = tokens[2]
        elements = tuple(tokens[3].split("-"))
        subarray = None
        if len(elements) > 1 and elements[-1] in _level3_subarrays(instrument):
            elements, subarray = elements[:-1], elements[-1]
        rest = tokens[4:]
        thumb = bool(rest) and rest[-1] == "thumb"
        if thumb:
            rest = rest[:-1]
            if not rest:
                raise InputError("thumbnail marker '_thumb' needs a product suffix before it")
        if len(rest) > 1:
            raise InputError(f"unexpected fields after the product suffix: {'_'.join(rest[1:])!r}")
        suffix = act_id = None
        if rest:
            suffix = rest[0]
            match = re.fullmatch(r"(.+)-(\d{2})", suffix)
            if match and suffix not in _SUFFIXES:
                suffix, act_id = match.groups()
        result = Level3Id(
            program,
            candidate,
            target,
            instrument,
            elements,
            subarray,
            epoch,
            suffix,
            act_id,
            thumb,
            extension,
        )
    except InputError as exc:
        raise _reraise(text, exc) from None
    return result


@dataclass(frozen=True)
class AssociationId:
    """An association file name: ``jw<program>-<candidate>_<version>_<asn_type>_<counter>_asn.json``.

    ``version`` is the ``YYYYMMDDtHHMMSS`` timestamp; ``counter`` is 3 (older) or 5 digits.
    """

    program: str
    candidate: str
    version: str
    asn_type: str
    counter: str
    extension: str = "json"

    def __post_init__(self) -> None:
        _digits(self.program, 5, "program")
        _check_candidate(self.candidate)
        _check_timestamp(self.version, "version timestamp")
        if self.asn_type not in ASN_TYPES:
            raise InputError(f"unknown association type {self.asn_type!r}{_near(self.asn_type, ASN_TYPES)}")
        if not re.fullmatch(r"\d{3}|\d{5}", self.counter):
            raise InputError(f"association counter must be 3 or 5 digits, got {self.counter!r}")
        if self.extension != "json":
            raise InputError(f"association files are .json, got extension {self.extension!r}")

    @property
    def suffix(self) -> str:
        """Always ``asn``."""
        return "asn"

    @property
    def level(self) -> int:
        """Pipeline stage the association feeds: 2 for ``*2`` types, 3 for ``*3`` types."""
        return int(self.asn_type[-1])

    def format(self) -> str:
        """Return the file name; ``parse_association_id(x.format()) == x``."""
        head = f"jw{self.program}-{self.candidate}_{self.version}"
        return f"{head}_{self.asn_type}_{self.counter}_asn.{self.extension}"

    def __str__(self) -> str:
        return self.format()


def parse_association_id(text: str) -> AssociationId:
    """Parse an association file name (``jw01063-o107_20220328t013707_image2_144_asn.json``).

    Raises
    ------
    InputError
        Naming the file and the part that is wrong.
    """
    _check_lower(text)
    try:
        stem, extension = _split_extension(text)
        tokens = stem.split("_")
        if len(tokens) != 5 or tokens[-1] != "asn":
            raise InputError(
                "association names are jwPPPPP-<candidate>_<YYYYMMDDtHHMMSS>_<type>_<NNN>_asn.json"
            )
        program, dash, candidate = tokens[0][2:].partition("-")
        if not dash:
            raise InputError(f"association names start with jwPPPPP-<candidate>, got {tokens[0]!r}")
        if extension is None:
            raise InputError("association file name needs the .json extension")
        result = AssociationId(program, candidate, tokens[1], tokens[2], tokens[3], extension)
    except InputError as exc:
        raise _reraise(text, exc) from None
    return result


@dataclass(frozen=True)
class PoolId:
    """An association pool file name: ``jw<program>_<version>_pool.csv``."""

    program: str
    version: str
    extension: str = "csv"

    def __post_init__(self) -> None:
        _digits(self.program, 5, "program")
        _check_timestamp(self.version, "version timestamp")
        if self.extension != "csv":
            raise InputError(f"pool files are .csv, got extension {self.extension!r}")

    @property
    def suffix(self) -> str:
        """Always ``pool``."""
        return "pool"

    def format(self) -> str:
        """Return the file name; ``parse_pool_id(x.format()) == x``."""
        return f"jw{self.program}_{self.version}_pool.{self.extension}"

    def __str__(self) -> str:
        return self.format()


def parse_pool_id(text: str) -> PoolId:
    """Parse a pool file name (``jw01063_20220328t013707_pool.csv``).

    Raises
    ------
    InputError
        Naming the file and the part that is wrong.
    """
    _check_lower(text)
    try:
        stem, extension = _split_extension(text)
        tokens = stem.split("_")
        if len(tokens) != 3 or tokens[-1] != "pool":
            raise InputError("pool names are jwPPPPP_<YYYYMMDDtHHMMSS>_pool.csv")
        if extension is None:
            raise InputError("pool file name needs the .csv extension")
        result = PoolId(tokens[0][2:], tokens[1], extension)
    except InputError as exc:
        raise _reraise(text, exc) from None
    return result


@dataclass(frozen=True)
class GuideStarId:
    """A guide-star product name.

    ``jw<program><obsnum><visit>_<function>_<time>[-seg<NNN>]_<suffix>.<ext>`` for ``gs-acq1``,
    ``gs-acq2``, ``gs-track`` and ``gs-fg`` (``time`` = ``yyyydddhhmmss`` at the end of the data),
    and ``jw<program><obsnum><visit>_gs-id_<attempt>_<image|stacked>-<suffix>.<ext>`` for ``gs-id``
    (``attempt`` 1-8). ``suffix`` is ``uncal`` or ``cal``.
    """

    program: str
    obsnum: str
    visit: str
    function: str
    time: str | None = None
    attempt: str | None = None
    id_product: str | None = None
    segment: str | None = None
    suffix: str | None = "uncal"
    thumb: bool = False
    extension: str | None = "fits"

    def __post_init__(self) -> None:
        _digits(self.program, 5, "program")
        _digits(self.obsnum, 3, "observation number")
        _digits(self.visit, 3, "visit number")
        if self.function not in _GS_FUNCTIONS:
            hint = _near(self.function, _GS_FUNCTIONS)
            raise InputError(f"unknown guide-star function {self.function!r}{hint}")
        if self.function == "gs-id":
            if self.attempt is None or not re.fullmatch(r"[1-8]", self.attempt):
                raise InputError(f"gs-id attempt must be 1 digit from 1 to 8, got {self.attempt!r}")
            if self.id_product not in ("image", "stacked"):
                raise InputError(f"gs-id product must be 'image' or 'stacked', got {self.id_product!r}")
            if self.time is not None:
                raise InputError("gs-id names carry an attempt number, not a time stamp")
        else:
            if self.time is None:
                raise InputError(f"{self.function} names need a yyyydddhhmmss time stamp")
            _check_doy_time(self.time)
            if self.attempt is not None or self.id_product is not None:
                raise InputError(f"{self.function} names carry a time stamp, not an attempt number")
        if self.segment is not None:
            _digits(self.segment, 3, "segment")
        if self.suffix is not None and self.suffix not in ("uncal", "cal"):
            raise InputError(f"guide-star product suffix must be 'uncal' or 'cal', got {self.suffix!r}")
        _check_product(self.suffix, self.thumb, self.extension, allowed="guidestar")

    @property
    def visit_id(self) -> str:
        """``program + obsnum + visit`` (``01410001001``)."""
        return self.program + self.obsnum + self.visit

    @property
    def code(self) -> str:
        """MAST ``productSubGroupDescription`` style code (``GS-FG``)."""
        return _GS_FUNCTIONS[self.function].code

    @property
    def exp_type(self) -> str:
        """EXP_TYPE of the product (``FGS_FINEGUIDE``, ``FGS_ID-STACK`` …)."""
        if self.function == "gs-id":
            return "FGS_ID-STACK" if self.id_product == "stacked" else "FGS_ID-IMAGE"
        return _GS_FUNCTIONS[self.function].exp_types[0]

    def format(self) -> str:
        """Return the file name; ``parse_guide_star_id(x.format()) == x``."""
        out = f"jw{self.visit_id}_{self.function}_"
        if self.function == "gs-id":
            out += f"{self.attempt}"
            if self.segment is not None:
                out += f"-seg{self.segment}"
            out += f"_{self.id_product}"
            out += f"-{self.suffix}" if self.suffix is not None else ""
        else:
            out += f"{self.time}"
            if self.segment is not None:
                out += f"-seg{self.segment}"
            out += f"_{self.suffix}" if self.suffix is not None else ""
        if self.thumb:
            out += "_thumb"
        if self.extension is not None:
            out += "." + self.extension
        return out

    def __str__(self) -> str:
        return self.format()


def _check_doy_time(value: str) -> None:
    if not re.fullmatch(r"\d{13}", value):
        raise InputError(f"guide-star time stamp must be 13 digits yyyydddhhmmss, got {value!r}")
    doy, hour, minute, second = int(value[4:7]), int(value[7:9]), int(value[9:11]), int(value[11:13])
    if not (1 <= doy <= 366 and hour < 24 and minute < 60 and second < 61):
        raise InputError(f"guide-star time stamp is not a valid yyyydddhhmmss, got {value!r}")


def parse_guide_star_id(text: str) -> GuideStarId:
    """Parse a guide-star product name (``jw01410001001_gs-fg_2022044225832_uncal.fits``).

    Raises
    ------
    InputError
        Naming the file and the part that is wrong.
    """
    _check_lower(text)
    try:
        stem, extension = _split_extension(text)
        tokens = stem.split("_")
        if len(tokens) < 3:
            raise InputError("guide-star names are jwPPPPPOOOVVV_gs-<function>_<time>_<suffix>.fits")
        program, obsnum, visit = _split_visit_id(tokens[0])
        function = tokens[1]
        if function not in _GS_FUNCTIONS:
            raise InputError(f"unknown guide-star function {function!r}{_near(function, _GS_FUNCTIONS)}")
        stamp, _, seg = tokens[2].partition("-seg")
        rest = tokens[3:]
        thumb = bool(rest) and rest[-1] == "thumb"
        if thumb:
            rest = rest[:-1]
        if len(rest) > 1:
            raise InputError(f"unexpected fields after the product suffix: {'_'.join(rest[1:])!r}")
        time = attempt = id_product = None
        suffix = rest[0] if rest else None
        if function == "gs-id":
            attempt = stamp
            if suffix is None:
                raise InputError("gs-id names need an image/stacked product field")
            id_product, _, id_suffix = suffix.partition("-")
            suffix = id_suffix or None
        else:
            time = stamp
        result = GuideStarId(
            program, obsnum, visit, function, time, attempt, id_product, seg or None, suffix, thumb, extension
        )
    except InputError as exc:
        raise _reraise(text, exc) from None
    if result.format() != text:
        raise InputError(f"{text}: not a canonical guide-star name (rebuilds as {result.format()!r})")
    return result


JWSTName = ExposureId | Level3Id | AssociationId | PoolId | GuideStarId


def parse_filename(name: str) -> JWSTName:
    """Parse any JWST identifier or product file name into the matching dataclass.

    Dispatch: ``jwPPPPP-…`` with a ``<digits>t<digits>`` timestamp second field is an association,
    otherwise a stage-3 id; ``jw…_<timestamp>_…`` is a pool; ``…_gs-…`` a guide-star product;
    anything else an exposure id.

    Raises
    ------
    InputError
        Naming the identifier and the part that is wrong.

    Examples
    --------
    >>> type(parse_filename("jw01063_20220328t013707_pool.csv")).__name__
    'PoolId'
    """
    _check_lower(name)
    tokens = name.split(".")[0].split("_")
    head = tokens[0]
    if len(tokens) == 1 and re.fullmatch(r"jw\d{5}", head):
        raise InputError(f"{name}: a program id (jwPPPPP), not a file name or observation id")
    stamped = len(tokens) > 1 and re.fullmatch(r"\d+t\d+", tokens[1]) is not None
    if "-" in head:
        return parse_association_id(name) if stamped else parse_level3_id(name)
    if stamped:
        return parse_pool_id(name)
    if len(tokens) > 1 and tokens[1].startswith("gs-"):
        return parse_guide_star_id(name)
    return parse_exposure_id(name)


@dataclass(frozen=True)
class ProductInfo:
    """What a product's file name says about it, as MAST's product table spells it.

    Attributes
    ----------
    filename
        The base name.
    kind
        ``exposure``, ``level3``, ``association``, ``pool`` or ``guidestar``.
    suffix
        Product suffix (``uncal``, ``i2d``, ``asn``, ``pool``; guide stars ``uncal``/``cal``).
    extension
        ``fits``, ``jpg`` …
    file_type
        MAST ``productSubGroupDescription`` (``UNCAL``, ``I2D``, ``ASN``, ``GS-FG`` …).
    calib_level
        1, 2 or 3.
    product_level
        MAST ``productLevel``: ``1b``, ``2a``, ``2b``, ``2c`` or ``3``.
    product_type
        ``SCIENCE``, ``PREVIEW``, ``THUMBNAIL``, ``INFO`` or ``AUXILIARY``.
    content_type
        MIME type.
    """

    filename: str
    kind: str
    suffix: str
    extension: str
    file_type: str
    calib_level: int
    product_level: str
    product_type: str
    content_type: str
    parsed: JWSTName = field(repr=False, compare=False)


_KIND: Mapping[type, str] = MappingProxyType(
    {ExposureId: "exposure", Level3Id: "level3", AssociationId: "association", PoolId: "pool",
     GuideStarId: "guidestar"}
)  # fmt: skip


def product_info(filename: str) -> ProductInfo:
    """Describe a product file from its name: suffix, MAST file type, level, product and content type.

    Parameters
    ----------
    filename
        A base name, a path or a ``mast:JWST/product/<name>`` URI (only the last part is used).

    Returns
    -------
    ProductInfo

    Raises
    ------
    InputError
        When the name is not a JWST product file name (no suffix or extension, unknown suffix …).

    Examples
    --------
    >>> product_info("jw01410001001_02101_00001_nrca1_cal_thumb.jpg").product_type
    'THUMBNAIL'
    """
    base = re.split(r"[/\\]", filename)[-1] if isinstance(filename, str) else filename
    parsed = parse_filename(base)
    kind = _KIND[type(parsed)]
    suffix = parsed.suffix
    extension = parsed.extension
    if suffix is None or extension is None:
        raise InputError(f"{base}: not a product file name (needs _<suffix>.<extension>)")
    if isinstance(parsed, GuideStarId):
        code, product_type = parsed.code, "AUXILIARY"
        calib, level = (1, "1b") if suffix == "uncal" else (2, "2b")
    elif isinstance(parsed, AssociationId):
        code, product_type = "ASN", "INFO"
        calib, level = (2, "2b") if parsed.level == 2 else (3, "3")
    elif isinstance(parsed, PoolId):
        calib, level, code, product_type = 3, "3", "POOL", "INFO"
    else:
        record = _SUFFIXES[suffix]
        code, product_type = record.code, record.product_type
        if isinstance(parsed, Level3Id):
            calib, level = 3, "3"
        else:
            level = record.exposure_level or "2b"
            calib = 1 if level == "1b" else 2
        if extension != record.extension and extension in ("fits", "ecsv", "json", "csv"):
            raise InputError(f"{base}: {suffix!r} products are .{record.extension}, got .{extension}")
    if getattr(parsed, "thumb", False):
        product_type = "THUMBNAIL"
    elif extension in ("jpg", "png"):
        product_type = "PREVIEW"
    return ProductInfo(
        base, kind, suffix, extension, code, calib, level, product_type, CONTENT_TYPES[extension], parsed
    )


def describe(text: str) -> str:
    """A few lines saying what a JWST name is made of (what ``jwstarchive name`` prints).

    Raises
    ------
    InputError
        When ``text`` is not a JWST identifier or product file name; the message names the part.
    """
    parsed = parse_filename(text)
    lines = [f"{text}: {_KIND[type(parsed)]}"]
    for name in parsed.__dataclass_fields__:
        value = getattr(parsed, name)
        if value not in (None, False, ()):
            lines.append(f"  {name}: {'-'.join(value) if isinstance(value, tuple) else value}")
    if getattr(parsed, "suffix", None) and getattr(parsed, "extension", None):
        info = product_info(text)
        lines.append(f"  product: {info.file_type}, calib_level {info.calib_level}, {info.product_type}, "
                     f"{info.content_type}")
    return "\n".join(lines)
