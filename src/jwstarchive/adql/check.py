"""The gate between a parsed ADQL tree and the database: resolve every name against a catalog.

:func:`check` accepts a tree only if every table is published in the
:class:`~jwstarchive.catalog.tables.TableCatalog` it is given (or is a common table expression
or a named subquery), every column is a published column of a table in scope, and every
function is in :mod:`.functions`. It rewrites the tree in place so that translation needs no
further look-ups:

- every table gets a unique SQL alias (``FROM jwst.main`` becomes ``FROM jwst.main AS "main"``)
  and keeps its catalog entry in ``meta["adql_table"]``;
- every column reference becomes ``"alias"."column"`` and carries its published
  :class:`~jwstarchive.catalog.tables.Column` in ``meta["adql_column"]`` and its source in
  ``meta["adql_source"]``;
- ``*`` and ``t.*`` expand to published columns only, so hidden index columns (``_healpix``,
  ``_x``, ``_y``, ``_z``) can neither be named nor selected;
- every select item gets an explicit, unique output name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from sqlglot import exp

from jwstarchive.adql import annotate, functions
from jwstarchive.adql import dialect as d
from jwstarchive.catalog.tables import Column, Table, TableCatalog
from jwstarchive.errors import QueryRefused, UnsupportedFeature

__all__ = ["CheckedQuery", "Source", "check"]

log = logging.getLogger(__name__)

_ICRS_LIKE = frozenset({"", "ICRS", "J2000", "FK5"})


@dataclass(eq=False)
class Source:
    """One item of a FROM clause as the checker sees it."""

    alias: str
    columns: list[Column]
    table: Table | None = None
    given_alias: exp.Identifier | None = None
    cte: str | None = None

    def find(self, ident: exp.Identifier) -> Column | None:
        """The column named by ``ident`` (delimited: exact case; regular: any case)."""
        for col in self.columns:
            if _same(ident, col.name):
                return col
        return None

    def answers_to(self, table: exp.Identifier, schema: exp.Identifier | None, lenient: bool = False) -> bool:
        """Whether a qualifier ``[schema.]table`` names this source."""
        if self.given_alias is not None and not lenient:
            return schema is None and _same(table, self.given_alias.name, self.given_alias.quoted)
        if self.table is not None:
            return _same(table, self.table.name) and (schema is None or _same(schema, self.table.schema))
        if self.cte is not None:
            return schema is None and _same(table, self.cte)
        return False


@dataclass(frozen=True)
class CheckedQuery:
    """A tree resolved against a catalog: what :func:`check` returns."""

    tree: exp.Expression
    columns: tuple[Column, ...]
    tables: tuple[Table, ...]


def _same(ident: exp.Identifier, name: str, name_quoted: bool = False) -> bool:
    if ident.quoted or name_quoted:
        return ident.name == name
    return ident.name.lower() == name.lower()


def _where(node: exp.Expression | None) -> tuple[int | None, int | None]:
    while node is not None:
        meta = node.meta
        if "line" in meta:
            return meta["line"], meta["col"]
        node = node.parent
    return None, None


def _refuse(message: str, node: exp.Expression | None = None) -> QueryRefused:
    line, col = _where(node)
    return QueryRefused(message, line, col)


def _quoted(name: str) -> exp.Identifier:
    return exp.Identifier(this=name, quoted=True)


@dataclass
class _Scope:
    parent: _Scope | None
    sources: list[Source] = field(default_factory=list)
    merged: dict[str, tuple[Column, list[Source]]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)


class _Checker:
    def __init__(self, catalog: TableCatalog | None, backend: str) -> None:
        self.catalog = catalog
        self.backend = backend
        self.used_aliases: set[str] = set()
        self.tables: dict[str, Table] = {}
        self.ctes: dict[str, tuple[str, list[Column]]] = {}

    # ------------------------------------------------------------------ queries
    def query(self, node: exp.Expression, parent: _Scope | None) -> list[Column]:
        """Check a query node; returns its output columns."""
        with_ = node.args.get("with_")
        if with_ is not None:
            for cte in with_.expressions:
                name = cte.alias_or_name
                columns = self.query(cte.this, parent)
                sql_name = self.unique(f"_cte_{name.lower()}")
                self.ctes[name.lower()] = (sql_name, columns)
                cte.set("alias", exp.TableAlias(this=_quoted(sql_name)))
        if isinstance(node, exp.Select):
            return self.select(node, parent)
        if isinstance(node, exp.Subquery):
            columns = self.query(node.this, parent)
            self.order_by_outputs(node, columns)
            return columns
        if isinstance(node, exp.Union | exp.Intersect | exp.Except):
            left = self.query(node.this, parent)
            right = self.query(node.expression, parent)
            if len(left) != len(right):
                op = type(node).__name__.upper()
                raise _refuse(
                    f"the two sides of {op} have different numbers of columns ({len(left)} and {len(right)})", node
                )
            self.order_by_outputs(node, left)
            return left
        raise _refuse(f"unsupported query node {type(node).__name__}", node)  # pragma: no cover

    def order_by_outputs(self, node: exp.Expression, columns: list[Column]) -> None:
        """Resolve ORDER BY terms of a set operation against its output names."""
        order = node.args.get("order")
        if order is None:
            return
        for term in order.expressions:
            target = term.this
            if isinstance(target, exp.Literal) and not target.is_string:
                self.ordinal(target, len(columns))
                continue
            if isinstance(target, exp.Column) and not target.table:
                for col in columns:
                    if _same(target.this, col.name):
                        term.set("this", exp.Column(this=_quoted(col.name)))
                        break
                else:
                    raise _refuse(f"ORDER BY {target.name}: no such output column", target)
                continue
            raise _refuse(
                "ORDER BY of a UNION, INTERSECT or EXCEPT can only name output columns or their positions", target
            )

    @staticmethod
    def ordinal(node: exp.Literal, n: int) -> None:
        if not node.this.isdigit() or not 1 <= int(node.this) <= n:
            raise _refuse(f"ORDER BY {node.this}: there are {n} output columns", node)

    def unique(self, name: str) -> str:
        candidate, n = name, 1
        while candidate.lower() in self.used_aliases:
            n += 1
            candidate = f"{name}_{n}"
        self.used_aliases.add(candidate.lower())
        return candidate

    # ------------------------------------------------------------------- select
    def select(self, select: exp.Select, parent: _Scope | None) -> list[Column]:
        scope = _Scope(parent)
        from_ = select.args.get("from_")
        if from_ is not None:
            self.from_item(from_.this, scope)
        for join in select.args.get("joins") or []:
            self.join(join, scope)
        self.expand_stars(select, scope)
        for item in select.expressions:
            self.expression(item, scope)
        outputs = [annotate.describe(item) for item in select.expressions]
        names = annotate.unique_names([annotate.default_name(item) for item in select.expressions])
        items = []
        for item, name in zip(select.expressions, names, strict=True):
            if isinstance(item, exp.Alias):
                scope.aliases[item.alias.lower()] = name
                item = item.this
            items.append(exp.Alias(this=item, alias=_quoted(name)))
        select.set("expressions", items)
        result = [replace(col, name=name) for col, name in zip(outputs, names, strict=True)]
        d.pin(select, "adql_outputs", result)
        for key in ("where", "having"):
            clause = select.args.get(key)
            if clause is not None:
                self.expression(clause.this, scope)
        group = select.args.get("group")
        if group is not None:
            for term in group.expressions:
                self.expression(term, scope, aliases=True)
        order = select.args.get("order")
        if order is not None:
            for term in order.expressions:
                target = term.this
                if isinstance(target, exp.Literal) and not target.is_string:
                    self.ordinal(target, len(items))
                else:
                    self.expression(target, scope, aliases=True)
        return result

    # --------------------------------------------------------------------- FROM
    def from_item(self, node: exp.Expression, scope: _Scope) -> None:
        if isinstance(node, exp.Table):
            scope.sources.append(self.table(node))
        elif isinstance(node, exp.Subquery) and node.args.get("alias") is not None:
            columns = self.query(node.this, scope.parent)
            ident = node.args["alias"].this
            alias = self.unique(ident.name)
            node.set("alias", exp.TableAlias(this=_quoted(alias)))
            scope.sources.append(Source(alias, columns, given_alias=ident))
        elif isinstance(node, exp.Subquery):  # a parenthesised join
            self.from_item(node.this, scope)
        else:  # pragma: no cover - the grammar allows nothing else
            raise _refuse(f"unsupported FROM item {type(node).__name__}", node)
        for join in node.args.get("joins") or []:
            self.join(join, scope)

    def join(self, join: exp.Join, scope: _Scope) -> None:
        before = list(scope.sources)
        self.from_item(join.this, scope)
        added = [s for s in scope.sources if s not in before]
        using = join.args.get("using")
        if join.args.get("method") == "NATURAL":
            for right in added:
                for col in right.columns:
                    left = [s for s in before if s.find(exp.Identifier(this=col.name, quoted=False)) is not None]
                    if left:
                        scope.merged[col.name.lower()] = (col, [*left, right])
        elif using:
            for ident in using:
                left = [s for s in before if s.find(ident) is not None]
                right = [s for s in added if s.find(ident) is not None]
                if not left or not right:
                    raise _refuse(f"USING ({ident.name}): the column must exist on both sides of the join", join)
                col = right[0].find(ident)
                assert col is not None
                scope.merged[col.name.lower()] = (col, [*left, *right])
                ident.set("this", col.name)
                ident.set("quoted", True)
        on = join.args.get("on")
        if on is not None:
            self.expression(on, scope)

    def table(self, node: exp.Table) -> Source:
        if node.args.get("catalog") is not None:
            raise _refuse("catalog-qualified table names are not supported; use schema.table", node)
        ident: exp.Identifier = node.this
        schema: exp.Identifier | None = node.args.get("db")
        given = node.args.get("alias")
        given_ident = given.this if given is not None else None
        if schema is None and ident.name.lower() in self.ctes:
            sql_name, columns = self.ctes[ident.name.lower()]
            alias = self.unique(given_ident.name if given_ident is not None else ident.name)
            node.set("this", _quoted(sql_name))
            node.set("alias", exp.TableAlias(this=_quoted(alias)))
            return Source(alias, columns, given_alias=given_ident, cte=ident.name)
        table = self.lookup(ident, schema, node)
        alias = self.unique(given_ident.name if given_ident is not None else table.name)
        node.set("alias", exp.TableAlias(this=_quoted(alias)))
        d.pin(node, "adql_table", table)
        self.tables.setdefault(table.qualified.lower(), table)
        return Source(alias, list(table.columns), table=table, given_alias=given_ident)

    def lookup(self, ident: exp.Identifier, schema: exp.Identifier | None, node: exp.Expression) -> Table:
        written = f"{schema.name}.{ident.name}" if schema is not None else ident.name
        if self.catalog is None:
            raise _refuse(f"table {written} is not published here", node)
        found = self.catalog.find(ident.name, schema.name if schema is not None else None)
        found = [t for t in found if _same(ident, t.name) and (schema is None or _same(schema, t.schema))]
        if not found:
            names = sorted(t.qualified for t in self.catalog)
            listing = ", ".join(names[:40]) + (", ..." if len(names) > 40 else "")
            raise _refuse(f"table {written} is not published here; the tables are: {listing}", node)
        if len(found) > 1:
            choices = ", ".join(t.qualified for t in found)
            raise _refuse(f"table name {written} is ambiguous ({choices}): qualify it with its schema", node)
        return found[0]

    def expand_stars(self, select: exp.Select, scope: _Scope) -> None:
        items: list[exp.Expression] = []
        for item in select.expressions:
            if isinstance(item, exp.Star):
                items.extend(self.star_columns(scope.sources, scope))
            elif isinstance(item, exp.Column) and isinstance(item.this, exp.Star):
                table = item.args.get("table")
                matches = [s for s in scope.sources if s.answers_to(table, item.args.get("db"))]
                if not matches:
                    matches = [s for s in scope.sources if s.answers_to(table, item.args.get("db"), True)]
                if len(matches) != 1:
                    problem = "matches no table in FROM" if not matches else "is ambiguous"
                    raise _refuse(f"{item.sql(dialect=d.ADQL)}: the qualifier {problem}", item)
                items.extend(self.star_columns(matches, None))
            else:
                items.append(item)
        select.set("expressions", items)

    def star_columns(self, sources: list[Source], scope: _Scope | None) -> list[exp.Expression]:
        out: list[exp.Expression] = []
        emitted: set[str] = set()
        for source in sources:
            for col in source.columns:
                key = col.name.lower()
                if scope is not None and key in scope.merged and source in scope.merged[key][1]:
                    if key in emitted:
                        continue
                    emitted.add(key)
                    node = exp.Column(this=_quoted(col.name))
                else:
                    node = exp.Column(this=_quoted(col.name), table=_quoted(source.alias))
                d.pin(node, "adql_column", col)
                d.pin(node, "adql_source", source)
                out.append(node)
        return out

    # -------------------------------------------------------------- expressions
    def expression(self, node: exp.Expression, scope: _Scope, aliases: bool = False) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, exp.Query):
                self.query(current, scope)
                continue
            if isinstance(current, exp.Column):
                if d.pinned(current, "adql_column") is None:
                    self.column(current, scope, aliases)
                continue
            if isinstance(current, d.UserFunction):
                self.user_function(current)
            elif isinstance(current, d.Point | d.Circle | d.Box | d.Polygon):
                self.coordsys(current)
            elif isinstance(current, d.Region):
                self.region(current)
            elif isinstance(current, d.InUnit):
                stack.append(current.this)
                self.in_unit(current, scope, aliases)
                continue
            stack.extend(current.iter_expressions())

    def column(self, node: exp.Column, scope: _Scope, aliases: bool) -> None:
        ident: exp.Identifier = node.this
        table = node.args.get("table")
        if node.args.get("catalog") is not None:
            raise _refuse("catalog-qualified column names are not supported", node)
        current: _Scope | None = scope
        while current is not None:
            if table is not None:
                sources = [s for s in current.sources if s.answers_to(table, node.args.get("db"))]
                if not sources:
                    sources = [s for s in current.sources if s.answers_to(table, node.args.get("db"), True)]
                if len(sources) > 1:
                    raise _refuse(f"the qualifier {table.name} is ambiguous", node)
                if sources:
                    col = sources[0].find(ident)
                    if col is None:
                        raise _refuse(self.unknown_column(node, sources), node)
                    self.bind(node, sources[0], col)
                    return
            else:
                key = ident.name.lower()
                if key in current.merged and (not ident.quoted or current.merged[key][0].name == ident.name):
                    col, _ = current.merged[key]
                    node.set("this", _quoted(col.name))
                    d.pin(node, "adql_column", col)
                    return
                sources = [s for s in current.sources if s.find(ident) is not None]
                if len(sources) > 1:
                    names = ", ".join(s.alias for s in sources)
                    raise _refuse(f"column {ident.name} is ambiguous (it is in {names}): qualify it", node)
                if sources:
                    col = sources[0].find(ident)
                    assert col is not None
                    self.bind(node, sources[0], col)
                    return
                if aliases and current is scope and key in scope.aliases:
                    node.set("this", _quoted(scope.aliases[key]))
                    d.pin(node, "adql_column", Column(scope.aliases[key], "double"))
                    return
            current = current.parent
        if table is not None:
            raise _refuse(f"{node.sql(dialect=d.ADQL)}: the qualifier {table.name} matches no table in FROM", node)
        raise _refuse(self.unknown_column(node, scope.sources), node)

    @staticmethod
    def unknown_column(node: exp.Column, sources: list[Source]) -> str:
        names = sorted({c.name for s in sources for c in s.columns})
        listing = ", ".join(names[:60]) + (", ..." if len(names) > 60 else "")
        return f"column {node.name} does not exist; the columns here are: {listing}"

    @staticmethod
    def bind(node: exp.Column, source: Source, col: Column) -> None:
        node.set("this", _quoted(col.name))
        node.set("table", _quoted(source.alias))
        node.set("db", None)
        node.set("catalog", None)
        d.pin(node, "adql_column", col)
        d.pin(node, "adql_source", source)

    def user_function(self, node: d.UserFunction) -> None:
        spec = functions.lookup(node.name)
        if spec is None or not spec.udf or self.backend not in spec.backends:
            available = ", ".join(f.name for f in functions.FUNCTIONS if f.udf and self.backend in f.backends)
            raise _refuse(
                f"function {node.name} is not available here; the user-defined functions are: {available}", node
            )

    @staticmethod
    def coordsys(node: exp.Expression) -> None:
        system = node.args.get("coordsys")
        if isinstance(system, exp.Literal):
            words = str(system.this).upper().split()
            if (words[0] if words else "") not in _ICRS_LIKE:
                line, col = _where(node)
                raise UnsupportedFeature(
                    f"coordinate system '{system.this}' is not supported: positions here are ICRS "
                    "(omit the coordinate system or write 'ICRS')",
                    line,
                    col,
                )

    @staticmethod
    def region(node: d.Region) -> None:
        from jwstarchive.adql import geometry

        try:
            geometry.parse_stcs(str(node.this.this))
        except ValueError as err:
            raise _refuse(f"REGION: {err}", node) from None

    def in_unit(self, node: d.InUnit, scope: _Scope, aliases: bool) -> None:
        self.expression(node.this, scope, aliases)
        target = str(node.expression.this)
        source = annotate.describe(node.this).unit
        try:
            from astropy import units

            target_unit = units.Unit(target, format="vounit")
        except ValueError:
            raise _refuse(f"IN_UNIT: '{target}' is not a valid VOUnit", node.expression) from None
        if not source:
            raise _refuse("IN_UNIT: the unit of the value is not known, so it cannot be converted", node)
        try:
            source_unit = units.Unit(source, format="vounit", parse_strict="silent")
            factor = float(source_unit.to(target_unit))
        except (ValueError, units.UnitsError):
            raise _refuse(f"IN_UNIT: cannot convert {source} to {target}", node) from None
        d.pin(node, "adql_factor", factor)


def check(tree: exp.Expression, catalog: TableCatalog | None, *, backend: str = "duckdb") -> CheckedQuery:
    """Resolve ``tree`` against ``catalog`` and refuse what may not run.

    Parameters
    ----------
    tree
        A tree from :func:`jwstarchive.adql.parse`; it is modified in place.
    catalog
        The published tables (plus the caller's uploads and own tables). With None, no table
        can be resolved and any FROM is refused.
    backend
        The backend whose user-defined functions may be called.

    Returns
    -------
    CheckedQuery
        The resolved tree, the output columns and the catalog tables used.

    Raises
    ------
    jwstarchive.errors.QueryRefused
        Unknown or ambiguous tables or columns, unavailable functions, bad ``IN_UNIT`` units.
    jwstarchive.errors.UnsupportedFeature
        Coordinate systems other than ICRS.
    """
    checker = _Checker(catalog, backend)
    columns = checker.query(tree, None)
    return CheckedQuery(tree, tuple(columns), tuple(checker.tables.values()))
