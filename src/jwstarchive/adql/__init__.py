"""ADQL 2.1 for jwstarchive: parse, check against the published tables, translate per backend.

The service calls :func:`compile` (parse, check, limits, translation) and, on DuckDB, installs
the geometry UDFs once per connection with :func:`jwstarchive.adql.rules_duckdb.install`::

    compiled = compile(adql_text, catalog, backend="duckdb", maxrec=maxrec)
    rows = con.execute(compiled.sql).arrow()   # at most maxrec + 1 rows

The functions ``parse``, ``check`` and ``translate`` share their names with the modules that
define them; this package exports the functions.
"""

from __future__ import annotations

from jwstarchive.adql.check import CheckedQuery, check
from jwstarchive.adql.functions import LanguageFeature, language_features
from jwstarchive.adql.parse import parse
from jwstarchive.adql.translate import CompiledQuery, compile, translate

__all__ = [
    "CheckedQuery",
    "CompiledQuery",
    "LanguageFeature",
    "check",
    "compile",
    "language_features",
    "parse",
    "translate",
]
