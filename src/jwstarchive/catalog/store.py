"""The Store protocol and the backend registry.

A backend is a name (``duckdb``, later ``postgres``) mapped to a :class:`BackendSpec`: a lazy
factory for its Store and the name of the ADQL rules module that translates for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from jwstarchive.errors import ArchiveError

if TYPE_CHECKING:
    import pyarrow as pa

    from jwstarchive.catalog.tables import TableCatalog

__all__ = ["BACKENDS", "BackendSpec", "Store", "open_store"]


class Store(Protocol):
    """What the server needs from a catalog database."""

    backend: str

    @property
    def catalog(self) -> TableCatalog:
        """The published tables (what TAP_SCHEMA lists)."""

    def stream(
        self, sql: str, *, batch_rows: int = 10_000, timeout: float | None = None
    ) -> Iterator[pa.RecordBatch]:
        """Run ``sql`` and yield its result in record batches; cancelled after ``timeout`` s."""

    def fetch(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        """Run trusted ``sql`` (with ``?`` parameters) and return the whole result."""

    def close(self) -> None:
        """Release connections."""


@dataclass(frozen=True)
class BackendSpec:
    """A registered backend: how to open its store and which ADQL rules translate for it."""

    name: str
    store_factory: str
    adql_backend: str

    def open(self, archive: Path, **options: Any) -> Store:
        """Import the store module lazily and open ``archive``."""
        module_name, _, attr = self.store_factory.partition(":")
        factory: Callable[..., Store] = getattr(importlib.import_module(module_name), attr)
        return factory(archive, **options)


def _registry(*specs: BackendSpec) -> dict[str, BackendSpec]:
    registry: dict[str, BackendSpec] = {}
    for spec in specs:
        if spec.name in registry:
            raise ValueError(f"backend {spec.name!r} registered twice")
        registry[spec.name] = spec
    return registry


BACKENDS: dict[str, BackendSpec] = _registry(
    BackendSpec("duckdb", "jwstarchive.catalog.store_duckdb:DuckDBStore", "duckdb"),
)


def open_store(archive: str | Path, backend: str = "duckdb", **options: Any) -> Store:
    """Open the catalog store of ``archive`` with the named backend."""
    try:
        spec = BACKENDS[backend]
    except KeyError:
        raise ArchiveError(
            f"unknown backend {backend!r}: choose one of {', '.join(sorted(BACKENDS))}"
        ) from None
    return spec.open(Path(archive), **options)
