"""Spherical geometry: pure functions, and DuckDB results against brute force.

The cone tests compare, for random centres (poles and RA 0/360 included) and radii from
0.001 to 20 degrees, three sets of rows: the translated query with the HEALPix prefilter, the
same query without it, and a brute-force angular separation computed by astropy.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from astropy import units as u
from astropy.coordinates import SkyCoord
from fixture_catalog import index_columns

from jwstarchive.adql import compile, geometry, parse, rules_duckdb
from jwstarchive.catalog.tables import Column, PositionIndex, Table, TableCatalog
from jwstarchive.errors import UnsupportedFeature

STARS = Table(
    "sky",
    "stars",
    (Column("id", "long"), Column("ra", "double", unit="deg"), Column("dec", "double", unit="deg")),
    position=PositionIndex("ra", "dec"),
)

CENTRES = [
    (0.0, 0.0),
    (359.99, 0.5),
    (0.001, -0.3),
    (180.0, 89.999),
    (17.0, -89.95),
    (123.4, 45.6),
    (270.0, -30.0),
    (359.5, 89.0),
]
RADII = [0.001, 0.01, 0.1, 0.5, 2.0, 5.0, 20.0]


def _points(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    ra = rng.uniform(0, 360, n)
    dec = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    per = n // (2 * len(CENTRES))
    for i, (cra, cdec) in enumerate(CENTRES):
        # dense clumps around each centre, at scales from arcseconds to tens of degrees
        sl = slice(n // 2 + i * per, n // 2 + (i + 1) * per)
        scale = 10 ** rng.uniform(-3.5, 1.3, per)
        bearing = rng.uniform(0, 2 * np.pi, per)
        c = geometry.unit_vector(cra, cdec)
        east = np.array([-math.sin(math.radians(cra)), math.cos(math.radians(cra)), 0.0])
        if np.linalg.norm(east) < 1e-9:
            east = np.array([0.0, 1.0, 0.0])
        north = np.cross(c, east)
        d = np.radians(scale)[:, None]
        direction = np.cos(bearing)[:, None] * east + np.sin(bearing)[:, None] * north
        v = np.cos(d) * c + np.sin(d) * direction
        ra[sl] = np.degrees(np.arctan2(v[:, 1], v[:, 0])) % 360
        dec[sl] = np.degrees(np.arcsin(np.clip(v[:, 2], -1, 1)))
    return ra, dec


@pytest.fixture(scope="module")
def sky() -> Iterator[tuple[duckdb.DuckDBPyConnection, TableCatalog, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(7)
    ra, dec = _points(rng, 120_000)
    con = duckdb.connect()
    rules_duckdb.install(con)
    con.execute("CREATE SCHEMA sky")
    data = pa.table({"id": np.arange(len(ra)), "ra": ra, "dec": dec, **index_columns(ra, dec)})
    con.register("staging", data)
    con.execute("CREATE TABLE sky.stars AS SELECT * FROM staging ORDER BY _healpix")
    con.unregister("staging")
    yield con, TableCatalog([STARS]), ra, dec
    con.close()


def _ids(con: duckdb.DuckDBPyConnection, catalog: TableCatalog, adql: str, healpix: bool = True) -> set[int]:
    sql = compile(adql, catalog, options={"healpix": healpix}).sql
    return {row[0] for row in con.execute(sql).fetchall()}


def _separation(ra: np.ndarray, dec: np.ndarray, cra: float, cdec: float) -> np.ndarray:
    """Angular separations in degrees, computed by astropy (independently of the SQL)."""
    return SkyCoord(ra * u.deg, dec * u.deg).separation(SkyCoord(cra * u.deg, cdec * u.deg)).deg


def _brute(ra: np.ndarray, dec: np.ndarray, cra: float, cdec: float, radius: float) -> set[int]:
    return set(np.nonzero(_separation(ra, dec, cra, cdec) <= radius)[0].tolist())


@pytest.mark.parametrize("radius", RADII)
@pytest.mark.parametrize("centre", CENTRES, ids=lambda c: f"{c[0]}_{c[1]}")
def test_cone_matches_brute_force(sky, centre: tuple[float, float], radius: float) -> None:
    con, catalog, ra, dec = sky
    cra, cdec = centre
    adql = (
        f"SELECT id FROM sky.stars WHERE CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', {cra}, {cdec}, {radius})) = 1"
    )
    expected = _brute(ra, dec, cra, cdec, radius)
    with_prefilter = _ids(con, catalog, adql)
    without = _ids(con, catalog, adql, healpix=False)
    assert with_prefilter == without == expected
    if radius <= 0.5:
        assert len(expected) > 0, "the fixture should put points inside every small cone"


@pytest.mark.parametrize(
    "template",
    [
        "1 = CONTAINS(POINT(ra, dec), CIRCLE({cra}, {cdec}, {r}))",
        "CONTAINS(POINT(ra, dec), CIRCLE(POINT({cra}, {cdec}), {r})) = 1",
        "DISTANCE(POINT(ra, dec), POINT({cra}, {cdec})) <= {r}",
        "DISTANCE(POINT({cra}, {cdec}), POINT(ra, dec)) <= {r}",
        "{r} >= DISTANCE(POINT(ra, dec), POINT({cra}, {cdec}))",
        "DISTANCE(ra, dec, {cra}, {cdec}) <= {r}",
        "INTERSECTS(CIRCLE({cra}, {cdec}, {r}), POINT(ra, dec)) = 1",
        "CONTAINS(POINT(ra, dec), REGION('Circle ICRS {cra} {cdec} {r}')) = 1",
    ],
)
def test_operand_orders_agree(sky, template: str) -> None:
    con, catalog, ra, dec = sky
    for cra, cdec, r in [(0.0005, 0.0, 0.3), (180.0, 89.99, 0.05), (300.0, -89.9, 1.0)]:
        where = template.format(cra=cra, cdec=cdec, r=r)
        got = _ids(con, catalog, f"SELECT id FROM sky.stars WHERE {where}")
        assert got == _brute(ra, dec, cra, cdec, r), where


def test_complements_partition_the_table(sky) -> None:
    con, catalog, ra, _ = sky
    inside = _ids(con, catalog, "SELECT id FROM sky.stars WHERE CONTAINS(POINT(ra, dec), CIRCLE(0, 0, 3)) = 1")
    outside = _ids(con, catalog, "SELECT id FROM sky.stars WHERE CONTAINS(POINT(ra, dec), CIRCLE(0, 0, 3)) = 0")
    far = _ids(con, catalog, "SELECT id FROM sky.stars WHERE DISTANCE(POINT(ra, dec), POINT(0, 0)) > 3")
    assert inside.isdisjoint(outside)
    assert len(inside) + len(outside) == len(ra)
    assert far == outside


def test_distance_values(sky) -> None:
    con, catalog, ra, dec = sky
    sql = compile(
        "SELECT id, DISTANCE(POINT(ra, dec), POINT(359.99, 0.5)) AS d FROM sky.stars WHERE id < 2000", catalog
    ).sql
    rows = con.execute(sql).fetchall()
    ids = np.array([r[0] for r in rows])
    got = np.array([r[1] for r in rows])
    want = _separation(ra[ids], dec[ids], 359.99, 0.5)
    assert np.allclose(got, want, rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    "shape",
    [
        "BOX(0, 0, 2, 3)",
        "BOX(180, 88, 5, 5)",
        "POLYGON(358, -1, 2, -1, 2, 1, 358, 1)",
        "POLYGON(10, -89, 100, -89, 190, -89, 280, -89)",
        # non-convex (an L shape): goes through the UDF
        "POLYGON(0, 0, 4, 0, 4, 1, 1, 1, 1, 4, 0, 4)",
        "REGION('Polygon ICRS 123 45 124 45 124 46')",
    ],
)
def test_polygons_match_numpy(sky, shape: str) -> None:
    con, catalog, ra, dec = sky
    adql = f"SELECT id FROM sky.stars WHERE CONTAINS(POINT(ra, dec), {shape}) = 1"
    tree_shape = rules_duckdb.const_shape(parse(f"SELECT {shape} FROM sky.stars").expressions[0])
    assert isinstance(tree_shape, geometry.Polygon)
    expected = set(np.nonzero(tree_shape.contains_vectors(geometry.unit_vector(ra, dec)))[0].tolist())
    assert _ids(con, catalog, adql) == _ids(con, catalog, adql, healpix=False) == expected
    assert expected


def test_crossmatch_matches_brute_force(sky) -> None:
    con, catalog, ra, dec = sky
    rng = np.random.default_rng(3)
    pick = rng.choice(len(ra), 30, replace=False)
    probes = pa.table({"pid": pick, "pra": ra[pick] + 1e-4, "pdec": dec[pick]})
    upload = Table("tap_upload", "probes", (Column("pid", "long"), Column("pra", "double"), Column("pdec", "double")))
    con.execute("CREATE SCHEMA IF NOT EXISTS tap_upload")
    con.register("probes_arrow", probes)
    con.execute("CREATE OR REPLACE TABLE tap_upload.probes AS SELECT * FROM probes_arrow")
    cat = catalog.with_tables([upload])
    sql = compile(
        "SELECT p.pid, s.id FROM tap_upload.probes AS p JOIN sky.stars AS s "
        "ON DISTANCE(POINT(p.pra, p.pdec), POINT(s.ra, s.dec)) < 0.01",
        cat,
    ).sql
    got = set(con.execute(sql).fetchall())
    want = set()
    for pid, pra, pdec in zip(pick, ra[pick] + 1e-4, dec[pick], strict=True):
        sep = _separation(ra, dec, pra, pdec)
        want |= {(int(pid), int(i)) for i in np.nonzero(sep < 0.01)[0]}
    assert got == want
    assert len(want) >= 30


# ------------------------------------------------------------------------ pure geometry
def test_unit_vectors_and_distance() -> None:
    assert np.allclose(geometry.unit_vector(0, 90), [0, 0, 1], atol=1e-15)
    assert geometry.angular_distance(359.9, 0, 0.1, 0) == pytest.approx(0.2)
    assert geometry.angular_distance(0, 89.9, 180, 89.9) == pytest.approx(0.2)


def test_circle_area() -> None:
    assert geometry.area(geometry.Circle(0, 0, 1)) == pytest.approx(3.14155, rel=1e-4)
    assert geometry.area(geometry.Circle(0, 0, 180)) == pytest.approx(4 * math.pi * (180 / math.pi) ** 2)


def test_box_is_a_great_circle_rectangle() -> None:
    box = geometry.box(0, 0, 2, 2)
    assert len(box.vertices) == 4
    assert box.convex
    assert geometry.area(box) == pytest.approx(4.0, rel=1e-3)
    assert geometry.contains(geometry.Point(0.99, 0.99), box)
    assert not geometry.contains(geometry.Point(1.01, 0), box)
    centroid = geometry.centroid(box)
    assert centroid.ra == pytest.approx(0, abs=1e-9) or centroid.ra == pytest.approx(360, abs=1e-9)
    assert centroid.dec == pytest.approx(0, abs=1e-9)


def test_polygon_orientation_does_not_matter() -> None:
    ccw = geometry.polygon([(0, 0), (1, 0), (1, 1)])
    cw = geometry.polygon([(1, 1), (1, 0), (0, 0)])
    p = geometry.Point(0.7, 0.2)
    assert geometry.contains(p, ccw) and geometry.contains(p, cw)
    assert geometry.area(ccw) == pytest.approx(geometry.area(cw))


def test_non_convex_polygon() -> None:
    ell = geometry.polygon([(0, 0), (4, 0), (4, 1), (1, 1), (1, 4), (0, 4)])
    assert not ell.convex
    assert geometry.contains(geometry.Point(0.5, 3), ell)
    assert not geometry.contains(geometry.Point(3, 3), ell)
    assert geometry.area(ell) == pytest.approx(7.0, rel=2e-3)


def test_shape_relations() -> None:
    small, big = geometry.Circle(10, 10, 1), geometry.Circle(10, 10.5, 2)
    assert geometry.contains(small, big) and not geometry.contains(big, small)
    assert geometry.intersects(small, geometry.Circle(12.5, 10, 1.5))
    assert not geometry.intersects(small, geometry.Circle(14, 10, 1))
    square = geometry.box(10, 10, 4, 4)
    assert geometry.contains(small, square)
    assert geometry.intersects(geometry.Circle(12.5, 10, 1), square)
    assert not geometry.contains(geometry.Circle(12.5, 10, 1), square)
    assert geometry.contains(geometry.box(10, 10, 1, 1), square)
    assert geometry.intersects(geometry.box(12, 12, 2, 2), square)
    assert not geometry.intersects(geometry.box(20, 20, 2, 2), square)
    assert geometry.contains(geometry.box(10, 10, 1, 1), big)
    # edges crossing, no vertex inside the other
    cross_a = geometry.polygon([(0, -0.2), (3, -0.2), (3, 0.2), (0, 0.2)])
    cross_b = geometry.polygon([(1.3, -2), (1.7, -2), (1.7, 2), (1.3, 2)])
    assert geometry.intersects(cross_a, cross_b) and not geometry.contains(cross_a, cross_b)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Position ICRS 10 20", geometry.Point),
        ("Circle ICRS GEOCENTER 10 20 1", geometry.Circle),
        ("circle 10 20 1", geometry.Circle),
        ("Box ICRS 10 20 1 2", geometry.Polygon),
        ("Polygon 10 20 11 20 11 21", geometry.Polygon),
        ("Polygon ICRS SPHERICAL2 10 20 11 20 11 21", geometry.Polygon),
    ],
)
def test_parse_stcs(text: str, kind: type) -> None:
    assert isinstance(geometry.parse_stcs(text), kind)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Union ICRS (Circle 1 2 3 Circle 4 5 6)",
        "Circle GALACTIC 1 2 3",
        "Circle ICRS 1 2",
        "Ellipse 1 2 3 4 5",
        "Polygon 1 2 3 4",
        "Circle ICRS 1 95 1",
        "Circle ICRS a b c",
    ],
)
def test_parse_stcs_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        geometry.parse_stcs(text)


def test_encode_decode_roundtrip() -> None:
    for shape in (geometry.Point(1, 2), geometry.Circle(1, 2, 3), geometry.box(1, 2, 3, 4)):
        assert geometry.decode(geometry.encode(shape)) == shape
    assert geometry.decode(None) is None
    assert geometry.decode([9.0, 1.0, 2.0]) is None


@pytest.mark.parametrize("radius", [0.0001, 0.01, 1.0, 10.0, 25.0])
def test_cone_ranges_are_few_and_cover(radius: float) -> None:
    rng = np.random.default_rng(11)
    ranges = geometry.cone_ranges(33.0, -60.0, radius)
    assert ranges is not None and 1 <= len(ranges) <= 8
    # points just inside the rim fall in the ranges
    bearings = rng.uniform(0, 360, 200)
    centre = SkyCoord(33.0 * u.deg, -60.0 * u.deg)
    rim = centre.directional_offset_by(bearings * u.deg, radius * 0.999999 * u.deg)
    hp = index_columns(rim.ra.deg, rim.dec.deg)["_healpix"]
    inside = [any(lo <= h <= hi for lo, hi in ranges) for h in hp]
    assert all(inside)


def test_cone_ranges_skip_large_cones() -> None:
    assert geometry.cone_ranges(0, 0, 40) is None


def test_bad_geometry_is_reported(sky) -> None:
    _, catalog, _, _ = sky
    with pytest.raises(UnsupportedFeature):
        compile("SELECT id FROM sky.stars WHERE CONTAINS(POINT(ra, dec), CIRCLE(0, 95, 1)) = 1", catalog)
