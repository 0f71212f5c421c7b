"""The server's persistent state: one SQLite database (and files) under ``ARCHIVE/state/``.

SQLite from the standard library keeps UWS jobs (and, later, users, sessions and user
tables) across restarts. One connection is shared behind a lock, so every statement is
serialised: the single writer the style guide asks for. Schema changes are numbered
migrations recorded in ``PRAGMA user_version``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jwstarchive.errors import ArchiveError

__all__ = ["MIGRATIONS", "StateDB"]

log = logging.getLogger(__name__)

STATE_FILE = "state.sqlite3"

#: Schema migrations, applied in order; index + 1 is the resulting ``user_version``.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE uws_job (
        job_id TEXT PRIMARY KEY,
        owner TEXT,
        run_id TEXT,
        phase TEXT NOT NULL,
        creation_time REAL NOT NULL,
        start_time REAL,
        end_time REAL,
        execution_duration INTEGER NOT NULL,
        destruction REAL NOT NULL,
        parameters TEXT NOT NULL,
        results TEXT NOT NULL DEFAULT '[]',
        error_message TEXT,
        error_type TEXT
    );
    CREATE INDEX uws_job_owner_created ON uws_job (owner, creation_time);
    CREATE INDEX uws_job_destruction ON uws_job (destruction);
    """,
    # 2: accounts (server/accounts.py); secrets are stored as digests only
    """
    CREATE TABLE account (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created REAL NOT NULL
    );
    CREATE TABLE api_token (
        token_hash TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        created REAL NOT NULL,
        expires REAL NOT NULL
    );
    CREATE INDEX api_token_user ON api_token (user);
    CREATE TABLE session (
        session_hash TEXT PRIMARY KEY,
        user TEXT,
        created REAL NOT NULL,
        expires REAL NOT NULL,
        mast_token_hash TEXT
    );
    """,
    # 3: ESA user tables and sharing (server/esa/user_tables.py)
    """
    CREATE TABLE user_table (
        owner TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        nrows INTEGER NOT NULL,
        nbytes INTEGER NOT NULL,
        columns TEXT NOT NULL,
        file TEXT NOT NULL,
        created REAL NOT NULL,
        PRIMARY KEY (owner, name)
    );
    CREATE TABLE share_group (
        group_id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT
    );
    CREATE TABLE share_group_user (
        group_id TEXT NOT NULL,
        user TEXT NOT NULL,
        PRIMARY KEY (group_id, user)
    );
    CREATE TABLE share_item (
        item_id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        type INTEGER NOT NULL,
        title TEXT NOT NULL,
        description TEXT
    );
    CREATE TABLE share_relation (
        item_id TEXT NOT NULL,
        share_to TEXT NOT NULL,
        share_type TEXT NOT NULL,
        share_mode TEXT NOT NULL
    );
    """,
)


class StateDB:
    """The state database of one archive.

    Parameters
    ----------
    directory
        The state directory; created if missing.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._con = sqlite3.connect(
                self.directory / STATE_FILE, check_same_thread=False, isolation_level=None, timeout=30
            )
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(f"cannot open the server state in {self.directory}: {exc}") from exc
        self._con.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            version = self._con.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                log.debug("migrating server state to version %d", number)
                self._con.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run one statement and return its rows."""
        with self._lock:
            return self._con.execute(sql, params).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement and return the number of rows it changed."""
        with self._lock:
            return self._con.execute(sql, params).rowcount

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Several statements as one transaction (holding the lock throughout)."""
        with self._lock:
            self._con.execute("BEGIN IMMEDIATE")
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._con.close()
