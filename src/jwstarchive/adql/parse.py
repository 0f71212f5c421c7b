"""ADQL 2.1 text to a sqlglot tree, through a strict recursive-descent grammar.

The grammar follows the ADQL 2.1 Recommendation (Annex A BNF) closely, including its
expression categories: a numeric operand may be a literal, a column, a parenthesised
expression, a set function, CAST, COALESCE, a numeric function or a user-defined function,
but not a string or geometry function; ``WHERE``, ``HAVING`` and ``ON`` need predicates, so
``WHERE CONTAINS(...)`` without ``= 1`` is an error. It builds sqlglot nodes directly
(standard nodes plus the ADQL nodes of :mod:`.dialect`), so what the grammar accepted is
exactly what the rest of the pipeline sees, and every error carries a 1-based line and
column.

Accepted beyond the BNF, because real clients send it: ``CASE`` expressions, an unquoted
column named ``public``, a trailing ``;``, ``*`` next to other select items (astroquery's
``SELECT DISTANCE(...) AS dist, *``), ``Point(NULL, ...)`` as coordinate system and
``IS [NOT] NULL`` on any value. Refused although the BNF lets them through: set functions in
``WHERE``/``ON`` and ``NATURAL JOIN ... ON/USING``. Unknown function names are syntax errors
unless they carry a user-defined-function prefix (``ivo_``, ``gavo_``, ``eso_``), which the
checker then accepts only for the functions this service implements.

Resource limits: the text length, the nesting depth of parentheses, function calls and
subqueries, the length of ``IN`` lists and the number of polygon vertices are capped, and
errors name the cap.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import NoReturn

from sqlglot import exp

from jwstarchive.adql import dialect as d
from jwstarchive.adql import functions
from jwstarchive.errors import ADQLSyntaxError

__all__ = [
    "MAX_DEPTH",
    "MAX_IN_LIST",
    "MAX_POLYGON_VERTICES",
    "MAX_QUERY_LENGTH",
    "RESERVED_WORDS",
    "parse",
]

MAX_QUERY_LENGTH = 1_000_000
"""Longest accepted query text, in characters."""
MAX_DEPTH = 40
"""Deepest nesting of parentheses, function calls and subqueries."""
MAX_IN_LIST = 10_000
"""Most values in one ``IN (...)`` list."""
MAX_POLYGON_VERTICES = 2_000
"""Most vertices in one ``POLYGON``."""
MAX_ARGS = 2 * MAX_POLYGON_VERTICES + 10
_MAX_ROWS = 2**63 - 1

from jwstarchive.catalog.tables import ADQL_RESERVED_WORDS as RESERVED_WORDS  # noqa: E402

UDF_PREFIXES = ("IVO_", "GAVO_", "ESO_")
"""Name prefixes of the user-defined function namespaces of IVOA and large archives: such calls
parse as user-defined functions (the checker then refuses those this service lacks); any other
unknown function name is a syntax error."""

_LENIENT = frozenset({"PUBLIC"})
"""Reserved words still accepted as regular identifiers (ESA's ``public`` column)."""

_NON_SELECT = frozenset(
    {
        "INSERT",
        "UPDATE",
        "DELETE",
        "CREATE",
        "DROP",
        "ALTER",
        "ATTACH",
        "DETACH",
        "COPY",
        "PRAGMA",
        "SET",
        "EXPLAIN",
        "DESCRIBE",
        "SHOW",
        "CALL",
        "INSTALL",
        "LOAD",
        "EXPORT",
        "IMPORT",
        "GRANT",
        "REVOKE",
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "VACUUM",
        "CHECKPOINT",
        "USE",
        "TRUNCATE",
        "MERGE",
        "REPLACE",
        "UPSERT",
        "EXECUTE",
        "PREPARE",
        "DECLARE",
        "SUMMARIZE",
        "PIVOT",
        "UNPIVOT",
        "FROM",
        "VALUES",
        "TABLE",
    }
)

_FUNCTION_HINTS = {
    "CONCAT": "concatenate strings with the || operator",
    "SUBSTRING": "ADQL has no substring function; match with LIKE '...%'",
    "SUBSTR": "ADQL has no substring function; match with LIKE '...%'",
    "LENGTH": "ADQL has no string length function",
    "LN": "the natural logarithm is LOG(x) in ADQL",
    "CEIL": "use CEILING(x)",
    "POW": "use POWER(x, y)",
    "TRUNC": "use TRUNCATE(x)",
    "RANDOM": "use RAND()",
    "NOW": "ADQL has no clock functions",
    "IFNULL": "use COALESCE(x, y)",
    "NVL": "use COALESCE(x, y)",
    "ISNULL": "use COALESCE(x, y) or x IS NULL",
}

_TOKEN_RE = re.compile(
    r"""
     (?P<ws>[ \t\r\n\f\v]+)
    |(?P<comment>--[^\n]*)
    |(?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
    |(?P<word>[A-Za-z][A-Za-z0-9_]*)
    |(?P<qident>"(?:[^"]|"")*")
    |(?P<string>'(?:[^']|'')*')
    |(?P<block>/\*)
    |(?P<op>\|\||<=|>=|<>|!=|[(),.*+\-/=<>;])
    """,
    re.VERBOSE,
)

_COMPARISONS: dict[str, type[exp.Expression]] = {
    "=": exp.EQ,
    "<>": exp.NEQ,
    "!=": exp.NEQ,
    "<": exp.LT,
    ">": exp.GT,
    "<=": exp.LTE,
    ">=": exp.GTE,
}

# Syntactic categories of values (ADQL 2.1 BNF): "vep" value_expression_primary, "num"
# numeric function or arithmetic, "str" string function or concatenation, "geom" geometry
# function, "udf" user-defined function (any category), "null" the NULL keyword, "bool" a
# condition.
_NUMERIC = frozenset({"vep", "num", "udf"})
_STRING = frozenset({"vep", "str", "udf"})
_GEOMETRY = frozenset({"vep", "geom", "udf"})
_VALUE = frozenset({"vep", "num", "str", "geom", "udf", "null"})

_SIMPLE: dict[str, Callable[[list[exp.Expression]], exp.Expression]] = {
    "ABS": lambda a: exp.Abs(this=a[0]),
    "CEILING": lambda a: exp.Ceil(this=a[0]),
    "DEGREES": lambda a: exp.Degrees(this=a[0]),
    "EXP": lambda a: exp.Exp(this=a[0]),
    "FLOOR": lambda a: exp.Floor(this=a[0]),
    "LOG": lambda a: exp.Ln(this=a[0]),
    "LOG10": lambda a: d.Log10(this=a[0]),
    "MOD": lambda a: exp.Mod(this=_wrap(a[0]), expression=_wrap(a[1])),
    "PI": lambda a: exp.Pi(),
    "POWER": lambda a: exp.Pow(this=a[0], expression=a[1]),
    "RADIANS": lambda a: exp.Radians(this=a[0]),
    "RAND": lambda a: exp.Rand(),
    "ROUND": lambda a: exp.Round(this=a[0], decimals=a[1] if len(a) > 1 else None),
    "SQRT": lambda a: exp.Sqrt(this=a[0]),
    "TRUNCATE": lambda a: exp.Trunc(this=a[0], decimals=a[1] if len(a) > 1 else None),
    "ACOS": lambda a: exp.Acos(this=a[0]),
    "ASIN": lambda a: exp.Asin(this=a[0]),
    "ATAN": lambda a: exp.Atan(this=a[0]),
    "ATAN2": lambda a: exp.Atan2(this=a[0], expression=a[1]),
    "COS": lambda a: exp.Cos(this=a[0]),
    "COT": lambda a: exp.Cot(this=a[0]),
    "SIN": lambda a: exp.Sin(this=a[0]),
    "TAN": lambda a: exp.Tan(this=a[0]),
    "LOWER": lambda a: exp.Lower(this=a[0]),
    "UPPER": lambda a: exp.Upper(this=a[0]),
}

_CAST_TYPES = {
    "SMALLINT": "SMALLINT",
    "INTEGER": "INT",
    "BIGINT": "BIGINT",
    "REAL": "FLOAT",
    "TIMESTAMP": "TIMESTAMP",
}


def _wrap(node: exp.Expression) -> exp.Expression:
    """``node`` in parentheses unless it is atomic (operators inherit no precedence)."""
    if isinstance(node, exp.Binary | exp.Neg | exp.Not):
        return exp.Paren(this=node)
    return node


class _Token:
    __slots__ = ("col", "kind", "line", "pos", "text", "upper", "value")

    def __init__(self, kind: str, text: str, value: str, pos: int, line: int, col: int) -> None:
        self.kind = kind
        self.text = text
        self.value = value
        self.upper = text.upper() if kind == "word" else text
        self.pos = pos
        self.line = line
        self.col = col

    def describe(self) -> str:
        if self.kind == "eof":
            return "the end of the query"
        if self.kind == "string":
            return "a string literal"
        if self.kind == "number":
            return f"the number {self.text}"
        if self.kind == "qident":
            return f"the identifier {self.text}"
        return f"'{self.text}'"


def _char_error(text: str, pos: int) -> str:
    char = text[pos]
    nxt = text[pos + 1 : pos + 2]
    if char == "[" or char == "]":
        return "square brackets are not ADQL: delimit names with double quotes (ADQL has no arrays)"
    if char == ":":
        if nxt == ":":
            return "'::' casts are not ADQL: use CAST(x AS type)"
        return "unexpected ':'"
    if char == '"':
        return "unterminated delimited identifier: a closing '\"' is missing"
    if char == "'":
        return "unterminated string literal: a closing quote is missing"
    if char == "#":
        return "'#' comments are not ADQL: comments start with --"
    if char == "`":
        return "backquoted identifiers are not ADQL: delimit names with double quotes"
    if char == "_":
        word = re.match(r"_[A-Za-z0-9_]*", text[pos:])
        name = word.group(0) if word else "_"
        return f'names cannot start with "_": write it as a delimited identifier, "{name}"'
    if char == "|":
        return "'|' is not an ADQL operator ('||' concatenates strings)"
    if char in "&^~":
        return f"'{char}': bitwise operators are not part of ADQL 2.1"
    if char == "%":
        return "'%' is not an ADQL operator: use MOD(x, y)"
    if char == "!":
        return "'!' is only valid in '!='"
    if char == "?" or char == "$" or char == "@":
        return f"'{char}': query parameters and variables are not ADQL"
    code = f"U+{ord(char):04X}"
    if ord(char) < 32 or ord(char) == 127:
        return f"control character {code} is not allowed in a query"
    if char.isspace():
        return f"unexpected white-space character {code}: use plain spaces, tabs or newlines"
    if char.isalpha() or char.isdigit():
        return (
            f"non-ASCII character '{char}' ({code}): regular identifiers use ASCII letters, digits "
            "and '_'; write other names as delimited identifiers in double quotes"
        )
    return f"unexpected character '{char}' ({code})"


def _tokenize(text: str) -> list[_Token]:
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, pos)
        return line, pos - line_starts[line - 1] + 1

    tokens: list[_Token] = []
    pos = 0
    n = len(text)
    match = _TOKEN_RE.match
    while pos < n:
        m = match(text, pos)
        if m is None:
            line, col = where(pos)
            raise ADQLSyntaxError(_char_error(text, pos), line, col)
        kind = m.lastgroup or ""
        raw = m.group(0)
        if kind in ("ws", "comment"):
            pos = m.end()
            continue
        line, col = where(pos)
        if kind == "block":
            raise ADQLSyntaxError("/* */ comments are not ADQL: comments start with -- and end the line", line, col)
        value = raw
        if kind == "string":
            value = raw[1:-1].replace("''", "'")
            if "\x00" in value:
                raise ADQLSyntaxError("NUL characters are not allowed in strings", line, col)
            if tokens and tokens[-1].kind == "string":
                # SQL joins string literals separated only by white space and comments.
                prev = tokens[-1]
                prev.value += value
                prev.text += raw
                pos = m.end()
                continue
        elif kind == "qident":
            value = raw[1:-1].replace('""', '"')
            if not value:
                raise ADQLSyntaxError('empty delimited identifier ""', line, col)
            if any(ord(c) < 32 for c in value):
                raise ADQLSyntaxError("control characters are not allowed in identifiers", line, col)
        tokens.append(_Token(kind, raw, value, pos, line, col))
        pos = m.end()
    line, col = where(n)
    tokens.append(_Token("eof", "", "", n, line, col))
    return tokens


class _Parser:
    """One parse of one query text."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0
        self.kinds: dict[int, str] = {}
        self.starts: dict[int, _Token] = {}
        self.alive: list[exp.Expression] = []
        self.parenthesized: set[int] = set()

    # ----------------------------------------------------------------- token helpers
    def peek(self, k: int = 0) -> _Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        tok = self.tokens[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def at_word(self, *words: str, k: int = 0) -> bool:
        tok = self.peek(k)
        return tok.kind == "word" and tok.upper in words

    def at_op(self, *ops: str, k: int = 0) -> bool:
        tok = self.peek(k)
        return tok.kind == "op" and tok.text in ops

    def accept_word(self, *words: str) -> _Token | None:
        return self.advance() if self.at_word(*words) else None

    def accept_op(self, op: str) -> _Token | None:
        return self.advance() if self.at_op(op) else None

    def expect_word(self, word: str, expected: str | None = None) -> _Token:
        if not self.at_word(word):
            self.unexpected(expected or word)
        return self.advance()

    def expect_op(self, op: str, expected: str | None = None) -> _Token:
        if not self.at_op(op):
            self.unexpected(expected or f"'{op}'")
        return self.advance()

    def error(self, message: str, tok: _Token | None = None) -> NoReturn:
        tok = tok or self.peek()
        raise ADQLSyntaxError(message, tok.line, tok.col)

    def unexpected(self, expected: str, tok: _Token | None = None) -> NoReturn:
        tok = tok or self.peek()
        up = tok.upper if tok.kind == "word" else ""
        if up in ("LIMIT", "FETCH"):
            self.error("LIMIT is not ADQL: use SELECT TOP n (e.g. SELECT TOP 100 * FROM ...)", tok)
        if up == "INTO":
            self.error("SELECT ... INTO is not allowed: queries can only read", tok)
        if up == "ESCAPE":
            self.error("LIKE ... ESCAPE is not part of ADQL", tok)
        if up == "NULLS":
            self.error("NULLS FIRST/LAST is not part of ADQL", tok)
        if up in ("OVER", "WINDOW", "PARTITION", "QUALIFY"):
            self.error("window functions are not part of ADQL", tok)
        if up == "CROSS":
            self.error("CROSS JOIN is not ADQL: list the tables separated by commas", tok)
        if tok.kind == "op" and tok.text == ";":
            self.error("only one statement per query is allowed; ';' may only end the query", tok)
        if tok.kind == "eof":
            self.error(f"unexpected end of the query: expected {expected}", tok)
        self.error(f"expected {expected}, found {tok.describe()}", tok)

    def enter(self, tok: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.error(
                f"the query is nested too deeply (more than {MAX_DEPTH} levels of parentheses, "
                "function calls or subqueries)",
                tok,
            )

    def leave(self) -> None:
        self.depth -= 1

    # ------------------------------------------------------------ node bookkeeping
    def mark(self, node: exp.Expression, kind: str, tok: _Token) -> exp.Expression:
        self.kinds[id(node)] = kind
        self.starts[id(node)] = tok
        self.alive.append(node)
        meta = node.meta
        meta["line"] = tok.line
        meta["col"] = tok.col
        return node

    def kind(self, node: exp.Expression) -> str:
        return self.kinds.get(id(node), "vep")

    def start(self, node: exp.Expression) -> _Token:
        return self.starts.get(id(node)) or self.peek()

    def require(self, node: exp.Expression, allowed: frozenset[str], what: str) -> None:
        kind = self.kind(node)
        if kind in allowed:
            return
        tok = self.start(node)
        if kind == "bool":
            self.error(
                f"expected {what}, found a condition; conditions can only stand in WHERE, HAVING, ON and CASE WHEN", tok
            )
        if kind == "null":
            self.error(f"expected {what}, found NULL", tok)
        found = {"num": "a numeric expression", "str": "a string expression", "geom": "a geometry"}
        self.error(f"expected {what}, found {found.get(kind, 'a value')}", tok)

    def require_condition(self, node: exp.Expression, what: str) -> None:
        if self.kind(node) != "bool":
            self.error(
                f"{what} needs a condition (a comparison, BETWEEN, IN, LIKE, IS NULL or EXISTS); "
                "compare geometric predicates with 1 or 0, e.g. CONTAINS(...) = 1",
                self.start(node),
            )

    # ----------------------------------------------------------------- statements
    def statement(self) -> exp.Query:
        tok = self.peek()
        if tok.kind == "eof":
            self.error("empty query: expected SELECT", tok)
        if tok.kind == "word" and tok.upper in _NON_SELECT:
            self.error(f"only SELECT queries are allowed; {tok.upper} is not ADQL", tok)
        with_ = self.with_clause() if self.at_word("WITH") else None
        query = self.select_expression()
        if with_ is not None:
            query.set("with_", with_)
        if self.accept_op(";") and self.peek().kind != "eof":
            self.error("only one statement per query is allowed; ';' may only end the query", self.peek())
        if self.peek().kind != "eof":
            self.unexpected("the end of the query")
        return query

    def with_clause(self) -> exp.With:
        self.advance()
        if self.at_word("RECURSIVE"):
            self.error("recursive common table expressions are not part of ADQL")
        ctes: list[exp.Expression] = []
        names: set[str] = set()
        while True:
            name_tok = self.peek()
            name = self.identifier("a name for the common table expression")
            key = name.name if name.quoted else name.name.lower()
            if key in names:
                self.error(f"common table expression {name.name} is defined twice", name_tok)
            names.add(key)
            self.expect_word("AS")
            open_tok = self.expect_op("(")
            self.enter(open_tok)
            query = self.select_expression()
            self.expect_op(")")
            self.leave()
            ctes.append(exp.CTE(this=query, alias=exp.TableAlias(this=name)))
            if not self.accept_op(","):
                break
        return exp.With(expressions=ctes)

    def select_expression(self) -> exp.Query:
        query = self.set_expression()
        order = self.order_by() if self.at_word("ORDER") else None
        offset = self.offset() if self.at_word("OFFSET") else None
        if order is None and offset is None:
            return query
        if id(query) in self.parenthesized and any(query.args.get(a) for a in ("order", "limit", "offset")):
            query = exp.Subquery(this=query)
        if order is not None:
            query.set("order", order)
        if offset is not None:
            query.set("offset", offset)
        return query

    def set_expression(self) -> exp.Query:
        left = self.set_term()
        while self.at_word("UNION", "EXCEPT"):
            tok = self.advance()
            all_ = self.accept_word("ALL") is not None
            right = self.set_term()
            cls = exp.Union if tok.upper == "UNION" else exp.Except
            left = cls(this=self.operand(left), expression=self.operand(right), distinct=not all_)
        return left

    def set_term(self) -> exp.Query:
        left = self.set_primary()
        while self.at_word("INTERSECT"):
            self.advance()
            all_ = self.accept_word("ALL") is not None
            right = self.set_primary()
            left = exp.Intersect(this=self.operand(left), expression=self.operand(right), distinct=not all_)
        return left

    def operand(self, query: exp.Query) -> exp.Query:
        if id(query) in self.parenthesized or any(query.args.get(a) for a in ("order", "limit", "offset")):
            return exp.Subquery(this=query)
        return query

    def set_primary(self) -> exp.Query:
        if self.at_op("("):
            tok = self.advance()
            self.enter(tok)
            if self.at_word("WITH"):
                self.error("WITH is only allowed at the start of the whole query")
            query = self.select_expression()
            self.expect_op(")")
            self.leave()
            self.parenthesized.add(id(query))
            self.alive.append(query)
            return query
        return self.select_query()

    def select_query(self) -> exp.Select:
        if not self.at_word("SELECT"):
            if self.at_word("WITH"):
                self.error("WITH is only allowed at the start of the whole query")
            self.unexpected("SELECT")
        self.advance()
        select = exp.Select()
        if self.accept_word("DISTINCT"):
            select.set("distinct", exp.Distinct())
        else:
            self.accept_word("ALL")
        if self.accept_word("TOP"):
            tok = self.peek()
            if tok.kind != "number" or not tok.text.isdigit():
                self.error("TOP must be followed by an unsigned integer, e.g. SELECT TOP 100 ...", tok)
            self.advance()
            if int(tok.text) > _MAX_ROWS:
                self.error(f"TOP is limited to {_MAX_ROWS}", tok)
            select.set("limit", exp.Limit(expression=exp.Literal.number(int(tok.text))))
        select.set("expressions", self.select_list())
        if not self.at_word("FROM"):
            self.unexpected("FROM (every ADQL query needs a FROM clause)")
        self.advance()
        items = [self.table_reference()]
        while self.accept_op(","):
            items.append(self.table_reference())
        first, joins = items[0]
        select.set("from_", exp.From(this=first))
        all_joins = list(joins)
        for item, more in items[1:]:
            all_joins.append(exp.Join(this=item))
            all_joins.extend(more)
        if all_joins:
            select.set("joins", all_joins)
        if self.accept_word("WHERE"):
            where = self.search_condition("WHERE")
            self.no_aggregates(where, "WHERE")
            select.set("where", exp.Where(this=where))
        if self.at_word("GROUP"):
            self.advance()
            self.expect_word("BY")
            terms = [self.value("a GROUP BY term")]
            while self.accept_op(","):
                terms.append(self.value("a GROUP BY term"))
            select.set("group", exp.Group(expressions=terms))
        if self.accept_word("HAVING"):
            select.set("having", exp.Having(this=self.search_condition("HAVING")))
        return select

    def no_aggregates(self, node: exp.Expression, clause: str) -> None:
        """Refuse set functions in ``clause`` (outside nested subqueries)."""
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, exp.Query):
                continue
            if isinstance(current, exp.Count | exp.Avg | exp.Min | exp.Max | exp.Sum):
                self.error(
                    f"aggregate functions are not allowed in {clause}; filter groups with HAVING", self.start(current)
                )
            stack.extend(current.iter_expressions())

    def select_list(self) -> list[exp.Expression]:
        # The grammar wants '*' alone; astroquery.esa.jwst sends "SELECT DISTANCE(...) AS dist, *",
        # so a bare '*' is accepted anywhere in the list.
        items = [self.select_item()]
        while self.accept_op(","):
            items.append(self.select_item())
        return items

    def select_item(self) -> exp.Expression:
        tok = self.peek()
        if self.at_word("FROM"):
            self.error("expected a column or an expression to select", tok)
        if self.at_op("*"):
            self.advance()
            return exp.Star()
        star = self.qualified_star()
        if star is not None:
            return star
        node = self.value("a select item")
        alias = self.alias()
        if alias is not None:
            node = exp.Alias(this=node, alias=alias)
            self.mark(node, "vep", tok)
        return node

    def alias(self) -> exp.Identifier | None:
        if self.accept_word("AS"):
            return self.identifier("a name after AS")
        tok = self.peek()
        if tok.kind == "qident" or (tok.kind == "word" and (tok.upper not in RESERVED_WORDS or tok.upper in _LENIENT)):
            return self.identifier("a name")
        return None

    def qualified_star(self) -> exp.Expression | None:
        k = 0
        parts = 0
        while True:
            tok = self.peek(k)
            if not self.is_identifier(tok):
                return None
            parts += 1
            if not self.at_op(".", k=k + 1):
                return None
            if self.at_op("*", k=k + 2):
                break
            k += 2
        if parts > 3:
            self.error("a qualifier has at most three parts: catalog.schema.table", self.peek())
        names = [self.identifier("a name")]
        while len(names) < parts:
            self.expect_op(".")
            names.append(self.identifier("a name"))
        self.expect_op(".")
        star_tok = self.expect_op("*")
        column = exp.Column(this=exp.Star(), table=names[-1])
        if parts > 1:
            column.set("db", names[-2])
        if parts > 2:
            column.set("catalog", names[-3])
        return self.mark(column, "star", star_tok)

    @staticmethod
    def is_identifier(tok: _Token) -> bool:
        return tok.kind == "qident" or (
            tok.kind == "word" and (tok.upper not in RESERVED_WORDS or tok.upper in _LENIENT)
        )

    def identifier(self, expected: str) -> exp.Identifier:
        tok = self.peek()
        if tok.kind == "qident":
            self.advance()
            ident = exp.Identifier(this=tok.value, quoted=True)
        elif tok.kind == "word":
            if tok.upper in RESERVED_WORDS and tok.upper not in _LENIENT:
                if tok.upper in ("FROM", "WHERE", "JOIN", "ON", "SELECT", "AS", "ORDER", "GROUP", "BY"):
                    self.unexpected(expected, tok)
                self.error(
                    f"'{tok.text}' is a reserved word in ADQL; to use it as a name, write it as a "
                    f'delimited identifier: "{tok.text.lower()}"',
                    tok,
                )
            self.advance()
            ident = exp.Identifier(this=tok.text, quoted=False)
        else:
            self.unexpected(expected, tok)
        ident.meta["line"] = tok.line
        ident.meta["col"] = tok.col
        return ident

    def order_by(self) -> exp.Order:
        self.advance()
        self.expect_word("BY")
        terms: list[exp.Expression] = []
        while True:
            node = self.value("an ORDER BY term")
            desc = False
            if self.accept_word("DESC"):
                desc = True
            else:
                self.accept_word("ASC")
            terms.append(exp.Ordered(this=node, desc=desc, nulls_first=False))
            if not self.accept_op(","):
                break
        return exp.Order(expressions=terms)

    def offset(self) -> exp.Offset:
        self.advance()
        tok = self.peek()
        if tok.kind != "number" or not tok.text.isdigit():
            self.error("OFFSET must be followed by an unsigned integer", tok)
        if int(tok.text) > _MAX_ROWS:
            self.error(f"OFFSET is limited to {_MAX_ROWS}", tok)
        self.advance()
        return exp.Offset(expression=exp.Literal.number(int(tok.text)))

    # ---------------------------------------------------------------------- FROM
    def table_reference(self) -> tuple[exp.Expression, list[exp.Expression]]:
        left = self.table_primary()
        joins: list[exp.Expression] = []
        while self.at_word("NATURAL", "INNER", "LEFT", "RIGHT", "FULL", "JOIN", "CROSS"):
            tok = self.peek()
            if tok.upper == "CROSS":
                self.error("CROSS JOIN is not ADQL: list the tables separated by commas", tok)
            natural = self.accept_word("NATURAL") is not None
            join = exp.Join()
            if self.accept_word("INNER"):
                join.set("kind", "INNER")
            elif self.at_word("LEFT", "RIGHT", "FULL"):
                join.set("side", self.advance().upper)
                if self.accept_word("OUTER"):
                    join.set("kind", "OUTER")
            self.expect_word("JOIN")
            join.set("this", self.table_primary())
            if natural:
                join.set("method", "NATURAL")
            if self.at_word("ON", "USING") and natural:
                self.error("NATURAL JOIN takes no ON or USING clause")
            if self.accept_word("ON"):
                on = self.search_condition("ON")
                self.no_aggregates(on, "ON")
                join.set("on", on)
            elif self.accept_word("USING"):
                open_tok = self.expect_op("(")
                names = [self.identifier("a column name")]
                while self.accept_op(","):
                    names.append(self.identifier("a column name"))
                self.expect_op(")")
                join.set("using", names)
                join.meta["line"] = open_tok.line
                join.meta["col"] = open_tok.col
            self.mark(join, "join", tok)
            joins.append(join)
        return left, joins

    def table_primary(self) -> exp.Expression:
        tok = self.peek()
        if self.at_op("("):
            return self.parenthesized_table(tok)
        if tok.kind == "string":
            self.error("a table name cannot be a string: only published tables can be queried", tok)
        if tok.kind == "word" and self.at_op("(", k=1):
            self.error(
                f"table functions such as {tok.text}(...) are not ADQL: only published tables can be queried", tok
            )
        if not self.is_identifier(tok):
            self.unexpected("a table name or a subquery")
        names = [self.identifier("a table name")]
        while self.at_op(".") and not self.at_op("*", k=1):
            self.advance()
            names.append(self.identifier("a table name"))
        if len(names) > 3:
            self.error("a table name has at most three parts: catalog.schema.table", tok)
        table = exp.Table(this=names[-1])
        if len(names) > 1:
            table.set("db", names[-2])
        if len(names) > 2:
            table.set("catalog", names[-3])
        alias = self.alias()
        if alias is not None:
            table.set("alias", exp.TableAlias(this=alias))
        return self.mark(table, "table", tok)

    def parenthesized_table(self, tok: _Token) -> exp.Expression:
        start, depth = self.i, self.depth
        nxt = self.peek(1)
        query_first = nxt.kind == "word" and nxt.upper in ("SELECT", "WITH")
        join_first = nxt.kind in ("word", "qident") and not query_first
        failure: ADQLSyntaxError | None = None
        if not join_first:
            try:
                return self.derived_table(tok)
            except ADQLSyntaxError as err:
                if query_first:
                    raise
                failure = err
                self.i, self.depth = start, depth
        try:
            return self.joined_table(tok)
        except ADQLSyntaxError as err:
            if failure is not None and (failure.line or 0, failure.column or 0) > (err.line or 0, err.column or 0):
                raise failure from None
            raise

    def derived_table(self, tok: _Token) -> exp.Expression:
        self.advance()
        self.enter(tok)
        if self.at_word("WITH"):
            self.error("WITH is only allowed at the start of the whole query")
        query = self.select_expression()
        self.expect_op(")")
        self.leave()
        alias = self.alias()
        if alias is None:
            self.unexpected("a name for the subquery: (SELECT ...) AS name")
        return self.mark(exp.Subquery(this=query, alias=exp.TableAlias(this=alias)), "table", tok)

    def joined_table(self, tok: _Token) -> exp.Expression:
        self.advance()
        self.enter(tok)
        left, joins = self.table_reference()
        if not joins:
            self.unexpected("JOIN (only joins may be parenthesised in FROM)")
        self.expect_op(")")
        self.leave()
        left.set("joins", joins)
        return self.mark(exp.Subquery(this=left), "table", tok)

    # -------------------------------------------------------------------- conditions
    def search_condition(self, what: str) -> exp.Expression:
        node = self.or_()
        self.require_condition(node, what)
        return node

    def or_(self) -> exp.Expression:
        left = self.and_()
        while self.at_word("OR"):
            self.advance()
            right = self.and_()
            self.require_condition(left, "OR")
            self.require_condition(right, "OR")
            left = self.mark(exp.Or(this=left, expression=right), "bool", self.start(left))
        return left

    def and_(self) -> exp.Expression:
        left = self.not_()
        while self.at_word("AND"):
            self.advance()
            right = self.not_()
            self.require_condition(left, "AND")
            self.require_condition(right, "AND")
            left = self.mark(exp.And(this=left, expression=right), "bool", self.start(left))
        return left

    def not_(self) -> exp.Expression:
        if self.at_word("NOT"):
            tok = self.advance()
            node = self.predicate()
            self.require_condition(node, "NOT")
            return self.mark(exp.Not(this=node), "bool", tok)
        return self.predicate()

    def predicate(self) -> exp.Expression:
        tok = self.peek()
        if self.at_word("EXISTS"):
            self.advance()
            return self.mark(exp.Exists(this=self.subquery()), "bool", tok)
        left = self.value_expression()
        nxt = self.peek()
        if nxt.kind == "op" and nxt.text in _COMPARISONS:
            self.advance()
            right = self.value_expression()
            self.require(left, _VALUE, "a value to compare")
            self.require(right, _VALUE, "a value to compare")
            return self.mark(_COMPARISONS[nxt.text](this=left, expression=right), "bool", tok)
        negate = False
        if self.at_word("NOT") and self.at_word("BETWEEN", "IN", "LIKE", "ILIKE", k=1):
            self.advance()
            negate = True
        node: exp.Expression
        if self.accept_word("BETWEEN"):
            low = self.value_expression()
            self.expect_word("AND", "AND in BETWEEN ... AND ...")
            high = self.value_expression()
            for part in (left, low, high):
                self.require(part, _VALUE, "a value in BETWEEN")
            node = exp.Between(this=left, low=low, high=high)
        elif self.at_word("IN"):
            self.advance()
            self.require(left, _VALUE, "a value before IN")
            node = self.in_list(left)
        elif self.at_word("LIKE", "ILIKE"):
            op = self.advance()
            pattern = self.value_expression()
            self.require(left, _STRING, "a string before " + op.upper)
            self.require(pattern, _STRING, "a string pattern after " + op.upper)
            cls = exp.Like if op.upper == "LIKE" else exp.ILike
            node = cls(this=left, expression=pattern)
        elif self.at_word("IS"):
            self.advance()
            negate = self.accept_word("NOT") is not None
            if not self.at_word("NULL"):
                self.unexpected("NULL after IS (ADQL can only test IS [NOT] NULL)")
            self.advance()
            self.require(left, _VALUE, "a value before IS NULL")
            node = exp.Is(this=left, expression=exp.Null())
        else:
            return left
        if negate:
            node = exp.Not(this=node)
        return self.mark(node, "bool", tok)

    def in_list(self, left: exp.Expression) -> exp.Expression:
        open_tok = self.peek()
        if not self.at_op("("):
            self.unexpected("'(' after IN")
        k = 1
        while self.at_op("(", k=k):
            k += 1
        if self.at_word("SELECT", "WITH", k=k):
            return exp.In(this=left, query=exp.Subquery(this=self.subquery()))
        self.advance()
        self.enter(open_tok)
        values = [self.value("a value in the IN list")]
        while self.accept_op(","):
            if len(values) >= MAX_IN_LIST:
                self.error(f"IN lists are limited to {MAX_IN_LIST} values: upload a table and JOIN it instead")
            values.append(self.value("a value in the IN list"))
        self.expect_op(")")
        self.leave()
        return exp.In(this=left, expressions=values)

    def subquery(self) -> exp.Query:
        tok = self.expect_op("(")
        self.enter(tok)
        if self.at_word("WITH"):
            self.error("WITH is only allowed at the start of the whole query")
        query = self.select_expression()
        self.expect_op(")")
        self.leave()
        return query

    # ---------------------------------------------------------------------- values
    def value(self, what: str) -> exp.Expression:
        node = self.value_expression()
        self.require(node, _VALUE, what)
        return node

    def value_expression(self) -> exp.Expression:
        left = self.term()
        while self.at_op("+", "-", "||"):
            op = self.advance()
            right = self.term()
            start = self.start(left)
            if op.text == "||":
                self.require(left, _STRING, "a string before ||")
                self.require(right, _STRING, "a string after ||")
                left = self.mark(exp.DPipe(this=left, expression=right, safe=True), "str", start)
            else:
                self.require(left, _NUMERIC, f"a number before {op.text}")
                self.require(right, _NUMERIC, f"a number after {op.text}")
                cls = exp.Add if op.text == "+" else exp.Sub
                left = self.mark(cls(this=left, expression=right), "num", start)
        return left

    def term(self) -> exp.Expression:
        left = self.factor()
        while self.at_op("*", "/"):
            op = self.advance()
            right = self.factor()
            self.require(left, _NUMERIC, f"a number before {op.text}")
            self.require(right, _NUMERIC, f"a number after {op.text}")
            cls = exp.Mul if op.text == "*" else exp.Div
            left = self.mark(cls(this=left, expression=right), "num", self.start(left))
        return left

    def factor(self) -> exp.Expression:
        if self.at_op("+", "-"):
            sign = self.advance()
            node = self.primary()
            self.require(node, _NUMERIC, f"a number after the sign {sign.text}")
            if sign.text == "+":
                return self.mark(node, self.kind(node), sign)
            return self.mark(exp.Neg(this=node), "num", sign)
        return self.primary()

    def primary(self) -> exp.Expression:
        tok = self.peek()
        if tok.kind == "number":
            self.advance()
            return self.mark(exp.Literal.number(tok.text), "vep", tok)
        if tok.kind == "string":
            self.advance()
            return self.mark(exp.Literal.string(tok.value), "vep", tok)
        if tok.kind == "op" and tok.text == "(":
            if self.at_word("SELECT", "WITH", k=1):
                self.error(
                    "a subquery can only stand in FROM, after IN or after EXISTS; scalar subqueries are not ADQL",
                    self.peek(1),
                )
            self.advance()
            self.enter(tok)
            inner = self.or_()
            self.expect_op(")")
            self.leave()
            return self.mark(exp.Paren(this=inner), "bool" if self.kind(inner) == "bool" else "vep", tok)
        if tok.kind == "qident":
            return self.column_reference()
        if tok.kind == "word":
            up = tok.upper
            if up == "NULL":
                self.advance()
                return self.mark(exp.Null(), "null", tok)
            if up == "CAST":
                return self.cast()
            if up == "CASE":
                return self.case()
            if self.at_op("(", k=1):
                if up in functions.AGGREGATES:
                    return self.aggregate()
                return self.function_call()
            if up in ("TRUE", "FALSE"):
                self.error("ADQL has no boolean literals: compare with 1 or 0 (or 'true' for boolean columns)", tok)
            if up in RESERVED_WORDS and up not in _LENIENT and up in ("SELECT", "FROM", "WHERE"):
                self.unexpected("a value")
            return self.column_reference()
        self.unexpected("a value (a column, a literal, a function or a parenthesised expression)")

    def column_reference(self) -> exp.Expression:
        tok = self.peek()
        names = [self.identifier("a column name")]
        while self.at_op("."):
            if self.at_op("*", k=1):
                self.error("table.* is only allowed in the select list", self.peek(1))
            self.advance()
            names.append(self.identifier("a column name"))
        if len(names) > 4:
            self.error("a column name has at most four parts: catalog.schema.table.column", tok)
        column = exp.Column(this=names[-1])
        for part, key in zip(reversed(names[:-1]), ("table", "db", "catalog"), strict=False):
            column.set(key, part)
        return self.mark(column, "vep", tok)

    def cast(self) -> exp.Expression:
        tok = self.advance()
        open_tok = self.expect_op("(")
        self.enter(open_tok)
        value = self.value("a value to CAST")
        self.expect_word("AS", "AS in CAST(x AS type)")
        type_tok = self.peek()
        up = type_tok.upper if type_tok.kind == "word" else ""
        node: exp.Expression
        if up in _CAST_TYPES:
            self.advance()
            node = exp.Cast(this=value, to=exp.DataType.build(_CAST_TYPES[up]))
        elif up == "DOUBLE":
            self.advance()
            self.expect_word("PRECISION", "PRECISION (the type is DOUBLE PRECISION)")
            node = exp.Cast(this=value, to=exp.DataType.build("DOUBLE"))
        elif up in ("CHAR", "VARCHAR"):
            self.advance()
            length = None
            if self.accept_op("("):
                len_tok = self.peek()
                if len_tok.kind != "number" or not len_tok.text.isdigit() or int(len_tok.text) == 0:
                    self.error("the length of a CHAR or VARCHAR must be a positive integer", len_tok)
                self.advance()
                length = int(len_tok.text)
                self.expect_op(")")
            spec = up if length is None else f"{up}({length})"
            node = exp.Cast(this=value, to=exp.DataType.build(spec))
        elif up in ("POINT", "CIRCLE", "POLYGON"):
            self.advance()
            node = d.GeometryCast(this=value, to=up.lower())
        else:
            self.error(
                "CAST target must be SMALLINT, INTEGER, BIGINT, REAL, DOUBLE PRECISION, CHAR(n), "
                "VARCHAR(n), TIMESTAMP, POINT, CIRCLE or POLYGON",
                type_tok,
            )
        self.expect_op(")")
        self.leave()
        return self.mark(node, "vep", tok)

    def case(self) -> exp.Expression:
        tok = self.advance()
        self.enter(tok)
        operand = None
        if not self.at_word("WHEN"):
            operand = self.value("a value after CASE")
        ifs: list[exp.Expression] = []
        while self.accept_word("WHEN"):
            cond = self.value("a value after WHEN") if operand is not None else self.search_condition("WHEN")
            self.expect_word("THEN")
            ifs.append(exp.If(this=cond, true=self.value("a value after THEN")))
        if not ifs:
            self.unexpected("WHEN")
        default = self.value("a value after ELSE") if self.accept_word("ELSE") else None
        self.expect_word("END", "END to close CASE")
        self.leave()
        return self.mark(exp.Case(this=operand, ifs=ifs, default=default), "vep", tok)

    def aggregate(self) -> exp.Expression:
        tok = self.advance()
        open_tok = self.expect_op("(")
        self.enter(open_tok)
        node: exp.Expression
        if tok.upper == "COUNT" and self.at_op("*"):
            self.advance()
            node = exp.Count(this=exp.Star())
        else:
            distinct = self.accept_word("DISTINCT") is not None
            if not distinct:
                self.accept_word("ALL")
            arg = self.value(f"a value in {tok.upper}")
            inner = exp.Distinct(expressions=[arg]) if distinct else arg
            cls = {"COUNT": exp.Count, "AVG": exp.Avg, "MIN": exp.Min, "MAX": exp.Max, "SUM": exp.Sum}
            node = cls[tok.upper](this=inner)
        self.expect_op(")")
        self.leave()
        return self.mark(node, "vep", tok)

    # ------------------------------------------------------------------- functions
    def function_call(self) -> exp.Expression:
        tok = self.advance()
        spec = functions.lookup(tok.text)
        if spec is None and not tok.upper.startswith(UDF_PREFIXES):
            if tok.upper in RESERVED_WORDS:
                self.error(f"{tok.text} is a reserved word, not a function", tok)
            hint = _FUNCTION_HINTS.get(tok.upper)
            if hint:
                self.error(f"unknown function {tok.text}: {hint}", tok)
            names = ", ".join(f.name for f in functions.FUNCTIONS)
            self.error(
                f"unknown function {tok.text}; the functions available are {names}, COUNT, AVG, MIN, MAX, SUM and CAST",
                tok,
            )
        open_tok = self.expect_op("(")
        self.enter(open_tok)
        args: list[exp.Expression] = []
        if not self.at_op(")"):
            args.append(self.value_expression())
            while self.accept_op(","):
                if len(args) >= MAX_ARGS:
                    self.error(f"too many arguments to {tok.text}")
                args.append(self.value_expression())
        self.expect_op(")", f"')' to close {tok.text}(")
        self.leave()
        if spec is None or spec.udf:
            for arg in args:
                self.require(arg, _VALUE, f"a value as argument of {tok.text}")
            if spec is not None:
                self.arity(spec, args, tok)
            name = spec.name if spec is not None else tok.text
            return self.mark(d.UserFunction(this=name, expressions=args), "udf", tok)
        builder = getattr(self, f"build_{spec.name.lower()}", None)
        if builder is not None:
            node = builder(spec, args, tok)
        else:
            self.arity(spec, args, tok)
            self.check_params(spec, args)
            if spec.name == "COALESCE" and all(self.kind(a) == "null" for a in args):
                self.error("COALESCE needs at least one argument that is not NULL", tok)
            if spec.name in _SIMPLE:
                node = _SIMPLE[spec.name](args)
            elif spec.name == "COALESCE":
                node = exp.Coalesce(this=args[0], expressions=args[1:])
            else:  # pragma: no cover - every listed built-in has a node
                raise AssertionError(spec.name)
        return self.mark(node, spec.result, tok)

    def arity(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> None:
        n = len(args)
        if n < spec.min_args or (spec.max_args is not None and n > spec.max_args):
            if spec.max_args is None:
                expected = f"at least {spec.min_args}"
            elif spec.min_args == spec.max_args:
                expected = str(spec.min_args)
            else:
                expected = f"{spec.min_args} to {spec.max_args}"
            plural = "" if expected == "1" else "s"
            self.error(f"{spec.name} takes {expected} argument{plural}, got {n}", tok)

    def check_params(self, spec: functions.Function, args: list[exp.Expression]) -> None:
        for i, arg in enumerate(args):
            kind = spec.params[min(i, len(spec.params) - 1)]
            what = f"argument {i + 1} of {spec.name}"
            if kind == "num":
                self.require(arg, _NUMERIC, f"a number as {what}")
            elif kind == "str":
                self.require(arg, _STRING, f"a string as {what}")
            elif kind == "geom":
                self.require(arg, _GEOMETRY, f"a geometry as {what}")
            elif kind == "coord":
                self.coord(arg, what)
            elif kind == "value":
                self.require(arg, _VALUE, f"a value as {what}")
            elif kind in ("int", "uint"):
                node = arg.this if kind == "int" and isinstance(arg, exp.Neg) else arg
                if not (isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit()):
                    sign = "an" if kind == "int" else "an unsigned"
                    self.error(f"expected {sign} integer literal as {what}", self.start(arg))
            elif kind == "literal" and not (isinstance(arg, exp.Literal) and arg.is_string):
                self.error(f"expected a string literal as {what}", self.start(arg))

    def coord(self, node: exp.Expression, what: str) -> None:
        if isinstance(node, d.Point | d.Centroid | d.UserFunction) or (
            isinstance(node, exp.Column) and not isinstance(node.this, exp.Star)
        ):
            return
        self.error(f"expected a point (POINT(...), CENTROID(...) or a point column) as {what}", self.start(node))

    def coordsys(self, node: exp.Expression) -> bool:
        return self.kind(node) == "null" or (isinstance(node, exp.Literal) and node.is_string)

    def numbers(self, spec: functions.Function, args: list[exp.Expression]) -> None:
        for arg in args:
            self.require(arg, _NUMERIC, f"a number as argument of {spec.name}")

    def point_from(self, x: exp.Expression, y: exp.Expression, spec: functions.Function) -> exp.Expression:
        self.numbers(spec, [x, y])
        return self.mark(d.Point(this=x, expression=y), "geom", self.start(x))

    def split_coordsys(
        self, args: list[exp.Expression], plain: tuple[int, ...]
    ) -> tuple[exp.Expression | None, list[exp.Expression]]:
        """Drop a leading coordinate-system literal when the count says one is present."""
        if args and len(args) not in plain and self.coordsys(args[0]):
            return args[0], args[1:]
        return None, args

    def build_point(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        self.arity(spec, args, tok)
        coordsys, rest = self.split_coordsys(args, (2,))
        if len(rest) != 2:
            self.error(
                "the first of three POINT arguments must be a coordinate system literal such as 'ICRS'",
                self.start(args[0]),
            )
        self.numbers(spec, rest)
        return d.Point(this=rest[0], expression=rest[1], coordsys=coordsys)

    def build_circle(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        self.arity(spec, args, tok)
        coordsys, rest = self.split_coordsys(args, (2,))
        if len(rest) == 2:
            self.coord(rest[0], "the centre of CIRCLE")
            center = rest[0]
        elif len(rest) == 3:
            center = self.point_from(rest[0], rest[1], spec)
        else:
            self.error("CIRCLE takes a centre and a radius: CIRCLE(ra, dec, radius) or CIRCLE(point, radius)", tok)
        self.numbers(spec, [rest[-1]])
        return d.Circle(this=center, expression=rest[-1], coordsys=coordsys)

    def build_box(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        self.arity(spec, args, tok)
        coordsys, rest = self.split_coordsys(args, (3,))
        if len(rest) == 3:
            self.coord(rest[0], "the centre of BOX")
            center = rest[0]
        elif len(rest) == 4:
            center = self.point_from(rest[0], rest[1], spec)
        else:
            self.error("BOX takes a centre, a width and a height", tok)
        self.numbers(spec, rest[-2:])
        return d.Box(this=center, width=rest[-2], height=rest[-1], coordsys=coordsys)

    def build_polygon(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        coordsys, rest = (args[0], args[1:]) if args and self.coordsys(args[0]) else (None, args)
        pointlike = [isinstance(a, exp.Column | d.Point | d.Centroid | d.UserFunction) for a in rest]
        explicit = any(isinstance(a, d.Point | d.Centroid) for a in rest)
        if all(pointlike) and (explicit or len(rest) < 6 or len(rest) % 2):
            # POLYGON(p1, p2, p3, ...): point-valued vertices.
            if len(rest) < 3:
                self.error("POLYGON needs at least three vertices", tok)
            vertices = list(rest)
        else:
            if explicit:
                for i, arg in enumerate(rest):
                    self.coord(arg, f"vertex {i + 1} of POLYGON")
            if len(rest) < 6:
                self.error("POLYGON needs at least three vertices (six coordinates)", tok)
            if len(rest) % 2:
                self.error(f"POLYGON coordinates come in pairs; got {len(rest)} numbers", tok)
            vertices = [self.point_from(rest[i], rest[i + 1], spec) for i in range(0, len(rest), 2)]
        if len(vertices) > MAX_POLYGON_VERTICES:
            self.error(f"POLYGON is limited to {MAX_POLYGON_VERTICES} vertices", tok)
        return d.Polygon(expressions=vertices, coordsys=coordsys)

    def build_region(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        self.arity(spec, args, tok)
        self.check_params(spec, args)
        return d.Region(this=args[0])

    def build_distance(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        if len(args) == 2:
            self.coord(args[0], "argument 1 of DISTANCE")
            self.coord(args[1], "argument 2 of DISTANCE")
            return exp.Distance(this=args[0], expression=args[1])
        if len(args) == 4:
            return exp.Distance(
                this=self.point_from(args[0], args[1], spec),
                expression=self.point_from(args[2], args[3], spec),
            )
        self.error(f"DISTANCE takes two points or four numbers, got {len(args)} arguments", tok)

    def _geometry_unary(
        self, cls: type[exp.Expression], spec: functions.Function, args: list[exp.Expression], tok: _Token
    ) -> exp.Expression:
        self.arity(spec, args, tok)
        self.check_params(spec, args)
        return cls(this=args[0])

    def build_area(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        return self._geometry_unary(d.Area, spec, args, tok)

    def build_centroid(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        return self._geometry_unary(d.Centroid, spec, args, tok)

    def build_coord1(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        return self._geometry_unary(d.Coord1, spec, args, tok)

    def build_coord2(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        return self._geometry_unary(d.Coord2, spec, args, tok)

    def build_coordsys(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        return self._geometry_unary(d.Coordsys, spec, args, tok)

    def _predicate_fn(
        self, cls: type[exp.Expression], spec: functions.Function, args: list[exp.Expression], tok: _Token
    ) -> exp.Expression:
        self.arity(spec, args, tok)
        self.check_params(spec, args)
        return cls(this=args[0], expression=args[1])

    def build_contains(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        return self._predicate_fn(exp.Contains, spec, args, tok)

    def build_intersects(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        return self._predicate_fn(d.Intersects, spec, args, tok)

    def build_in_unit(self, spec: functions.Function, args: list[exp.Expression], tok: _Token) -> exp.Expression:
        return self._predicate_fn(d.InUnit, spec, args, tok)


def parse(text: str) -> exp.Query:
    """Parse ADQL 2.1 text into a sqlglot tree.

    Parameters
    ----------
    text
        One ADQL query (an optional trailing ``;`` is allowed).

    Returns
    -------
    sqlglot.exp.Query
        An ``exp.Select`` or a set operation (``exp.Union``, ``exp.Intersect``, ``exp.Except``),
        built from standard sqlglot nodes and the ADQL nodes of :mod:`jwstarchive.adql.dialect`.

    Raises
    ------
    jwstarchive.errors.ADQLSyntaxError
        If ``text`` is not valid ADQL 2.1; ``line`` and ``column`` (1-based) locate the problem
        and the message says what to write instead.

    Examples
    --------
    >>> tree = parse("SELECT TOP 5 obs_id FROM ivoa.obscore")
    >>> tree.args["limit"].expression.this
    '5'
    """
    if not isinstance(text, str):
        raise ADQLSyntaxError("the query must be text")
    if len(text) > MAX_QUERY_LENGTH:
        raise ADQLSyntaxError(f"the query is longer than {MAX_QUERY_LENGTH} characters", 1, 1)
    return _Parser(text).statement()
