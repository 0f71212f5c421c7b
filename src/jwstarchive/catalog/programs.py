"""The programs a generated archive holds: curated real-world cases plus random filler.

The curated programs carry the cases the seed documents use (NIRISS SOSS COM/ERS visits in
June-August 2022, NIRSpec MSA/IFU/fixed-slit data near the duplication tutorial's targets,
MIRI in GOODS-S, the big NIRCam commissioning program of the jwst_mast_query README) and some
exclusive-access programs owned by the user ``demo``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from jwstarchive.catalog.setups import setup_for
from jwstarchive.catalog.targets import TARGETS, SkyTarget

__all__ = ["EAP_OWNER", "ObsPlan", "ProgramPlan", "curated_programs", "random_program"]

EAP_OWNER = "demo"


@dataclass(frozen=True)
class ObsPlan:
    """One APT observation to generate."""

    mode: str
    target: str
    start: datetime
    configs: tuple[int, ...] = (0,)
    visits: int = 1
    dithers: int | None = None
    detectors: tuple[str, ...] | None = None
    exptime: float | None = None
    label: str = ""
    offset: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class ProgramPlan:
    """One program to generate."""

    num: int
    category: str
    cycle: int
    pi: str
    title: str
    science_category: str
    observations: tuple[ObsPlan, ...]
    eap_months: int = 0
    owner: str | None = None
    scales: frozenset[str] = field(default_factory=lambda: frozenset({"small", "demo", "large"}))


def _d(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _lre5_observations() -> tuple[ObsPlan, ...]:
    """264 short NIRCam observations (plus FGS ones), like the pre-launch LRE5 rehearsal."""
    obs: list[ObsPlan] = []
    start = _d("2022-02-13T22:58:32")
    for i in range(264):
        if i % 22 in (0, 13):
            obs.append(
                ObsPlan(
                    "FGS",
                    "LMC-ASTROMETRIC-FIELD",
                    start + timedelta(hours=5.3 * i),
                    (i % 2,),
                    dithers=1,
                    label="FGS astrometric calibration",
                )
            )
        else:
            det = ("nrca1", "nrca3", "nrcb4", "nrcalong", "nrcblong")[i % 5]
            cfg = 2 * (i % 6) + (1 if det.endswith("long") else 0)
            obs.append(
                ObsPlan(
                    "NIRCAM/IMAGE",
                    "LMC-ASTROMETRIC-FIELD",
                    start + timedelta(hours=5.3 * i),
                    (cfg,),
                    dithers=1,
                    detectors=(det,),
                    label=f"NIRCam rehearsal {i + 1}",
                    offset=((i % 12) * 40.0, (i // 12) * 40.0),
                )
            )
    return tuple(obs)


def curated_programs() -> tuple[ProgramPlan, ...]:
    """The hand-written programs, in program-number order."""
    small = frozenset({"small", "demo", "large"})
    demo = frozenset({"demo", "large"})
    return (
        ProgramPlan(
            1091,
            "COM",
            1,
            "Doyon, Rene",
            "NIRISS SOSS Commissioning",
            "Commissioning",
            (
                ObsPlan(
                    "NIRISS/SOSS",
                    "BD+60-1753",
                    _d("2022-06-02T03:10:00"),
                    (0,),
                    label="SOSS flux calibration",
                ),
                ObsPlan(
                    "NIRISS/SOSS", "HAT-P-14", _d("2022-06-07T20:41:00"), (0,), label="SOSS TSO HAT-P-14 b"
                ),
                ObsPlan("NIRISS/SOSS", "HAT-P-14", _d("2022-06-11T05:02:00"), (1,), label="SOSS SUBSTRIP96"),
            ),
            scales=small,
        ),
        ProgramPlan(
            1180,
            "GTO",
            1,
            "Eisenstein, Daniel",
            "JADES: NIRCam Imaging of GOODS-S",
            "Galaxies",
            (
                ObsPlan("NIRCAM/IMAGE", "GOODS-S", _d("2022-09-29T06:12:00"), (0, 1, 2, 3), dithers=4),
                ObsPlan(
                    "NIRCAM/IMAGE",
                    "GOODS-S",
                    _d("2022-10-03T11:40:00"),
                    (4, 5, 6, 7),
                    dithers=4,
                    offset=(120.0, -60.0),
                ),
            ),
            scales=demo,
        ),
        ProgramPlan(
            1212,
            "GTO",
            1,
            "Luetzgendorf, Nora",
            "NIRSpec MOS survey of GOODS-S",
            "Galaxies",
            (
                ObsPlan("NIRSPEC/MSA", "GOODS-S-DEEP", _d("2022-10-21T02:30:00"), (2,), exptime=1050.0),
                ObsPlan("NIRSPEC/MSA", "GOODS-S-DEEP", _d("2022-10-22T09:05:00"), (0,), exptime=2800.0),
            ),
            scales=small,
        ),
        ProgramPlan(
            1286,
            "GTO",
            1,
            "Luetzgendorf, Nora",
            "JADES: NIRSpec MOS of GOODS-S (medium)",
            "Galaxies",
            (
                ObsPlan(
                    "NIRSPEC/MSA",
                    "GOODS-S-DEEP",
                    _d("2023-01-12T04:10:00"),
                    (2,),
                    exptime=2100.0,
                    offset=(60.0, 90.0),
                ),
                ObsPlan("NIRSPEC/MSA", "GOODS-S", _d("2023-01-13T16:45:00"), (1,), exptime=3300.0),
            ),
            scales=small,
        ),
        ProgramPlan(
            1287,
            "GTO",
            1,
            "Isaak, Kate",
            "JADES: NIRSpec MOS of GOODS-S (deep)",
            "Galaxies",
            (ObsPlan("NIRSPEC/MSA", "GOODS-S-DEEP", _d("2023-10-15T22:00:00"), (2,), exptime=8300.0),),
            scales=demo,
        ),
        ProgramPlan(
            1283,
            "GTO",
            1,
            "Oestlin, Goeran",
            "MIRI Deep Imaging of the Hubble Ultra Deep Field",
            "Galaxies",
            (
                ObsPlan(
                    "MIRI/IMAGE", "HUDF", _d("2022-12-02T10:20:00"), (0,), dithers=8, label="MIDIS F560W"
                ),
                ObsPlan(
                    "MIRI/IMAGE", "HUDF", _d("2022-12-06T03:50:00"), (1,), dithers=4, label="MIDIS F770W"
                ),
                ObsPlan(
                    "MIRI/IMAGE", "GOODS-S", _d("2023-12-10T21:33:00"), (6,), dithers=4, label="MIDIS F1800W"
                ),
            ),
            scales=small,
        ),
        ProgramPlan(
            1366,
            "ERS",
            1,
            "Batalha, Natalie",
            "The Transiting Exoplanet Community Early Release Science Program",
            "Exoplanets and Exoplanet Formation",
            (
                ObsPlan("NIRSPEC/BOTS", "WASP-39", _d("2022-07-10T14:02:00"), (0,), label="PRISM transit"),
                ObsPlan(
                    "NIRCAM/GRISM", "WASP-39", _d("2022-07-22T19:53:00"), (0,), label="NIRCam grism transit"
                ),
                ObsPlan("NIRISS/SOSS", "WASP-39", _d("2022-07-26T18:11:00"), (0,), label="SOSS transit"),
            ),
            scales=small,
        ),
        ProgramPlan(
            1410,
            "COM",
            1,
            "Rieke, Marcia",
            "NIRCam-FGS Commissioning Rehearsal (LRE5)",
            "Commissioning",
            _lre5_observations(),
            scales=demo,
        ),
        ProgramPlan(
            1621,
            "GO",
            1,
            "Pontoppidan, Klaus",
            "IFU spectroscopy of embedded protostars in Taurus",
            "Stellar Physics and Stellar Types",
            (
                ObsPlan(
                    "NIRSPEC/IFU",
                    "2MASS-J04345542+2428531",
                    _d("2022-09-18T07:22:00"),
                    (0,),
                    dithers=4,
                    exptime=22.5,
                ),
                ObsPlan("NIRSPEC/IFU", "L1527", _d("2022-09-19T13:01:00"), (0, 1), dithers=4),
            ),
            eap_months=12,
            scales=small,
        ),
        ProgramPlan(
            2561,
            "GO",
            1,
            "Labbe, Ivo",
            "UNCOVER: Ultradeep NIRSpec and NIRCam ObserVations before the Epoch of Reionization",
            "Galaxies",
            (
                ObsPlan(
                    "NIRCAM/IMAGE", "ABELL-2744", _d("2022-11-02T08:00:00"), (0, 1, 2, 3, 4, 5), dithers=4
                ),
                ObsPlan("NIRSPEC/MSA", "ABELL-2744", _d("2023-07-31T03:30:00"), (0,), exptime=16000.0),
            ),
            eap_months=0,
            scales=demo,
        ),
        ProgramPlan(
            2732,
            "DD",
            1,
            "Pontoppidan, Klaus",
            "Stephan's Quintet ERO",
            "Galaxies",
            (
                ObsPlan(
                    "NIRCAM/IMAGE", "STEPHANS-QUINTET", _d("2022-06-11T05:20:00"), (0, 1, 2, 3), dithers=9
                ),
                ObsPlan("MIRI/IMAGE", "STEPHANS-QUINTET", _d("2022-06-12T13:00:00"), (1, 4, 7), dithers=4),
                ObsPlan("MIRI/IFU", "STEPHANS-QUINTET", _d("2022-06-13T01:11:00"), (0, 1, 2)),
            ),
            scales=demo,
        ),
        ProgramPlan(
            2733,
            "DD",
            1,
            "Pontoppidan, Klaus",
            "Southern Ring Nebula ERO",
            "Stellar Populations",
            (
                ObsPlan("NIRCAM/IMAGE", "NGC-3132", _d("2022-06-03T12:00:00"), (0, 1, 4, 5), dithers=6),
                ObsPlan("MIRI/IMAGE", "NGC-3132", _d("2022-06-12T22:40:00"), (3,), dithers=4),
            ),
            scales=small,
        ),
        ProgramPlan(
            2734,
            "DD",
            1,
            "Pontoppidan, Klaus",
            "Exoplanet Atmosphere ERO: WASP-96 b",
            "Exoplanets and Exoplanet Formation",
            (ObsPlan("NIRISS/SOSS", "WASP-96", _d("2022-06-21T02:44:00"), (0,)),),
            scales=demo,
        ),
        ProgramPlan(
            2736,
            "DD",
            1,
            "Pontoppidan, Klaus",
            "SMACS 0723 ERO",
            "Galaxies",
            (
                ObsPlan(
                    "NIRCAM/IMAGE", "SMACS-0723", _d("2022-06-07T11:15:00"), (0, 1, 4, 5, 6, 7), dithers=9
                ),
                ObsPlan("NIRSPEC/MSA", "SMACS-0723", _d("2022-06-30T18:44:00"), (1, 0), exptime=8840.0),
                ObsPlan("NIRISS/WFSS", "SMACS-0723", _d("2022-06-30T08:00:00"), (0, 2)),
                ObsPlan("MIRI/IMAGE", "SMACS-0723", _d("2022-06-14T06:01:00"), (1, 4, 5, 7)),
            ),
            scales=demo,
        ),
        ProgramPlan(
            3215,
            "GTO",
            2,
            "Eisenstein, Daniel",
            "JADES Origins Field",
            "Galaxies",
            (
                ObsPlan(
                    "NIRSPEC/MSA",
                    "GOODS-S-DEEP",
                    _d("2024-01-08T14:00:00"),
                    (2,),
                    exptime=1900.0,
                    offset=(-40.0, 30.0),
                ),
            ),
            scales=small,
        ),
        ProgramPlan(
            4446,
            "GO",
            3,
            "Frebel, Anna",
            "Fixed-slit spectroscopy of faint galaxies behind Sculptor",
            "Galaxies",
            (
                ObsPlan("NIRSPEC/SLIT", "J002031-365342", _d("2024-11-04T09:30:00"), (2,), exptime=1750.0),
                ObsPlan("NIRSPEC/SLIT", "NGC-300", _d("2024-11-05T20:10:00"), (3,), exptime=600.0),
            ),
            eap_months=12,
            scales=small,
        ),
        ProgramPlan(
            6010,
            "CAL",
            4,
            "Gordon, Karl",
            "MIRI absolute flux calibration",
            "Calibration",
            (
                ObsPlan("MIRI/IMAGE", "P330-E", _d("2025-09-14T05:00:00"), (0, 2, 4), dithers=2),
                ObsPlan("NIRSPEC/SLIT", "P330-E", _d("2025-09-15T06:40:00"), (4,)),
                ObsPlan("FGS", "SOUTH-POLE-FIELD", _d("2025-09-20T10:00:00"), (0,)),
                ObsPlan("NIRCAM/IMAGE", "POLARIS-FIELD", _d("2025-09-22T00:00:00"), (0, 1), dithers=3),
            ),
            scales=small,
        ),
        ProgramPlan(
            7123,
            "GO",
            5,
            "Kartaltepe, Jeyhan",
            "COSMOS-Deep: NIRCam imaging of COSMOS",
            "Galaxies",
            (
                ObsPlan("NIRCAM/IMAGE", "COSMOS", _d("2026-08-12T03:00:00"), (0, 1, 4, 5), dithers=4),
                ObsPlan("NIRCAM/WFSS", "COSMOS", _d("2026-08-14T09:00:00"), (0,)),
            ),
            eap_months=12,
            owner=EAP_OWNER,
            scales=small,
        ),
        ProgramPlan(
            7456,
            "GO",
            5,
            "Berne, Olivier",
            "The Orion Bar with MIRI MRS",
            "Stellar Physics",
            (ObsPlan("MIRI/IFU", "ORION-BAR", _d("2026-10-02T15:30:00"), (0, 1, 2)),),
            eap_months=12,
            owner=EAP_OWNER,
            scales=small,
        ),
        ProgramPlan(
            7890,
            "GO",
            5,
            "Espinoza, Nestor",
            "A SOSS phase curve of WASP-121 b",
            "Exoplanets and Exoplanet Formation",
            (ObsPlan("NIRISS/SOSS", "WASP-121", _d("2026-11-03T01:15:00"), (0,)),),
            eap_months=12,
            owner=EAP_OWNER,
            scales=demo,
        ),
    )


PI_NAMES = (
    "Adams, Nathan",
    "Bezanson, Rachel",
    "Bradley, Larry",
    "Carniani, Stefano",
    "Cooper, Michael",
    "Dressler, Alan",
    "Egami, Eiichi",
    "Finkelstein, Steven",
    "Greene, Thomas",
    "Hainline, Kevin",
    "Kirkpatrick, Allison",
    "Leung, Tsz Kuk",
    "Maiolino, Roberto",
    "Naidu, Rohan",
    "Oesch, Pascal",
    "Perez-Gonzalez, Pablo",
    "Rigby, Jane",
    "Stevenson, Kevin",
    "Tumlinson, Jason",
    "Windhorst, Rogier",
    "Yan, Haojing",
    "Zhang, Zhoujian",
    "Ressler, Michael",
    "Lagage, Pierre-Olivier",
    "Wright, Gillian",
)

TITLE_TEMPLATES = {
    "image": ("Deep imaging of {t}", "Resolved stellar populations in {t}", "A panchromatic survey of {t}"),
    "spectrum": ("Spectroscopic confirmation of sources in {t}", "Emission-line diagnostics in {t}"),
    "cube": ("Integral-field mapping of {t}", "Ice and gas chemistry in {t}"),
    "timeseries": ("Transmission spectroscopy of {t}", "Thermal emission and phase curve of {t}"),
}

SCI_CATEGORY = {
    "deep": "Galaxies",
    "cluster": "Galaxies",
    "galaxy": "Galaxies",
    "localgroup": "Stellar Populations",
    "galactic": "Stellar Physics and Stellar Types",
    "exoplanet": "Exoplanets and Exoplanet Formation",
    "calibration": "Calibration",
}

MODE_WEIGHTS = {
    "NIRCAM/IMAGE": 30,
    "NIRSPEC/MSA": 10,
    "NIRSPEC/IFU": 8,
    "MIRI/IMAGE": 14,
    "MIRI/IFU": 8,
    "NIRISS/SOSS": 4,
    "NIRSPEC/BOTS": 3,
    "NIRCAM/GRISM": 2,
    "NIRISS/WFSS": 3,
    "NIRCAM/WFSS": 4,
    "NIRSPEC/SLIT": 4,
    "MIRI/SLIT": 2,
    "MIRI/SLITLESS": 2,
    "NIRISS/IMAGE": 2,
    "NIRISS/AMI": 1,
    "NIRCAM/CORON": 2,
    "MIRI/CORON": 2,
    "FGS": 1,
}

KIND_FOR_MODE = {
    "NIRISS/SOSS": ("exoplanet",),
    "NIRSPEC/BOTS": ("exoplanet",),
    "NIRCAM/GRISM": ("exoplanet",),
    "MIRI/SLITLESS": ("exoplanet",),
    "NIRISS/AMI": ("exoplanet",),
    "NIRCAM/CORON": ("exoplanet",),
    "MIRI/CORON": ("exoplanet",),
    "FGS": ("calibration",),
}

CYCLE_STARTS = ((1, "2022-07-01"), (2, "2023-07-01"), (3, "2024-07-01"), (4, "2025-07-01"), (5, "2026-07-01"))


def _cycle_of(date: datetime) -> int:
    cycle = 1
    for number, start in CYCLE_STARTS:
        if date >= _d(start):
            cycle = number
    return cycle


def random_program(rng: random.Random, num: int, start: datetime, end: datetime) -> ProgramPlan:
    """A plausible program: a PI, a title, 1-6 observations in one mode family near one target."""
    modes = list(MODE_WEIGHTS)
    mode = rng.choices(modes, weights=[MODE_WEIGHTS[m] for m in modes])[0]
    kinds = KIND_FOR_MODE.get(mode, ("deep", "cluster", "galaxy", "localgroup", "galactic"))
    target = rng.choice([t for t in TARGETS if t.kind in kinds])
    setup = setup_for(mode)
    span = (end - start).total_seconds()
    first = start + timedelta(seconds=rng.uniform(0, span * 0.98))
    category = rng.choices(("GO", "GTO", "GO", "DD", "CAL"), weights=(60, 20, 10, 4, 6))[0]
    if target.kind == "calibration":
        category = "CAL"
    n_obs = rng.randint(1, 6)
    observations = []
    when = first
    for i in range(n_obs):
        n_cfg = min(len(setup.configs), rng.choice((1, 1, 2, 3)) * setup.config_pairs)
        first_cfg = rng.randrange(0, len(setup.configs))
        configs = tuple(sorted({(first_cfg + k) % len(setup.configs) for k in range(n_cfg)}))
        offset = (rng.uniform(-150, 150), rng.uniform(-150, 150)) if i else (0.0, 0.0)
        observations.append(ObsPlan(mode, target.name, when, configs, offset=offset))
        when += timedelta(hours=rng.uniform(2, 24 * 20))
    templates = TITLE_TEMPLATES[setup.dataproduct_type]
    title = rng.choice(templates).format(t=target.description if rng.random() < 0.5 else target.name)
    eap = 0 if category in ("DD", "CAL") else 12
    return ProgramPlan(
        num,
        category,
        _cycle_of(first),
        rng.choice(PI_NAMES),
        title,
        SCI_CATEGORY[target.kind],
        tuple(observations),
        eap_months=eap,
    )


def target_by_name(name: str) -> SkyTarget:
    """The curated target called ``name``."""
    for target in TARGETS:
        if target.name == name:
            return target
    raise KeyError(name)
