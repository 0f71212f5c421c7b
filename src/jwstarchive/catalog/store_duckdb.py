"""The embedded DuckDB store: one read-only catalog file per archive directory.

Every query runs on its own cursor (its own DuckDB connection to the shared database), so
temporary tables such as TAP uploads are private to the query that made them. External access
(file readers, ATTACH, extensions) is switched off and the configuration locked before any
untrusted SQL runs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jwstarchive.errors import ArchiveError, QueryRefused

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from jwstarchive.catalog.tables import TableCatalog

__all__ = ["CATALOG_FILE", "DuckDBStore"]

log = logging.getLogger(__name__)

CATALOG_FILE = "catalog.duckdb"


class DuckDBStore:
    """A read-only DuckDB catalog opened from ``archive/catalog.duckdb``."""

    backend = "duckdb"

    def __init__(self, archive: Path, *, threads: int | None = None) -> None:
        import duckdb

        path = Path(archive) / CATALOG_FILE
        if not path.is_file():
            raise ArchiveError(
                f"{archive} is not a jwstarchive archive (no {CATALOG_FILE}): "
                "create one with `jwstarchive generate --out DIR`"
            )
        self.path = path
        config: dict[str, Any] = {"access_mode": "READ_ONLY"}
        if threads:
            config["threads"] = threads
        self._con: duckdb.DuckDBPyConnection = duckdb.connect(str(path), config=config)
        self._install_udfs(self._con)
        self._con.execute("SET enable_external_access = false")
        self._con.execute("SET lock_configuration = true")
        self._catalog: TableCatalog | None = None
        self._lock = threading.Lock()

    @staticmethod
    def _install_udfs(con: duckdb.DuckDBPyConnection) -> None:
        try:
            from jwstarchive.adql import rules_duckdb
        except ImportError:  # pragma: no cover - adql not built yet
            return
        install = getattr(rules_duckdb, "install", None)
        if install is not None:
            install(con)

    @property
    def catalog(self) -> TableCatalog:
        """The published tables."""
        if self._catalog is None:
            from jwstarchive.catalog.schema import table_catalog

            self._catalog = table_catalog()
        return self._catalog

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new connection to the shared database (its temp tables are its own)."""
        with self._lock:
            return self._con.cursor()

    def stream(
        self,
        sql: str,
        *,
        batch_rows: int = 10_000,
        timeout: float | None = None,
        cursor: duckdb.DuckDBPyConnection | None = None,
    ) -> Iterator[pa.RecordBatch]:
        """Run ``sql`` and yield record batches; interrupt it after ``timeout`` seconds."""
        cur = cursor or self.cursor()
        timer = threading.Timer(timeout, cur.interrupt) if timeout else None
        if timer:
            timer.daemon = True
            timer.start()
        try:
            log.debug("SQL: %s", sql)
            try:
                reader = cur.sql(sql).to_arrow_reader(batch_rows)
                yield from reader
            except Exception as exc:
                if timer is not None and not timer.is_alive():
                    raise QueryRefused(
                        f"query exceeded the execution time limit of {timeout:g} s; "
                        "add constraints or ask for fewer rows (TOP n)"
                    ) from exc
                raise
        finally:
            if timer:
                timer.cancel()
            if cursor is None:
                cur.close()

    def fetch(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        """Run trusted ``sql`` with ``?`` parameters and return an Arrow table."""
        cur = self.cursor()
        try:
            return cur.sql(sql, params=params or None).to_arrow_table()
        finally:
            cur.close()

    def close(self) -> None:
        """Close the database."""
        self._con.close()
