"""Comma- and tab-separated values: a header row of column names, then one line per row.

No metadata travels with CSV (units and types are in ``/tables``); numbers are written as
numbers and everything else as text, quoted only where needed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from jwstarchive.server.formats.fields import fields_for, plain_values

if TYPE_CHECKING:
    from jwstarchive.server.formats.result import ResultSet

__all__ = ["write_csv", "write_tsv"]


def _header(names: list[str], delimiter: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow(names)
    return out.getvalue().encode()


def _write(result: ResultSet, delimiter: str) -> Iterator[bytes]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    schema, batches = result.open()
    fields = fields_for(result.columns, schema)
    yield _header([f.name for f in fields], delimiter)
    options = pacsv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style="needed")
    names = [f"c{i}" for i in range(len(fields))]
    for batch in batches:
        if not batch.num_rows:
            continue
        arrays = [plain_values(f, a) for f, a in zip(fields, batch.columns, strict=True)]
        sink = pa.BufferOutputStream()
        pacsv.write_csv(pa.record_batch(arrays, names=names), sink, write_options=options)
        yield sink.getvalue().to_pybytes()


def write_csv(result: ResultSet) -> Iterator[bytes]:
    """Stream ``result`` as CSV (RFC 4180, header line first)."""
    return _write(result, ",")


def write_tsv(result: ResultSet) -> Iterator[bytes]:
    """Stream ``result`` as tab-separated values (header line first)."""
    return _write(result, "\t")
