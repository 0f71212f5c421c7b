"""The sqlglot side of ADQL: tree nodes for ADQL-only functions and an ``adql`` dialect.

:mod:`jwstarchive.adql.parse` builds sqlglot trees directly (standard SQL nodes such as
``exp.Select``, ``exp.Column``, ``exp.Abs`` plus the ADQL nodes defined here). The ADQL dialect
renders such a tree back to ADQL text (``TOP n``, ``POINT(...)``, ``LOG10``...), which is what
descriptions of computed columns and error messages quote. Backend SQL never comes from this
dialect: ``translate`` rewrites the ADQL nodes with a backend's rules first.

Nodes
-----
``CONTAINS`` and ``DISTANCE`` reuse sqlglot's ``exp.Contains`` and ``exp.Distance`` (two
operands: ``this`` and ``expression``). The four-number form ``DISTANCE(a, b, c, d)`` is
normalised to ``DISTANCE(POINT(a, b), POINT(c, d))``; ``CIRCLE(x, y, r)`` to
``CIRCLE(POINT(x, y), r)``; ``BOX(x, y, w, h)`` to ``BOX(POINT(x, y), w, h)`` and the
coordinate-pair form of ``POLYGON`` to a list of ``POINT`` vertices. An optional ADQL 2.0
coordinate-system argument is kept in the ``coordsys`` arg.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.generator import Generator as _BaseGenerator
from sqlglot.tokens import Tokenizer as _BaseTokenizer

__all__ = [
    "ADQL",
    "Area",
    "Box",
    "Centroid",
    "Circle",
    "Coord1",
    "Coord2",
    "Coordsys",
    "GeometryCast",
    "InUnit",
    "Intersects",
    "Log10",
    "Pinned",
    "Point",
    "Polygon",
    "Region",
    "UserFunction",
    "pin",
    "pinned",
]


class Pinned:
    """A node annotation that sqlglot shares instead of deep-copying when it copies a tree."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __deepcopy__(self, memo: Any) -> Pinned:
        return self

    def __copy__(self) -> Pinned:
        return self


def pin(node: exp.Expression, key: str, value: Any) -> None:
    """Annotate ``node`` with ``value`` under ``key`` (kept by reference through copies)."""
    node.meta[key] = Pinned(value)


def pinned(node: exp.Expression, key: str) -> Any:
    """The annotation ``key`` of ``node``, or None."""
    value = node.meta_get(key)
    return value.value if isinstance(value, Pinned) else value


class _AdqlFunc(exp.Expression, exp.Func):
    """Base of the ADQL-only function nodes."""


class Point(_AdqlFunc):
    """``POINT(ra, dec)``: ``this`` is the longitude, ``expression`` the latitude (degrees)."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "expression": True, "coordsys": False}


class Circle(_AdqlFunc):
    """``CIRCLE(center, radius)``: ``this`` is a point-valued node, ``expression`` the radius."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "expression": True, "coordsys": False}


class Box(_AdqlFunc):
    """``BOX(center, width, height)`` (deprecated in ADQL 2.1, still accepted)."""

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "width": True,
        "height": True,
        "coordsys": False,
    }


class Polygon(_AdqlFunc):
    """``POLYGON(p1, p2, p3, ...)``: ``expressions`` holds the point-valued vertices."""

    arg_types: ClassVar[dict[str, bool]] = {"expressions": True, "coordsys": False}
    is_var_len_args = True


class Region(_AdqlFunc):
    """``REGION('stc-s text')``: ``this`` is the string literal."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True}


class Intersects(_AdqlFunc):
    """``INTERSECTS(a, b)``: 1 when the two geometries overlap, else 0."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "expression": True}


class Area(_AdqlFunc):
    """``AREA(g)`` in square degrees."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True}


class Centroid(_AdqlFunc):
    """``CENTROID(g)``: a point."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True}


class Coord1(_AdqlFunc):
    """``COORD1(p)``: the longitude of a point, degrees."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True}


class Coord2(_AdqlFunc):
    """``COORD2(p)``: the latitude of a point, degrees."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True}


class Coordsys(_AdqlFunc):
    """``COORDSYS(g)``: the coordinate system name (always ICRS here)."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True}


class InUnit(_AdqlFunc):
    """``IN_UNIT(value, 'unit')``: ``expression`` is the unit string literal."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "expression": True}


class Log10(_AdqlFunc):
    """``LOG10(x)``: the decimal logarithm."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True}


class GeometryCast(_AdqlFunc):
    """``CAST(x AS POINT|CIRCLE|POLYGON)``: ``to`` is the lower-case geometry type name."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "to": True}


class UserFunction(_AdqlFunc):
    """A user-defined function call: ``this`` is the name as written, ``expressions`` the args."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "expressions": False}
    is_var_len_args = True


GEOMETRY_NODES: tuple[type[exp.Expression], ...] = (Point, Circle, Box, Polygon, Region, Centroid)
"""Node classes whose value is a geometry."""


def _args(gen: _BaseGenerator, *nodes: Any) -> str:
    return ", ".join(gen.sql(n) for n in nodes if n is not None)


def _with_coordsys(gen: _BaseGenerator, node: exp.Expression, *rest: Any) -> str:
    coordsys = node.args.get("coordsys")
    return _args(gen, coordsys, *rest)


def _point_sql(gen: _BaseGenerator, node: exp.Expression) -> str:
    return f"POINT({_with_coordsys(gen, node, node.this, node.expression)})"


def _circle_sql(gen: _BaseGenerator, node: exp.Expression) -> str:
    return f"CIRCLE({_with_coordsys(gen, node, node.this, node.expression)})"


def _box_sql(gen: _BaseGenerator, node: exp.Expression) -> str:
    args = _with_coordsys(gen, node, node.this, node.args["width"], node.args["height"])
    return f"BOX({args})"


def _polygon_sql(gen: _BaseGenerator, node: exp.Expression) -> str:
    return f"POLYGON({_with_coordsys(gen, node, *node.expressions)})"


def _unary(name: str) -> Any:
    def render(gen: _BaseGenerator, node: exp.Expression) -> str:
        return f"{name}({gen.sql(node.this)})"

    return render


def _binary(name: str) -> Any:
    def render(gen: _BaseGenerator, node: exp.Expression) -> str:
        return f"{name}({gen.sql(node.this)}, {gen.sql(node.expression)})"

    return render


def _round_sql(name: str) -> Any:
    def render(gen: _BaseGenerator, node: exp.Expression) -> str:
        return f"{name}({_args(gen, node.this, node.args.get('decimals'))})"

    return render


def _user_function_sql(gen: _BaseGenerator, node: exp.Expression) -> str:
    return f"{node.name}({_args(gen, *node.expressions)})"


def _geometry_cast_sql(gen: _BaseGenerator, node: exp.Expression) -> str:
    return f"CAST({gen.sql(node.this)} AS {node.args['to'].upper()})"


class ADQL(Dialect):
    """sqlglot dialect that renders trees built by :func:`jwstarchive.adql.parse` as ADQL."""

    NORMALIZE_FUNCTIONS = False
    NULL_ORDERING = "nulls_are_last"

    class Tokenizer(_BaseTokenizer):
        """ANSI quoting: single-quoted strings, double-quoted identifiers."""

        QUOTES: ClassVar[list[str]] = ["'"]
        IDENTIFIERS: ClassVar[list[str]] = ['"']

    class Generator(_BaseGenerator):
        """Writes ``TOP n`` for limits and ADQL spellings for functions."""

        LIMIT_IS_TOP = True
        TYPE_MAPPING: ClassVar[dict[exp.DataType.Type, str]] = {
            **_BaseGenerator.TYPE_MAPPING,
            exp.DataType.Type.INT: "INTEGER",
            exp.DataType.Type.FLOAT: "REAL",
            exp.DataType.Type.DOUBLE: "DOUBLE PRECISION",
            exp.DataType.Type.TEXT: "VARCHAR",
        }
        TRANSFORMS: ClassVar[dict[type[exp.Expression], Any]] = {
            **_BaseGenerator.TRANSFORMS,
            Point: _point_sql,
            Circle: _circle_sql,
            Box: _box_sql,
            Polygon: _polygon_sql,
            Region: _unary("REGION"),
            exp.Contains: _binary("CONTAINS"),
            exp.Distance: _binary("DISTANCE"),
            Intersects: _binary("INTERSECTS"),
            Area: _unary("AREA"),
            Centroid: _unary("CENTROID"),
            Coord1: _unary("COORD1"),
            Coord2: _unary("COORD2"),
            Coordsys: _unary("COORDSYS"),
            InUnit: _binary("IN_UNIT"),
            Log10: _unary("LOG10"),
            GeometryCast: _geometry_cast_sql,
            UserFunction: _user_function_sql,
            exp.Ceil: _unary("CEILING"),
            exp.Ln: _unary("LOG"),
            exp.Mod: _binary("MOD"),
            exp.Pow: _binary("POWER"),
            exp.Trunc: _round_sql("TRUNCATE"),
            exp.Round: _round_sql("ROUND"),
            exp.Rand: lambda gen, node: "RAND()",
        }
