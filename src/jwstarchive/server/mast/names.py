"""``Mast.Name.Lookup``: target names → positions, from the resolver's target table (``server/sesame``).

The answer has MAST's shape (reference §1.4): ``resolvedCoordinate`` entries with
``searchString`` (the lower-cased input), ``resolver``, ``canonicalName``, ``objectType``, ``ra``
and ``decl``, and an empty ``status``. Names match as Sesame matches them (case, spaces and
punctuation aside; aliases too), so every face resolves a name the same way.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jwstarchive.server.sesame import SesameTarget, load_targets, lookup

__all__ = ["lookup_document", "resolve_name"]

RESOLVER = "jwstarchive"


@cache
def _index() -> dict[str, SesameTarget]:
    return load_targets()


def resolve_name(name: str) -> SesameTarget | None:
    """The target called ``name`` (any of its names), or None."""
    return lookup(_index(), name)


def lookup_document(name: str) -> dict[str, Any]:
    """The ``Mast.Name.Lookup`` answer for ``name`` (an empty list when unknown)."""
    target = resolve_name(name)
    found = []
    if target is not None:
        found.append(
            {
                "searchString": name.strip().lower(),
                "resolver": RESOLVER,
                "cached": True,
                "cacheDate": "",
                "resolverTime": 0,
                "searchRadius": -1.0,
                "canonicalName": target.name,
                "objectType": target.otype,
                "ra": target.ra,
                "decl": target.dec,
            }
        )
    return {"resolvedCoordinate": found, "status": ""}
