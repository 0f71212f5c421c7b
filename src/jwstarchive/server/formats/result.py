"""A query result on its way to a writer: column metadata, record batches, final status.

The TAP service builds a :class:`ResultSet`; a writer from the format registry turns it into
bytes. Batches are pulled lazily, so a writer that streams never holds more than one batch.
The service decides MAXREC and overflow; a failure in the middle of the stream is caught here
once, recorded in :attr:`ResultSet.error`, and each writer reports it the way its format can.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jwstarchive.errors import JWSTArchiveError

if TYPE_CHECKING:
    import pyarrow as pa

    from jwstarchive.catalog.tables import Column

__all__ = ["ResultSet"]

log = logging.getLogger(__name__)


@dataclass
class ResultSet:
    """Rows of one query with the metadata a writer needs.

    Parameters
    ----------
    columns
        Result columns in order, with VOTable metadata (from the ADQL compiler).
    batches
        Record batches, already cut at MAXREC by the service.
    info
        Name/value pairs to report with the result (``QUERY``, ``JOBID``, ...).
    overflow
        Set (by the producer of ``batches``) once more rows than MAXREC were seen.
    error
        Set when producing the batches failed after the first one: the message for a person.
    """

    columns: tuple[Column, ...]
    batches: Iterable[pa.RecordBatch]
    info: dict[str, str] = field(default_factory=dict)
    overflow: bool = False
    error: str | None = None
    rows: int = 0

    def iter_batches(self) -> Iterator[pa.RecordBatch]:
        """Yield the batches; a failure ends the iteration and is kept in :attr:`error`."""
        iterator = iter(self.batches)
        try:
            while True:
                try:
                    batch = next(iterator)
                except StopIteration:
                    return
                except JWSTArchiveError as exc:
                    self.error = exc.message
                    log.info("result stream stopped: %s", exc.message)
                    return
                except Exception as exc:
                    self.error = "the query failed while its result was being sent"
                    log.exception("result stream failed: %s", exc)
                    return
                self.rows += batch.num_rows
                yield batch
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    def open(self) -> tuple[pa.Schema | None, Iterator[pa.RecordBatch]]:
        """The Arrow schema of the rows (None when there are none) and all the batches."""
        batches = self.iter_batches()
        first = next(batches, None)
        if first is None:
            return None, iter(())
        return first.schema, itertools.chain([first], batches)

    def close(self) -> None:
        """Release the producer (a database cursor) when the result is abandoned."""
        close = getattr(self.batches, "close", None)
        if close is not None:
            close()
