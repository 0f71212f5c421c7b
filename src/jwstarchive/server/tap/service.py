"""TAP query rules: DALI parameters → a checked request → ADQL → database → a ResultSet.

This module owns the protocol rules of a TAP query (REQUEST, LANG, QUERY, RESPONSEFORMAT,
MAXREC, UPLOAD), the ADQL pipeline and MAXREC overflow. It sees no HTTP objects: routes hand
it a :class:`~jwstarchive.server.params.DALIParams` and get back a
:class:`~jwstarchive.server.formats.ResultSet`; the UWS runner calls the same
:meth:`TAPService.execute` for async jobs.

Overflow: the ADQL compiler is asked for at most MAXREC+1 rows; rows past MAXREC are dropped
and the result is marked as overflowing, which the VOTable writer reports with
``QUERY_STATUS=OVERFLOW`` after the table.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

import anyio.to_thread

from jwstarchive.errors import ADQLError, InputError, JWSTArchiveError, QueryRefused
from jwstarchive.server.formats import FormatRegistry, OutputFormat, ResultSet
from jwstarchive.server.tap.uploads import (
    UploadSource,
    create_upload_table,
    fetch_upload,
    parse_upload_param,
    read_votable,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from jwstarchive.catalog.store import Store
    from jwstarchive.catalog.tables import Table
    from jwstarchive.server.params import DALIParams
    from jwstarchive.server.settings import Limits

__all__ = ["LANGUAGES", "Cancellation", "QueryRequest", "TAPService", "UserTableSource"]

log = logging.getLogger(__name__)

#: Accepted LANG values (upper case) → ADQL version.
LANGUAGES = {"ADQL": "2.1", "ADQL-2.0": "2.0", "ADQL-2.1": "2.1"}


class UserTableSource(Protocol):
    """Persistent user tables: what a user may read, and a table's rows."""

    def visible(self, user: str | None) -> list[Table]:
        """The tables ``user`` may query (published as ``user_<owner>.<name>``)."""
        ...

    def arrow(self, table: Table) -> pa.Table:
        """The rows of ``table``."""
        ...


@dataclass(frozen=True)
class QueryRequest:
    """A checked TAP query request.

    ``maxrec`` is already limited to the service's hard limit. ``user`` is the authenticated
    caller (None: anonymous), whose own and shared user tables the query may read.
    """

    query: str
    lang: str
    format: OutputFormat
    maxrec: int
    uploads: tuple[UploadSource, ...] = ()
    user: str | None = None


class Cancellation:
    """Lets another thread stop a running query (UWS ABORT, a time limit).

    The query's database cursor is attached while it runs; :meth:`cancel` interrupts it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cursor: Any = None
        self.cancelled = False

    def attach(self, cursor: Any) -> None:
        """Record the cursor of the running query (interrupted at once if already cancelled)."""
        with self._lock:
            self._cursor = cursor
            if self.cancelled:
                cursor.interrupt()

    def detach(self) -> None:
        """Forget the cursor (the query is over)."""
        with self._lock:
            self._cursor = None

    def cancel(self) -> None:
        """Stop the query now, or before it starts."""
        with self._lock:
            self.cancelled = True
            if self._cursor is not None:
                try:
                    self._cursor.interrupt()
                except Exception:  # a cursor already closed cannot be interrupted
                    log.debug("interrupt of a finished query ignored")


def _database_error(exc: Exception) -> JWSTArchiveError | None:
    """A person-readable refusal for an error the database raised while running a query."""
    module = type(exc).__module__ or ""
    if not module.startswith(("duckdb", "_duckdb", "psycopg")):
        return None
    text = str(exc).strip().splitlines()
    message = text[0] if text else type(exc).__name__
    return QueryRefused(f"the database could not run this query: {message}")


class TAPService:
    """Runs TAP queries against one catalog store.

    Parameters
    ----------
    store
        The catalog store (its ``catalog`` is what ADQL may see).
    formats
        The output-format registry.
    limits
        MAXREC, time and upload limits.
    fetch
        Fetches a URL upload (``url, max_bytes`` → bytes); injectable so a deployment can
        restrict where uploads may come from.
    """

    def __init__(
        self,
        store: Store,
        formats: FormatRegistry,
        limits: Limits,
        *,
        fetch: Callable[..., bytes] = fetch_upload,
    ) -> None:
        self.store = store
        self.formats = formats
        self.limits = limits
        self._fetch = fetch
        #: Where authenticated callers' persistent tables come from (set by the app; None: none).
        self.user_tables: UserTableSource | None = None

    # --- parameters --------------------------------------------------------------------------

    def parse_request(self, params: DALIParams) -> QueryRequest:
        """Check the DALI/TAP parameters of a query.

        Raises
        ------
        InputError
            For a missing QUERY, an unknown REQUEST, LANG or RESPONSEFORMAT, a bad MAXREC, or a
            malformed UPLOAD (including an inline part that was not sent).
        """
        request = params.get("REQUEST")
        if request is not None and request.strip().lower() != "doquery":
            raise InputError(f"REQUEST={request!r} is not supported: use REQUEST=doQuery")
        lang = (params.get("LANG") or "ADQL").strip()
        if lang.upper() not in LANGUAGES:
            raise InputError(f"LANG={lang!r} is not supported: use ADQL (ADQL-2.0 and ADQL-2.1 also work)")
        query = params.get("QUERY")
        if query is None or not query.strip():
            raise InputError("the QUERY parameter is missing or empty")
        fmt = self.formats.find(params.get("RESPONSEFORMAT") or params.get("FORMAT"))
        maxrec = self.parse_maxrec(params.get("MAXREC"))
        uploads = parse_upload_param(params.getall("UPLOAD"), max_tables=self.limits.upload_max_tables)
        resolved = []
        for source in uploads:
            part = source.inline_part
            if part is not None:
                data = params.file(part)
                if data is None:
                    raise InputError(
                        f"UPLOAD {source.table},{source.uri} names a multipart part {part!r} that was not sent"
                    )
                source = replace(source, data=data)
            resolved.append(source)
        return QueryRequest(query=query, lang=lang, format=fmt, maxrec=maxrec, uploads=tuple(resolved))

    def parse_maxrec(self, value: str | None) -> int:
        """MAXREC as a row count: the default when absent, at most the hard limit.

        Raises
        ------
        InputError
            When the value is not a non-negative integer.
        """
        if value is None or not value.strip():
            return self.limits.default_maxrec
        try:
            maxrec = int(value.strip())
        except ValueError:
            raise InputError(f"MAXREC must be a non-negative integer (got {value!r})") from None
        if maxrec < 0:
            raise InputError(f"MAXREC must be a non-negative integer (got {value!r})")
        return min(maxrec, self.limits.hard_maxrec)

    # --- execution ---------------------------------------------------------------------------

    async def run_sync(self, request: QueryRequest, cancellation: Cancellation | None = None) -> ResultSet:
        """Start a synchronous query (on a worker thread) and return its result stream."""
        return await anyio.to_thread.run_sync(
            lambda: self.execute(request, timeout=self.limits.sync_execution_duration, cancellation=cancellation)
        )

    def execute(
        self,
        request: QueryRequest,
        *,
        timeout: float | None,
        info: dict[str, str] | None = None,
        cancellation: Cancellation | None = None,
    ) -> ResultSet:
        """Run ``request`` (blocking) until its first rows are known; stream the rest lazily.

        Errors found before the first rows (uploads, ADQL, the database) are raised here, so a
        caller can still answer with an error status; later ones end the stream and are kept
        in :attr:`ResultSet.error`.

        Raises
        ------
        InputError
            For an upload that cannot be fetched or read.
        ADQLError
            For a query the ADQL compiler refuses, or that the database cannot run.
        """
        cursor = self.store.cursor()  # type: ignore[attr-defined]
        if cancellation is not None:
            cancellation.attach(cursor)
        try:
            catalog = self.store.catalog
            tables = [self._load_upload(cursor, source) for source in request.uploads]
            user_tables = self._user_tables(request.user)
            if tables or user_tables:
                catalog = catalog.with_tables([*tables, *user_tables])
            compiled = self._compile(request, catalog)
            self._register_user_tables(cursor, user_tables, compiled.sql)
            result = ResultSet(columns=tuple(compiled.columns), batches=(), info={"QUERY": request.query})
            if info:
                result.info.update(info)
            rows = self._rows(compiled.sql, cursor, timeout, request.maxrec, result, cancellation)
            first = next(rows, None)
        except BaseException:
            if cancellation is not None:
                cancellation.detach()
            cursor.close()
            raise
        result.batches = _prepend(first, rows)
        return result

    def _compile(self, request: QueryRequest, catalog: Any) -> Any:
        from jwstarchive.adql import compile as compile_adql

        try:
            return compile_adql(request.query, catalog, backend=self.store.backend, maxrec=request.maxrec)
        except JWSTArchiveError:
            raise
        except Exception as exc:
            log.error("the ADQL compiler failed on %r", request.query, exc_info=exc)
            raise QueryRefused("this query could not be translated (an internal error was logged)") from exc

    def _user_tables(self, user: str | None) -> list[Table]:
        if user is None or self.user_tables is None:
            return []
        return self.user_tables.visible(user)

    def _register_user_tables(self, cursor: Any, tables: list[Table], sql: str) -> None:
        """Make the user tables ``sql`` reads visible to its cursor (Arrow views, no copy)."""
        assert self.user_tables is not None or not tables
        for table in tables:
            relation = table.sql_relation
            if relation in sql:
                cursor.register(relation.strip('"'), self.user_tables.arrow(table))  # type: ignore[union-attr]

    def _load_upload(self, cursor: Any, source: UploadSource) -> Any:
        data = source.data
        if data is None:
            data = self._fetch(source.uri, max_bytes=self.limits.upload_max_bytes)
        arrow_table, columns = read_votable(data, source.table)
        return create_upload_table(cursor, source, arrow_table, columns)

    def _rows(
        self,
        sql: str,
        cursor: Any,
        timeout: float | None,
        maxrec: int,
        result: ResultSet,
        cancellation: Cancellation | None,
    ) -> Iterator[pa.RecordBatch]:
        stream = self.store.stream(sql, batch_rows=self.limits.batch_rows, timeout=timeout, cursor=cursor)  # type: ignore[call-arg]
        seen = 0
        try:
            for batch in stream:
                if seen + batch.num_rows > maxrec:
                    keep = maxrec - seen
                    if keep > 0:
                        yield batch.slice(0, keep)
                    result.overflow = True
                    return
                seen += batch.num_rows
                yield batch
        except ADQLError:
            raise
        except JWSTArchiveError:
            raise
        except Exception as exc:
            if cancellation is not None and cancellation.cancelled:
                raise QueryRefused("the query was aborted") from exc
            refusal = _database_error(exc)
            if refusal is None:
                raise
            raise refusal from exc
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
            if cancellation is not None:
                cancellation.detach()
            cursor.close()


def _prepend(first: pa.RecordBatch | None, rest: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``first`` then ``rest``; closing this closes ``rest`` (and so the cursor)."""
    try:
        if first is not None:
            yield first
        yield from rest
    finally:
        close = getattr(rest, "close", None)
        if close is not None:
            close()
