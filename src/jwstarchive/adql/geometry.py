"""Spherical geometry of ADQL shapes, in numpy (angles in degrees, ICRS).

Shapes are :class:`Point`, :class:`Circle` and :class:`Polygon`. A polygon's edges are great-circle
arcs and its interior is the smaller of the two regions its boundary separates (as in pgSphere),
so vertex order does not matter. ``BOX`` is a polygon whose sides are great circles: the box is
centred on its centre point, its arms run along the east and north directions there, and each
side crosses an arm's end at right angles.

Translation uses these functions for constant shapes (bounding caps, half-space normals,
HEALPix ranges) and the DuckDB UDFs use them for geometry that depends on columns. Shapes travel
through SQL as ``DOUBLE[]`` lists: ``[1, ra, dec]`` (point), ``[2, ra, dec, radius]`` (circle)
and ``[3, ra1, dec1, ra2, dec2, ...]`` (polygon); see :func:`encode` and :func:`decode`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Circle",
    "Point",
    "Polygon",
    "Shape",
    "angular_distance",
    "area",
    "box",
    "centroid",
    "cone_ranges",
    "contains",
    "dali",
    "decode",
    "encode",
    "intersects",
    "parse_dali",
    "parse_stcs",
    "polygon",
    "unit_vector",
]

_EPS = 1e-12


def unit_vector(ra: np.ndarray | float, dec: np.ndarray | float) -> np.ndarray:
    """Unit vectors (last axis x, y, z) of positions in degrees."""
    ra_r = np.radians(np.asarray(ra, dtype=float))
    dec_r = np.radians(np.asarray(dec, dtype=float))
    cos_dec = np.cos(dec_r)
    return np.stack([cos_dec * np.cos(ra_r), cos_dec * np.sin(ra_r), np.sin(dec_r)], axis=-1)


def _radec(v: np.ndarray) -> tuple[float, float]:
    x, y, z = (float(c) for c in v)
    ra = math.degrees(math.atan2(y, x)) % 360.0
    dec = math.degrees(math.atan2(z, math.hypot(x, y)))
    return ra, dec


def angular_distance(
    ra1: np.ndarray | float, dec1: np.ndarray | float, ra2: np.ndarray | float, dec2: np.ndarray | float
) -> np.ndarray:
    """Great-circle distance in degrees (Vincenty's formula: stable at all separations)."""
    a = unit_vector(ra1, dec1)
    b = unit_vector(ra2, dec2)
    cross = np.linalg.norm(np.cross(a, b), axis=-1)
    dot = np.sum(a * b, axis=-1)
    return np.degrees(np.arctan2(cross, dot))


@dataclass(frozen=True)
class Point:
    """A position (degrees)."""

    ra: float
    dec: float

    @property
    def vector(self) -> np.ndarray:
        """The unit vector."""
        return unit_vector(self.ra, self.dec)


@dataclass(frozen=True)
class Circle:
    """A cap: centre and radius in degrees."""

    ra: float
    dec: float
    radius: float

    @property
    def center(self) -> Point:
        """The centre as a point."""
        return Point(self.ra, self.dec)


@dataclass(frozen=True)
class Polygon:
    """A spherical polygon; ``vertices`` are (ra, dec) pairs, counter-clockwise seen from outside."""

    vertices: tuple[tuple[float, float], ...]

    @property
    def vectors(self) -> np.ndarray:
        """Vertex unit vectors, shape (n, 3)."""
        return unit_vector([v[0] for v in self.vertices], [v[1] for v in self.vertices])

    @property
    def normals(self) -> np.ndarray:
        """Unit normals of the edge planes, pointing into the polygon, shape (n, 3)."""
        v = self.vectors
        n = np.cross(v, np.roll(v, -1, axis=0))
        return n / np.linalg.norm(n, axis=1)[:, None]

    @property
    def convex(self) -> bool:
        """Whether every vertex lies on the inner side of every edge plane."""
        return bool(np.all(self.vectors @ self.normals.T >= -1e-12))

    def contains_vectors(self, p: np.ndarray) -> np.ndarray:
        """Which unit vectors ``p`` (shape (m, 3)) lie inside or on the boundary."""
        p = np.atleast_2d(p)
        if self.convex:
            return np.all(p @ self.normals.T >= -_EPS, axis=1)
        # The winding number on a point's tangent plane also counts the antipodal region, so
        # only points within the bounding cap are tested.
        cap = self.bounding_circle()
        near = p @ unit_vector(cap.ra, cap.dec) >= math.cos(math.radians(min(cap.radius * (1 + 1e-9) + 1e-9, 180)))
        inside = np.zeros(len(p), dtype=bool)
        if near.any():
            inside[near] = _winding_inside(p[near], self.vectors)
        return inside

    def bounding_circle(self) -> Circle:
        """A cap containing the polygon (centred on the vertex mean)."""
        v = self.vectors
        c = v.sum(axis=0)
        c /= np.linalg.norm(c)
        ra, dec = _radec(c)
        radius = float(np.degrees(np.arccos(np.clip(v @ c, -1.0, 1.0))).max())
        return Circle(ra, dec, radius)


Shape = Point | Circle | Polygon


def _winding_inside(p: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Winding-number test on the tangent plane of each point (any simple polygon)."""
    total = np.zeros(len(p))
    on_vertex = np.zeros(len(p), dtype=bool)
    n = len(v)
    for i in range(n):
        a, b = v[i], v[(i + 1) % n]
        ta = a[None, :] - (p @ a)[:, None] * p
        tb = b[None, :] - (p @ b)[:, None] * p
        cross = np.einsum("ij,ij->i", np.cross(ta, tb), p)
        dot = np.einsum("ij,ij->i", ta, tb)
        total += np.arctan2(cross, dot)
        on_vertex |= np.linalg.norm(ta, axis=1) < 1e-15
    on_edge = np.zeros(len(p), dtype=bool)
    for i in range(n):
        on_edge |= _arc_distance(p, v[i], v[(i + 1) % n]) < 1e-10
    return (np.abs(total) > math.pi) | on_vertex | on_edge


def _arc_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angular distance (radians) of unit vectors ``p`` to the minor arc from ``a`` to ``b``."""
    p = np.atleast_2d(p)
    n = np.cross(a, b)
    norm = np.linalg.norm(n)
    end = np.minimum(np.arccos(np.clip(p @ a, -1, 1)), np.arccos(np.clip(p @ b, -1, 1)))
    if norm < 1e-15:
        return end
    n = n / norm
    q = p - (p @ n)[:, None] * n
    within = (np.cross(a, q) @ n >= 0) & (np.cross(q, b) @ n >= 0)
    plane = np.abs(np.arcsin(np.clip(p @ n, -1, 1)))
    return np.where(within, plane, end)


def _arcs_cross(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> bool:
    """Whether the minor arcs a-b and c-d intersect."""
    n1, n2 = np.cross(a, b), np.cross(c, d)
    line = np.cross(n1, n2)
    norm = np.linalg.norm(line)
    if norm < 1e-15:
        return False
    line /= norm
    for x in (line, -line):
        if (
            np.dot(np.cross(a, x), n1) >= -_EPS
            and np.dot(np.cross(x, b), n1) >= -_EPS
            and np.dot(np.cross(c, x), n2) >= -_EPS
            and np.dot(np.cross(x, d), n2) >= -_EPS
        ):
            return True
    return False


def polygon(coords: Sequence[tuple[float, float]]) -> Polygon:
    """A polygon from (ra, dec) vertices, oriented so that its interior is the smaller region.

    Raises
    ------
    ValueError
        With fewer than three distinct vertices.
    """
    verts = [(float(ra) % 360.0, float(dec)) for ra, dec in coords]
    if len(verts) > 1 and verts[0] == verts[-1]:
        verts = verts[:-1]
    if len(verts) < 3:
        raise ValueError("a polygon needs at least three distinct vertices")
    if any(not -90.0 <= dec <= 90.0 for _, dec in verts):
        raise ValueError("polygon latitudes must lie within [-90, 90] degrees")
    v = unit_vector([p[0] for p in verts], [p[1] for p in verts])
    c = v.sum(axis=0)
    if np.linalg.norm(c) < 1e-12:
        raise ValueError("the polygon vertices do not define a region")
    c /= np.linalg.norm(c)
    turn = float(np.sum(np.cross(v, np.roll(v, -1, axis=0)) @ c))
    if abs(turn) < 1e-15:
        raise ValueError("the polygon is degenerate")
    if turn < 0:
        verts.reverse()
    return Polygon(tuple(verts))


def box(ra: float, dec: float, width: float, height: float) -> Polygon:
    """``BOX(ra, dec, width, height)`` as a polygon with great-circle sides (degrees)."""
    if width <= 0 or height <= 0 or width >= 180 or height >= 180:
        raise ValueError("BOX width and height must lie between 0 and 180 degrees")
    c = unit_vector(ra, dec)
    ra_r = math.radians(ra)
    east = np.array([-math.sin(ra_r), math.cos(ra_r), 0.0])
    north = np.cross(c, east)
    hw, hh = math.radians(width) / 2, math.radians(height) / 2
    e_end = c * math.cos(hw) + east * math.sin(hw)
    w_end = c * math.cos(hw) - east * math.sin(hw)
    n_end = c * math.cos(hh) + north * math.sin(hh)
    s_end = c * math.cos(hh) - north * math.sin(hh)
    # Side planes: each contains its arm's end point and the direction perpendicular to the arm.
    planes = {
        "e": np.cross(north, e_end),
        "w": np.cross(w_end, north),
        "n": np.cross(n_end, east),
        "s": np.cross(east, s_end),
    }

    def corner(p: np.ndarray, q: np.ndarray) -> tuple[float, float]:
        x = np.cross(p, q)
        x /= np.linalg.norm(x)
        if np.dot(x, c) < 0:
            x = -x
        return _radec(x)

    corners = [
        corner(planes["e"], planes["n"]),
        corner(planes["n"], planes["w"]),
        corner(planes["w"], planes["s"]),
        corner(planes["s"], planes["e"]),
    ]
    return polygon(corners)


def contains(inner: Shape, outer: Shape) -> bool:
    """ADQL ``CONTAINS(inner, outer)``: whether ``inner`` lies within ``outer``."""
    if isinstance(inner, Point):
        p = inner.vector
        if isinstance(outer, Point):
            return bool(angular_distance(inner.ra, inner.dec, outer.ra, outer.dec) < 1e-9)
        if isinstance(outer, Circle):
            return bool(angular_distance(inner.ra, inner.dec, outer.ra, outer.dec) <= outer.radius)
        return bool(outer.contains_vectors(p)[0])
    if isinstance(outer, Point):
        return False
    if isinstance(inner, Circle):
        if isinstance(outer, Circle):
            d = float(angular_distance(inner.ra, inner.dec, outer.ra, outer.dec))
            return d + inner.radius <= outer.radius + 1e-12
        if not contains(inner.center, outer):
            return False
        v = outer.vectors
        r = math.radians(inner.radius)
        return all(_arc_distance(inner.center.vector, v[i], v[(i + 1) % len(v)])[0] >= r for i in range(len(v)))
    if isinstance(outer, Circle):
        d = angular_distance([p[0] for p in inner.vertices], [p[1] for p in inner.vertices], outer.ra, outer.dec)
        return bool(np.all(d <= outer.radius)) and outer.radius <= 90
    return bool(np.all(outer.contains_vectors(inner.vectors))) and not _edges_cross(inner, outer)


def _edges_cross(a: Polygon, b: Polygon) -> bool:
    va, vb = a.vectors, b.vectors
    for i in range(len(va)):
        for j in range(len(vb)):
            if _arcs_cross(va[i], va[(i + 1) % len(va)], vb[j], vb[(j + 1) % len(vb)]):
                return True
    return False


def intersects(a: Shape, b: Shape) -> bool:
    """ADQL ``INTERSECTS(a, b)``: whether the shapes overlap."""
    if isinstance(a, Point):
        return contains(a, b)
    if isinstance(b, Point):
        return contains(b, a)
    if isinstance(a, Circle) and isinstance(b, Circle):
        return bool(angular_distance(a.ra, a.dec, b.ra, b.dec) <= a.radius + b.radius)
    if isinstance(a, Polygon) and isinstance(b, Circle):
        a, b = b, a
    if isinstance(a, Circle) and isinstance(b, Polygon):
        if contains(a.center, b):
            return True
        v = b.vectors
        r = math.radians(a.radius)
        return any(_arc_distance(a.center.vector, v[i], v[(i + 1) % len(v)])[0] <= r for i in range(len(v)))
    assert isinstance(a, Polygon) and isinstance(b, Polygon)
    return (
        bool(np.any(b.contains_vectors(a.vectors))) or bool(np.any(a.contains_vectors(b.vectors))) or _edges_cross(a, b)
    )


def area(shape: Shape) -> float:
    """Area in square degrees."""
    if isinstance(shape, Point):
        return 0.0
    if isinstance(shape, Circle):
        sr = 2 * math.pi * (1 - math.cos(math.radians(shape.radius)))
        return sr * (180 / math.pi) ** 2
    v = shape.vectors
    c = v.sum(axis=0)
    c /= np.linalg.norm(c)
    total = 0.0
    for i in range(len(v)):
        a, b = v[i], v[(i + 1) % len(v)]
        triple = float(np.dot(c, np.cross(a, b)))
        denom = 1 + float(np.dot(c, a) + np.dot(a, b) + np.dot(b, c))
        total += 2 * math.atan2(triple, denom)
    return abs(total) * (180 / math.pi) ** 2


def centroid(shape: Shape) -> Point:
    """The centroid: the centre of a circle, the area-weighted mean direction of a polygon."""
    if isinstance(shape, Point):
        return shape
    if isinstance(shape, Circle):
        return shape.center
    v = shape.vectors
    c = v.sum(axis=0)
    c /= np.linalg.norm(c)
    acc = np.zeros(3)
    for i in range(len(v)):
        a, b = v[i], v[(i + 1) % len(v)]
        w = 2 * math.atan2(float(np.dot(c, np.cross(a, b))), 1 + float(np.dot(c, a) + np.dot(a, b) + np.dot(b, c)))
        m = c + a + b
        acc += w * m / np.linalg.norm(m)
    return Point(*_radec(acc / np.linalg.norm(acc)))


def encode(shape: Shape) -> list[float]:
    """The ``DOUBLE[]`` form of a shape: kind code, then its numbers."""
    if isinstance(shape, Point):
        return [1.0, shape.ra, shape.dec]
    if isinstance(shape, Circle):
        return [2.0, shape.ra, shape.dec, shape.radius]
    return [3.0, *(c for v in shape.vertices for c in v)]


def decode(values: Sequence[float] | None) -> Shape | None:
    """The shape of an encoded ``DOUBLE[]`` (None for NULL or malformed input)."""
    if values is None or len(values) < 3 or any(v is None for v in values):
        return None
    kind = int(values[0])
    if kind == 1 and len(values) == 3:
        return Point(float(values[1]), float(values[2]))
    if kind == 2 and len(values) == 4:
        return Circle(float(values[1]), float(values[2]), float(values[3]))
    if kind == 3 and len(values) >= 7 and len(values) % 2 == 1:
        try:
            return polygon(list(zip(values[1::2], values[2::2], strict=True)))
        except ValueError:
            return None
    return None


def dali(shape: Shape) -> list[float]:
    """The DALI array of a shape: ``[ra, dec]``, ``[ra, dec, r]`` or the vertex coordinates."""
    return encode(shape)[1:]


_FRAMES = {"ICRS", "FK5", "J2000", "UNKNOWNFRAME"}
_REFPOS = {
    "GEOCENTER",
    "BARYCENTER",
    "HELIOCENTER",
    "TOPOCENTER",
    "LSR",
    "LSRK",
    "LSRD",
    "GALACTIC_CENTER",
    "LOCAL_GROUP_CENTER",
    "MOON",
    "EMBARYCENTER",
    "UNKNOWNREFPOS",
}
_FLAVORS = {"SPHERICAL2", "UNITSPHERE", "CARTESIAN2", "CARTESIAN3"}
_OTHER_FRAMES = {"GALACTIC", "ECLIPTIC", "FK4", "B1950", "GALACTIC_II", "SUPER_GALACTIC", "GEO_C", "GEO_D"}


def parse_stcs(text: str) -> Shape:
    """A Position, Circle, Box or Polygon written in STC-S (frame ICRS or unspecified).

    Raises
    ------
    ValueError
        For other shapes (Union, Intersection, Not, ...), frames or malformed text.
    """
    words = text.replace("(", " ( ").replace(")", " ) ").split()
    if not words:
        raise ValueError("empty STC-S region")
    kind = words[0].upper()
    rest = words[1:]
    if kind in ("UNION", "INTERSECTION", "NOT", "DIFFERENCE"):
        raise ValueError(f"STC-S {words[0]} regions are not supported; use Position, Circle, Box or Polygon")
    while rest and not _is_number(rest[0]):
        word = rest.pop(0).upper()
        if word in _OTHER_FRAMES:
            raise ValueError(f"frame {word} is not supported: positions here are ICRS")
        if word not in _FRAMES | _REFPOS | _FLAVORS:
            raise ValueError(f"unexpected word {word!r} in STC-S {words[0]}")
    try:
        numbers = [float(w) for w in rest]
    except ValueError:
        raise ValueError(f"STC-S {words[0]} needs numbers after its frame") from None
    if not all(math.isfinite(x) for x in numbers):
        raise ValueError("STC-S coordinates must be finite")
    return _shape_from(kind, numbers, f"STC-S {words[0]}")


def _shape_from(kind: str, numbers: list[float], what: str) -> Shape:
    if kind in ("POSITION", "POINT"):
        if len(numbers) != 2:
            raise ValueError(f"{what} takes 2 numbers")
        _check_lat(numbers[1])
        return Point(numbers[0] % 360.0, numbers[1])
    if kind == "CIRCLE":
        if len(numbers) != 3 or numbers[2] < 0:
            raise ValueError(f"{what} takes a centre and a non-negative radius")
        _check_lat(numbers[1])
        return Circle(numbers[0] % 360.0, numbers[1], numbers[2])
    if kind == "BOX":
        if len(numbers) != 4:
            raise ValueError(f"{what} takes a centre, a width and a height")
        _check_lat(numbers[1])
        return box(*numbers)
    if kind == "POLYGON":
        if len(numbers) < 6 or len(numbers) % 2:
            raise ValueError(f"{what} takes at least three (ra, dec) pairs")
        return polygon(list(zip(numbers[0::2], numbers[1::2], strict=True)))
    raise ValueError(f"{what} is not a supported shape (Position, Circle, Box, Polygon)")


def _check_lat(dec: float) -> None:
    if not -90.0 <= dec <= 90.0:
        raise ValueError("latitudes must lie within [-90, 90] degrees")


def _is_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return True


def parse_dali(text: str, kind: str) -> Shape:
    """A DALI serialisation (``"ra dec"``, ``"ra dec r"``, ``"ra1 dec1 ..."``) as ``kind``."""
    try:
        numbers = [float(w) for w in text.split()]
    except ValueError:
        raise ValueError(f"{text!r} is not a DALI {kind}") from None
    return _shape_from(kind.upper(), numbers, f"DALI {kind}")


def cone_ranges(
    ra: float, dec: float, radius: float, *, max_ranges: int = 8, max_fraction: float = 0.05, depth: int = 29
) -> list[tuple[int, int]] | None:
    """NESTED HEALPix index ranges at ``depth`` covering a cone, or None when not worth it.

    The cover is computed by ``cdshealpix`` at a depth whose cells are about half the radius,
    shifted to ``depth``, merged where adjacent, then merged across the smallest gaps until at
    most ``max_ranges`` remain. None means "no prefilter": the cone covers more than
    ``max_fraction`` of the sky.

    Returns
    -------
    list of (int, int) or None
        Inclusive ``(low, high)`` index ranges, sorted.
    """
    radius = max(float(radius), 0.0)
    if (1 - math.cos(math.radians(min(radius, 180.0)))) / 2 > max_fraction:
        return None
    from astropy import units as u
    from astropy.coordinates import Angle, Latitude, Longitude
    from cdshealpix import nested

    padded = radius * (1 + 1e-9) + 1e-9
    cell = math.degrees(math.sqrt(4 * math.pi / 12))
    level = math.floor(math.log2(cell / max(padded / 2, 1e-12)))
    level = max(0, min(level, depth, 24))
    ipix, _, _ = nested.cone_search(
        Longitude(ra % 360.0, u.deg), Latitude(dec, u.deg), Angle(padded, u.deg), level, flat=True
    )
    shift = 2 * (depth - level)
    cells = np.unique(np.asarray(ipix, dtype=np.int64))
    starts = cells << shift
    ends = (cells + 1) << shift
    ranges: list[list[int]] = []
    for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
        if ranges and ranges[-1][1] == lo:
            ranges[-1][1] = hi
        else:
            ranges.append([lo, hi])
    while len(ranges) > max_ranges:
        gaps = [ranges[i + 1][0] - ranges[i][1] for i in range(len(ranges) - 1)]
        i = min(range(len(gaps)), key=gaps.__getitem__)
        ranges[i][1] = ranges[i + 1][1]
        del ranges[i + 1]
    return [(lo, hi - 1) for lo, hi in ranges]
