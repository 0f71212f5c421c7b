"""Real sky targets the generator observes: deep fields, clusters, exoplanet hosts, nebulae,
Galactic regions and Local Group galaxies (positions ICRS, degrees, rounded to ~1 arcsec)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TARGETS", "SkyTarget", "targets_of_kind"]


@dataclass(frozen=True)
class SkyTarget:
    """A named sky position with the classification MAST would show."""

    name: str
    ra: float
    dec: float
    kind: str
    classification: str
    description: str
    redshift: float | None = None
    moving: bool = False


def _t(
    name: str,
    ra: float,
    dec: float,
    kind: str,
    classification: str,
    description: str,
    redshift: float | None = None,
) -> SkyTarget:
    return SkyTarget(name, ra, dec, kind, classification, description, redshift)


TARGETS: tuple[SkyTarget, ...] = (
    # Deep fields
    _t("GOODS-S", 53.1625, -27.7914, "deep", "Galaxy;High-redshift galaxies", "GOODS South deep field"),
    _t("HUDF", 53.1625, -27.7914, "deep", "Galaxy;High-redshift galaxies", "Hubble Ultra Deep Field"),
    _t("GOODS-S-DEEP", 53.13, -27.80, "deep", "Galaxy;High-redshift galaxies", "JADES deep pointing"),
    _t("GOODS-N", 189.2283, 62.2383, "deep", "Galaxy;High-redshift galaxies", "GOODS North deep field"),
    _t("COSMOS", 150.1192, 2.2058, "deep", "Galaxy;High-redshift galaxies", "COSMOS field"),
    _t("UDS", 34.4167, -5.2000, "deep", "Galaxy;High-redshift galaxies", "UKIDSS Ultra Deep Survey"),
    _t("EGS", 214.8250, 52.8250, "deep", "Galaxy;High-redshift galaxies", "Extended Groth Strip"),
    _t(
        "NEP-TDF",
        260.6917,
        65.8167,
        "deep",
        "Galaxy;High-redshift galaxies",
        "North Ecliptic Pole Time-Domain Field",
    ),
    # Lensing clusters
    _t(
        "ABELL-2744",
        3.5875,
        -30.3975,
        "cluster",
        "Galaxy cluster;Gravitational lens",
        "Pandora's cluster",
        0.308,
    ),
    _t(
        "SMACS-0723",
        110.8375,
        -73.4547,
        "cluster",
        "Galaxy cluster;Gravitational lens",
        "SMACS J0723.3-7327",
        0.39,
    ),
    _t(
        "MACS-J0416",
        64.0381,
        -24.0675,
        "cluster",
        "Galaxy cluster;Gravitational lens",
        "MACS J0416.1-2403",
        0.396,
    ),
    _t(
        "EL-GORDO",
        15.7388,
        -49.2719,
        "cluster",
        "Galaxy cluster;Gravitational lens",
        "ACT-CL J0102-4915",
        0.87,
    ),
    _t("ABELL-370", 39.9704, -1.5822, "cluster", "Galaxy cluster;Gravitational lens", "Abell 370", 0.375),
    _t(
        "MACS-J0647",
        101.9614,
        70.2472,
        "cluster",
        "Galaxy cluster;Gravitational lens",
        "MACS J0647.7+7015",
        0.591,
    ),
    _t("RXJ2129", 322.4165, 0.0892, "cluster", "Galaxy cluster;Gravitational lens", "RX J2129.7+0005", 0.234),
    _t(
        "MACS-J1149",
        177.3987,
        22.3985,
        "cluster",
        "Galaxy cluster;Gravitational lens",
        "MACS J1149.5+2223",
        0.543,
    ),
    _t(
        "ABELL-S1063",
        342.1832,
        -44.5309,
        "cluster",
        "Galaxy cluster;Gravitational lens",
        "Abell S1063",
        0.348,
    ),
    # Nearby galaxies and groups
    _t(
        "STEPHANS-QUINTET",
        339.0142,
        33.9597,
        "galaxy",
        "Galaxy;Interacting galaxies",
        "Hickson Compact Group 92",
    ),
    _t("NGC-628", 24.1739, 15.7836, "galaxy", "Galaxy;Spiral", "M74, PHANGS"),
    _t("NGC-1365", 53.4016, -36.1404, "galaxy", "Galaxy;Barred spiral", "PHANGS barred spiral"),
    _t("NGC-7496", 347.4471, -43.4278, "galaxy", "Galaxy;Barred spiral", "PHANGS"),
    _t("NGC-1433", 55.5062, -47.2219, "galaxy", "Galaxy;Barred spiral", "PHANGS"),
    _t("IC-5332", 353.6146, -36.1011, "galaxy", "Galaxy;Spiral", "PHANGS"),
    _t("NGC-7469", 345.8151, 8.8740, "galaxy", "Galaxy;Seyfert", "GOALS Seyfert 1 with starburst ring"),
    _t("M51", 202.4696, 47.1952, "galaxy", "Galaxy;Spiral", "Whirlpool galaxy"),
    _t("M82", 148.9685, 69.6797, "galaxy", "Galaxy;Starburst", "Cigar galaxy"),
    _t("ARP-220", 233.7385, 23.5033, "galaxy", "Galaxy;ULIRG", "Merging ultraluminous infrared galaxy"),
    _t("VV-114", 16.9471, -17.5067, "galaxy", "Galaxy;LIRG", "Interacting luminous infrared galaxy"),
    _t("NGC-300", 13.7229, -37.6844, "galaxy", "Galaxy;Spiral", "Sculptor group spiral"),
    # Local Group
    _t("M31", 10.6847, 41.2690, "localgroup", "Galaxy;Local Group", "Andromeda"),
    _t("M33", 23.4621, 30.6599, "localgroup", "Galaxy;Local Group", "Triangulum"),
    _t("LMC-N79", 72.9700, -69.3900, "localgroup", "ISM;H II region", "LMC star-forming region N79"),
    _t("30-DOR", 84.6765, -69.1008, "localgroup", "ISM;H II region", "Tarantula Nebula"),
    _t("NGC-346", 14.7708, -72.1769, "localgroup", "Star cluster;Young", "SMC young cluster"),
    _t("NGC-6822", 296.2404, -14.8031, "localgroup", "Galaxy;Dwarf irregular", "Barnard's galaxy"),
    _t("WLM", 0.4925, -15.4608, "localgroup", "Galaxy;Dwarf irregular", "Wolf-Lundmark-Melotte"),
    _t("IC-1613", 16.1992, 2.1178, "localgroup", "Galaxy;Dwarf irregular", "IC 1613"),
    _t("DRACO", 260.0517, 57.9153, "localgroup", "Galaxy;Dwarf spheroidal", "Draco dwarf spheroidal"),
    _t("SCULPTOR-DSPH", 15.0392, -33.7092, "localgroup", "Galaxy;Dwarf spheroidal", "Sculptor dwarf"),
    # Nebulae, star formation, Galactic regions
    _t("NGC-3324", 159.2200, -58.6100, "galactic", "ISM;H II region", "Cosmic Cliffs, Carina"),
    _t("NGC-3132", 151.7573, -40.4364, "galactic", "ISM;Planetary nebula", "Southern Ring Nebula"),
    _t("M16", 274.7000, -13.8167, "galactic", "ISM;H II region", "Pillars of Creation"),
    _t("ORION-BAR", 83.8375, -5.4181, "galactic", "ISM;Photodissociation region", "Orion Bar PDR"),
    _t("CAS-A", 350.8500, 58.8150, "galactic", "ISM;Supernova remnant", "Cassiopeia A"),
    _t("CRAB", 83.6331, 22.0145, "galactic", "ISM;Supernova remnant", "Crab Nebula"),
    _t("M57", 283.3963, 33.0292, "galactic", "ISM;Planetary nebula", "Ring Nebula"),
    _t("WESTERLUND-1", 251.7667, -45.8511, "galactic", "Star cluster;Young massive", "Westerlund 1"),
    _t("RHO-OPH", 246.7875, -24.5000, "galactic", "ISM;Molecular cloud", "Rho Ophiuchi cloud core"),
    _t("SGR-A*", 266.4168, -29.0078, "galactic", "Galactic center", "Galactic Centre"),
    _t("NGC-1333", 52.2958, 31.3083, "galactic", "ISM;Molecular cloud", "Perseus embedded cluster"),
    _t("HH-211", 55.9892, 32.0497, "galactic", "ISM;Outflow", "Protostellar jet"),
    _t("L1527", 69.9742, 26.0528, "galactic", "Star;Protostar", "Class 0 protostar in Taurus"),
    _t("2MASS-J04345542+2428531", 68.73091, 24.48140, "galactic", "Star;Young stellar object", "Taurus YSO"),
    _t("HL-TAU", 67.9100, 18.2322, "galactic", "Star;Young stellar object", "Protoplanetary disk"),
    _t("NGC-602", 22.3833, -73.5583, "galactic", "Star cluster;Young", "SMC wing cluster"),
    _t("47-TUC", 6.0236, -72.0813, "galactic", "Star cluster;Globular", "47 Tucanae"),
    _t("NGC-6397", 265.1754, -53.6743, "galactic", "Star cluster;Globular", "Nearby globular cluster"),
    _t(
        "J002031-365342",
        5.1300,
        -36.8950,
        "deep",
        "Galaxy;High-redshift galaxies",
        "Field galaxy behind Sculptor",
    ),
    # Exoplanet hosts and stars with disks
    _t("WASP-39", 217.3266, -3.4445, "exoplanet", "Star;Exoplanet host", "Hot Saturn host"),
    _t("WASP-96", 19.0604, -47.8628, "exoplanet", "Star;Exoplanet host", "Hot Saturn host"),
    _t("WASP-107", 188.3866, -10.1462, "exoplanet", "Star;Exoplanet host", "Warm Neptune host"),
    _t(
        "TRAPPIST-1",
        346.6223,
        -5.0414,
        "exoplanet",
        "Star;Exoplanet host",
        "Ultracool dwarf with seven planets",
    ),
    _t("HD-189733", 300.1821, 22.7097, "exoplanet", "Star;Exoplanet host", "Hot Jupiter host"),
    _t("HD-209458", 330.7950, 18.8843, "exoplanet", "Star;Exoplanet host", "Hot Jupiter host"),
    _t("GJ-1214", 258.8289, 4.9639, "exoplanet", "Star;Exoplanet host", "Sub-Neptune host"),
    _t("K2-18", 172.5604, 7.5883, "exoplanet", "Star;Exoplanet host", "Temperate sub-Neptune host"),
    _t("WASP-18", 24.3542, -45.6778, "exoplanet", "Star;Exoplanet host", "Ultra-hot Jupiter host"),
    _t("WASP-43", 160.5423, -9.8064, "exoplanet", "Star;Exoplanet host", "Hot Jupiter host"),
    _t("WASP-121", 107.6004, -39.0976, "exoplanet", "Star;Exoplanet host", "Ultra-hot Jupiter host"),
    _t("WASP-76", 26.6329, 2.7003, "exoplanet", "Star;Exoplanet host", "Ultra-hot Jupiter host"),
    _t("WASP-17", 239.9625, -28.0614, "exoplanet", "Star;Exoplanet host", "Inflated hot Jupiter host"),
    _t("HAT-P-14", 260.1163, 38.2419, "exoplanet", "Star;Exoplanet host", "SOSS commissioning target"),
    _t("55-CNC", 133.1493, 28.3308, "exoplanet", "Star;Exoplanet host", "Super-Earth host"),
    _t("HIP-65426", 201.1500, -51.5044, "exoplanet", "Star;Exoplanet host", "Directly imaged planet host"),
    _t("VHS-1256-1257", 194.0075, -12.9575, "exoplanet", "Star;Brown dwarf", "Planetary-mass companion"),
    _t("BETA-PIC", 86.8212, -51.0665, "exoplanet", "Star;Debris disk", "Debris disk and planets"),
    _t("FOMALHAUT", 344.4127, -29.6222, "exoplanet", "Star;Debris disk", "Debris disk"),
    _t("EPS-ERI", 53.2327, -9.4583, "exoplanet", "Star;Debris disk", "Nearby debris disk"),
    _t("AU-MIC", 311.2897, -31.3409, "exoplanet", "Star;Debris disk", "Young M dwarf with disk"),
    _t("HR-8799", 346.8696, 21.1343, "exoplanet", "Star;Exoplanet host", "Four imaged giant planets"),
    # Calibration fields and standards
    _t(
        "LMC-ASTROMETRIC-FIELD",
        80.4875,
        -69.4986,
        "calibration",
        "Star field;Astrometric",
        "LMC calibration field",
    ),
    _t("P330-E", 247.8913, 30.1461, "calibration", "Star;Flux standard", "G-type flux standard"),
    _t("BD+60-1753", 261.2179, 60.4308, "calibration", "Star;Flux standard", "A-type flux standard"),
    _t("HD-84937", 147.2337, 13.7442, "calibration", "Star;Metal-poor", "Spectrophotometric standard"),
    _t("NGC-2506", 120.0042, -10.7700, "calibration", "Star cluster;Open", "Open cluster for flats"),
    _t(
        "2MASS-J17430448+6655015",
        265.7687,
        66.9171,
        "calibration",
        "Star;Flux standard",
        "Flux standard near NEP",
    ),
    _t("POLARIS-FIELD", 37.9546, 89.2641, "calibration", "Star field", "Field near the north celestial pole"),
    _t(
        "SOUTH-POLE-FIELD",
        140.0000,
        -89.6000,
        "calibration",
        "Star field",
        "Field near the south celestial pole",
    ),
)


def targets_of_kind(*kinds: str) -> tuple[SkyTarget, ...]:
    """Targets whose kind is one of ``kinds``."""
    return tuple(t for t in TARGETS if t.kind in kinds)
