"""The one list of ADQL functions this service accepts.

It feeds three readers: the grammar (:mod:`.parse` checks names and argument counts),
the checker (:mod:`.check` refuses user-defined functions a backend does not provide) and the
capabilities document (:func:`language_features` gives TAPRegExt ``languageFeatures``).
Anything not listed here is refused, so no database function (file readers, settings,
catalogue functions) can be reached from ADQL.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AGGREGATES",
    "FEATURES",
    "FUNCTIONS",
    "Function",
    "LanguageFeature",
    "language_features",
    "lookup",
]

TAPREGEXT = "ivo://ivoa.net/std/TAPRegExt"
ADQL_GEO = f"{TAPREGEXT}#features-adqlgeo"
ADQL_STRING = f"{TAPREGEXT}#features-adql-string"
ADQL_CONDITIONAL = f"{TAPREGEXT}#features-adql-conditional"
ADQL_COMMON_TABLE = f"{TAPREGEXT}#features-adql-common-table"
ADQL_SETS = f"{TAPREGEXT}#features-adql-sets"
ADQL_TYPE = f"{TAPREGEXT}#features-adql-type"
ADQL_UNIT = f"{TAPREGEXT}#features-adql-unit"
ADQL_OFFSET = f"{TAPREGEXT}#features-adql-offset"
UDF = f"{TAPREGEXT}#features-udf"


@dataclass(frozen=True)
class Function:
    """One function callable from ADQL.

    ``params`` lists the syntactic kind of each argument: ``num`` (numeric value expression),
    ``str`` (character value expression), ``geom`` (geometry value expression), ``coord``
    (a point: ``POINT``, ``CENTROID``, a UDF or a column), ``value`` (any value expression),
    ``int`` (a signed integer literal), ``uint`` (an unsigned integer literal) and ``literal``
    (a string literal). ``min_args``/``max_args`` bound the count (``max_args`` None: any).
    ``result`` is the syntactic category of the call (``num``, ``str``, ``geom``, ``udf``).
    ``returns`` is the VOTable type of the result: ``double``, ``long``, ``int``, ``char``,
    ``point``, ``circle``, ``polygon``, or ``arg`` (the type of the first argument).
    """

    name: str
    group: str
    params: tuple[str, ...]
    min_args: int
    max_args: int | None
    result: str
    returns: str
    description: str
    feature: str | None = None
    form: str | None = None
    unit: str | None = None
    ucd: str | None = None
    aggregate: bool = False
    backends: frozenset[str] = frozenset({"duckdb", "postgres"})

    @property
    def udf(self) -> bool:
        """True for user-defined functions (``ivo_*``)."""
        return self.group == "udf"


def _num(name: str, group: str, nargs: int, description: str, **kw: object) -> Function:
    return Function(
        name,
        group,
        ("num",) * nargs,
        nargs,
        nargs,
        "num",
        "double",
        description,
        **kw,  # type: ignore[arg-type]
    )


FUNCTIONS: tuple[Function, ...] = (
    # ADQL 2.1 section 2.3, table 1: mathematical functions.
    Function("ABS", "math", ("num",), 1, 1, "num", "arg", "Absolute value of x."),
    Function("CEILING", "math", ("num",), 1, 1, "num", "arg", "Smallest integer not less than x."),
    _num("DEGREES", "math", 1, "Converts the angle x from radians to degrees.", unit="deg"),
    _num("EXP", "math", 1, "Exponential of x."),
    Function("FLOOR", "math", ("num",), 1, 1, "num", "arg", "Largest integer not greater than x."),
    _num("LOG", "math", 1, "Natural logarithm of x (x > 0)."),
    _num("LOG10", "math", 1, "Base-10 logarithm of x (x > 0)."),
    Function("MOD", "math", ("num", "num"), 2, 2, "num", "arg", "Remainder of x/y, with the sign of x."),
    _num("PI", "math", 0, "The constant pi."),
    _num("POWER", "math", 2, "x raised to the power y."),
    _num("RADIANS", "math", 1, "Converts the angle x from degrees to radians.", unit="rad"),
    Function("RAND", "math", ("uint",), 0, 1, "num", "double", "Random value in [0, 1); the seed is ignored."),
    Function("ROUND", "math", ("num", "int"), 1, 2, "num", "arg", "x rounded to n decimal places (n=0)."),
    _num("SQRT", "math", 1, "Positive square root of x."),
    Function("TRUNCATE", "math", ("num", "int"), 1, 2, "num", "arg", "x truncated to n decimal places (n=0)."),
    # ADQL 2.1 section 2.3, table 2: trigonometric functions (radians).
    _num("ACOS", "trig", 1, "Arc cosine of x, in radians.", unit="rad"),
    _num("ASIN", "trig", 1, "Arc sine of x, in radians.", unit="rad"),
    _num("ATAN", "trig", 1, "Arc tangent of x, in radians.", unit="rad"),
    _num("ATAN2", "trig", 2, "Arc tangent of y/x in the correct quadrant, in radians.", unit="rad"),
    _num("COS", "trig", 1, "Cosine of the angle x (radians)."),
    _num("COT", "trig", 1, "Cotangent of the angle x (radians)."),
    _num("SIN", "trig", 1, "Sine of the angle x (radians)."),
    _num("TAN", "trig", 1, "Tangent of the angle x (radians)."),
    # ADQL 2.1 section 4.2: geometry (argument shapes are checked by the grammar itself).
    Function(
        "AREA",
        "geometry",
        ("geom",),
        1,
        1,
        "num",
        "double",
        "Area of a geometry in square degrees.",
        ADQL_GEO,
        "AREA",
        unit="deg**2",
        ucd="phys.angArea",
    ),
    Function(
        "BOX",
        "geometry",
        ("num",) * 5,
        3,
        5,
        "geom",
        "polygon",
        "Box centred on a point with the given widths along the coordinate axes (deprecated).",
        ADQL_GEO,
        "BOX",
    ),
    Function("CENTROID", "geometry", ("geom",), 1, 1, "geom", "point", "Centroid of a geometry.", ADQL_GEO, "CENTROID"),
    Function(
        "CIRCLE",
        "geometry",
        ("num",) * 4,
        2,
        4,
        "geom",
        "circle",
        "Circle (cone) from a centre and a radius in degrees.",
        ADQL_GEO,
        "CIRCLE",
    ),
    Function(
        "CONTAINS",
        "geometry",
        ("geom", "geom"),
        2,
        2,
        "num",
        "int",
        "1 if the first geometry lies within the second, else 0.",
        ADQL_GEO,
        "CONTAINS",
    ),
    Function(
        "COORD1",
        "geometry",
        ("coord",),
        1,
        1,
        "num",
        "double",
        "Longitude of a point, degrees.",
        ADQL_GEO,
        "COORD1",
        unit="deg",
        ucd="pos.eq.ra",
    ),
    Function(
        "COORD2",
        "geometry",
        ("coord",),
        1,
        1,
        "num",
        "double",
        "Latitude of a point, degrees.",
        ADQL_GEO,
        "COORD2",
        unit="deg",
        ucd="pos.eq.dec",
    ),
    Function(
        "COORDSYS",
        "geometry",
        ("geom",),
        1,
        1,
        "str",
        "char",
        "Coordinate system of a geometry (deprecated); always ICRS here.",
        ADQL_GEO,
        "COORDSYS",
    ),
    Function(
        "DISTANCE",
        "geometry",
        ("num",) * 4,
        2,
        4,
        "num",
        "double",
        "Great-circle distance between two points, degrees.",
        ADQL_GEO,
        "DISTANCE",
        unit="deg",
        ucd="pos.angDistance",
    ),
    Function(
        "INTERSECTS",
        "geometry",
        ("geom", "geom"),
        2,
        2,
        "num",
        "int",
        "1 if the two geometries overlap, else 0.",
        ADQL_GEO,
        "INTERSECTS",
    ),
    Function(
        "POINT", "geometry", ("num",) * 3, 2, 3, "geom", "point", "A position on the sky, degrees.", ADQL_GEO, "POINT"
    ),
    Function(
        "POLYGON",
        "geometry",
        ("num",),
        3,
        None,
        "geom",
        "polygon",
        "Spherical polygon with great-circle edges through the given vertices.",
        ADQL_GEO,
        "POLYGON",
    ),
    Function(
        "REGION",
        "geometry",
        ("literal",),
        1,
        1,
        "geom",
        "polygon",
        "A region written in STC-S (Position, Circle, Box, Polygon).",
        ADQL_GEO,
        "REGION",
    ),
    # ADQL 2.1 section 4.4: string functions.
    Function("LOWER", "string", ("str",), 1, 1, "str", "char", "Lower-case copy of a string.", ADQL_STRING, "LOWER"),
    Function("UPPER", "string", ("str",), 1, 1, "str", "char", "Upper-case copy of a string.", ADQL_STRING, "UPPER"),
    # ADQL 2.1 section 4.8 and 4.9.
    Function(
        "COALESCE",
        "conditional",
        ("value",),
        1,
        None,
        "vep",
        "arg",
        "First argument that is not NULL.",
        ADQL_CONDITIONAL,
        "COALESCE",
    ),
    Function(
        "IN_UNIT",
        "unit",
        ("num", "literal"),
        2,
        2,
        "num",
        "double",
        "A value converted to the VOUnit given as a string literal.",
        ADQL_UNIT,
        "IN_UNIT",
    ),
    # User-defined functions of the IVOA UDF catalogue.
    Function(
        "ivo_hasword",
        "udf",
        ("value", "value"),
        2,
        2,
        "udf",
        "int",
        "1 if needle appears as a whole word in haystack (case-insensitive), else 0.",
        UDF,
        "ivo_hasword(haystack TEXT, needle TEXT) -> INTEGER",
        backends=frozenset({"duckdb"}),
    ),
    Function(
        "ivo_nocasematch",
        "udf",
        ("value", "value"),
        2,
        2,
        "udf",
        "int",
        "1 if value matches the LIKE pattern ignoring case, else 0.",
        UDF,
        "ivo_nocasematch(value TEXT, pattern TEXT) -> INTEGER",
    ),
    Function(
        "ivo_interval_overlaps",
        "udf",
        ("value",) * 4,
        4,
        4,
        "udf",
        "int",
        "1 if the closed intervals [l1, h1] and [l2, h2] overlap, else 0.",
        UDF,
        "ivo_interval_overlaps(l1 NUMERIC, h1 NUMERIC, l2 NUMERIC, h2 NUMERIC) -> INTEGER",
    ),
    Function(
        "ivo_healpix_index",
        "udf",
        ("value",) * 3,
        3,
        3,
        "udf",
        "long",
        "NESTED HEALPix index of (ra, dec) at the given order.",
        UDF,
        "ivo_healpix_index(hpxOrder INTEGER, ra DOUBLE PRECISION, dec DOUBLE PRECISION) -> BIGINT",
        ucd="pos.healpix",
    ),
    Function(
        "ivo_healpix_center",
        "udf",
        ("value",) * 2,
        2,
        2,
        "udf",
        "point",
        "Centre of a NESTED HEALPix cell at the given order.",
        UDF,
        "ivo_healpix_center(hpxOrder INTEGER, hpxIndex BIGINT) -> POINT",
        backends=frozenset({"duckdb"}),
    ),
    Function(
        "ivo_string_agg",
        "udf",
        ("value", "value"),
        2,
        2,
        "udf",
        "char",
        "Aggregate: the values joined by the delimiter.",
        UDF,
        "ivo_string_agg(expression CHAR(*), delimiter CHAR(*)) -> CHAR(*)",
        aggregate=True,
    ),
)
"""Every function ADQL text may call (aggregates, CAST and CASE are syntax, not listed)."""

AGGREGATES: frozenset[str] = frozenset({"COUNT", "AVG", "MIN", "MAX", "SUM"})
"""Set functions of ADQL (section 2.2.5)."""

_BY_NAME: dict[str, Function] = {}
for _f in FUNCTIONS:
    if _f.name.upper() in _BY_NAME:
        raise RuntimeError(f"function {_f.name} is listed twice")
    _BY_NAME[_f.name.upper()] = _f


def lookup(name: str) -> Function | None:
    """The function called ``name`` (case-insensitive), or None."""
    return _BY_NAME.get(name.upper())


@dataclass(frozen=True)
class LanguageFeature:
    """One TAPRegExt ``languageFeatures/feature`` entry."""

    type: str
    form: str
    description: str


FEATURES: tuple[LanguageFeature, ...] = (
    LanguageFeature(ADQL_STRING, "ILIKE", "Case-insensitive LIKE."),
    LanguageFeature(ADQL_COMMON_TABLE, "WITH", "Common table expressions at the start of the query."),
    LanguageFeature(ADQL_SETS, "UNION", "Union of two query results (UNION ALL keeps duplicates)."),
    LanguageFeature(ADQL_SETS, "EXCEPT", "Rows of the first result not in the second."),
    LanguageFeature(ADQL_SETS, "INTERSECT", "Rows present in both results."),
    LanguageFeature(
        ADQL_TYPE,
        "CAST",
        "CAST(x AS SMALLINT|INTEGER|BIGINT|REAL|DOUBLE PRECISION|CHAR(n)|VARCHAR(n)|TIMESTAMP|POINT|CIRCLE|POLYGON).",
    ),
    LanguageFeature(ADQL_OFFSET, "OFFSET", "Skip the first n rows of the result."),
)
"""Optional ADQL 2.1 features that are syntax rather than functions."""


def language_features(backend: str = "duckdb") -> list[LanguageFeature]:
    """TAPRegExt language features for ``backend``, in capabilities order.

    Parameters
    ----------
    backend
        The backend whose user-defined functions to list.

    Returns
    -------
    list of LanguageFeature
        ``(type, form, description)`` records: the optional ADQL 2.1 features, geometry
        functions and user-defined functions, grouped by type.
    """
    entries = [
        LanguageFeature(f.feature, f.form or f.name, f.description)
        for f in FUNCTIONS
        if f.feature is not None and (not f.udf or backend in f.backends)
    ]
    entries.extend(FEATURES)
    order = {t: i for i, t in enumerate(dict.fromkeys(e.type for e in entries))}
    return sorted(entries, key=lambda e: order[e.type])
