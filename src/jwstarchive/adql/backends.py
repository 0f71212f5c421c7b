"""Translation backends: one rule set per database, looked up by name.

A rule maps one sqlglot node class to a rewrite for one backend. Each ``rules_<backend>``
module builds a :class:`RuleSet` and registers its rules with the ``@RULES.rule(cls)``
decorator; registering a second rule for the same class raises. :data:`BACKENDS` lists the
backends from one explicit table; their rule modules are imported on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from jwstarchive.errors import UnsupportedFeature

if TYPE_CHECKING:
    from jwstarchive.adql.translate import Context

__all__ = ["BACKENDS", "Backend", "Rule", "RuleSet", "get", "rules"]

Rule = Callable[[Any, "Context"], exp.Expression | None]
"""A rewrite: gets the node and the translation context; returns a replacement or None (keep)."""


@dataclass
class RuleSet:
    """The rules of one backend, keyed by sqlglot node class."""

    backend: str
    rules: dict[type[exp.Expression], Rule] = field(default_factory=dict)

    def rule(self, *classes: type[exp.Expression]) -> Callable[[Rule], Rule]:
        """Decorator registering ``fn`` as the rule for each of ``classes``.

        Raises
        ------
        ValueError
            If one of the classes already has a rule in this set.
        """

        def register(fn: Rule) -> Rule:
            for cls in classes:
                if cls in self.rules:
                    raise ValueError(
                        f"{self.backend}: a rule for {cls.__name__} is already registered ({self.rules[cls].__name__})"
                    )
                self.rules[cls] = fn
            return fn

        return register

    def get(self, cls: type[exp.Expression]) -> Rule | None:
        """The rule for exactly ``cls``, or None."""
        return self.rules.get(cls)


@dataclass(frozen=True)
class Backend:
    """A translation target: the sqlglot dialect that writes its SQL and its rules module."""

    name: str
    dialect: str
    module: str


BACKENDS: dict[str, Backend] = {
    b.name: b
    for b in (
        Backend("duckdb", "duckdb", "jwstarchive.adql.rules_duckdb"),
        Backend("postgres", "postgres", "jwstarchive.adql.rules_postgres"),
    )
}
"""Every backend ADQL can be translated for."""


def get(name: str) -> Backend:
    """The backend called ``name``.

    Raises
    ------
    jwstarchive.errors.UnsupportedFeature
        For an unknown backend.
    """
    try:
        return BACKENDS[name]
    except KeyError:
        raise UnsupportedFeature(f"unknown backend {name!r}; known: {', '.join(BACKENDS)}") from None


def rules(name: str) -> RuleSet:
    """The rule set of backend ``name`` (importing its module on first use)."""
    module = importlib.import_module(get(name).module)
    ruleset: RuleSet = module.RULES
    return ruleset
