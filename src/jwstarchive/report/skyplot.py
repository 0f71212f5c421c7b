"""A sky plot of observation footprints, drawn as inline SVG (crisp, offline, no plotting library).

Footprints come from STC-S ``s_region`` strings, read by :func:`jwstarchive.regions.parse_stcs`
(polygons, circles, boxes, positions), or, lacking those, from positions (``s_ra``/``s_dec``), drawn
as points. Small fields use the gnomonic (tangent-plane) projection about their centre, with east to
the left and axes in offsets from the centre; fields wider than 60° fall back to plain RA/Dec axes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from jwstarchive.regions import Region, parse_stcs, separation_arcsec

__all__ = ["Footprint", "parse_region", "render_sky_svg"]

WIDTH, HEIGHT = 640, 480
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 70, 150, 20, 50
WIDE_FIELD_DEG = 60.0
MIN_SHAPE_PX = 6.0
INSTRUMENT_COLOURS = {
    "NIRCAM": "#1f77b4",
    "NIRSPEC": "#d62728",
    "NIRISS": "#2ca02c",
    "MIRI": "#ff7f0e",
    "FGS": "#9467bd",
}
OTHER_COLOUR = "#7f7f7f"
SVG_STYLE = (
    "text { font: 12px system-ui, sans-serif; fill: #222; } .frame { fill: #fbfcfe; stroke: #888; } "
    ".axes line { stroke: #444; } "
    ".footprint polygon, .footprint circle { fill: currentColor; fill-opacity: .15; stroke: currentColor; "
    "stroke-width: 1.2; } .footprint circle.point { fill-opacity: .8; } "
    ".footprint:hover polygon, .footprint:hover circle { fill-opacity: .45; }"
)


@dataclass
class Footprint:
    """One observation to draw: its label, instrument and shapes (lists, so callers can add points)."""

    label: str
    instrument: str = ""
    polygons: list[list[tuple[float, float]]] = field(default_factory=list)
    circles: list[tuple[float, float, float]] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when there is nothing to draw."""
        return not (self.polygons or self.circles or self.points)

    def vertices(self) -> list[tuple[float, float]]:
        """Every position that must fit in the plot."""
        out = [v for poly in self.polygons for v in poly] + list(self.points)
        out += [(ra, dec) for ra, dec, _ in self.circles]
        return out

    def add(self, region: Region) -> bool:
        """Draw ``region``'s shapes too; return False if it holds none."""
        self.polygons += [list(polygon) for polygon in region.polygons]
        self.circles += region.circles
        self.points += region.points
        return not region.empty


def parse_region(text: str | None, footprint: Footprint) -> bool:
    """Add the shapes of an STC-S region string to ``footprint``; return False if nothing could be read.

    Unknown shapes and malformed coordinate lists are skipped (a report should show what it can).
    """
    return footprint.add(parse_stcs(text, strict=False))


def _unit(ra: float, dec: float) -> tuple[float, float, float]:
    a, d = math.radians(ra), math.radians(dec)
    return (math.cos(d) * math.cos(a), math.cos(d) * math.sin(a), math.sin(d))


def _centre(positions: Sequence[tuple[float, float]]) -> tuple[float, float]:
    x = y = z = 0.0
    for ra, dec in positions:
        ux, uy, uz = _unit(ra, dec)
        x, y, z = x + ux, y + uy, z + uz
    norm = math.sqrt(x * x + y * y + z * z)
    if norm < 1e-12:
        return positions[0]
    return math.degrees(math.atan2(y, x)) % 360.0, math.degrees(math.asin(max(-1.0, min(1.0, z / norm))))


class _Projection:
    """Sky (ra, dec) degrees → plane (x, y) in the plot's unit; x grows to the east (drawn leftwards)."""

    def __init__(self, centre: tuple[float, float], wide: bool) -> None:
        self.ra0, self.dec0 = centre
        self.wide = wide

    def __call__(self, ra: float, dec: float) -> tuple[float, float]:
        if self.wide:
            return ((ra - self.ra0 + 180.0) % 360.0 - 180.0 + self.ra0, dec)
        a, d = math.radians(ra - self.ra0), math.radians(dec)
        d0 = math.radians(self.dec0)
        cosc = math.sin(d0) * math.sin(d) + math.cos(d0) * math.cos(d) * math.cos(a)
        cosc = max(cosc, 1e-6)
        xi = math.cos(d) * math.sin(a) / cosc
        eta = (math.cos(d0) * math.sin(d) - math.sin(d0) * math.cos(d) * math.cos(a)) / cosc
        return math.degrees(xi), math.degrees(eta)


def _extent(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return max(xs) - min(xs), max(ys) - min(ys)


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 5, 10):
        if raw <= mult * power:
            return mult * power
    return 10 * power


def _unit_of(span_deg: float) -> tuple[str, float]:
    if span_deg >= 2.0:
        return "deg", 1.0
    if span_deg >= 2.0 / 60.0:
        return "arcmin", 60.0
    return "arcsec", 3600.0


def _fmt(value: float) -> str:
    text = f"{value:.6g}"
    return "0" if text in ("-0", "0") else text


def render_sky_svg(footprints: Sequence[Footprint], *, title: str = "Footprints") -> str:
    """Return an ``<svg>`` element showing ``footprints``; an empty string when none has a position."""
    shown = [f for f in footprints if not f.empty]
    positions = [v for f in shown for v in f.vertices()]
    if not positions:
        return ""
    centre = _centre(positions)
    wide = max(separation_arcsec(*centre, *p) for p in positions) > WIDE_FIELD_DEG * 3600.0
    project = _Projection(centre, wide)
    planes: list[tuple[float, float]] = [project(*p) for p in positions]
    for f in shown:
        for ra, dec, radius in f.circles:
            x, y = project(ra, dec)
            planes += [(x - radius, y - radius), (x + radius, y + radius)]
    xs, ys = [p[0] for p in planes], [p[1] for p in planes]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-3 if not wide else 1.0)
    unit, per_deg = ("deg", 1.0) if wide else _unit_of(span)
    pad = span * 0.08
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = span / 2 + pad
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    scale = min(plot_w, plot_h) / (2 * half)  # pixels per degree, same on both axes
    half_x, half_y = plot_w / 2 / scale, plot_h / 2 / scale

    def px(x: float, y: float) -> tuple[float, float]:
        # East (larger x) to the left, north up.
        return (MARGIN_LEFT + plot_w / 2 - (x - cx) * scale, MARGIN_TOP + plot_h / 2 - (y - cy) * scale)

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="skyplot" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        f"<style>{SVG_STYLE}</style>",
        f'<rect x="{MARGIN_LEFT}" y="{MARGIN_TOP}" width="{plot_w}" height="{plot_h}" class="frame"/>',
    ]
    parts += _axes(cx, cy, half_x, half_y, per_deg, unit, wide, px)
    parts.append('<g class="footprints" clip-path="url(#plotarea)">')
    parts.insert(
        2,
        f'<defs><clipPath id="plotarea"><rect x="{MARGIN_LEFT}" y="{MARGIN_TOP}" width="{plot_w}" '
        f'height="{plot_h}"/></clipPath></defs>',
    )
    for f in shown:
        colour = INSTRUMENT_COLOURS.get(f.instrument.split("/")[0].upper(), OTHER_COLOUR)
        tip = f"<title>{escape(f.label)}{' ' + escape(f.instrument) if f.instrument else ''}</title>"
        parts.append(f'<g class="footprint" data-label={quoteattr(f.label)} style="color:{colour}">{tip}')
        for poly in f.polygons:
            pts = " ".join("{:.1f},{:.1f}".format(*px(*project(ra, dec))) for ra, dec in poly)
            parts.append(f'<polygon points="{pts}"/>')
        for ra, dec, radius in f.circles:
            x, y = px(*project(ra, dec))
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{max(radius * scale, 1.5):.1f}"/>')
        outline = [px(*project(ra, dec)) for poly in f.polygons for ra, dec in poly]
        outline += [px(*project(ra, dec)) for ra, dec, radius in f.circles if radius * scale < MIN_SHAPE_PX]
        if outline and max(_extent(outline)) < MIN_SHAPE_PX:
            # Too small to see at this scale (a subarray on a whole-sky plot): mark it with a dot.
            x, y = (sum(p[0] for p in outline) / len(outline), sum(p[1] for p in outline) / len(outline))
            parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3"/>')
        for ra, dec in f.points:
            x, y = px(*project(ra, dec))
            parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3"/>')
        parts.append("</g>")
    parts.append("</g>")
    parts += _legend(shown)
    if not wide:
        x = WIDTH - MARGIN_RIGHT + 15
        parts.append(f'<text class="centre" x="{x}" y="{HEIGHT - MARGIN_BOTTOM - 20}">centre RA {centre[0]:.5f}</text>')
        parts.append(f'<text class="centre" x="{x}" y="{HEIGHT - MARGIN_BOTTOM - 4}">Dec {centre[1]:+.5f}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _axes(
    cx: float,
    cy: float,
    half_x: float,
    half_y: float,
    per_deg: float,
    unit: str,
    wide: bool,
    px: Callable[[float, float], tuple[float, float]],
) -> list[str]:
    """Tick marks and labels; offsets from the centre (small fields) or RA/Dec degrees (wide fields)."""
    out: list[str] = ['<g class="axes">']
    step = _nice_step(2 * min(half_x, half_y) * per_deg) / per_deg
    bottom, left = HEIGHT - MARGIN_BOTTOM, MARGIN_LEFT
    k = math.ceil((cx - half_x) / step)
    while k * step <= cx + half_x:
        x_val = k * step
        sx, _ = px(x_val, cy)
        label = _fmt((x_val % 360.0) if wide else x_val * per_deg)
        out.append(f'<line x1="{sx:.1f}" y1="{bottom}" x2="{sx:.1f}" y2="{bottom + 5}"/>')
        out.append(f'<text x="{sx:.1f}" y="{bottom + 18}" text-anchor="middle">{label}</text>')
        k += 1
    k = math.ceil((cy - half_y) / step)
    while k * step <= cy + half_y:
        y_val = k * step
        if wide and abs(y_val) > 90:
            k += 1
            continue
        _, sy = px(cx, y_val)
        label = _fmt(y_val * per_deg)
        out.append(f'<line x1="{left - 5}" y1="{sy:.1f}" x2="{left}" y2="{sy:.1f}"/>')
        out.append(f'<text x="{left - 8}" y="{sy + 4:.1f}" text-anchor="end">{label}</text>')
        k += 1
    plot_mid_x = MARGIN_LEFT + (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / 2
    plot_mid_y = MARGIN_TOP + (HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / 2
    x_name = "RA [deg]" if wide else f"ΔRA cos Dec [{unit}] (east left)"
    y_name = "Dec [deg]" if wide else f"ΔDec [{unit}]"
    out.append(f'<text x="{plot_mid_x:.1f}" y="{HEIGHT - 8}" text-anchor="middle">{escape(x_name)}</text>')
    out.append(
        f'<text x="14" y="{plot_mid_y:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {plot_mid_y:.1f})">{escape(y_name)}</text>'
    )
    out.append("</g>")
    return out


def _legend(shown: Sequence[Footprint]) -> list[str]:
    names = sorted({f.instrument.split("/")[0].upper() or "other" for f in shown})
    x = WIDTH - MARGIN_RIGHT + 15
    out = ['<g class="legend">']
    for i, name in enumerate(names):
        y = MARGIN_TOP + 10 + 20 * i
        colour = INSTRUMENT_COLOURS.get(name, OTHER_COLOUR)
        out.append(f'<rect x="{x}" y="{y - 9}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 18}" y="{y + 1}">{escape(name)}</text>')
    out.append("</g>")
    return out
