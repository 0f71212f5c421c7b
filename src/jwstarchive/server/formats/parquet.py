"""Apache Parquet results: the fastest way to get rows into an Arrow or astropy table.

Each record batch becomes one row group, written as soon as it arrives. Column metadata
(unit, UCD, utype, xtype, description, VOTable datatype) rides in each Arrow field's
metadata; ``QUERY_STATUS`` (OK, OVERFLOW or ERROR) is added to the file's key/value metadata
when the footer is written.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from jwstarchive.server.formats.fields import Field, fields_for, unique_names

if TYPE_CHECKING:
    import pyarrow as pa

    from jwstarchive.server.formats.result import ResultSet

__all__ = ["write_parquet"]


class _Chunks(io.RawIOBase):
    """A write-only file that keeps what was written until it is drained."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []
        self._pos = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._parts.append(bytes(data))
        self._pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self._pos

    def drain(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def _arrow_field(name: str, field: Field, arrow_type: pa.DataType) -> pa.Field:
    import pyarrow as pa

    col = field.column
    meta = {
        "datatype": field.datatype,
        "arraysize": field.arraysize,
        "xtype": col.xtype,
        "unit": col.unit,
        "ucd": col.ucd,
        "utype": col.utype,
        "description": col.description or None,
    }
    return pa.field(name, arrow_type, metadata={k: v for k, v in meta.items() if v})


def _schema(fields: list[Field], schema: pa.Schema | None) -> pa.Schema:
    import pyarrow as pa

    names = unique_names(fields)
    types = [schema.field(i).type if schema is not None else pa.string() for i in range(len(fields))]
    return pa.schema([_arrow_field(n, f, t) for n, f, t in zip(names, fields, types, strict=True)])


def write_parquet(result: ResultSet) -> Iterator[bytes]:
    """Stream ``result`` as a Parquet file, one row group per record batch."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow_schema, batches = result.open()
    fields = fields_for(result.columns, arrow_schema)
    schema = _schema(fields, arrow_schema)
    sink = _Chunks()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    try:
        for batch in batches:
            if batch.num_rows:
                writer.write_batch(pa.record_batch(batch.columns, schema=schema))
                chunk = sink.drain()
                if chunk:
                    yield chunk
        status = "ERROR" if result.error is not None else "OVERFLOW" if result.overflow else "OK"
        meta = {"QUERY_STATUS": status}
        if result.error is not None:
            meta["QUERY_ERROR"] = result.error
        meta.update(result.info)
        writer.add_key_value_metadata(meta)
    finally:
        writer.close()
    yield sink.drain()
