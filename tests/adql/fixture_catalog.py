"""The ADQL test catalog and a real DuckDB database holding it (used by conftest.py and the bench).

Three published tables (``jwst.main``, ``ivoa.obscore``, ``jwst.artifact``) plus an upload
(``tap_upload.sources``), filled with seeded random rows, including positions within a degree
of both poles and on both sides of RA 0/360. Position-indexed tables carry the hidden
``_healpix``/``_x``/``_y``/``_z`` columns and are sorted by ``_healpix``, as the store does.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from astropy import units as u
from astropy.coordinates import Latitude, Longitude
from cdshealpix import nested

from jwstarchive.adql import geometry
from jwstarchive.catalog.tables import Column, PositionIndex, Table

DATA = Path(__file__).parents[1] / "data" / "adql"

MAIN = Table(
    "jwst",
    "main",
    (
        Column("obsid", "char", "36", description="Observation identifier (UUID)", ucd="meta.id"),
        Column("observationid", "char", "*", description="JWST observation id", ucd="meta.id;obs"),
        Column("calibrationlevel", "int", ucd="meta.code;obs.calib"),
        Column("max_cal_level", "int"),
        Column("public", "boolean", description="Data are public"),
        Column("instrument_name", "char", "*", ucd="meta.id;instr"),
        Column("energy_bandpassname", "char", "*", ucd="instr.filter"),
        Column("dataproducttype", "char", "*"),
        Column("target_name", "char", "*", ucd="meta.id;src"),
        Column("target_ra", "double", unit="deg", ucd="pos.eq.ra;meta.main"),
        Column("target_dec", "double", unit="deg", ucd="pos.eq.dec;meta.main"),
        Column("time_exposure", "double", unit="s", ucd="time.duration;obs.exposure"),
        Column("proposal_id", "char", "*"),
        Column("position_bounds_spoly", "char", "*", description="Footprint (STC-S)"),
        Column("members", "char", "*"),
    ),
    description="One row per plane",
    position=PositionIndex("target_ra", "target_dec"),
)

OBSCORE = Table(
    "ivoa",
    "obscore",
    (
        Column("obs_id", "char", "*", ucd="meta.id"),
        Column("dataproduct_type", "char", "*", ucd="meta.code.class"),
        Column("calib_level", "short", ucd="meta.code;obs.calib"),
        Column("s_ra", "double", unit="deg", ucd="pos.eq.ra"),
        Column("s_dec", "double", unit="deg", ucd="pos.eq.dec"),
        Column("s_fov", "double", unit="deg"),
        Column("s_region", "double", "*", xtype="polygon", unit="deg", ucd="pos.outline;obs.field"),
        Column("t_min", "double", unit="d", ucd="time.start;obs.exposure"),
        Column("t_exptime", "double", unit="s"),
        Column("em_min", "double", unit="m", ucd="em.wl;stat.min"),
        Column("em_max", "double", unit="m", ucd="em.wl;stat.max"),
        Column("instrument_name", "char", "*"),
        Column("access_estsize", "long", unit="kbyte"),
    ),
    position=PositionIndex("s_ra", "s_dec"),
)

ARTIFACT = Table(
    "jwst",
    "artifact",
    (
        Column("artifactid", "char", "36", ucd="meta.id"),
        Column("obsid", "char", "36", ucd="meta.id"),
        Column("filename", "char", "*"),
        Column("producttype", "char", "*"),
        Column("contentlength", "long", unit="byte"),
    ),
)

UPLOAD = Table(
    "tap_upload",
    "sources",
    (Column("name", "char", "*"), Column("ra", "double", unit="deg"), Column("dec", "double", unit="deg")),
    table_type="table",
)

OTHER_USER = Table("user_bob", "secret", (Column("x", "double"),), owner="bob")

INSTRUMENTS = ["NIRCAM/IMAGE", "NIRSPEC/IFU", "MIRI/IMAGE", "NIRISS/SOSS", "FGS"]
FILTERS = ["F200W", "F444W", "F1800W", "CLEAR", "F090W"]


def sky(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Uniform positions plus clumps at both poles and astride RA 0/360."""
    ra = rng.uniform(0, 360, n)
    dec = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    k = n // 8
    ra[:k] = rng.uniform(0, 360, k)
    dec[:k] = 90 - rng.uniform(0, 1.5, k)
    ra[k : 2 * k] = rng.uniform(0, 360, k)
    dec[k : 2 * k] = -90 + rng.uniform(0, 1.5, k)
    ra[2 * k : 3 * k] = rng.uniform(-2, 2, k) % 360
    dec[2 * k : 3 * k] = rng.uniform(-3, 3, k)
    return ra, dec


def index_columns(ra: np.ndarray, dec: np.ndarray) -> dict[str, np.ndarray]:
    """The hidden columns of a position index (depth 29)."""
    hp = nested.lonlat_to_healpix(Longitude(ra, u.deg), Latitude(dec, u.deg), 29).astype(np.int64)
    xyz = geometry.unit_vector(ra, dec)
    return {"_healpix": hp, "_x": xyz[:, 0], "_y": xyz[:, 1], "_z": xyz[:, 2]}


def _footprint(ra: float, dec: float, size: float) -> list[float]:
    poly = geometry.box(ra, dec, size, size)
    return [c for v in poly.vertices for c in v]


def build_database(con: duckdb.DuckDBPyConnection, n_main: int = 3000, seed: int = 42) -> None:
    """Create and fill the fixture tables on ``con``."""
    rng = np.random.default_rng(seed)
    ra, dec = sky(rng, n_main)
    ids = [f"{i:08d}-0000-4000-8000-{i:012d}" for i in range(n_main)]
    level = rng.integers(1, 4, n_main)
    footprints = [_footprint(a, b, 0.05) for a, b in zip(ra, dec, strict=True)]
    main = {
        "obsid": ids,
        "observationid": [f"jw{1000 + i % 50:05d}{i % 7:03d}001_0210{i % 9}_00001_nrca1" for i in range(n_main)],
        "calibrationlevel": level.astype(np.int32),
        "max_cal_level": np.full(n_main, 3, dtype=np.int32),
        "public": rng.random(n_main) < 0.7,
        "instrument_name": [INSTRUMENTS[i % 5] for i in range(n_main)],
        "energy_bandpassname": [FILTERS[(i * 3) % 5] for i in range(n_main)],
        "dataproducttype": ["image" if i % 3 else "spectrum" for i in range(n_main)],
        "target_name": [f"TARGET {i % 97}" if i % 11 else None for i in range(n_main)],
        "target_ra": ra,
        "target_dec": dec,
        "time_exposure": rng.uniform(10, 5000, n_main),
        "proposal_id": [f"{1000 + i % 50:05d}" for i in range(n_main)],
        "position_bounds_spoly": [
            "Polygon ICRS " + " ".join(f"{c:.8f}" for c in fp) if i % 13 else None for i, fp in enumerate(footprints)
        ],
        "members": [f"caom:JWST/jw{1000 + i % 50:05d} caom:JWST/jw0{i}" for i in range(n_main)],
        **index_columns(ra, dec),
    }
    _create(con, "jwst", "main", main)

    n_obs = n_main // 2
    ra2, dec2 = sky(rng, n_obs)
    obscore = {
        "obs_id": [f"jw{2000 + i:05d}-o001_t001_nircam" for i in range(n_obs)],
        "dataproduct_type": ["image" if i % 4 else "cube" for i in range(n_obs)],
        "calib_level": (np.arange(n_obs) % 4).astype(np.int16),
        "s_ra": ra2,
        "s_dec": dec2,
        "s_fov": np.full(n_obs, 0.1),
        "s_region": pa.array(
            [_footprint(a, b, 0.1) for a, b in zip(ra2, dec2, strict=True)], type=pa.list_(pa.float64())
        ),
        "t_min": rng.uniform(59000, 60500, n_obs),
        "t_exptime": rng.uniform(10, 3000, n_obs),
        "em_min": rng.uniform(6e-7, 2e-6, n_obs),
        "em_max": rng.uniform(2e-6, 2.8e-5, n_obs),
        "instrument_name": [INSTRUMENTS[i % 5] for i in range(n_obs)],
        "access_estsize": rng.integers(1000, 10**7, n_obs),
        **index_columns(ra2, dec2),
    }
    _create(con, "ivoa", "obscore", obscore)

    artifact = {
        "artifactid": [f"a{i:07d}-0000-4000-8000-{i:012d}" for i in range(2 * n_main)],
        "obsid": [ids[i // 2] for i in range(2 * n_main)],
        "filename": [f"jw{i:06d}_{'cal' if i % 2 else 'uncal'}.fits" for i in range(2 * n_main)],
        "producttype": ["science" if i % 2 else "preview" for i in range(2 * n_main)],
        "contentlength": rng.integers(10**5, 10**9, 2 * n_main),
    }
    _create(con, "jwst", "artifact", artifact, sort=False)

    ra3, dec3 = sky(rng, 40)
    ra3[:10], dec3[:10] = ra[:10] + 0.001, dec[:10]
    upload = {"name": [f"src{i}" for i in range(40)], "ra": ra3, "dec": dec3}
    _create(con, "tap_upload", "sources", upload, sort=False)
    con.execute("CREATE SCHEMA IF NOT EXISTS user_bob")
    con.execute("CREATE TABLE user_bob.secret AS SELECT 42.0 AS x")
    con.execute("CREATE SCHEMA IF NOT EXISTS core")
    con.execute("CREATE TABLE core.passwords AS SELECT 'alice' AS login, 'hunter2' AS password")


def _create(con: duckdb.DuckDBPyConnection, schema: str, name: str, data: dict[str, object], sort: bool = True) -> None:
    table = pa.table(data)
    con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    con.register("_staging", table)
    order = " ORDER BY _healpix" if sort else ""
    con.execute(f'CREATE TABLE "{schema}"."{name}" AS SELECT * FROM _staging{order}')
    con.unregister("_staging")


def read_corpus(name: str) -> list[tuple[str, str]]:
    """``(id, query)`` pairs of a corpus file: ``-- id: <name>`` lines start entries."""
    entries: list[tuple[str, str]] = []
    current: list[str] = []
    ident = None
    for line in (DATA / name).read_text(encoding="utf-8").split("\n"):
        if line.startswith("-- id: "):
            if ident is not None:
                entries.append((ident, "\n".join(current).strip()))
            ident, current = line[len("-- id: ") :].strip(), []
        elif ident is not None:
            current.append(line)
    if ident is not None:
        entries.append((ident, "\n".join(current).strip()))
    return entries
