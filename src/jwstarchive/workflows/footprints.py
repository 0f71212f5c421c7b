"""The overlap of a planned field with an archived footprint (a :class:`jwstarchive.regions.Region`).

The method is deliberately simple and documented (docs/duplicates.md): both shapes are
projected onto the tangent plane at the planned pointing (gnomonic projection); the planned
field is the instrument's field rectangle, sampled on a regular grid of points; the overlap is
the fraction of those points inside the archived footprint (the union of its polygons and
circles), taken at the position angle that gives the largest overlap, because the angle is not
known when a proposal is written. With the default 41 x 41 grid the fraction is good to about
2 %, far finer than the 50 % rule needs.
"""

from __future__ import annotations

import math

import numpy as np

from jwstarchive.regions import ARCSEC_PER_RADIAN, Region, parse_stcs

# parse_stcs is re-exported for callers that read regions through this module; it lives in regions.py.
__all__ = ["field_overlap", "parse_stcs"]


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


def field_overlap(
    ra: float,
    dec: float,
    width: float,
    height: float,
    footprint: Region,
    *,
    pa_step: float = 10.0,
    grid: int = 41,
) -> float:
    """Fraction (0..1) of a planned rectangular field inside ``footprint``, at its best position angle.

    The planned field is ``width`` x ``height`` arcsec centred on (``ra``, ``dec``) degrees. Its
    position angle is not known when a proposal is written, so the overlap is the largest over
    angles 0..180 degrees in steps of ``pa_step`` (the conservative choice for a duplication screen).
    """
    if not footprint.has_area:
        return 0.0
    u, v = np.meshgrid(np.linspace(-width / 2, width / 2, grid), np.linspace(-height / 2, height / 2, grid))
    u, v = u.ravel(), v.ravel()
    shapes = []
    for polygon in footprint.polygons:
        vertices = np.asarray(polygon, dtype=float)
        shapes.append(("polygon", _project(vertices[:, 0], vertices[:, 1], ra, dec), 0.0))
    for cra, cdec, cradius in footprint.circles:
        shapes.append(("circle", _project(np.array([cra]), np.array([cdec]), ra, dec), cradius * 3600.0))
    best = 0.0
    for angle in np.arange(0.0, 180.0, pa_step):
        c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        x, y = c * u - s * v, s * u + c * v
        covered = np.zeros(x.shape, dtype=bool)
        for kind, (px, py), radius in shapes:
            if kind == "polygon":
                covered |= _inside_polygon(x, y, px, py)
            else:
                covered |= (x - px[0]) ** 2 + (y - py[0]) ** 2 <= radius**2
        best = max(best, float(covered.mean()))
    return best
