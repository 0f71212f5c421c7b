"""TAP_UPLOAD: VOTables sent inline (``name,param:part``) or by URL (``name,http://...``).

An upload is parsed with astropy into an Arrow table, created as a temporary table on the
query's own database cursor (so no other query can see it) and published to the ADQL
compiler as ``TAP_UPLOAD.<name>`` through ``TableCatalog.with_tables``.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jwstarchive.catalog.tables import Column, Table
from jwstarchive.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["UPLOAD_SCHEMA", "UploadSource", "create_upload_table", "fetch_upload", "parse_upload_param", "read_votable"]

log = logging.getLogger(__name__)

UPLOAD_SCHEMA = "TAP_UPLOAD"
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class UploadSource:
    """One requested upload: the table name and where its VOTable comes from.

    ``data`` holds the bytes once known (inline parts at request time, URLs when fetched).
    """

    table: str
    uri: str
    data: bytes | None = None

    @property
    def inline_part(self) -> str | None:
        """The multipart part name of a ``param:`` upload, else None."""
        return self.uri[len("param:") :] if self.uri.startswith("param:") else None


def parse_upload_param(values: list[str], *, max_tables: int) -> list[UploadSource]:
    """Parse the ``UPLOAD`` values (each ``name,uri`` pairs separated by ``;``).

    Raises
    ------
    InputError
        For a malformed pair, a name that is not an ADQL regular identifier, a name used
        twice, an unsupported URI scheme, or too many tables.
    """
    sources: list[UploadSource] = []
    seen: set[str] = set()
    for value in values:
        for pair in value.split(";"):
            if not pair.strip():
                continue
            name, sep, uri = pair.partition(",")
            name, uri = name.strip(), uri.strip()
            if not sep or not name or not uri:
                raise InputError(f"UPLOAD must be 'table_name,URI' (got {pair!r})")
            if not _NAME.match(name):
                raise InputError(
                    f"upload table name {name!r} is not allowed: use letters, digits and '_', starting with a letter"
                )
            if name.lower() in seen:
                raise InputError(f"upload table name {name!r} is used twice")
            scheme = uri.split(":", 1)[0].lower()
            if scheme not in ("param", "http", "https"):
                raise InputError(f"upload URI {uri!r} is not supported: use param:<part> (inline) or an http(s) URL")
            seen.add(name.lower())
            sources.append(UploadSource(table=name, uri=uri))
    if len(sources) > max_tables:
        raise InputError(f"too many uploaded tables ({len(sources)}); the limit is {max_tables}")
    return sources


def fetch_upload(url: str, *, max_bytes: int, timeout: float = 60.0) -> bytes:
    """GET ``url`` and return its body (at most ``max_bytes``).

    Raises
    ------
    InputError
        When the URL cannot be fetched, answers an error, or is too large.
    """
    import httpx

    try:
        with (
            httpx.Client(follow_redirects=True, timeout=timeout) as client,
            client.stream("GET", url, headers={"User-Agent": "jwstarchive (IVOA-service)"}) as response,
        ):
            if response.status_code != 200:
                raise InputError(f"could not fetch upload {url}: HTTP {response.status_code}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(f"upload {url} is larger than the limit of {max_bytes} bytes")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as exc:
        raise InputError(f"could not fetch upload {url}: {exc}") from exc


_VOTABLE_TO_ARROW = {
    "boolean": "bool_",
    "unsignedByte": "uint8",
    "short": "int16",
    "int": "int32",
    "long": "int64",
    "float": "float32",
    "double": "float64",
}


def _text_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _column_values(data: Any) -> list[Any]:
    """Python values of an astropy (masked) column, masked entries as None."""
    import numpy as np

    mask = np.ma.getmaskarray(data)
    raw = np.ma.getdata(data)
    out: list[Any] = []
    for value, masked in zip(raw.tolist(), mask.tolist(), strict=True):
        if isinstance(masked, list):
            masked = all(_flatten(masked))
        out.append(None if masked else value)
    return out


def _flatten(items: Any) -> list[Any]:
    if isinstance(items, list):
        return [x for item in items for x in _flatten(item)]
    return [items]


def read_votable(data: bytes, table_name: str) -> tuple[pa.Table, tuple[Column, ...]]:
    """Parse an uploaded VOTable into an Arrow table and its column metadata.

    Raises
    ------
    InputError
        When the bytes are not a VOTable with at least one TABLE, or a column cannot be read.
    """
    import pyarrow as pa
    from astropy.io.votable import parse

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            votable = parse(io.BytesIO(data), verify="ignore")
            vtable = votable.get_first_table()
    except Exception as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"upload {table_name!r} is not a readable VOTable: {message}") from exc
    columns: list[Column] = []
    arrays: list[pa.Array] = []
    names: list[str] = []
    taken: set[str] = set()
    for vfield, name in zip(vtable.fields, vtable.array.dtype.names, strict=True):
        col_name = vfield.name or vfield.ID or name
        if col_name.lower() in taken:
            raise InputError(f"upload {table_name!r} has two columns called {col_name!r}")
        taken.add(col_name.lower())
        datatype = vfield.datatype
        arraysize = vfield.arraysize
        values = _column_values(vtable.array[name])
        try:
            if datatype in ("char", "unicodeChar"):
                array = pa.array([_text_value(v) for v in values], pa.string())
                arraysize = None if arraysize in (None, "", "1") else arraysize
            elif arraysize and arraysize != "1" and datatype in _VOTABLE_TO_ARROW:
                inner = getattr(pa, _VOTABLE_TO_ARROW[datatype])()
                array = pa.array([None if v is None else list(_flatten(v)) for v in values], pa.list_(inner))
            elif datatype in _VOTABLE_TO_ARROW:
                array = pa.array(values, getattr(pa, _VOTABLE_TO_ARROW[datatype])())
                arraysize = None
            else:
                array = pa.array([_text_value(v) for v in values], pa.string())
                datatype, arraysize = "char", "*"
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
            raise InputError(f"upload {table_name!r}: column {col_name!r} cannot be read: {exc}") from exc
        names.append(col_name)
        arrays.append(array)
        columns.append(
            Column(
                name=col_name,
                datatype=datatype,
                arraysize=arraysize,
                xtype=vfield.xtype or None,
                unit=str(vfield.unit) if vfield.unit is not None else None,
                ucd=vfield.ucd or None,
                utype=vfield.utype or None,
                description=(vfield.description or "").strip(),
            )
        )
    return pa.Table.from_arrays(arrays, names=names), tuple(columns)


def create_upload_table(cursor: Any, source: UploadSource, arrow_table: pa.Table, columns: tuple[Column, ...]) -> Table:
    """Create ``arrow_table`` as a temporary table on ``cursor`` and describe it for ADQL."""
    relation_name = f"upload_{uuid.uuid4().hex}"
    view_name = f"{relation_name}_src"
    cursor.register(view_name, arrow_table)
    try:
        cursor.execute(f'CREATE TEMP TABLE "{relation_name}" AS SELECT * FROM "{view_name}"')
    finally:
        cursor.unregister(view_name)
    log.debug("upload %s: %d rows as temp.%s", source.table, arrow_table.num_rows, relation_name)
    return Table(
        schema=UPLOAD_SCHEMA,
        name=source.table,
        columns=columns,
        description=f"uploaded table ({arrow_table.num_rows} rows)",
        table_type="table",
        relation=f'temp."{relation_name}"',
    )
