"""ADQL tree to backend SQL: common rewrites, then one backend's rules, then sqlglot output.

Pipeline of :func:`compile` (what the TAP service runs)::

    parse(text) -> check(tree, catalog) -> limits (TOP, MAXREC) -> relations, joins, literals,
    output casts -> backend rules (top-down, one rule per node class) -> tree.sql(dialect)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from jwstarchive.adql import backends
from jwstarchive.adql import dialect as d
from jwstarchive.adql.check import check
from jwstarchive.adql.parse import parse
from jwstarchive.catalog.tables import Column, Table, TableCatalog
from jwstarchive.errors import QueryRefused

__all__ = ["CompiledQuery", "Context", "compile", "translate"]

log = logging.getLogger(__name__)

_SAFE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class CompiledQuery:
    """A query ready to run: backend SQL plus what describes its result.

    ``limit`` is the row limit written into ``sql`` (None: unlimited). When ``compile`` was given
    ``maxrec``, ``sql`` returns at most ``maxrec + 1`` rows: more than ``maxrec`` rows means the
    result overflowed, so the service returns the first ``maxrec`` and reports OVERFLOW.
    """

    sql: str
    columns: tuple[Column, ...]
    tables: tuple[Table, ...]
    limit: int | None


@dataclass
class Context:
    """What rules may consult while translating one query."""

    backend: str
    dialect: str
    checked: bool
    options: dict[str, Any] = field(default_factory=dict)
    final: set[int] = field(default_factory=set)

    def done(self, node: exp.Expression) -> exp.Expression:
        """Mark ``node`` (built by a rule) as backend SQL that no rule may rewrite again."""
        self.final.add(id(node))
        return node


def _limit_of(node: exp.Expression) -> int | None:
    limit = node.args.get("limit")
    if limit is None:
        return None
    return int(limit.expression.this)


def _apply_maxrec(tree: exp.Expression, maxrec: int | None) -> int | None:
    top = _limit_of(tree)
    if maxrec is None:
        return top
    if maxrec < 0:
        raise QueryRefused("MAXREC must not be negative")
    cap = maxrec + 1
    limit = cap if top is None else min(top, cap)
    tree.set("limit", exp.Limit(expression=exp.Literal.number(limit)))
    return limit


def _relations(tree: exp.Expression, ctx: Context) -> None:
    for node in list(tree.find_all(exp.Table)):
        table: Table | None = d.pinned(node, "adql_table")
        if table is not None:
            target = exp.to_table(table.sql_relation, dialect=ctx.dialect)
            for key in ("this", "db", "catalog"):
                value = target.args.get(key)
                node.set(key, value.copy() if value is not None else None)
        elif not ctx.checked:
            for part in (node.this, node.args.get("db"), node.args.get("catalog")):
                if isinstance(part, exp.Identifier) and not _SAFE_NAME.match(part.name):
                    raise QueryRefused(f"table name {part.name!r} cannot be translated without a catalog")


def _joins(tree: exp.Expression) -> None:
    for join in tree.find_all(exp.Join):
        if not join.args.get("on") and not join.args.get("using") and join.args.get("method") != "NATURAL":
            join.set("on", exp.true())


def _literals(tree: exp.Expression) -> None:
    """Non-integer numeric literals become double precision (``2.5`` -> ``2.5e0``), not DECIMAL."""
    for lit in tree.find_all(exp.Literal):
        if not lit.is_string and not lit.this.isdigit() and "e" not in lit.this.lower():
            text = lit.this
            if text.startswith("."):
                text = "0" + text
            if text.endswith("."):
                text += "0"
            lit.set("this", text + "e0")


_CASTS = {
    "short": "SMALLINT",
    "int": "INT",
    "long": "BIGINT",
    "float": "FLOAT",
    "double": "DOUBLE",
    "char": "VARCHAR",
    "unicodeChar": "VARCHAR",
    "boolean": "BOOLEAN",
}


def _cast_type(col: Column) -> exp.DataType | None:
    if col.xtype == "timestamp":
        return None
    if col.arraysize is not None and col.datatype in ("double", "float"):
        return exp.DataType.build("ARRAY<DOUBLE>")
    name = _CASTS.get(col.datatype)
    return exp.DataType.build(name) if name else None


def _output_casts(tree: exp.Expression) -> None:
    """Cast computed select items to the type their metadata announces."""
    for select in list(tree.find_all(exp.Select)):
        outputs: list[Column] | None = d.pinned(select, "adql_outputs")
        if not outputs:
            continue
        for item, col in zip(select.expressions, outputs, strict=False):
            if not isinstance(item, exp.Alias):
                continue
            inner = item.this
            if isinstance(inner, exp.Column | exp.Null):
                continue
            to = _cast_type(col)
            if to is not None:
                item.set("this", exp.Cast(this=inner, to=to))


def apply_rules(tree: exp.Expression, ruleset: backends.RuleSet, ctx: Context) -> exp.Expression:
    """Rewrite ``tree`` top-down with ``ruleset``: each node is offered once to its class's rule."""
    root = tree
    stack = [tree]
    while stack:
        node = stack.pop()
        rule = ruleset.get(type(node)) if id(node) not in ctx.final else None
        if rule is not None:
            new = rule(node, ctx)
            if new is not None and new is not node:
                if node is root:
                    root = new
                else:
                    node.replace(new)
                node = new
        stack.extend(reversed(list(node.iter_expressions())))
    return root


def _generate(tree: exp.Expression, backend: str, checked: bool, options: Mapping[str, Any] | None = None) -> str:
    spec = backends.get(backend)
    ctx = Context(backend, spec.dialect, checked, dict(options or {}))
    _relations(tree, ctx)
    _joins(tree)
    _literals(tree)
    _output_casts(tree)
    try:
        tree = apply_rules(tree, backends.rules(backend), ctx)
        sql = tree.sql(dialect=spec.dialect, copy=False)
    except RecursionError:
        raise QueryRefused("the query is too deeply nested to translate") from None
    log.debug("ADQL translated for %s: %s", backend, sql)
    return sql


def translate(
    query: str | exp.Expression,
    backend: str = "duckdb",
    catalog: TableCatalog | None = None,
    *,
    options: Mapping[str, Any] | None = None,
) -> str:
    """Translate ADQL to the SQL of ``backend``.

    Parameters
    ----------
    query
        ADQL text, or a tree from :func:`jwstarchive.adql.parse` (it is copied, not modified).
    backend
        ``"duckdb"`` or ``"postgres"``.
    catalog
        The published tables. With a catalog, names are resolved and checked and ``*`` is
        expanded; without one the translation is purely syntactic (for tests and tools; a service
        must pass its catalog, or better use :func:`compile`).
    options
        Backend tuning, mainly for tests and benchmarks: ``healpix`` (bool, default True) turns
        the DuckDB HEALPix range prefilter on or off; ``max_ranges`` (int, default 8) caps the
        number of index ranges.

    Returns
    -------
    str
        One SQL statement.

    Raises
    ------
    jwstarchive.errors.ADQLSyntaxError
        If the text is not ADQL.
    jwstarchive.errors.QueryRefused
        If the query uses what the catalog does not publish.
    jwstarchive.errors.UnsupportedFeature
        If the backend cannot run a construct.

    Examples
    --------
    >>> translate("SELECT TOP 3 a FROM t")
    'SELECT a FROM t LIMIT 3'
    """
    tree = parse(query) if isinstance(query, str) else query.copy()
    if catalog is not None:
        check(tree, catalog, backend=backend)
    return _generate(tree, backend, catalog is not None, options)


def compile(
    text: str,
    catalog: TableCatalog,
    *,
    backend: str = "duckdb",
    maxrec: int | None = None,
    options: Mapping[str, Any] | None = None,
) -> CompiledQuery:
    """Parse, check and translate one ADQL query for execution.

    Parameters
    ----------
    text
        The ADQL query.
    catalog
        The tables the caller may query (published tables plus the caller's uploads).
    backend
        ``"duckdb"`` or ``"postgres"``.
    maxrec
        The service's row limit; the SQL then returns at most ``maxrec + 1`` rows so that an
        overflow can be detected, keeping the query's ORDER BY.
    options
        Backend tuning, as for :func:`translate`.

    Returns
    -------
    CompiledQuery
        SQL, result columns, tables used and the row limit written into the SQL.

    Raises
    ------
    jwstarchive.errors.ADQLError
        ``ADQLSyntaxError``, ``QueryRefused`` or ``UnsupportedFeature``, with line and column
        when the problem has a place in the text.
    """
    tree = parse(text)
    checked = check(tree, catalog, backend=backend)
    limit = _apply_maxrec(tree, maxrec)
    sql = _generate(tree, backend, True, options)
    return CompiledQuery(sql, checked.columns, checked.tables, limit)
