"""Observing set-ups the generator draws from: what astronomers really ask JWST to do.

Each :class:`Setup` is one observing mode with the instrument configurations it is used with
(optical elements, detectors, readout patterns, subarrays, typical groups, integrations and
dithers). The wavelength range of each configuration is in micron.

What :mod:`jwstarchive.naming` knows is read from there: the mode an EXP_TYPE is filed under, its
instrument, data product type and time-series flag, the detectors (a mode's, or a NIRCam channel's),
the default subarray, frames per group of a readout pattern and the wavelength range of the optical
elements. This module adds only what the generator chooses: which configurations, templates, exposure
sizes and pipeline products, and the values where the generated archive differs from naming's tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from jwstarchive.naming import DETECTORS, FILTERS, exp_type_info, get_mode, get_readout_pattern, wavelength_range

__all__ = ["SETUPS", "Config", "Setup", "setup_for"]


@dataclass(frozen=True)
class Config:
    """One instrument configuration: FILTER and PUPIL (or GRATING/BAND) and where they land."""

    filter: str
    pupil: str
    detectors: tuple[str, ...]
    wave: tuple[float, float]
    subarray: str = "FULL"
    aperture: str | None = None


@dataclass(frozen=True)
class Setup:
    """An observing mode and how it is typically used."""

    mode: str
    instrument: str
    exp_type: str
    template: str
    dataproduct_type: str
    configs: tuple[Config, ...]
    readpatts: tuple[str, ...]
    tframe: float
    nframes: dict[str, int]
    ngroups: tuple[int, int]
    nints: tuple[int, int]
    dithers: tuple[int, ...]
    tso: bool
    level2: tuple[str, ...]
    level3: tuple[str, ...]
    asn2: str
    asn3: str
    config_pairs: int = 1


# Stage-2 products, stage-3 products and the stage-2 and stage-3 association types of each pipeline flavour.
_PIPELINES: dict[str, tuple[str, str, str, str]] = {
    "image": ("rate rateints cal i2d", "i2d segm cat", "image2", "image3"),
    "nircam-image": ("rate rateints trapsfilled cal i2d", "i2d segm cat", "image2", "image3"),
    "fgs": ("rate rateints cal", "i2d", "image2", "image3"),
    "coron": ("rate rateints calints psfalign psfsub", "psfstack i2d", "image2", "coron3"),
    "ami": ("rate rateints calints ami", "amiavg aminorm", "image2", "ami3"),
    "wfss": ("rate rateints cal x1d", "x1d c1d", "spec2", "spec3"),
    "slit": ("rate rateints cal s2d x1d", "s2d x1d", "spec2", "spec3"),
    "ifu": ("rate rateints cal s3d x1d", "s3d x1d", "spec2", "spec3"),
    "tso": ("rate rateints calints x1dints", "x1dints whtlt", "tso-spec2", "tso3"),
}

# The generator's values that differ from naming's documented ones (frames per group of NIRCam patterns;
# rounded or mode-specific wavelength ranges, keyed by instrument or mode and the elements that carry the
# bandpass). They stay as generated archives have them: reconciling them changes archive content.
_NFRAMES = {"SHALLOW4": 5, "MEDIUM2": 8, "DEEP2": 20, "DEEP8": 20}


def _ranges(text: str) -> dict[str, tuple[float, float]]:
    """``"NIRCAM F444W 3.88 4.99; ..."`` -> ``{"NIRCAM F444W": (3.88, 4.99), ...}``."""
    out = {}
    for item in text.split(";"):
        *key, lo, hi = item.split()
        out[" ".join(key)] = (float(lo), float(hi))
    return out


_WAVES = _ranges(
    "NIRCAM F277W 2.42 3.13; NIRCAM F444W 3.88 4.99; NIRCAM F410M 3.87 4.30; NIRCAM F335M 3.18 3.52;"
    "NIRCAM F480M 4.66 4.97; NIRCAM F322W2 2.43 4.01;"
    "NIRSPEC F290LP/G395M 2.87 5.10; NIRSPEC F290LP/G395H 2.87 5.14; NIRSPEC F170LP/G235M 1.66 3.07;"
    "NIRSPEC F070LP/G140H 0.70 1.27;"
    "NIRISS F115W 1.01 1.28; NIRISS F150W 1.33 1.67; NIRISS F200W 1.75 2.23; NIRISS F480M 4.66 4.97;"
    "NIRISS F380M 3.73 3.92;"
    "MIRI F560W 5.05 6.17; MIRI F770W 6.58 8.69; MIRI F1000W 9.02 10.89; MIRI F1130W 10.95 11.67;"
    "MIRI F1280W 11.59 14.12; MIRI F1500W 13.53 16.64; MIRI F1800W 16.52 19.50; MIRI F2100W 18.48 23.16;"
    "MIRI F2550W 23.46 26.70; MIRI SHORT 4.9 18.0; MIRI MEDIUM 5.7 20.9; MIRI LONG 6.5 27.9;"
    "MIRI F1065C 10.2 10.9; MIRI F1550C 15.2 15.9; MIRI/SLITLESS P750L 5.0 12.0; FGS 0.6 5.0"
)
_BANDPASSES = frozenset((b.instrument, b.name) for b in FILTERS)


def _config(mode: str, exp_mode: str, instrument: str, text: str, detectors: str) -> Config:
    """A configuration from ``"FILTER PUPIL [sub=S] [ap=A] [det=D]"`` (``-`` for an empty element).

    ``det`` is comma-separated detector names or a NIRCam channel (``SHORT``/``LONG``); it defaults to
    the set-up's ``detectors``, or else the mode's. The subarray defaults to the mode's default one.
    """
    filt, pupil, *extras = text.split()
    opts = dict(x.split("=") for x in extras)
    naming_mode = get_mode(exp_mode)
    elements = [e for e in (filt, pupil) if e != "-"]
    det = opts.get("det", detectors)
    if not det:
        dets = naming_mode.detectors
    elif det in ("SHORT", "LONG"):
        dets = tuple(d.name for d in DETECTORS if d.instrument == instrument and d.channel == det)
    else:
        dets = tuple(det.split(","))
    band = "/".join(e for e in elements if (instrument, e) in _BANDPASSES) or " ".join(elements)
    wave = _WAVES.get(f"{mode} {band}".strip()) or _WAVES.get(f"{instrument} {band}".strip())
    return Config(
        "" if filt == "-" else filt,
        "" if pupil == "-" else pupil,
        dets,
        wave or wavelength_range(instrument, band),
        opts.get("sub", naming_mode.subarrays[0]),
        opts.get("ap"),
    )


def _setup(
    exp_type: str,
    template: str,
    pipeline: str,
    readpatts: str,
    exposure: tuple[float, tuple[int, int], tuple[int, int], tuple[int, ...]],
    configs: str,
    *,
    mode: str = "",
    detectors: str = "",
    config_pairs: int = 1,
) -> Setup:
    """One set-up: naming supplies mode, instrument, product type, detectors, frames; ``exposure`` is
    (frame time in s, groups range, integrations range, dither choices)."""
    info = exp_type_info(exp_type)
    mode = mode or info.mode
    instrument = get_mode(info.mode).instrument
    patterns = tuple(readpatts.split())
    level2, level3, asn2, asn3 = _PIPELINES[pipeline]
    tframe, ngroups, nints, dithers = exposure
    return Setup(
        mode,
        instrument,
        exp_type,
        template,
        info.dataproduct_type,
        tuple(_config(mode, info.mode, instrument, c, detectors) for c in configs.split(";")),
        patterns,
        tframe,
        {p: _NFRAMES.get(p, get_readout_pattern(p).nframes) for p in patterns},
        ngroups,
        nints,
        dithers,
        info.tso,
        tuple(level2.split()),
        tuple(level3.split()),
        asn2,
        asn3,
        config_pairs,
    )


SETUPS: tuple[Setup, ...] = (
    _setup(
        "NRC_IMAGE", "NIRCam Imaging", "nircam-image", "DEEP8 MEDIUM8 SHALLOW4 BRIGHT1 MEDIUM2 DEEP2",
        (10.737, (3, 10), (1, 1), (3, 4, 6, 9)),
        "F090W CLEAR det=SHORT; F277W CLEAR det=LONG; F115W CLEAR det=SHORT; F356W CLEAR det=LONG;"
        "F150W CLEAR det=SHORT; F444W CLEAR det=LONG; F200W CLEAR det=SHORT; F410M CLEAR det=LONG;"
        "F182M CLEAR det=SHORT; F335M CLEAR det=LONG; F210M CLEAR det=SHORT; F480M CLEAR det=LONG",
        config_pairs=2,
    ),
    _setup(
        "NRC_WFSS", "NIRCam Wide Field Slitless Spectroscopy", "wfss", "DEEP8 MEDIUM8 SHALLOW4",
        (10.737, (5, 12), (1, 1), (3, 4)), "F444W GRISMR; F356W GRISMR; F322W2 GRISMC",
    ),
    _setup(
        "NRC_TSGRISM", "NIRCam Grism Time Series", "tso", "RAPID BRIGHT1",
        (0.34061, (6, 20), (400, 1500), (1,)), "F322W2 GRISMR; F444W GRISMR",
    ),
    _setup(
        "NRC_CORON", "NIRCam Coronagraphic Imaging", "coron", "MEDIUM8 DEEP8",
        (1.0737, (8, 12), (20, 60), (1, 5)),
        "F335M MASKRND ap=NRCA5_MASK335R; F444W MASKRND ap=NRCA5_MASK335R", detectors="nrcalong",
    ),
    _setup(
        "NRS_MSASPEC", "NIRSpec MultiObject Spectroscopy", "slit", "NRSIRS2 NRSIRS2RAPID",
        (14.58889, (14, 25), (1, 2), (3,)),
        "CLEAR PRISM; F290LP G395M; F290LP G395H; F170LP G235M; F070LP G140M",
    ),
    _setup(
        "NRS_IFU", "NIRSpec IFU Spectroscopy", "ifu", "NRSIRS2RAPID NRSIRS2",
        (14.58889, (10, 30), (1, 1), (4, 8)), "F290LP G395H; F170LP G235H; F100LP G140H; CLEAR PRISM",
    ),
    _setup(
        "NRS_FIXEDSLIT", "NIRSpec Fixed Slit Spectroscopy", "slit", "NRSRAPID NRS",
        (0.90156, (10, 40), (1, 3), (3, 5)),
        "F070LP G140H sub=SUBS200A1 ap=NRS_S200A1_SLIT; F290LP G395H sub=SUBS200A1 ap=NRS_S200A1_SLIT;"
        "F070LP G140H sub=ALLSLITS ap=NRS_S200B1_SLIT; F170LP G235H sub=SUBS400A1 ap=NRS_S400A1_SLIT;"
        "CLEAR PRISM sub=SUB512 ap=NRS_S1600A1_SLIT det=nrs1",
    ),
    _setup(
        "NRS_BRIGHTOBJ", "NIRSpec Bright Object Time Series", "tso", "NRSRAPID",
        (0.90156, (5, 20), (300, 1400), (1,)),
        "CLEAR PRISM sub=SUB512 ap=NRS_S1600A1_SLIT det=nrs1; F290LP G395H sub=SUB2048 ap=NRS_S1600A1_SLIT",
        mode="NIRSPEC/BOTS",  # naming files NRS_BRIGHTOBJ under NIRSPEC/SLIT; archives have this name
    ),
    _setup(
        "NIS_SOSS", "NIRISS Single Object Slitless Spectroscopy", "tso", "NISRAPID",
        (5.494, (3, 12), (200, 900), (1,)),
        "CLEAR GR700XD ap=NIS_SUBSTRIP256; CLEAR GR700XD sub=SUBSTRIP96 ap=NIS_SUBSTRIP96",
    ),
    _setup(
        "NIS_WFSS", "NIRISS Wide Field Slitless Spectroscopy", "wfss", "NIS",
        (10.737, (10, 20), (1, 1), (3, 4)), "GR150R F115W; GR150C F150W; GR150R F200W",
    ),
    _setup(
        "NIS_IMAGE", "NIRISS Imaging", "image", "NIS",
        (10.737, (6, 15), (1, 1), (4, 6)), "CLEAR F115W; CLEAR F150W; CLEAR F200W",
    ),
    _setup(
        "NIS_AMI", "NIRISS Aperture Masking Interferometry", "ami", "NISRAPID",
        (0.0745, (5, 12), (60, 300), (1,)), "NRM F480M ap=NIS_AMI1; NRM F380M ap=NIS_AMI1",
    ),
    _setup(
        "MIR_IMAGE", "MIRI Imaging", "image", "FASTR1 FAST SLOWR1",
        (2.775, (10, 60), (1, 3), (4, 8)),
        "F560W -; F770W -; F1000W -; F1130W -; F1280W -; F1500W -; F1800W -; F2100W -; F2550W -",
    ),
    _setup(
        "MIR_MRS", "MIRI Medium Resolution Spectroscopy", "ifu", "FASTR1 SLOWR1",
        (2.775, (15, 80), (1, 4), (4,)), "- SHORT; - MEDIUM; - LONG",
    ),
    _setup(
        "MIR_LRS-FIXEDSLIT", "MIRI Low Resolution Spectroscopy", "slit", "FASTR1",
        (2.775, (20, 100), (1, 3), (2,)), "P750L - ap=MIRIM_SLIT",
    ),
    _setup(
        "MIR_LRS-SLITLESS", "MIRI Low Resolution Spectroscopy", "tso", "FASTR1",
        (0.159, (20, 80), (500, 3000), (1,)), "P750L - ap=MIRIM_SLITLESSPRISM",
    ),
    _setup(
        "MIR_4QPM", "MIRI Coronagraphic Imaging", "coron", "FASTR1",
        (0.24, (50, 200), (20, 100), (1, 5)),
        "F1065C - ap=MIRIM_MASK1065; F1550C - sub=MASK1550 ap=MIRIM_MASK1550",
    ),
    _setup(
        "FGS_IMAGE", "FGS External Calibration", "fgs", "FGS FGSRAPID",
        (10.737, (3, 10), (1, 2), (1, 3)), "- - det=guider1; - - det=guider2",
    ),
)  # fmt: skip

_BY_MODE = {s.mode: s for s in SETUPS}


def setup_for(mode: str) -> Setup:
    """The set-up of a MAST mode name such as ``NIRSPEC/MSA``."""
    return _BY_MODE[mode]
