"""Sky footprints for duplication checks: STC-S regions and the overlap of a planned field.

The method is deliberately simple and documented (docs/duplicates.md): both shapes are
projected onto the tangent plane at the planned pointing (gnomonic projection); the planned
field is a disc, sampled on a regular grid of points; the overlap is the fraction of those
points that fall inside the archived footprint (the union of its polygons and circles). With
the default 41 x 41 grid the fraction is good to about 1 %, far finer than the 50 % rule needs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from jwstarchive.errors import InputError

__all__ = ["Footprint", "field_overlap", "parse_stcs", "separation_arcsec"]

_SHAPE = re.compile(r"\b(POLYGON|CIRCLE)\b", re.IGNORECASE)
_FRAMES = {"ICRS", "FK5", "J2000", "GEOCENTER", "BARYCENTER", "TOPOCENTER", "UNKNOWNFRAME"}
ARCSEC_PER_RADIAN = 180.0 / math.pi * 3600.0


@dataclass(frozen=True)
class Footprint:
    """A sky region: polygons (vertex lists of (ra, dec) degrees) and circles (ra, dec, radius degrees)."""

    polygons: tuple[tuple[tuple[float, float], ...], ...] = ()
    circles: tuple[tuple[float, float, float], ...] = ()

    @property
    def empty(self) -> bool:
        """True when the region holds no shape."""
        return not self.polygons and not self.circles


def parse_stcs(text: str | None) -> Footprint:
    """Parse an STC-S region (``POLYGON ICRS ra dec ...``, ``CIRCLE ICRS ra dec r``, several in a row).

    Raises
    ------
    InputError
        When the text holds a shape with the wrong number of coordinates.
    """
    if not text or not str(text).strip():
        return Footprint()
    text = str(text)
    starts = [m.start() for m in _SHAPE.finditer(text)]
    polygons: list[tuple[tuple[float, float], ...]] = []
    circles: list[tuple[float, float, float]] = []
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        words = text[begin:end].split()
        kind = words[0].upper()
        numbers = [float(w) for w in words[1:] if w.upper() not in _FRAMES]
        if kind == "CIRCLE":
            if len(numbers) != 3:
                raise InputError(f"STC-S CIRCLE needs ra dec radius, got {text[begin:end].strip()!r}")
            circles.append((numbers[0], numbers[1], numbers[2]))
        else:
            if len(numbers) < 6 or len(numbers) % 2:
                raise InputError(f"STC-S POLYGON needs 3 or more ra dec pairs, got {text[begin:end].strip()!r}")
            polygons.append(tuple(zip(numbers[::2], numbers[1::2], strict=True)))
    return Footprint(tuple(polygons), tuple(circles))


def _project(ra: np.ndarray, dec: np.ndarray, ra0: float, dec0: float) -> tuple[np.ndarray, np.ndarray]:
    """Gnomonic projection about (ra0, dec0); returns (xi, eta) in arcsec."""
    a, d = np.radians(ra), np.radians(dec)
    a0, d0 = math.radians(ra0), math.radians(dec0)
    cosc = math.sin(d0) * np.sin(d) + math.cos(d0) * np.cos(d) * np.cos(a - a0)
    xi = np.cos(d) * np.sin(a - a0) / cosc
    eta = (math.cos(d0) * np.sin(d) - math.sin(d0) * np.cos(d) * np.cos(a - a0)) / cosc
    return xi * ARCSEC_PER_RADIAN, eta * ARCSEC_PER_RADIAN


def _inside_polygon(x: np.ndarray, y: np.ndarray, vx: np.ndarray, vy: np.ndarray) -> np.ndarray:
    """Even-odd rule for many points against one polygon (all in the tangent plane)."""
    inside = np.zeros(x.shape, dtype=bool)
    j = len(vx) - 1
    for i in range(len(vx)):
        crosses = (vy[i] > y) != (vy[j] > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_cross = (vx[j] - vx[i]) * (y - vy[i]) / (vy[j] - vy[i]) + vx[i]
        inside ^= crosses & (x < x_cross)
        j = i
    return inside


def separation_arcsec(ra1: float, dec1: float, ra2: float, dec2: float) -> float:
    """Angular distance between two positions (degrees in, arcsec out; haversine)."""
    p1, p2 = math.radians(dec1), math.radians(dec2)
    dp, dl = p2 - p1, math.radians(ra2 - ra1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * math.asin(min(1.0, math.sqrt(h))) * ARCSEC_PER_RADIAN


def field_overlap(ra: float, dec: float, radius_arcsec: float, footprint: Footprint, *, grid: int = 41) -> float:
    """Fraction (0..1) of the planned disc (centre ``ra``, ``dec``; radius in arcsec) inside ``footprint``."""
    if footprint.empty:
        return 0.0
    axis = np.linspace(-radius_arcsec, radius_arcsec, grid)
    x, y = np.meshgrid(axis, axis)
    keep = x**2 + y**2 <= radius_arcsec**2
    x, y = x[keep], y[keep]
    covered = np.zeros(x.shape, dtype=bool)
    for polygon in footprint.polygons:
        vertices = np.asarray(polygon, dtype=float)
        vx, vy = _project(vertices[:, 0], vertices[:, 1], ra, dec)
        covered |= _inside_polygon(x, y, vx, vy)
    for cra, cdec, cradius in footprint.circles:
        cx, cy = _project(np.array([cra]), np.array([cdec]), ra, dec)
        covered |= (x - cx[0]) ** 2 + (y - cy[0]) ** 2 <= (cradius * 3600.0) ** 2
    return float(covered.mean())
