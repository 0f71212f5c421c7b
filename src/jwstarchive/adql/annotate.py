"""Result-column metadata: VOTable datatype, arraysize, xtype, unit and UCD of ADQL expressions.

:func:`describe` works on a tree that :mod:`.check` has resolved: column references carry their
published :class:`~jwstarchive.catalog.tables.Column` in ``node.meta["adql_column"]`` (see :func:`.dialect.pinned`).
Geometry values are DALI arrays (``double[2]`` point, ``double[3]`` circle, ``double[*]``
polygon, degrees), as TAP 1.1 / DALI 1.1 define them.
"""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp

from jwstarchive.adql import dialect as d
from jwstarchive.adql import functions
from jwstarchive.catalog.tables import Column

__all__ = ["GEOMETRY_COLUMNS", "default_name", "describe", "unique_names"]

_INTEGERS = ("short", "int", "long")
_FLOATS = ("float", "double")

GEOMETRY_COLUMNS: dict[str, Column] = {
    "point": Column("point", "double", arraysize="2", xtype="point", unit="deg", ucd="pos.eq"),
    "circle": Column("circle", "double", arraysize="3", xtype="circle", unit="deg", ucd="pos.outline"),
    "polygon": Column("polygon", "double", arraysize="*", xtype="polygon", unit="deg", ucd="pos.outline"),
}
"""Metadata of geometry values, by DALI xtype."""


def _char(description: str = "") -> Column:
    return Column("expr", "char", arraysize="*", description=description)


def _double(unit: str | None = None, ucd: str | None = None, description: str = "") -> Column:
    return Column("expr", "double", unit=unit, ucd=ucd, description=description)


def _adql(node: exp.Expression) -> str:
    try:
        return node.sql(dialect=d.ADQL)
    except Exception:  # pragma: no cover - descriptions are best effort
        return ""


def _numeric(col: Column) -> Column:
    """``col`` as the operand of arithmetic: integers widen to long, the rest to double."""
    if col.datatype in _INTEGERS or col.datatype == "boolean":
        return replace(col, datatype="long", arraysize=None, xtype=None)
    if col.datatype in _FLOATS:
        return replace(col, datatype="double", arraysize=None, xtype=None)
    return replace(col, datatype="double", arraysize=None, xtype=None, unit=None)


def _literal(node: exp.Literal) -> Column:
    if node.is_string:
        return _char()
    text = node.this
    if text.isdigit():
        return Column("expr", "int" if int(text) < 2**31 else "long")
    return _double()


def _binary(node: exp.Binary) -> Column:
    left, right = describe(node.this), describe(node.expression)
    if isinstance(node, exp.DPipe):
        return _char(_adql(node))
    both_int = left.datatype in _INTEGERS and right.datatype in _INTEGERS
    datatype = "long" if both_int and not isinstance(node, exp.Div) else "double"
    unit: str | None = None
    if isinstance(node, exp.Add | exp.Sub):
        unit = left.unit if left.unit == right.unit else None
    elif isinstance(node, exp.Mul | exp.Div):
        if isinstance(node.expression, exp.Literal) or (right.unit is None and _is_constant(node.expression)):
            unit = left.unit
        elif isinstance(node, exp.Mul) and _is_constant(node.this):
            unit = right.unit
    return Column("expr", datatype, unit=unit, description=_adql(node))


def _is_constant(node: exp.Expression) -> bool:
    return not any(isinstance(n, exp.Column) for n in node.walk())


def _aggregate(node: exp.Expression) -> Column:
    arg = node.this
    if isinstance(arg, exp.Distinct):
        arg = arg.expressions[0]
    if isinstance(node, exp.Count):
        return Column("expr", "long", ucd="meta.number", description=_adql(node))
    inner = describe(arg) if not isinstance(arg, exp.Star) else _double()
    ucd = inner.ucd
    if isinstance(node, exp.Avg):
        return _double(inner.unit, f"stat.mean;{ucd}" if ucd else "stat.mean", _adql(node))
    if isinstance(node, exp.Sum):
        num = _numeric(inner)
        return Column("expr", num.datatype, unit=inner.unit, ucd=ucd, description=_adql(node))
    stat = "stat.min" if isinstance(node, exp.Min) else "stat.max"
    return replace(
        inner,
        ucd=f"{stat};{ucd}" if ucd else stat,
        description=_adql(node),
        principal=False,
        indexed=False,
        std=False,
        sql=None,
    )


def _cast(node: exp.Cast) -> Column:
    to = node.to
    kind = to.this
    types = exp.DataType.Type
    if kind == types.SMALLINT:
        return Column("expr", "short")
    if kind == types.INT:
        return Column("expr", "int")
    if kind == types.BIGINT:
        return Column("expr", "long")
    if kind == types.FLOAT:
        return Column("expr", "float")
    if kind == types.DOUBLE:
        return Column("expr", "double")
    if kind == types.TIMESTAMP:
        return Column("expr", "char", arraysize="*", xtype="timestamp")
    size = to.expressions[0].this.this if to.expressions else None
    if kind == types.CHAR:
        return Column("expr", "char", arraysize=str(size) if size else "1")
    return Column("expr", "char", arraysize=f"{size}*" if size else "*")


def _geometry(xtype: str, description: str) -> Column:
    return replace(GEOMETRY_COLUMNS[xtype], name="expr", description=description)


def region_xtype(node: d.Region) -> str:
    """The xtype of a ``REGION`` literal's shape (polygon unless a position or circle)."""
    word = str(node.this.this).split(None, 1)[0].lower() if str(node.this.this).split() else ""
    return {"position": "point", "circle": "circle"}.get(word, "polygon")


def describe(node: exp.Expression) -> Column:
    """VOTable metadata for the value of ``node`` (a resolved ADQL expression).

    Parameters
    ----------
    node
        An expression from a checked tree.

    Returns
    -------
    Column
        Its datatype, arraysize, xtype, unit, UCD and a description (the ADQL text for computed
        values). The name is a placeholder: see :func:`default_name`.
    """
    if isinstance(node, exp.Alias | exp.Paren):
        return describe(node.this)
    if isinstance(node, exp.Column):
        col = d.pinned(node, "adql_column")
        return col if col is not None else _double()
    if isinstance(node, exp.Literal):
        return _literal(node)
    if isinstance(node, exp.Null):
        return _char()
    if isinstance(node, exp.Neg):
        return replace(_numeric(describe(node.this)), description=_adql(node))
    if isinstance(node, exp.Binary) and not isinstance(node, exp.Distance | exp.Mod):
        return _binary(node)
    if isinstance(node, exp.Count | exp.Avg | exp.Sum | exp.Min | exp.Max):
        return _aggregate(node)
    if isinstance(node, exp.Cast):
        return _cast(node)
    if isinstance(node, d.GeometryCast):
        return _geometry(node.args["to"], _adql(node))
    if isinstance(node, exp.Coalesce):
        return replace(_common([node.this, *node.expressions]), description=_adql(node))
    if isinstance(node, exp.Case):
        branches = [b.args["true"] for b in node.args.get("ifs") or []]
        if node.args.get("default") is not None:
            branches.append(node.args["default"])
        return replace(_common(branches), description=_adql(node))
    return _function(node)


def _common(values: list[exp.Expression]) -> Column:
    """The type of a value chosen among ``values`` (CASE, COALESCE): numbers widen, else text."""
    described = [describe(v) for v in values if not isinstance(v, exp.Null)]
    if not described:
        return _char()
    first = described[0]
    kinds = {c.datatype for c in described}
    if len(described) == 1 or (len(kinds) == 1 and len({(c.arraysize, c.xtype) for c in described}) == 1):
        return first
    if kinds <= set(_INTEGERS):
        return Column("expr", "long", unit=first.unit)
    if kinds <= set(_INTEGERS) | set(_FLOATS):
        return Column("expr", "double", unit=first.unit)
    return _char()


def _function(node: exp.Expression) -> Column:
    text = _adql(node)
    if isinstance(node, d.Point | d.Centroid):
        return _geometry("point", text)
    if isinstance(node, d.Circle):
        return _geometry("circle", text)
    if isinstance(node, d.Box | d.Polygon):
        return _geometry("polygon", text)
    if isinstance(node, d.Region):
        return _geometry(region_xtype(node), text)
    if isinstance(node, exp.Contains | d.Intersects):
        return Column("expr", "int", description=text)
    if isinstance(node, exp.Distance):
        return _double("deg", "pos.angDistance", text)
    if isinstance(node, d.Area):
        return _double("deg**2", "phys.angArea", text)
    if isinstance(node, d.Coord1 | d.Coord2):
        ucd = "pos.eq.ra" if isinstance(node, d.Coord1) else "pos.eq.dec"
        return _double("deg", ucd, text)
    if isinstance(node, d.Coordsys | exp.Lower | exp.Upper):
        return _char(text)
    if isinstance(node, d.InUnit):
        return _double(str(node.expression.this), describe(node.this).ucd, text)
    if isinstance(node, exp.Abs | exp.Ceil | exp.Floor | exp.Round | exp.Trunc | exp.Mod):
        inner = describe(node.this)
        if isinstance(node, exp.Mod):
            right = describe(node.expression)
            datatype = "long" if inner.datatype in _INTEGERS and right.datatype in _INTEGERS else "double"
        else:
            datatype = "long" if inner.datatype in _INTEGERS else "double"
        return Column("expr", datatype, unit=inner.unit, ucd=inner.ucd, description=text)
    if isinstance(node, exp.Degrees):
        return _double("deg", description=text)
    if isinstance(node, exp.Radians | exp.Acos | exp.Asin | exp.Atan | exp.Atan2):
        return _double("rad", description=text)
    if isinstance(node, d.UserFunction):
        spec = functions.lookup(node.name)
        returns = spec.returns if spec else "double"
        if returns in GEOMETRY_COLUMNS:
            return _geometry(returns, text)
        if returns == "char":
            return _char(text)
        return Column("expr", returns, ucd=spec.ucd if spec else None, description=text)
    return _double(description=text)


_NAMES: dict[type[exp.Expression], str] = {
    exp.Ceil: "ceiling",
    exp.Ln: "log",
    exp.Pow: "power",
    exp.Trunc: "truncate",
    exp.Mod: "mod",
    exp.Rand: "rand",
    exp.Contains: "contains",
    exp.Distance: "distance",
    d.InUnit: "in_unit",
}


def default_name(node: exp.Expression) -> str:
    """The output name of an unaliased select item: the column or the function name, else ``expr``."""
    if isinstance(node, exp.Alias):
        return node.alias
    if isinstance(node, exp.Paren):
        return default_name(node.this)
    if isinstance(node, exp.Column) and not isinstance(node.this, exp.Star):
        col = d.pinned(node, "adql_column")
        return col.name if col is not None else node.name
    if isinstance(node, exp.Cast | d.GeometryCast):
        return default_name(node.this)
    if isinstance(node, d.UserFunction):
        return node.name.lower()
    if type(node) in _NAMES:
        return _NAMES[type(node)]
    if isinstance(node, exp.Func) and not isinstance(node, exp.Binary):
        return node.sql_name().lower()
    return "expr"


def unique_names(names: list[str]) -> list[str]:
    """``names`` with repeats made unique (case-insensitively): ``ra``, ``ra_2``, ``ra_3``..."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        candidate, n = name, 1
        while candidate.lower() in seen:
            n += 1
            candidate = f"{name}_{n}"
        seen.add(candidate.lower())
        out.append(candidate)
    return out
