"""Observing set-ups the generator draws from: what astronomers really ask JWST to do.

Each :class:`Setup` is one observing mode with the instrument configurations it is used with
(optical elements, detectors, readout patterns, subarrays, typical groups, integrations and
dithers). The wavelength range of each element pair is in micron.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SETUPS", "Config", "Setup", "setup_for"]

NIRCAM_SW = ("nrca1", "nrca2", "nrca3", "nrca4", "nrcb1", "nrcb2", "nrcb3", "nrcb4")
NIRCAM_LW = ("nrcalong", "nrcblong")


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
    tso: bool = False
    level2: tuple[str, ...] = ("rate", "rateints", "cal")
    level3: tuple[str, ...] = ("i2d", "segm", "cat")
    previews: tuple[str, ...] = ("uncal", "cal")
    asn2: str = "image2"
    asn3: str = "image3"
    config_pairs: int = 1


def _nircam_pairs(*pairs: tuple[str, str, float, float, float, float]) -> tuple[Config, ...]:
    configs: list[Config] = []
    for sw, lw, sw0, sw1, lw0, lw1 in pairs:
        configs.append(Config(sw, "CLEAR", NIRCAM_SW, (sw0, sw1)))
        configs.append(Config(lw, "CLEAR", NIRCAM_LW, (lw0, lw1)))
    return tuple(configs)


SETUPS: tuple[Setup, ...] = (
    Setup(
        "NIRCAM/IMAGE",
        "NIRCAM",
        "NRC_IMAGE",
        "NIRCam Imaging",
        "image",
        _nircam_pairs(
            ("F090W", "F277W", 0.795, 1.005, 2.42, 3.13),
            ("F115W", "F356W", 1.013, 1.282, 3.14, 3.98),
            ("F150W", "F444W", 1.331, 1.668, 3.88, 4.99),
            ("F200W", "F410M", 1.755, 2.226, 3.87, 4.30),
            ("F182M", "F335M", 1.722, 1.968, 3.18, 3.52),
            ("F210M", "F480M", 1.992, 2.201, 4.66, 4.97),
        ),
        ("DEEP8", "MEDIUM8", "SHALLOW4", "BRIGHT1", "MEDIUM2", "DEEP2"),
        10.737,
        {
            "RAPID": 1,
            "BRIGHT1": 1,
            "BRIGHT2": 2,
            "SHALLOW2": 5,
            "SHALLOW4": 5,
            "MEDIUM2": 8,
            "MEDIUM8": 8,
            "DEEP2": 20,
            "DEEP8": 20,
        },
        (3, 10),
        (1, 1),
        (3, 4, 6, 9),
        config_pairs=2,
        level2=("rate", "rateints", "trapsfilled", "cal", "i2d"),
    ),
    Setup(
        "NIRCAM/WFSS",
        "NIRCAM",
        "NRC_WFSS",
        "NIRCam Wide Field Slitless Spectroscopy",
        "spectrum",
        (
            Config("F444W", "GRISMR", NIRCAM_LW, (3.88, 4.99)),
            Config("F356W", "GRISMR", NIRCAM_LW, (3.14, 3.98)),
            Config("F322W2", "GRISMC", NIRCAM_LW, (2.43, 4.01)),
        ),
        ("DEEP8", "MEDIUM8", "SHALLOW4"),
        10.737,
        {"DEEP8": 20, "MEDIUM8": 8, "SHALLOW4": 5},
        (5, 12),
        (1, 1),
        (3, 4),
        level2=("rate", "rateints", "cal", "x1d"),
        level3=("x1d", "c1d"),
        asn2="spec2",
        asn3="spec3",
    ),
    Setup(
        "NIRCAM/GRISM",
        "NIRCAM",
        "NRC_TSGRISM",
        "NIRCam Grism Time Series",
        "timeseries",
        (
            Config("F322W2", "GRISMR", ("nrcalong",), (2.43, 4.01), "SUBGRISM64"),
            Config("F444W", "GRISMR", ("nrcalong",), (3.88, 4.99), "SUBGRISM64"),
        ),
        ("RAPID", "BRIGHT1"),
        0.34061,
        {"RAPID": 1, "BRIGHT1": 1},
        (6, 20),
        (400, 1500),
        (1,),
        tso=True,
        level2=("rate", "rateints", "calints", "x1dints"),
        level3=("x1dints", "whtlt"),
        asn2="tso-spec2",
        asn3="tso3",
    ),
    Setup(
        "NIRCAM/CORON",
        "NIRCAM",
        "NRC_CORON",
        "NIRCam Coronagraphic Imaging",
        "image",
        (
            Config("F335M", "MASKRND", ("nrcalong",), (3.18, 3.52), "SUB320A335R", "NRCA5_MASK335R"),
            Config("F444W", "MASKRND", ("nrcalong",), (3.88, 4.99), "SUB320A335R", "NRCA5_MASK335R"),
        ),
        ("MEDIUM8", "DEEP8"),
        1.0737,
        {"MEDIUM8": 8, "DEEP8": 20},
        (8, 12),
        (20, 60),
        (1, 5),
        level2=("rate", "rateints", "calints", "psfalign", "psfsub"),
        level3=("psfstack", "i2d"),
        asn3="coron3",
    ),
    Setup(
        "NIRSPEC/MSA",
        "NIRSPEC",
        "NRS_MSASPEC",
        "NIRSpec MultiObject Spectroscopy",
        "spectrum",
        (
            Config("CLEAR", "PRISM", ("nrs1", "nrs2"), (0.6, 5.3)),
            Config("F290LP", "G395M", ("nrs1", "nrs2"), (2.87, 5.10)),
            Config("F290LP", "G395H", ("nrs1", "nrs2"), (2.87, 5.14)),
            Config("F170LP", "G235M", ("nrs1", "nrs2"), (1.66, 3.07)),
            Config("F070LP", "G140M", ("nrs1", "nrs2"), (0.70, 1.27)),
        ),
        ("NRSIRS2", "NRSIRS2RAPID"),
        14.58889,
        {"NRSIRS2": 5, "NRSIRS2RAPID": 1},
        (14, 25),
        (1, 2),
        (3,),
        level2=("rate", "rateints", "cal", "s2d", "x1d"),
        level3=("s2d", "x1d"),
        asn2="spec2",
        asn3="spec3",
    ),
    Setup(
        "NIRSPEC/IFU",
        "NIRSPEC",
        "NRS_IFU",
        "NIRSpec IFU Spectroscopy",
        "cube",
        (
            Config("F290LP", "G395H", ("nrs1", "nrs2"), (2.87, 5.14)),
            Config("F170LP", "G235H", ("nrs1", "nrs2"), (1.66, 3.17)),
            Config("F100LP", "G140H", ("nrs1", "nrs2"), (0.97, 1.89)),
            Config("CLEAR", "PRISM", ("nrs1", "nrs2"), (0.6, 5.3)),
        ),
        ("NRSIRS2RAPID", "NRSIRS2"),
        14.58889,
        {"NRSIRS2": 5, "NRSIRS2RAPID": 1},
        (10, 30),
        (1, 1),
        (4, 8),
        level2=("rate", "rateints", "cal", "s3d", "x1d"),
        level3=("s3d", "x1d"),
        asn2="spec2",
        asn3="spec3",
    ),
    Setup(
        "NIRSPEC/SLIT",
        "NIRSPEC",
        "NRS_FIXEDSLIT",
        "NIRSpec Fixed Slit Spectroscopy",
        "spectrum",
        (
            Config("F070LP", "G140H", ("nrs1", "nrs2"), (0.70, 1.27), "SUBS200A1", "NRS_S200A1_SLIT"),
            Config("F290LP", "G395H", ("nrs1", "nrs2"), (2.87, 5.14), "SUBS200A1", "NRS_S200A1_SLIT"),
            Config("F070LP", "G140H", ("nrs1", "nrs2"), (0.70, 1.27), "ALLSLITS", "NRS_S200B1_SLIT"),
            Config("F170LP", "G235H", ("nrs1", "nrs2"), (1.66, 3.17), "SUBS400A1", "NRS_S400A1_SLIT"),
            Config("CLEAR", "PRISM", ("nrs1",), (0.6, 5.3), "SUB512", "NRS_S1600A1_SLIT"),
        ),
        ("NRSRAPID", "NRS"),
        0.90156,
        {"NRSRAPID": 1, "NRS": 4},
        (10, 40),
        (1, 3),
        (3, 5),
        level2=("rate", "rateints", "cal", "s2d", "x1d"),
        level3=("s2d", "x1d"),
        asn2="spec2",
        asn3="spec3",
    ),
    Setup(
        "NIRSPEC/BOTS",
        "NIRSPEC",
        "NRS_BRIGHTOBJ",
        "NIRSpec Bright Object Time Series",
        "timeseries",
        (
            Config("CLEAR", "PRISM", ("nrs1",), (0.6, 5.3), "SUB512", "NRS_S1600A1_SLIT"),
            Config("F290LP", "G395H", ("nrs1", "nrs2"), (2.87, 5.14), "SUB2048", "NRS_S1600A1_SLIT"),
        ),
        ("NRSRAPID",),
        0.90156,
        {"NRSRAPID": 1},
        (5, 20),
        (300, 1400),
        (1,),
        tso=True,
        level2=("rate", "rateints", "calints", "x1dints"),
        level3=("x1dints", "whtlt"),
        asn2="tso-spec2",
        asn3="tso3",
    ),
    Setup(
        "NIRISS/SOSS",
        "NIRISS",
        "NIS_SOSS",
        "NIRISS Single Object Slitless Spectroscopy",
        "timeseries",
        (
            Config("CLEAR", "GR700XD", ("nis",), (0.6, 2.8), "SUBSTRIP256", "NIS_SUBSTRIP256"),
            Config("CLEAR", "GR700XD", ("nis",), (0.6, 2.8), "SUBSTRIP96", "NIS_SUBSTRIP96"),
        ),
        ("NISRAPID",),
        5.494,
        {"NISRAPID": 1},
        (3, 12),
        (200, 900),
        (1,),
        tso=True,
        level2=("rate", "rateints", "calints", "x1dints"),
        level3=("x1dints", "whtlt"),
        asn2="tso-spec2",
        asn3="tso3",
    ),
    Setup(
        "NIRISS/WFSS",
        "NIRISS",
        "NIS_WFSS",
        "NIRISS Wide Field Slitless Spectroscopy",
        "spectrum",
        (
            Config("GR150R", "F115W", ("nis",), (1.01, 1.28)),
            Config("GR150C", "F150W", ("nis",), (1.33, 1.67)),
            Config("GR150R", "F200W", ("nis",), (1.75, 2.23)),
        ),
        ("NIS",),
        10.737,
        {"NIS": 4},
        (10, 20),
        (1, 1),
        (3, 4),
        level2=("rate", "rateints", "cal", "x1d"),
        level3=("x1d", "c1d"),
        asn2="spec2",
        asn3="spec3",
    ),
    Setup(
        "NIRISS/IMAGE",
        "NIRISS",
        "NIS_IMAGE",
        "NIRISS Imaging",
        "image",
        (
            Config("CLEAR", "F115W", ("nis",), (1.01, 1.28)),
            Config("CLEAR", "F150W", ("nis",), (1.33, 1.67)),
            Config("CLEAR", "F200W", ("nis",), (1.75, 2.23)),
        ),
        ("NIS",),
        10.737,
        {"NIS": 4},
        (6, 15),
        (1, 1),
        (4, 6),
        level2=("rate", "rateints", "cal", "i2d"),
    ),
    Setup(
        "NIRISS/AMI",
        "NIRISS",
        "NIS_AMI",
        "NIRISS Aperture Masking Interferometry",
        "image",
        (
            Config("NRM", "F480M", ("nis",), (4.66, 4.97), "SUB80", "NIS_AMI1"),
            Config("NRM", "F380M", ("nis",), (3.73, 3.92), "SUB80", "NIS_AMI1"),
        ),
        ("NISRAPID",),
        0.0745,
        {"NISRAPID": 1},
        (5, 12),
        (60, 300),
        (1,),
        level2=("rate", "rateints", "calints", "ami"),
        level3=("amiavg", "aminorm"),
        asn3="ami3",
    ),
    Setup(
        "MIRI/IMAGE",
        "MIRI",
        "MIR_IMAGE",
        "MIRI Imaging",
        "image",
        (
            Config("F560W", "", ("mirimage",), (5.05, 6.17)),
            Config("F770W", "", ("mirimage",), (6.58, 8.69)),
            Config("F1000W", "", ("mirimage",), (9.02, 10.89)),
            Config("F1130W", "", ("mirimage",), (10.95, 11.67)),
            Config("F1280W", "", ("mirimage",), (11.59, 14.12)),
            Config("F1500W", "", ("mirimage",), (13.53, 16.64)),
            Config("F1800W", "", ("mirimage",), (16.52, 19.50)),
            Config("F2100W", "", ("mirimage",), (18.48, 23.16)),
            Config("F2550W", "", ("mirimage",), (23.46, 26.70)),
        ),
        ("FASTR1", "FAST", "SLOWR1"),
        2.775,
        {"FASTR1": 1, "FAST": 1, "SLOWR1": 1},
        (10, 60),
        (1, 3),
        (4, 8),
        level2=("rate", "rateints", "cal", "i2d"),
    ),
    Setup(
        "MIRI/IFU",
        "MIRI",
        "MIR_MRS",
        "MIRI Medium Resolution Spectroscopy",
        "cube",
        (
            Config("", "SHORT", ("mirifushort", "mirifulong"), (4.9, 18.0)),
            Config("", "MEDIUM", ("mirifushort", "mirifulong"), (5.7, 20.9)),
            Config("", "LONG", ("mirifushort", "mirifulong"), (6.5, 27.9)),
        ),
        ("FASTR1", "SLOWR1"),
        2.775,
        {"FASTR1": 1, "SLOWR1": 1},
        (15, 80),
        (1, 4),
        (4,),
        level2=("rate", "rateints", "cal", "s3d", "x1d"),
        level3=("s3d", "x1d"),
        asn2="spec2",
        asn3="spec3",
    ),
    Setup(
        "MIRI/SLIT",
        "MIRI",
        "MIR_LRS-FIXEDSLIT",
        "MIRI Low Resolution Spectroscopy",
        "spectrum",
        (Config("P750L", "", ("mirimage",), (5.0, 14.0), "FULL", "MIRIM_SLIT"),),
        ("FASTR1",),
        2.775,
        {"FASTR1": 1},
        (20, 100),
        (1, 3),
        (2,),
        level2=("rate", "rateints", "cal", "s2d", "x1d"),
        level3=("s2d", "x1d"),
        asn2="spec2",
        asn3="spec3",
    ),
    Setup(
        "MIRI/SLITLESS",
        "MIRI",
        "MIR_LRS-SLITLESS",
        "MIRI Low Resolution Spectroscopy",
        "timeseries",
        (Config("P750L", "", ("mirimage",), (5.0, 12.0), "SLITLESSPRISM", "MIRIM_SLITLESSPRISM"),),
        ("FASTR1",),
        0.159,
        {"FASTR1": 1},
        (20, 80),
        (500, 3000),
        (1,),
        tso=True,
        level2=("rate", "rateints", "calints", "x1dints"),
        level3=("x1dints", "whtlt"),
        asn2="tso-spec2",
        asn3="tso3",
    ),
    Setup(
        "MIRI/CORON",
        "MIRI",
        "MIR_4QPM",
        "MIRI Coronagraphic Imaging",
        "image",
        (
            Config("F1065C", "", ("mirimage",), (10.2, 10.9), "MASK1065", "MIRIM_MASK1065"),
            Config("F1550C", "", ("mirimage",), (15.2, 15.9), "MASK1550", "MIRIM_MASK1550"),
        ),
        ("FASTR1",),
        0.24,
        {"FASTR1": 1},
        (50, 200),
        (20, 100),
        (1, 5),
        level2=("rate", "rateints", "calints", "psfalign", "psfsub"),
        level3=("psfstack", "i2d"),
        asn3="coron3",
    ),
    Setup(
        "FGS",
        "FGS",
        "FGS_IMAGE",
        "FGS External Calibration",
        "image",
        (Config("", "", ("guider1",), (0.6, 5.0)), Config("", "", ("guider2",), (0.6, 5.0))),
        ("FGS", "FGSRAPID"),
        10.737,
        {"FGS": 4, "FGSRAPID": 1},
        (3, 10),
        (1, 2),
        (1, 3),
        level2=("rate", "rateints", "cal"),
        level3=("i2d",),
    ),
)

_BY_MODE = {s.mode: s for s in SETUPS}


def setup_for(mode: str) -> Setup:
    """The set-up of a MAST mode name such as ``NIRSPEC/MSA``."""
    return _BY_MODE[mode]
