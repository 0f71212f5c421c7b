"""PostgreSQL rules: ADQL geometry as pgSphere (``spoint``, ``scircle``, ``spoly``, ``<@``, ``&&``, ``<->``).

The mapping follows the long-standing pgSphere translation used by DaCHS and vollt:
``POINT`` -> ``spoint(RADIANS(ra), RADIANS(dec))``, ``CIRCLE`` -> ``scircle(spoint, RADIANS(r))``,
constant ``POLYGON``/``BOX``/``REGION`` -> ``spoly`` literals (``BOX`` as four great-circle
corners, not pgSphere's latitude-aligned ``sbox``), ``CONTAINS(a, b) = 1`` -> ``a <@ b``,
``INTERSECTS`` -> ``&&``, ``DISTANCE`` -> ``DEGREES(a <-> b)`` and ``DISTANCE(a, b) < r`` ->
``a <@ scircle(b, RADIANS(r))`` so that a GiST index on ``spoint(RADIANS(ra), RADIANS(dec))``
is used. Geometry columns (xtype point/circle/polygon) are expected to hold pgSphere values.

This backend is less complete than DuckDB: polygons with non-constant vertices and the
``ivo_hasword``/``ivo_healpix_center`` functions are refused.
"""

from __future__ import annotations

import math

from sqlglot import exp

from jwstarchive.adql import dialect as d
from jwstarchive.adql import geometry
from jwstarchive.adql.backends import RuleSet
from jwstarchive.adql.translate import Context
from jwstarchive.errors import UnsupportedFeature

__all__ = ["RULES"]

RULES = RuleSet("postgres")
rule = RULES.rule


def _num(value: float) -> exp.Expression:
    text = repr(float(value))
    if "e" not in text:
        text += "e0"
    lit = exp.Literal.number(text.lstrip("-"))
    return exp.Neg(this=lit) if text.startswith("-") else lit


def _call(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def _strip(node: exp.Expression) -> exp.Expression:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _const_shape(node: exp.Expression) -> geometry.Shape | None:
    from jwstarchive.adql.rules_duckdb import const_shape

    return const_shape(node)


def _spoint_literal(ra: float, dec: float) -> str:
    return f"({ra!r}d, {dec!r}d)"


def _pg_shape(shape: geometry.Shape) -> exp.Expression:
    """A pgSphere literal for a constant shape."""
    if isinstance(shape, geometry.Point):
        text, kind = _spoint_literal(shape.ra, shape.dec), "spoint"
    elif isinstance(shape, geometry.Circle):
        text, kind = f"<{_spoint_literal(shape.ra, shape.dec)}, {shape.radius!r}d>", "scircle"
    else:
        text = "{" + ", ".join(_spoint_literal(ra, dec) for ra, dec in shape.vertices) + "}"
        kind = "spoly"
    return exp.Cast(this=exp.Literal.string(text), to=exp.DataType.build(kind, udt=True))


def _radians(node: exp.Expression) -> exp.Expression:
    return _call("RADIANS", node.copy())


def sphere(node: exp.Expression) -> exp.Expression:
    """The pgSphere value of an ADQL geometry expression."""
    node = _strip(node)
    shape = _const_shape(node)
    if shape is not None:
        return _pg_shape(shape)
    if isinstance(node, d.Point):
        return _call("spoint", _radians(node.this), _radians(node.expression))
    if isinstance(node, d.Circle):
        return _call("scircle", sphere(node.this), _radians(node.expression))
    if isinstance(node, d.Centroid):
        inner = _strip(node.this)
        if isinstance(inner, d.Circle):
            return sphere(inner.this)
        return _call("center", sphere(inner))
    if isinstance(node, exp.Column):
        col = d.pinned(node, "adql_column")
        if col is not None and col.xtype == "point" and col.datatype in ("double", "float"):
            first = exp.Bracket(this=node.copy(), expressions=[exp.Literal.number(1)])
            second = exp.Bracket(this=node.copy(), expressions=[exp.Literal.number(2)])
            return _call("spoint", _call("RADIANS", first), _call("RADIANS", second))
        if col is not None and col.xtype is None and col.datatype not in ("char", "unicodeChar"):
            raise UnsupportedFeature(f"column {col.name} is not a geometry")
        return node.copy()
    raise UnsupportedFeature(f"{node.sql(dialect=d.ADQL)}: this geometry is not supported on PostgreSQL")


def _is_point(node: exp.Expression) -> bool:
    node = _strip(node)
    if isinstance(node, d.Point):
        return True
    if isinstance(node, exp.Column):
        col = d.pinned(node, "adql_column")
        return col is not None and col.xtype == "point"
    return isinstance(_const_shape(node) if isinstance(node, d.Region | d.GeometryCast) else None, geometry.Point)


def _contains(inner: exp.Expression, outer: exp.Expression, negate: bool) -> exp.Expression:
    test = exp.Paren(this=exp.ArrayContainedBy(this=sphere(inner), expression=sphere(outer)))
    return exp.Not(this=test) if negate else test


def _intersects(a: exp.Expression, b: exp.Expression, negate: bool) -> exp.Expression:
    if _is_point(a):
        return _contains(a, b, negate)
    if _is_point(b):
        return _contains(b, a, negate)
    test = exp.Paren(this=exp.ArrayOverlaps(this=sphere(a), expression=sphere(b)))
    return exp.Not(this=test) if negate else test


def _value(node: exp.Expression) -> float | None:
    from jwstarchive.adql.rules_duckdb import const

    return const(node)


@rule(exp.EQ, exp.NEQ)
def _geometric_equality(node: exp.Binary, ctx: Context) -> exp.Expression | None:
    for pred, other in ((node.this, node.expression), (node.expression, node.this)):
        pred = _strip(pred)
        if isinstance(pred, exp.Contains | d.Intersects):
            value = _value(other)
            if value not in (0.0, 1.0):
                return None
            negate = (value == 0.0) == isinstance(node, exp.EQ)
            if isinstance(pred, exp.Contains):
                return _contains(pred.this, pred.expression, negate)
            return _intersects(pred.this, pred.expression, negate)
    return None


_FLIP = {exp.LT: exp.GT, exp.GT: exp.LT, exp.LTE: exp.GTE, exp.GTE: exp.LTE}


@rule(exp.LT, exp.LTE, exp.GT, exp.GTE)
def _distance_comparison(node: exp.Binary, ctx: Context) -> exp.Expression | None:
    cls: type[exp.Expression] = type(node)
    left, right = _strip(node.this), node.expression
    if not isinstance(left, exp.Distance):
        left, right = _strip(node.expression), node.this
        cls = _FLIP[cls]
        if not isinstance(left, exp.Distance):
            return None
    _points(left)
    cone = _call("scircle", sphere(left.expression), _call("RADIANS", right.copy()))
    test = exp.Paren(this=exp.ArrayContainedBy(this=sphere(left.this), expression=cone))
    return test if cls in (exp.LT, exp.LTE) else exp.Not(this=test)


def _truth(condition: exp.Expression) -> exp.Expression:
    return exp.Case(ifs=[exp.If(this=condition, true=exp.Literal.number(1))], default=exp.Literal.number(0))


@rule(exp.Contains)
def _contains_value(node: exp.Contains, ctx: Context) -> exp.Expression:
    return _truth(_contains(node.this, node.expression, False))


@rule(d.Intersects)
def _intersects_value(node: d.Intersects, ctx: Context) -> exp.Expression:
    return _truth(_intersects(node.this, node.expression, False))


def _points(node: exp.Distance) -> None:
    if not (_is_point(node.this) and _is_point(node.expression)) and not all(
        isinstance(_strip(n), d.Centroid | d.UserFunction) or _is_point(n) for n in (node.this, node.expression)
    ):
        raise UnsupportedFeature("DISTANCE needs two points")


@rule(exp.Distance)
def _distance(node: exp.Distance, ctx: Context) -> exp.Expression:
    _points(node)
    distance = ctx.done(exp.Distance(this=sphere(node.this), expression=sphere(node.expression)))
    return _call("DEGREES", exp.Paren(this=distance))


def _array(values: list[exp.Expression]) -> exp.Expression:
    return exp.Cast(this=exp.Array(expressions=values), to=exp.DataType.build("ARRAY<DOUBLE>"))


@rule(d.Point, d.Circle, d.Box, d.Polygon, d.Region, d.Centroid, d.GeometryCast)
def _geometry_value(node: exp.Expression, ctx: Context) -> exp.Expression:
    shape = _const_shape(node)
    if shape is not None:
        return _array([_num(v) for v in geometry.dali(shape)])
    if isinstance(node, d.Point):
        return _array([node.this.copy(), node.expression.copy()])
    if isinstance(node, d.Circle) and isinstance(_strip(node.this), d.Point):
        center = _strip(node.this)
        return _array([center.this.copy(), center.expression.copy(), node.expression.copy()])
    point = sphere(node)
    if isinstance(node, d.Centroid):
        return _array([_call("DEGREES", _call("long", point)), _call("DEGREES", _call("lat", point.copy()))])
    raise UnsupportedFeature(f"{node.sql(dialect=d.ADQL)} cannot be selected on PostgreSQL")


@rule(d.Area)
def _area(node: d.Area, ctx: Context) -> exp.Expression:
    shape = _const_shape(node.this)
    if shape is not None:
        return _num(geometry.area(shape))
    return exp.Mul(this=_call("area", sphere(node.this)), expression=_num((180 / math.pi) ** 2))


@rule(d.Coord1, d.Coord2)
def _coord(node: exp.Expression, ctx: Context) -> exp.Expression:
    inner = _strip(node.this)
    if isinstance(inner, d.Point) and _const_shape(inner) is None:
        return (inner.this if isinstance(node, d.Coord1) else inner.expression).copy()
    name = "long" if isinstance(node, d.Coord1) else "lat"
    return _call("DEGREES", _call(name, sphere(inner)))


@rule(d.Coordsys)
def _coordsys(node: d.Coordsys, ctx: Context) -> exp.Expression:
    return exp.Literal.string("ICRS")


@rule(d.InUnit)
def _in_unit(node: d.InUnit, ctx: Context) -> exp.Expression:
    factor = d.pinned(node, "adql_factor")
    if factor is None:
        raise UnsupportedFeature("IN_UNIT needs a catalog to know the unit of its argument")
    return exp.Paren(this=exp.Mul(this=exp.Paren(this=node.this), expression=_num(factor)))


@rule(d.Log10)
def _log10(node: d.Log10, ctx: Context) -> exp.Expression:
    return _call("LOG", node.this)


def _numeric(node: exp.Expression) -> exp.Expression:
    return exp.Cast(this=node, to=exp.DataType.build("DECIMAL"))


@rule(exp.Mod)
def _mod(node: exp.Mod, ctx: Context) -> exp.Expression:
    return _call("MOD", _numeric(_strip(node.this)), _numeric(_strip(node.expression)))


@rule(exp.Round)
def _round(node: exp.Round, ctx: Context) -> exp.Expression:
    decimals = node.args.get("decimals")
    if decimals is None:
        return _call("ROUND", node.this)
    return _call("ROUND", _numeric(node.this), decimals)


@rule(exp.Trunc)
def _truncate(node: exp.Trunc, ctx: Context) -> exp.Expression:
    decimals = node.args.get("decimals")
    if decimals is None:
        return _call("TRUNC", node.this)
    return _call("TRUNC", _numeric(node.this), decimals)


@rule(d.UserFunction)
def _user_function(node: d.UserFunction, ctx: Context) -> exp.Expression:
    name = node.name.lower()
    args = list(node.expressions)
    if name == "ivo_nocasematch":
        return _truth(exp.ILike(this=args[0], expression=args[1]))
    if name == "ivo_interval_overlaps":
        l1, h1, l2, h2 = args
        return _truth(exp.and_(exp.LTE(this=l1, expression=h2), exp.LTE(this=l2, expression=h1)))
    if name == "ivo_healpix_index":
        return _call("healpix_nest", args[0], _call("spoint", _call("RADIANS", args[1]), _call("RADIANS", args[2])))
    if name == "ivo_string_agg":
        return _call("STRING_AGG", *args)
    raise UnsupportedFeature(f"function {node.name} is not available on PostgreSQL")
