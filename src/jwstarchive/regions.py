"""Sky regions written in STC-S, as the archives' ``s_region`` columns hold them; shared by the clients.

Pure: no I/O. :func:`parse_stcs` reads ``POLYGON``, ``CIRCLE``, ``BOX`` and ``POSITION`` shapes, several in a
row, each with optional frame, reference-position and flavour words (``POLYGON ICRS GEOCENTER ra dec ...``),
into one :class:`Region`. Coordinates are ICRS degrees; right ascensions come back in [0, 360). A ``BOX``
(centre, full width, full height) becomes the polygon of its four corners.

Callers choose how bad text is met: ``strict=True`` (the duplication screen) raises :class:`InputError`
naming the shape and what to change; ``strict=False`` (the report's sky plot, which shows what it can)
skips unreadable shapes and stray words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from jwstarchive.errors import InputError

__all__ = ["ARCSEC_PER_RADIAN", "Region", "parse_stcs", "separation_arcsec"]

ARCSEC_PER_RADIAN = 180.0 / math.pi * 3600.0
_SHAPE = re.compile(r"\b(POLYGON|CIRCLE|BOX|POSITION)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
#: Words that may stand between a shape's name and its numbers: ICRS-compatible frames, reference
#: positions and coordinate flavours (STC-S), plus the brackets of a UNION.
_FRAME_WORDS = frozenset(
    {"ICRS", "FK5", "J2000", "UNKNOWNFRAME", "SPHERICAL2", "UNITSPHERE", "(", ")"}
    | {"GEOCENTER", "BARYCENTER", "HELIOCENTER", "TOPOCENTER", "LSR", "LSRK", "LSRD", "GALACTIC_CENTER"}
    | {"LOCAL_GROUP_CENTER", "MOON", "EMBARYCENTER", "UNKNOWNREFPOS"}
)
_OTHER_FRAMES = frozenset({"GALACTIC", "ECLIPTIC", "FK4", "B1950", "GALACTIC_II", "SUPER_GALACTIC", "GEO_C", "GEO_D"})
_COUNTS = {
    "POLYGON": "3 or more ra dec pairs",
    "CIRCLE": "ra dec radius",
    "BOX": "ra dec width height",
    "POSITION": "ra dec",
}

Point = tuple[float, float]


@dataclass(frozen=True)
class Region:
    """A sky region: polygons (vertex lists), circles (ra, dec, radius) and points (ra, dec), all in degrees."""

    polygons: tuple[tuple[Point, ...], ...] = ()
    circles: tuple[tuple[float, float, float], ...] = ()
    points: tuple[Point, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the region holds no shape at all."""
        return not (self.polygons or self.circles or self.points)

    @property
    def has_area(self) -> bool:
        """True when the region holds a polygon or a circle (points cover no sky)."""
        return bool(self.polygons or self.circles)

    def positions(self) -> list[Point]:
        """Every polygon vertex, circle centre and point."""
        out = [v for polygon in self.polygons for v in polygon]
        return out + [(ra, dec) for ra, dec, _ in self.circles] + list(self.points)


def parse_stcs(text: str | None, *, strict: bool = True) -> Region:
    """Read the shapes of an STC-S region string; text without any shape gives an empty :class:`Region`.

    Raises
    ------
    InputError
        With ``strict``: a shape with the wrong number of coordinates, a declination outside
        [-90, 90], a negative radius, a frame other than ICRS, or a word that is neither a number nor
        a frame word. Without ``strict`` such shapes (and stray words) are skipped.
    """
    if text is None:
        return Region()
    text = str(text)
    starts = [m.start() for m in _SHAPE.finditer(text)]
    ends = [*starts[1:], len(text)] if starts else []
    polygons: list[tuple[Point, ...]] = []
    circles: list[tuple[float, float, float]] = []
    points: list[Point] = []
    for begin, end in zip(starts, ends, strict=True):
        shape = text[begin:end].replace("(", " ( ").replace(")", " ) ").strip()
        try:
            kind, numbers = _shape_numbers(shape, strict)
            _check(kind, numbers)
        except InputError:
            if strict:
                raise
            continue
        if kind == "POLYGON":
            polygons.append(tuple((_ra(a), d) for a, d in zip(numbers[::2], numbers[1::2], strict=True)))
        elif kind == "CIRCLE":
            circles.append((_ra(numbers[0]), numbers[1], numbers[2]))
        elif kind == "POSITION":
            points.append((_ra(numbers[0]), numbers[1]))
        else:
            polygons.append(_box(*numbers))
    return Region(tuple(polygons), tuple(circles), tuple(points))


def _shape_numbers(shape: str, strict: bool) -> tuple[str, list[float]]:
    """The shape's name and its numbers; with ``strict``, refuse words that are neither numbers nor frames."""
    words = shape.split()
    kind = words[0].upper()
    numbers: list[float] = []
    for word in words[1:]:
        if _NUMBER.match(word):
            numbers.append(float(word))
        elif strict and word.upper() in _OTHER_FRAMES:
            raise InputError(f"STC-S {kind}: frame {word} is not supported; give ICRS coordinates, got {shape!r}")
        elif strict and word.upper() not in _FRAME_WORDS:
            raise InputError(f"STC-S {kind}: {word!r} is neither a number nor a frame word (ICRS, FK5...), "
                             f"got {shape!r}")
    return kind, numbers


def _check(kind: str, numbers: list[float]) -> None:
    """Raise InputError unless ``numbers`` fit a ``kind`` shape."""
    n = len(numbers)
    fits = {"POLYGON": n >= 6 and n % 2 == 0, "CIRCLE": n == 3, "BOX": n == 4, "POSITION": n == 2}[kind]
    if not fits:
        raise InputError(f"STC-S {kind} needs {_COUNTS[kind]}, got {n} number(s)")
    declinations = numbers[1::2] if kind == "POLYGON" else [numbers[1]]
    if not all(-90.0 <= d <= 90.0 for d in declinations):
        raise InputError(f"STC-S {kind}: declinations must lie within [-90, 90] degrees, got {declinations}")
    if kind == "CIRCLE" and numbers[2] < 0:
        raise InputError(f"STC-S CIRCLE needs a radius >= 0, got {numbers[2]}")


def _ra(value: float) -> float:
    """Right ascension folded into [0, 360)."""
    folded = value % 360.0
    return 0.0 if folded >= 360.0 else folded


def _box(ra: float, dec: float, width: float, height: float) -> tuple[Point, ...]:
    """The four corners of a BOX: full ``width`` along RA (great-circle degrees) and ``height`` along Dec."""
    dx = width / 2 / max(math.cos(math.radians(dec)), 1e-6)
    dy = height / 2
    corners = ((ra - dx, dec - dy), (ra + dx, dec - dy), (ra + dx, dec + dy), (ra - dx, dec + dy))
    return tuple((_ra(a), d) for a, d in corners)


def separation_arcsec(ra1: float, dec1: float, ra2: float, dec2: float) -> float:
    """Angular distance between two positions (degrees in, arcsec out; haversine)."""
    p1, p2 = math.radians(dec1), math.radians(dec2)
    dp, dl = p2 - p1, math.radians(ra2 - ra1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * math.asin(min(1.0, math.sqrt(h))) * ARCSEC_PER_RADIAN
