"""``Mast.Name.Lookup``: target names → positions, from the archive's built-in target table.

The answer has MAST's shape (reference §1.4): ``resolvedCoordinate`` entries with
``searchString`` (the lower-cased input), ``resolver``, ``canonicalName``, ``objectType``, ``ra``
and ``decl``, and an empty ``status``. Names match without regard to case, spaces, '-' or '_'.
"""

from __future__ import annotations

import re
from typing import Any

from jwstarchive.catalog.targets import TARGETS, SkyTarget

__all__ = ["lookup_document", "resolve_name"]

RESOLVER = "jwstarchive"


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).lower()


def resolve_name(name: str) -> SkyTarget | None:
    """The built-in target called ``name``, or None."""
    key = _key(name)
    return next((t for t in TARGETS if _key(t.name) == key), None)


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
                "objectType": target.classification.split(";")[0],
                "ra": target.ra,
                "decl": target.dec,
            }
        )
    return {"resolvedCoordinate": found, "status": ""}
