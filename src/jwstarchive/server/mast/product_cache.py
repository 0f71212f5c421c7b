"""``Mast.Caom.Products`` from memory for programs whose observations are asked for batch after batch.

Clients list a program's products a few observations at a time (jwst_mast_query's default
``Nobs_per_batch`` 2 sends hundreds of requests for a large program), and each request costs a
statement of several joins. From the second request that touches a program on, every product
row of all its observations is computed in one statement (the same SQL) and kept; later
requests take their rows from memory. ``dataRights`` depends on the time: a program's rows are
computed again once any of their release dates has passed. Programs are evicted least recently
used beyond :data:`MAX_ROWS` rows; a program larger than that is never kept.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from jwstarchive.server.mast.queries import (
    RELEASE_COLUMN,
    observations_of_program,
    program_obsids,
    select_all_products,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from jwstarchive.catalog.store import Store
    from jwstarchive.catalog.tables import Table

__all__ = ["MAX_ROWS", "ProductCache", "product_cache"]

MAX_ROWS = 300_000
"""Product rows kept in memory per store, all programs together."""

MISSES_BEFORE_CACHING = 2
"""Requests touching a program that are answered by SQL before the program is kept (one-off lists stay cheap)."""


def _utc_now() -> datetime:
    """Now as a naive UTC datetime (how the catalog stores release dates)."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class _Program:
    rows: pa.Table
    spans: dict[int, tuple[int, int]]
    valid_until: datetime | None


class ProductCache:
    """The product rows of recently listed programs, for one store."""

    def __init__(self, max_rows: int = MAX_ROWS) -> None:
        self.max_rows = max_rows
        self._lock = threading.Lock()
        self._programs: OrderedDict[str, _Program] = OrderedDict()
        self._index: dict[int, str] = {}
        self._misses: dict[str, int] = {}
        self._too_big: set[str] = set()
        self._building: dict[str, threading.Lock] = {}

    def products(self, store: Store, table: Table, obsids: list[int]) -> pa.Table | None:
        """Every product row of ``obsids`` (distinct, in request order), or None: ask the database."""
        import pyarrow as pa

        now = _utc_now()
        found = self._lookup(obsids, now)
        if found is None:
            if not self._load(store, table, obsids):
                return None
            found = self._lookup(obsids, now)
            if found is None:
                return None
        parts = [program.rows.slice(start, stop - start) for program, (start, stop) in found if stop > start]
        if not parts:
            return next(iter(found))[0].rows.slice(0, 0)
        return parts[0] if len(parts) == 1 else pa.concat_tables(parts)

    def _lookup(self, obsids: list[int], now: datetime) -> list[tuple[_Program, tuple[int, int]]] | None:
        with self._lock:
            found = []
            for obsid in obsids:
                name = self._index.get(obsid)
                program = self._programs.get(name) if name is not None else None
                if program is None or (program.valid_until is not None and now >= program.valid_until):
                    return None
                found.append((program, program.spans[obsid]))
            for name in {self._index[o] for o in obsids}:
                self._programs.move_to_end(name)
            return found

    def _load(self, store: Store, table: Table, obsids: list[int]) -> bool:
        """Keep the programs of ``obsids`` that are due; True when every obsid now has its program kept."""
        programs = program_obsids(store, obsids)
        if len(programs) < len(obsids):
            return False  # an obsid that is no observation: only the SQL answers it
        due, ready = [], True
        with self._lock:
            for name in sorted(set(programs.values())):
                kept = self._programs.get(name)
                if kept is not None and (kept.valid_until is None or _utc_now() < kept.valid_until):
                    continue
                self._misses[name] = self._misses.get(name, 0) + 1
                if name in self._too_big or (kept is None and self._misses[name] < MISSES_BEFORE_CACHING):
                    ready = False
                else:
                    due.append(name)
        if not ready:
            return False
        return all(self._build(store, table, name) for name in due)

    def _build(self, store: Store, table: Table, name: str) -> bool:
        with self._lock:
            building = self._building.setdefault(name, threading.Lock())
        with building:
            with self._lock:
                kept = self._programs.get(name)
                if kept is not None and (kept.valid_until is None or _utc_now() < kept.valid_until):
                    return True
            program = _compute(store, table, name)
            with self._lock:
                if program is None or program.rows.num_rows > self.max_rows:
                    self._too_big.add(name)
                    return False
                self._forget(name)
                self._programs[name] = program
                self._index.update(dict.fromkeys(program.spans, name))
                total = sum(p.rows.num_rows for p in self._programs.values())
                while total > self.max_rows and len(self._programs) > 1:
                    oldest = next(iter(self._programs))
                    total -= self._programs[oldest].rows.num_rows
                    self._forget(oldest)
            return True

    def _forget(self, name: str) -> None:
        program = self._programs.pop(name, None)
        if program is not None:
            for obsid in program.spans:
                if self._index.get(obsid) == name:
                    del self._index[obsid]


def _compute(store: Store, table: Table, name: str) -> _Program | None:
    """Every product row of program ``name``'s observations, grouped by requested obsid."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    obsids = observations_of_program(store, name)
    if not obsids:
        return None
    before = _utc_now()  # earlier than the statement's now(): no row it calls EXCLUSIVE is missed
    rows = select_all_products(store, table, obsids)
    release = rows.column(RELEASE_COLUMN)
    later = pc.filter(release, pc.greater(release, pa.scalar(before, type=release.type)))
    first = pc.min(later).as_py() if len(later) else None
    rows = rows.drop_columns([RELEASE_COLUMN]).combine_chunks()
    parents = rows.column("parent_obsid").to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    spans = dict.fromkeys(obsids, (0, 0))
    if len(parents):
        starts = np.flatnonzero(np.r_[True, parents[1:] != parents[:-1]])
        stops = np.r_[starts[1:], len(parents)]
        spans.update({int(parents[a]): (int(a), int(b)) for a, b in zip(starts, stops, strict=True)})
    return _Program(rows, spans, first)


_CACHES: weakref.WeakKeyDictionary[Store, ProductCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def product_cache(store: Store) -> ProductCache:
    """The product cache of ``store`` (made on first use)."""
    with _CACHES_LOCK:
        cache = _CACHES.get(store)
        if cache is None:
            cache = _CACHES[store] = ProductCache()
        return cache
