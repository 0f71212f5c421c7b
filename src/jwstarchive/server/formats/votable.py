"""VOTable 1.4 writers (TABLEDATA and BINARY2) that stream, and the TAP error document.

A result document is::

    <VOTABLE version="1.4"><RESOURCE type="results">
      <INFO name="QUERY_STATUS" value="OK"/>  <INFO name="QUERY" .../>
      <TABLE> <FIELD .../>... <DATA><TABLEDATA>|<BINARY2><STREAM>...</DATA> </TABLE>
      <INFO name="QUERY_STATUS" value="OVERFLOW"/>      (only when cut at MAXREC)
    </RESOURCE></VOTABLE>

Rows are encoded one record batch at a time with ``pyarrow.compute`` (TABLEDATA cells and
BINARY2 row bytes are built column-wise and joined), so memory does not grow with the number
of rows. A failure after the first batch ends the table and is reported by a trailing
``QUERY_STATUS=ERROR`` INFO, which TAP allows after the TABLE.

VOTable ``char`` is ASCII. TABLEDATA carries any other character as UTF-8 text (readers accept
it); BINARY2 writes ``?`` instead, because astropy cannot decode it there. Columns that hold
free text in other scripts should be published as ``unicodeChar``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import TYPE_CHECKING

from jwstarchive.server.formats.fields import (
    NUMERIC_TYPES,
    Field,
    cast_numeric,
    cell_texts,
    clean_xml_text,
    fields_for,
    text_values,
    xml_escape_texts,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from jwstarchive.server.formats.result import ResultSet

__all__ = ["render_error", "write_binary2", "write_tabledata"]

VOTABLE_NS = "http://www.ivoa.net/xml/VOTable/v1.3"

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<VOTABLE version="1.4" xmlns="{VOTABLE_NS}" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)


def _text(value: str) -> str:
    return clean_xml_text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    escaped = _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
    return escaped.replace("\t", "&#9;")


def render_error(message: str) -> bytes:
    """The TAP error document: ``QUERY_STATUS=ERROR`` with ``message`` and no TABLE.

    The INFO start tag is written exactly as ``<INFO name="QUERY_STATUS" value="ERROR">``
    because astroquery finds the message by that literal string.
    """
    return (
        _HEAD
        + '<RESOURCE type="results">\n'
        + '<INFO name="QUERY_STATUS" value="ERROR">\n'
        + _text(message)
        + "\n</INFO>\n</RESOURCE>\n</VOTABLE>\n"
    ).encode()


def _field_xml(field: Field) -> str:
    col = field.column
    attrs = [f'name="{_attr(col.name)}"', f'datatype="{field.datatype}"']
    if field.arraysize:
        attrs.append(f'arraysize="{_attr(field.arraysize)}"')
    for name, value in (("xtype", col.xtype), ("unit", col.unit), ("ucd", col.ucd), ("utype", col.utype)):
        if value:
            attrs.append(f'{name}="{_attr(value)}"')
    head = "<FIELD " + " ".join(attrs)
    if col.description:
        return f"{head}><DESCRIPTION>{_text(col.description)}</DESCRIPTION></FIELD>\n"
    return head + "/>\n"


def _prologue(result: ResultSet, fields: list[Field]) -> str:
    parts = [_HEAD, '<RESOURCE type="results">\n', '<INFO name="QUERY_STATUS" value="OK"/>\n']
    for name, value in result.info.items():
        parts.append(f'<INFO name="{_attr(name)}" value="{_attr(value)}"/>\n')
    parts.append("<TABLE>\n")
    parts.extend(_field_xml(f) for f in fields)
    return "".join(parts)


def _epilogue(result: ResultSet) -> str:
    parts = ["</TABLE>\n"]
    if result.error is not None:
        parts.append(f'<INFO name="QUERY_STATUS" value="ERROR">{_text(result.error)}</INFO>\n')
    elif result.overflow:
        parts.append('<INFO name="QUERY_STATUS" value="OVERFLOW"/>\n')
    parts.append("</RESOURCE>\n</VOTABLE>\n")
    return "".join(parts)


def _joined_bytes(array: pa.Array) -> bytes:
    """The concatenated values of a non-null string/binary array, without copying per value."""
    import numpy as np

    if len(array) == 0:
        return b""
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32, count=len(array) + 1, offset=array.offset * 4)
    data = array.buffers()[2]
    if data is None:
        return b""
    return data[int(offsets[0]) : int(offsets[-1])].to_pybytes()


def _tabledata_rows(fields: list[Field], batch: pa.RecordBatch) -> bytes:
    import pyarrow.compute as pc

    cells = []
    for field, array in zip(fields, batch.columns, strict=True):
        texts = cell_texts(field, array)
        if field.is_text or field.scalar_array:
            texts = xml_escape_texts(texts)
        cells.append(pc.fill_null(pc.binary_join_element_wise("<TD>", texts, "</TD>", ""), "<TD/>"))
    rows = pc.binary_join_element_wise("<TR>", *cells, "</TR>\n", "")
    return _joined_bytes(rows)


def write_tabledata(result: ResultSet) -> Iterator[bytes]:
    """Stream ``result`` as a VOTable 1.4 document with TABLEDATA serialization."""
    schema, batches = result.open()
    fields = fields_for(result.columns, schema)
    yield (_prologue(result, fields) + "<DATA><TABLEDATA>\n").encode()
    for batch in batches:
        if batch.num_rows:
            yield _tabledata_rows(fields, batch)
    yield ("</TABLEDATA></DATA>\n" + _epilogue(result)).encode()


# --- BINARY2 -------------------------------------------------------------------------------


def _fixed(raw: bytes, width: int, count: int) -> pa.Array:
    """``count`` values of ``width`` bytes each, from ``raw``, as an Arrow binary array."""
    import pyarrow as pa

    fixed = pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), count, [None, pa.py_buffer(raw)])
    return fixed.cast(pa.binary())


def _from_python(values: list[bytes]) -> pa.Array:
    import pyarrow as pa

    return pa.array(values, pa.binary())


def _encode_numeric(field: Field, array: pa.Array) -> pa.Array:
    import numpy as np

    values = cast_numeric(field, array)
    n = len(values)
    if field.datatype == "boolean":
        flags = values.fill_null(False).to_numpy(zero_copy_only=False)
        return _fixed(np.where(flags, b"T", b"F").astype("S1").tobytes(), 1, n)
    dtype = NUMERIC_TYPES[field.datatype][0]
    fill = float("nan") if field.datatype in ("float", "double") else 0
    raw = values.fill_null(fill).to_numpy(zero_copy_only=False).astype(dtype)
    return _fixed(raw.tobytes(), np.dtype(dtype).itemsize, n)


def _encode_variable_char(array: pa.Array) -> pa.Array:
    """Length-prefixed bytes. VOTable ``char`` is ASCII (astropy decodes it so): any other
    character becomes ``?`` here; declare the column ``unicodeChar`` to keep it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    strings = array.fill_null("")
    if not pc.all(pc.string_is_ascii(strings)).as_py():
        strings = pa.array([v.encode("ascii", "replace").decode("ascii") for v in strings.to_pylist()], pa.string())
    data = strings.cast(pa.binary())
    lengths = pc.binary_length(data).to_numpy(zero_copy_only=False).astype(">i4")
    return pc.binary_join_element_wise(_fixed(lengths.tobytes(), 4, len(data)), data, b"")


def _encode_text(field: Field, array: pa.Array) -> pa.Array:
    strings = text_values(field, array)
    size = field.fixed_length
    if field.datatype == "char" and field.arraysize is None:
        size = 1
    if field.datatype == "char" and size is None:
        return _encode_variable_char(strings)
    values = strings.to_pylist()
    out: list[bytes] = []
    if field.datatype == "char":
        assert size is not None
        for v in values:
            raw = (v or "").encode("ascii", "replace")[:size]
            out.append(raw.ljust(size, b"\0"))
        return _from_python(out)
    for v in values:  # unicodeChar: UCS-2 big-endian
        raw = (v or "").encode("utf-16-be", "replace")
        if size is None:
            out.append((len(raw) // 2).to_bytes(4, "big") + raw)
        else:
            out.append(raw[: 2 * size].ljust(2 * size, b"\0"))
    return _from_python(out)


def _encode_array(field: Field, array: pa.Array) -> pa.Array:
    import numpy as np

    dtype = None if field.datatype == "boolean" else np.dtype(NUMERIC_TYPES[field.datatype][0])
    size = field.fixed_length
    out: list[bytes] = []
    for value in array.to_pylist():
        items = _array_items(value)
        if size is not None:
            items = (items + [None] * size)[:size]
        if dtype is None:
            raw = b"".join(b"?" if v is None else (b"T" if v else b"F") for v in items)
        else:
            fill = np.nan if dtype.kind == "f" else 0
            raw = np.array([fill if v is None else v for v in items]).astype(dtype).tobytes()
        out.append(raw if size is not None else len(items).to_bytes(4, "big") + raw)
    return _from_python(out)


def _array_items(value: object) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        items: list = []
        for token in value.replace(",", " ").split():
            try:
                items.append(float(token))
            except ValueError:
                items.append(None)
        return items
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _binary2_rows(fields: list[Field], batch: pa.RecordBatch) -> bytes:
    import numpy as np
    import pyarrow.compute as pc

    n = batch.num_rows
    nulls = np.zeros((n, len(fields)), dtype=bool)
    parts = []
    for i, (field, array) in enumerate(zip(fields, batch.columns, strict=True)):
        if array.null_count:
            nulls[:, i] = array.is_null().to_numpy(zero_copy_only=False)
        if field.is_text:
            parts.append(_encode_text(field, array))
        elif field.scalar_array:
            parts.append(_encode_array(field, array))
        else:
            parts.append(_encode_numeric(field, array))
    flags = np.packbits(nulls, axis=1, bitorder="big")
    rows = pc.binary_join_element_wise(_fixed(flags.tobytes(), flags.shape[1], n), *parts, b"")
    return _joined_bytes(rows)


class _Base64:
    """Incremental base64: encodes whole 3-byte groups and keeps the rest for later."""

    def __init__(self) -> None:
        self._rest = b""

    def feed(self, data: bytes) -> bytes:
        data = self._rest + data
        cut = len(data) - len(data) % 3
        self._rest = data[cut:]
        return base64.b64encode(data[:cut]) + b"\n" if cut else b""

    def flush(self) -> bytes:
        rest, self._rest = self._rest, b""
        return base64.b64encode(rest) + b"\n" if rest else b""


def write_binary2(result: ResultSet) -> Iterator[bytes]:
    """Stream ``result`` as a VOTable 1.4 document with BINARY2 serialization (base64)."""
    schema, batches = result.open()
    fields = fields_for(result.columns, schema)
    yield (_prologue(result, fields) + '<DATA><BINARY2><STREAM encoding="base64">\n').encode()
    encoder = _Base64()
    for batch in batches:
        if batch.num_rows:
            chunk = encoder.feed(_binary2_rows(fields, batch))
            if chunk:
                yield chunk
    yield encoder.flush() + ("</STREAM></BINARY2></DATA>\n" + _epilogue(result)).encode()
