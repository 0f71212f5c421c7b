"""DuckDB rules: ADQL geometry as HEALPix ranges plus exact unit-vector tests, and Python UDFs.

Point-in-cone, the heart of positional queries (``CONTAINS(POINT(ra, dec), CIRCLE(...)) = 1``
and ``DISTANCE(POINT(ra, dec), POINT(...)) < r`` in any operand order), becomes on a table with
a position index (:class:`~jwstarchive.catalog.tables.PositionIndex`)::

    (_healpix BETWEEN lo1 AND hi1 OR ... )                      -- at most 8 ranges
    AND POWER(_x - cx, 2) + POWER(_y - cy, 2) + POWER(_z - cz, 2) <= chord**2

The range test lets DuckDB skip row groups of tables sorted by ``_healpix``; the exact test
compares squared chord lengths, which is the dot-product test ``x*cx + y*cy + z*cz >= cos(r)``
rewritten to keep full precision for radii down to micro-arcseconds. It is correct at the
poles and across RA 0/360 because it works on unit vectors. Constant BOX and convex POLYGON
become half-space tests (``x*nx + y*ny + z*nz >= 0`` per edge) behind the ranges of their
bounding cap; everything else (column geometries, non-convex polygons, circle-vs-polygon...)
goes through the UDFs that :func:`install` registers, on ``DOUBLE[]`` shapes (see
:mod:`.geometry`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from jwstarchive.adql import dialect as d
from jwstarchive.adql import geometry
from jwstarchive.adql.backends import RuleSet
from jwstarchive.adql.translate import Context
from jwstarchive.catalog.tables import PositionIndex
from jwstarchive.errors import UnsupportedFeature

__all__ = ["RULES", "UDFS", "install"]

RULES = RuleSet("duckdb")
rule = RULES.rule

MAX_RANGES = 8


# ---------------------------------------------------------------------------- SQL helpers
def num(value: float) -> exp.Expression:
    """A DOUBLE literal (with an exponent so DuckDB does not read it as DECIMAL)."""
    text = repr(float(value))
    if "e" not in text and "inf" not in text and "nan" not in text:
        text += "e0"
    lit = exp.Literal.number(text.lstrip("-"))
    return exp.Neg(this=lit) if text.startswith("-") else lit


def call(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def paren(node: exp.Expression) -> exp.Expression:
    return node if isinstance(node, exp.Paren | exp.Column | exp.Literal | exp.Anonymous) else exp.Paren(this=node)


def square(node: exp.Expression) -> exp.Expression:
    return call("POWER", node, exp.Literal.number(2))


def double_list(values: list[exp.Expression]) -> exp.Expression:
    return exp.Cast(this=exp.Array(expressions=values), to=exp.DataType.build("ARRAY<DOUBLE>"))


def const_list(values: list[float]) -> exp.Expression:
    return double_list([num(v) for v in values])


def _copy(node: exp.Expression) -> exp.Expression:
    return node.copy()


def _strip(node: exp.Expression) -> exp.Expression:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


_CONST_FUNCS: dict[type[exp.Expression], Callable[..., float]] = {
    exp.Sqrt: math.sqrt,
    exp.Radians: math.radians,
    exp.Degrees: math.degrees,
    exp.Sin: math.sin,
    exp.Cos: math.cos,
    exp.Tan: math.tan,
    exp.Asin: math.asin,
    exp.Acos: math.acos,
    exp.Atan: math.atan,
    exp.Abs: abs,
    exp.Exp: math.exp,
    exp.Ln: math.log,
    d.Log10: math.log10,
    exp.Floor: math.floor,
    exp.Ceil: math.ceil,
}


def const(node: exp.Expression | None) -> float | None:
    """The value of a constant numeric expression, or None."""
    node = _strip(node) if node is not None else None
    try:
        if isinstance(node, exp.Literal):
            return None if node.is_string else float(node.this)
        if isinstance(node, exp.Neg):
            v = const(node.this)
            return None if v is None else -v
        if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div):
            a, b = const(node.this), const(node.expression)
            if a is None or b is None:
                return None
            if isinstance(node, exp.Add):
                return a + b
            if isinstance(node, exp.Sub):
                return a - b
            if isinstance(node, exp.Mul):
                return a * b
            return a / b
        if isinstance(node, exp.Pi):
            return math.pi
        if isinstance(node, exp.Pow):
            a, b = const(node.this), const(node.expression)
            return None if a is None or b is None else float(a**b)
        if type(node) in _CONST_FUNCS:
            v = const(node.this)
            return None if v is None else float(_CONST_FUNCS[type(node)](v))
        if isinstance(node, exp.Cast) and node.to.is_type(*exp.DataType.NUMERIC_TYPES):
            return const(node.this)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    return None


# ------------------------------------------------------------------------ shape analysis
@dataclass
class PointRef:
    """A point-valued ADQL expression seen as SQL parts."""

    ra: exp.Expression
    dec: exp.Expression
    value: tuple[float, float] | None = None
    alias: str | None = None
    index: PositionIndex | None = None

    def vector(self) -> tuple[exp.Expression, exp.Expression, exp.Expression]:
        if self.value is not None:
            x, y, z = geometry.unit_vector(*self.value)
            return num(x), num(y), num(z)
        if self.index is not None and self.alias is not None:
            return tuple(  # type: ignore[return-value]
                exp.Column(this=exp.to_identifier(n, quoted=True), table=exp.to_identifier(self.alias, quoted=True))
                for n in (self.index.x, self.index.y, self.index.z)
            )
        ra_r = call("RADIANS", _copy(self.ra))
        dec_r = call("RADIANS", _copy(self.dec))
        cos_dec = call("COS", dec_r)
        return (
            exp.Mul(this=cos_dec, expression=call("COS", ra_r)),
            exp.Mul(this=cos_dec.copy(), expression=call("SIN", ra_r.copy())),
            call("SIN", dec_r.copy()),
        )

    def healpix(self) -> exp.Expression:
        assert self.index is not None and self.alias is not None
        return exp.Column(
            this=exp.to_identifier(self.index.healpix, quoted=True), table=exp.to_identifier(self.alias, quoted=True)
        )


def _indexed(ra: exp.Expression, dec: exp.Expression) -> tuple[str, PositionIndex] | None:
    ra, dec = _strip(ra), _strip(dec)
    if not (isinstance(ra, exp.Column) and isinstance(dec, exp.Column)):
        return None
    src_ra, src_dec = d.pinned(ra, "adql_source"), d.pinned(dec, "adql_source")
    if src_ra is None or src_ra is not src_dec or src_ra.table is None:
        return None
    position = src_ra.table.position
    if position is None:
        return None
    if ra.name.lower() == position.ra.lower() and dec.name.lower() == position.dec.lower():
        return src_ra.alias, position
    return None


def const_shape(node: exp.Expression) -> geometry.Shape | None:
    """The shape of a constant geometry expression, or None.

    Raises
    ------
    jwstarchive.errors.UnsupportedFeature
        For constant shapes that are not valid (latitudes beyond the poles, infinite numbers,
        degenerate polygons...).
    """
    shape = _const_shape(node)
    if shape is not None and not all(math.isfinite(v) for v in geometry.encode(shape)):
        raise UnsupportedFeature("geometry coordinates and radii must be finite numbers")
    return shape


def _const_shape(node: exp.Expression) -> geometry.Shape | None:
    node = _strip(node)
    try:
        if isinstance(node, d.Point):
            ra, dec = const(node.this), const(node.expression)
            if ra is None or dec is None:
                return None
            if not -90 <= dec <= 90:
                raise UnsupportedFeature(f"POINT latitude {dec} is outside [-90, 90]")
            return geometry.Point(ra % 360.0, dec)
        if isinstance(node, d.Circle):
            center = const_shape(node.this)
            radius = const(node.expression)
            if not isinstance(center, geometry.Point) or radius is None:
                return None
            return geometry.Circle(center.ra, center.dec, radius)
        if isinstance(node, d.Box):
            center = const_shape(node.this)
            w, h = const(node.args["width"]), const(node.args["height"])
            if not isinstance(center, geometry.Point) or w is None or h is None:
                return None
            return geometry.box(center.ra, center.dec, w, h)
        if isinstance(node, d.Polygon):
            points = [const_shape(v) for v in node.expressions]
            if not all(isinstance(p, geometry.Point) for p in points):
                return None
            return geometry.polygon([(p.ra, p.dec) for p in points])  # type: ignore[union-attr]
        if isinstance(node, d.Region):
            return geometry.parse_stcs(str(node.this.this))
        if isinstance(node, d.GeometryCast) and isinstance(node.this, exp.Literal) and node.this.is_string:
            return geometry.parse_dali(str(node.this.this), node.args["to"])
        if isinstance(node, d.Centroid):
            inner = const_shape(node.this)
            return geometry.centroid(inner) if inner is not None else None
    except ValueError as err:
        raise UnsupportedFeature(f"invalid geometry: {err}") from None
    return None


def point_of(node: exp.Expression) -> PointRef | None:
    """``node`` as a point, when it is one."""
    node = _strip(node)
    shape = const_shape(node) if isinstance(node, d.Point | d.Region | d.GeometryCast | d.Centroid) else None
    if isinstance(shape, geometry.Point):
        return PointRef(num(shape.ra), num(shape.dec), value=(shape.ra, shape.dec))
    if shape is not None:
        return None
    if isinstance(node, d.Point):
        found = _indexed(node.this, node.expression)
        alias, index = found if found else (None, None)
        return PointRef(node.this, node.expression, alias=alias, index=index)
    if isinstance(node, d.Centroid):
        inner = _strip(node.this)
        if isinstance(inner, d.Circle):
            return point_of(inner.this)
        if isinstance(inner, d.Point):
            return point_of(inner)
    col = d.pinned(node, "adql_column") if isinstance(node, exp.Column) else None
    if col is not None and col.xtype == "point" and col.datatype in ("double", "float"):
        return PointRef(
            call("list_extract", node.copy(), exp.Literal.number(1)),
            call("list_extract", node.copy(), exp.Literal.number(2)),
        )
    point_valued = (
        isinstance(node, d.Centroid)
        or (isinstance(node, d.GeometryCast) and node.args["to"] == "point")
        or (isinstance(node, d.UserFunction) and node.name.lower() == "ivo_healpix_center")
        or (col is not None and col.xtype == "point")
    )
    if point_valued:
        enc = encoded(node)
        return PointRef(
            call("list_extract", enc, exp.Literal.number(2)), call("list_extract", enc.copy(), exp.Literal.number(3))
        )
    return None


def circle_of(node: exp.Expression) -> tuple[PointRef, exp.Expression, float | None] | None:
    """``node`` as (centre, radius expression, constant radius) when it is a circle."""
    node = _strip(node)
    if isinstance(node, d.Circle):
        center = point_of(node.this)
        if center is None:
            return None
        return center, node.expression, const(node.expression)
    shape = const_shape(node) if isinstance(node, d.Region | d.GeometryCast) else None
    if isinstance(shape, geometry.Circle):
        return (PointRef(num(shape.ra), num(shape.dec), value=(shape.ra, shape.dec)), num(shape.radius), shape.radius)
    return None


_CODES = {"point": 1.0, "circle": 2.0, "polygon": 3.0}


def encoded(node: exp.Expression) -> exp.Expression:
    """SQL for the ``DOUBLE[]`` encoding of a geometry expression (see :func:`geometry.encode`)."""
    node = _strip(node)
    shape = const_shape(node)
    if shape is not None:
        return const_list(geometry.encode(shape))
    if isinstance(node, exp.Null):
        return exp.Null()
    if isinstance(node, d.Point):
        return double_list([num(1), _copy(node.this), _copy(node.expression)])
    if isinstance(node, d.Circle):
        center = point_of(node.this)
        if center is None:
            raise UnsupportedFeature("the centre of CIRCLE must be a point")
        return double_list([num(2), _copy(center.ra), _copy(center.dec), _copy(node.expression)])
    if isinstance(node, d.Box):
        center = point_of(node.this)
        if center is None:
            raise UnsupportedFeature("the centre of BOX must be a point")
        return call(
            "adql_box", _copy(center.ra), _copy(center.dec), _copy(node.args["width"]), _copy(node.args["height"])
        )
    if isinstance(node, d.Polygon):
        parts: list[exp.Expression] = [num(3)]
        for vertex in node.expressions:
            p = point_of(vertex)
            if p is None:
                raise UnsupportedFeature("POLYGON vertices must be points")
            parts.extend([_copy(p.ra), _copy(p.dec)])
        return double_list(parts)
    if isinstance(node, d.Centroid):
        return call("adql_centroid", encoded(node.this))
    if isinstance(node, d.GeometryCast):
        return call("adql_parse_dali", _copy(node.this), exp.Literal.string(node.args["to"]))
    if isinstance(node, d.UserFunction) and node.name.lower() == "ivo_healpix_center":
        return call("adql_healpix_center", *(_copy(a) for a in node.expressions))
    if isinstance(node, exp.Column):
        col = d.pinned(node, "adql_column")
        if col is not None:
            if col.xtype in _CODES and col.datatype in ("double", "float"):
                return call(
                    "list_concat",
                    const_list([_CODES[col.xtype]]),
                    exp.Cast(this=node.copy(), to=exp.DataType.build("ARRAY<DOUBLE>")),
                )
            if col.datatype in ("char", "unicodeChar"):
                return call("adql_stcs", node.copy())
            raise UnsupportedFeature(f"column {col.name} is not a geometry")
        return call("adql_stcs", node.copy())
    raise UnsupportedFeature(f"{node.sql(dialect=d.ADQL)} is not a geometry")


# ---------------------------------------------------------------------------- predicates
def _and(*conds: exp.Expression) -> exp.Expression:
    return exp.and_(*conds) if len(conds) > 1 else conds[0]


def _ranges(column: exp.Expression, ranges: list[tuple[int, int]]) -> exp.Expression:
    tests = [
        exp.Between(this=column.copy(), low=exp.Literal.number(lo), high=exp.Literal.number(hi)) for lo, hi in ranges
    ]
    return exp.Paren(this=exp.or_(*tests)) if len(tests) > 1 else tests[0]


def _dec_band(p: PointRef, dec0: exp.Expression, radius: exp.Expression) -> exp.Expression:
    return exp.Between(
        this=_copy(p.dec),
        low=exp.Sub(this=paren(_copy(dec0)), expression=paren(_copy(radius))),
        high=exp.Add(this=paren(_copy(dec0)), expression=paren(_copy(radius))),
    )


def cone(
    p: PointRef,
    center: PointRef,
    radius: exp.Expression,
    radius_value: float | None,
    *,
    strict: bool = False,
    negate: bool = False,
    prefilter: bool = True,
    ctx: Context | None = None,
) -> exp.Expression:
    """``p`` within ``radius`` degrees of ``center`` (``strict``: closer than)."""
    if radius_value is not None and not math.isfinite(radius_value):
        raise UnsupportedFeature("the radius must be a finite number of degrees")
    if radius_value is not None and radius_value < 0:
        return exp.false() if not negate else exp.true()
    if center.index is not None and p.index is None:
        p, center = center, p
    pv, cv = p.vector(), center.vector()
    chord2 = exp.Add(
        this=exp.Add(
            this=square(exp.Sub(this=pv[0], expression=cv[0])), expression=square(exp.Sub(this=pv[1], expression=cv[1]))
        ),
        expression=square(exp.Sub(this=pv[2], expression=cv[2])),
    )
    if radius_value is not None:
        limit: exp.Expression = num((2 * math.sin(math.radians(min(radius_value, 180.0)) / 2)) ** 2)
    else:
        half = exp.Div(this=call("RADIANS", _copy(radius)), expression=exp.Literal.number(2))
        limit = exp.Mul(this=exp.Literal.number(4), expression=square(call("SIN", half)))
    exact: exp.Expression = (exp.LT if strict else exp.LTE)(this=chord2, expression=limit)
    if negate:
        return exp.Not(this=exp.Paren(this=exact))
    filters: list[exp.Expression] = []
    if prefilter and radius_value is not None:
        if p.index is not None and center.value is not None:
            max_ranges = ctx.options.get("max_ranges", MAX_RANGES) if ctx else MAX_RANGES
            ranges = geometry.cone_ranges(*center.value, radius_value, max_ranges=max_ranges, depth=p.index.depth)
            if ranges and (ctx is None or ctx.options.get("healpix", True)):
                filters.append(_ranges(p.healpix(), ranges))
        elif radius_value < 90:
            filters.append(_dec_band(p, center.dec, num(radius_value)))
    return _and(*filters, exact)


def in_polygon(
    p: PointRef, poly: geometry.Polygon, *, negate: bool = False, prefilter: bool = True, ctx: Context | None = None
) -> exp.Expression:
    """``p`` inside the constant polygon ``poly``."""
    if poly.convex:
        pv = p.vector()
        tests = [
            exp.GTE(
                this=exp.Add(
                    this=exp.Add(
                        this=exp.Mul(this=_copy(pv[0]), expression=num(n[0])),
                        expression=exp.Mul(this=_copy(pv[1]), expression=num(n[1])),
                    ),
                    expression=exp.Mul(this=_copy(pv[2]), expression=num(n[2])),
                ),
                expression=num(-1e-12),
            )
            for n in poly.normals
        ]
        exact = _and(*tests)
    else:
        exact = exp.EQ(
            this=call(
                "adql_contains", double_list([num(1), _copy(p.ra), _copy(p.dec)]), const_list(geometry.encode(poly))
            ),
            expression=exp.Literal.number(1),
        )
    if negate:
        return exp.Not(this=exp.Paren(this=exact))
    cap = poly.bounding_circle()
    if not prefilter:
        return exact
    center = PointRef(num(cap.ra), num(cap.dec), value=(cap.ra, cap.dec))
    bound = cone(p, center, num(cap.radius), cap.radius * (1 + 1e-9) + 1e-9, ctx=ctx)
    return _and(bound, exact)


def contains_predicate(
    inner: exp.Expression, outer: exp.Expression, ctx: Context, *, negate: bool = False, prefilter: bool = True
) -> exp.Expression:
    """SQL condition for ``CONTAINS(inner, outer) = 1`` (``negate``: ``= 0``)."""
    p = point_of(inner)
    if p is not None:
        circle = circle_of(outer)
        if circle is not None:
            center, radius, radius_value = circle
            return cone(p, center, radius, radius_value, negate=negate, prefilter=prefilter, ctx=ctx)
        shape = const_shape(outer)
        if isinstance(shape, geometry.Polygon):
            return in_polygon(p, shape, negate=negate, prefilter=prefilter, ctx=ctx)
        if isinstance(shape, geometry.Point):
            other = PointRef(num(shape.ra), num(shape.dec), value=(shape.ra, shape.dec))
            return cone(p, other, num(1e-9), 1e-9, negate=negate, prefilter=prefilter, ctx=ctx)
    test = exp.EQ(this=call("adql_contains", encoded(inner), encoded(outer)), expression=exp.Literal.number(1))
    return exp.Not(this=exp.Paren(this=test)) if negate else test


def intersects_predicate(
    a: exp.Expression, b: exp.Expression, ctx: Context, *, negate: bool = False, prefilter: bool = True
) -> exp.Expression:
    """SQL condition for ``INTERSECTS(a, b) = 1``."""
    if point_of(a) is not None:
        return contains_predicate(a, b, ctx, negate=negate, prefilter=prefilter)
    if point_of(b) is not None:
        return contains_predicate(b, a, ctx, negate=negate, prefilter=prefilter)
    test = exp.EQ(this=call("adql_intersects", encoded(a), encoded(b)), expression=exp.Literal.number(1))
    return exp.Not(this=exp.Paren(this=test)) if negate else test


def _truth(condition: exp.Expression) -> exp.Expression:
    return exp.Case(ifs=[exp.If(this=condition, true=exp.Literal.number(1))], default=exp.Literal.number(0))


# ------------------------------------------------------------------------- rules
_FLIP = {exp.LT: exp.GT, exp.GT: exp.LT, exp.LTE: exp.GTE, exp.GTE: exp.LTE}


@rule(exp.EQ, exp.NEQ)
def _geometric_equality(node: exp.Binary, ctx: Context) -> exp.Expression | None:
    for pred, other in ((node.this, node.expression), (node.expression, node.this)):
        pred = _strip(pred)
        if isinstance(pred, exp.Contains | d.Intersects):
            value = const(other)
            if value not in (0.0, 1.0):
                return None
            negate = (value == 0.0) == isinstance(node, exp.EQ)
            build = contains_predicate if isinstance(pred, exp.Contains) else intersects_predicate
            return exp.Paren(this=build(pred.this, pred.expression, ctx, negate=negate))
    return None


@rule(exp.LT, exp.LTE, exp.GT, exp.GTE)
def _distance_comparison(node: exp.Binary, ctx: Context) -> exp.Expression | None:
    cls: type[exp.Expression] = type(node)
    left, right = _strip(node.this), node.expression
    if not isinstance(left, exp.Distance):
        left, right = _strip(node.expression), node.this
        cls = _FLIP[cls]
        if not isinstance(left, exp.Distance):
            return None
    if any(isinstance(n, exp.Distance) for n in right.walk()):
        return None
    p1, p2 = point_of(left.this), point_of(left.expression)
    if p1 is None or p2 is None:
        return None
    radius_value = const(right)
    inside = cls in (exp.LT, exp.LTE)
    strict = cls in (exp.LT, exp.GTE)
    return exp.Paren(this=cone(p1, p2, right, radius_value, strict=strict, negate=not inside, ctx=ctx))


@rule(exp.Contains)
def _contains_value(node: exp.Contains, ctx: Context) -> exp.Expression:
    return _truth(contains_predicate(node.this, node.expression, ctx, prefilter=False))


@rule(d.Intersects)
def _intersects_value(node: d.Intersects, ctx: Context) -> exp.Expression:
    return _truth(intersects_predicate(node.this, node.expression, ctx, prefilter=False))


def distance_sql(p1: PointRef, p2: PointRef) -> exp.Expression:
    """Great-circle distance in degrees, from the chord between the unit vectors."""
    a, b = p1.vector(), p2.vector()
    chord2 = exp.Add(
        this=exp.Add(
            this=square(exp.Sub(this=a[0], expression=b[0])), expression=square(exp.Sub(this=a[1], expression=b[1]))
        ),
        expression=square(exp.Sub(this=a[2], expression=b[2])),
    )
    half = exp.Div(this=call("SQRT", chord2), expression=exp.Literal.number(2))
    return call("DEGREES", exp.Mul(this=exp.Literal.number(2), expression=call("ASIN", call("LEAST", num(1), half))))


@rule(exp.Distance)
def _distance(node: exp.Distance, ctx: Context) -> exp.Expression:
    p1, p2 = point_of(node.this), point_of(node.expression)
    if p1 is None or p2 is None:
        raise UnsupportedFeature("DISTANCE needs two points")
    return distance_sql(p1, p2)


def _dali(node: exp.Expression) -> exp.Expression:
    shape = const_shape(node)
    if shape is not None:
        return const_list(geometry.dali(shape))
    inner = _strip(node)
    if isinstance(inner, d.Point):
        return double_list([_copy(inner.this), _copy(inner.expression)])
    if isinstance(inner, d.Circle):
        center = point_of(inner.this)
        if center is not None:
            return double_list([_copy(center.ra), _copy(center.dec), _copy(inner.expression)])
    return call("adql_dali", encoded(inner))


@rule(d.Point, d.Circle, d.Box, d.Polygon, d.Region, d.Centroid, d.GeometryCast)
def _geometry_value(node: exp.Expression, ctx: Context) -> exp.Expression:
    return _dali(node)


@rule(d.Area)
def _area(node: d.Area, ctx: Context) -> exp.Expression:
    shape = const_shape(node.this)
    if shape is not None:
        return num(geometry.area(shape))
    circle = circle_of(node.this)
    if circle is not None:
        sr = exp.Mul(
            this=exp.Mul(this=exp.Literal.number(2), expression=exp.Pi()),
            expression=exp.Paren(this=exp.Sub(this=num(1), expression=call("COS", call("RADIANS", _copy(circle[1]))))),
        )
        return exp.Mul(this=sr, expression=num((180 / math.pi) ** 2))
    return call("adql_area", encoded(node.this))


@rule(d.Coord1, d.Coord2)
def _coord(node: exp.Expression, ctx: Context) -> exp.Expression:
    p = point_of(node.this)
    if p is None:
        raise UnsupportedFeature(f"{node.sql(dialect=d.ADQL)}: the argument is not a point")
    if p.value is not None:
        return num(p.value[0] if isinstance(node, d.Coord1) else p.value[1])
    return _copy(p.ra if isinstance(node, d.Coord1) else p.dec)


@rule(d.Coordsys)
def _coordsys(node: d.Coordsys, ctx: Context) -> exp.Expression:
    return exp.Literal.string("ICRS")


@rule(d.InUnit)
def _in_unit(node: d.InUnit, ctx: Context) -> exp.Expression:
    factor = d.pinned(node, "adql_factor")
    if factor is None:
        raise UnsupportedFeature("IN_UNIT needs a catalog to know the unit of its argument")
    return exp.Paren(this=exp.Mul(this=paren(node.this), expression=num(factor)))


@rule(d.Log10)
def _log10(node: d.Log10, ctx: Context) -> exp.Expression:
    return call("LOG10", node.this)


@rule(exp.Trunc)
def _truncate(node: exp.Trunc, ctx: Context) -> exp.Expression:
    decimals = node.args.get("decimals")
    if decimals is None:
        return call("TRUNC", node.this)
    scale = call("POWER", num(10), decimals)
    return exp.Div(this=call("TRUNC", exp.Mul(this=paren(node.this), expression=scale)), expression=scale.copy())


def _udf_truth(condition: exp.Expression) -> exp.Expression:
    return exp.Case(ifs=[exp.If(this=condition, true=exp.Literal.number(1))], default=exp.Literal.number(0))


@rule(d.UserFunction)
def _user_function(node: d.UserFunction, ctx: Context) -> exp.Expression:
    name = node.name.lower()
    args = list(node.expressions)
    if name == "ivo_hasword":
        return call("adql_hasword", *args)
    if name == "ivo_nocasematch":
        return _udf_truth(exp.ILike(this=args[0], expression=args[1]))
    if name == "ivo_interval_overlaps":
        l1, h1, l2, h2 = args
        return _udf_truth(exp.and_(exp.LTE(this=l1, expression=h2), exp.LTE(this=l2, expression=h1)))
    if name == "ivo_healpix_index":
        return call("adql_healpix_index", *args)
    if name == "ivo_healpix_center":
        return call("adql_dali", call("adql_healpix_center", *args))
    if name == "ivo_string_agg":
        return call("STRING_AGG", *args)
    raise UnsupportedFeature(f"function {node.name} is not available on DuckDB")


# ---------------------------------------------------------------------------------- UDFs
def _shape_or_none(values: Any) -> geometry.Shape | None:
    return geometry.decode(values) if values is not None else None


def _udf_contains(a: Any, b: Any) -> int | None:
    sa, sb = _shape_or_none(a), _shape_or_none(b)
    if sa is None or sb is None:
        return None
    return int(geometry.contains(sa, sb))


def _udf_intersects(a: Any, b: Any) -> int | None:
    sa, sb = _shape_or_none(a), _shape_or_none(b)
    if sa is None or sb is None:
        return None
    return int(geometry.intersects(sa, sb))


def _udf_area(a: Any) -> float | None:
    s = _shape_or_none(a)
    return None if s is None else geometry.area(s)


def _udf_centroid(a: Any) -> list[float] | None:
    s = _shape_or_none(a)
    return None if s is None else geometry.encode(geometry.centroid(s))


def _udf_dali(a: Any) -> list[float] | None:
    s = _shape_or_none(a)
    return None if s is None else geometry.dali(s)


def _udf_box(ra: float | None, dec: float | None, w: float | None, h: float | None) -> list[float] | None:
    if None in (ra, dec, w, h):
        return None
    try:
        return geometry.encode(geometry.box(ra, dec, w, h))  # type: ignore[arg-type]
    except ValueError:
        return None


def _udf_stcs(text: str | None) -> list[float] | None:
    if text is None or not text.strip():
        return None
    try:
        return geometry.encode(geometry.parse_stcs(text))
    except ValueError:
        return None


def _udf_parse_dali(text: str | None, kind: str) -> list[float] | None:
    if text is None:
        return None
    try:
        return geometry.encode(geometry.parse_dali(text, kind))
    except ValueError as err:
        raise ValueError(f"CAST to {kind.upper()}: {err}") from None


def _udf_healpix_index(order: Any, ra: Any, dec: Any) -> Any:
    import numpy as np
    import pyarrow as pa
    from astropy import units as u
    from astropy.coordinates import Latitude, Longitude
    from cdshealpix import nested

    o = np.asarray(order.to_numpy(zero_copy_only=False), dtype=float)
    lon = np.asarray(ra.to_numpy(zero_copy_only=False), dtype=float)
    lat = np.asarray(dec.to_numpy(zero_copy_only=False), dtype=float)
    out = np.zeros(len(lon), dtype=np.int64)
    valid = np.isfinite(o) & np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (o >= 0) & (o <= 29)
    for level in np.unique(o[valid]).astype(int):
        sel = valid & (o == level)
        out[sel] = nested.lonlat_to_healpix(Longitude(lon[sel] % 360.0, u.deg), Latitude(lat[sel], u.deg), level)
    return pa.array(out, mask=~valid)


def _udf_healpix_center(order: int | None, ipix: int | None) -> list[float] | None:
    if order is None or ipix is None or not 0 <= order <= 29 or not 0 <= ipix < 12 * 4**order:
        return None
    from cdshealpix import nested

    lon, lat = nested.healpix_to_lonlat([ipix], order)
    return [1.0, float(lon.deg[0]) % 360.0, float(lat.deg[0])]


def _udf_hasword(haystack: str | None, needle: str | None) -> int | None:
    if haystack is None or needle is None:
        return None
    import re

    pattern = r"(?<![0-9A-Za-z_])" + re.escape(needle.lower()) + r"(?![0-9A-Za-z_])"
    return int(re.search(pattern, haystack.lower()) is not None)


@dataclass(frozen=True)
class Udf:
    """One Python function registered on DuckDB connections."""

    name: str
    function: Callable[..., Any]
    parameters: tuple[str, ...]
    returns: str
    vectorized: bool = False


UDFS: tuple[Udf, ...] = (
    Udf("adql_contains", _udf_contains, ("DOUBLE[]", "DOUBLE[]"), "INTEGER"),
    Udf("adql_intersects", _udf_intersects, ("DOUBLE[]", "DOUBLE[]"), "INTEGER"),
    Udf("adql_area", _udf_area, ("DOUBLE[]",), "DOUBLE"),
    Udf("adql_centroid", _udf_centroid, ("DOUBLE[]",), "DOUBLE[]"),
    Udf("adql_dali", _udf_dali, ("DOUBLE[]",), "DOUBLE[]"),
    Udf("adql_box", _udf_box, ("DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE"), "DOUBLE[]"),
    Udf("adql_stcs", _udf_stcs, ("VARCHAR",), "DOUBLE[]"),
    Udf("adql_parse_dali", _udf_parse_dali, ("VARCHAR", "VARCHAR"), "DOUBLE[]"),
    Udf("adql_healpix_index", _udf_healpix_index, ("DOUBLE", "DOUBLE", "DOUBLE"), "BIGINT", vectorized=True),
    Udf("adql_healpix_center", _udf_healpix_center, ("BIGINT", "BIGINT"), "DOUBLE[]"),
    Udf("adql_hasword", _udf_hasword, ("VARCHAR", "VARCHAR"), "INTEGER"),
)
"""The UDFs DuckDB translations call."""


def install(con: Any) -> None:
    """Register the UDFs of :data:`UDFS` on a DuckDB connection (idempotent).

    Parameters
    ----------
    con
        A ``duckdb.DuckDBPyConnection``. Call this once per connection (cursors share it).
    """
    import duckdb

    existing = {
        row[0]
        for row in con.execute(
            "SELECT function_name FROM duckdb_functions() WHERE function_name LIKE 'adql\\_%' ESCAPE '\\'"
        ).fetchall()
    }
    for udf in UDFS:
        if udf.name in existing:
            continue
        con.create_function(
            udf.name,
            udf.function,
            [duckdb.sqltype(p) for p in udf.parameters],
            duckdb.sqltype(udf.returns),
            type="arrow" if udf.vectorized else "native",
            null_handling="special",
            side_effects=False,
        )
