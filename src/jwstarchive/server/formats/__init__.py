"""The output-format registry: every result format the server can write, from one list.

An :class:`OutputFormat` names a format (``key``), the ``media_type`` it is sent with, the other
spellings a client may ask for (``aliases``: TAP short names, MIME types with parameters, ESA
TAP+ names), the file ``extension`` of stored results, its TAPRegExt ``ivo_id`` and the
``writer`` that turns a :class:`ResultSet` into bytes. ``RESPONSEFORMAT`` negotiation,
``/capabilities`` and the UWS result files all read :data:`FORMATS`; a key or alias claimed
twice is an error when the registry is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from jwstarchive.errors import InputError
from jwstarchive.server.formats import csv, fits, json, parquet, votable
from jwstarchive.server.formats.result import ResultSet

__all__ = ["FORMATS", "FormatRegistry", "OutputFormat", "ResultSet"]

Writer = Callable[[ResultSet], Iterator[bytes]]


@dataclass(frozen=True)
class OutputFormat:
    """One result format.

    Parameters
    ----------
    key
        Short name, also accepted as ``RESPONSEFORMAT`` (``votable``, ``csv``, ...).
    media_type
        The ``Content-Type`` results are sent with.
    aliases
        Other accepted ``RESPONSEFORMAT``/``FORMAT`` values; MIME types are matched without
        case or spaces around ``;``.
    extension
        File extension (with the dot) for stored and downloaded results.
    ivo_id
        The TAPRegExt identifier of a standard format, or None.
    writer
        Turns a :class:`ResultSet` into chunks of bytes.
    streams
        Whether the writer emits rows as they come (memory independent of the row count).
    """

    key: str
    media_type: str
    aliases: tuple[str, ...]
    extension: str
    ivo_id: str | None
    writer: Writer
    streams: bool = True


def _normalise(value: str) -> str:
    return ";".join(part.strip() for part in value.strip().lower().split(";"))


class FormatRegistry:
    """Formats looked up by key or alias; refuses a name claimed twice."""

    def __init__(self, formats: Iterable[OutputFormat], default: str) -> None:
        self._formats: list[OutputFormat] = []
        self._names: dict[str, OutputFormat] = {}
        for fmt in formats:
            for name in (fmt.key, *fmt.aliases):
                key = _normalise(name)
                if key in self._names:
                    raise ValueError(
                        f"output format name {name!r} is claimed by both {self._names[key].key!r} and {fmt.key!r}"
                    )
                self._names[key] = fmt
            self._formats.append(fmt)
        if _normalise(default) not in self._names:
            raise ValueError(f"default output format {default!r} is not registered")
        self.default = self._names[_normalise(default)]

    def __iter__(self) -> Iterator[OutputFormat]:
        return iter(self._formats)

    def __len__(self) -> int:
        return len(self._formats)

    def find(self, value: str | None) -> OutputFormat:
        """The format a ``RESPONSEFORMAT``/``FORMAT`` value names (the default for None or empty).

        Raises
        ------
        InputError
            When no registered format has that name.
        """
        if value is None or not value.strip():
            return self.default
        fmt = self._names.get(_normalise(value))
        if fmt is None:
            known = ", ".join(f.key for f in self._formats)
            raise InputError(f"unknown RESPONSEFORMAT {value!r}: this service writes {known}")
        return fmt


VOTABLE_TD = "ivo://ivoa.net/std/TAPRegExt#output-votable-td"
VOTABLE_BINARY2 = "ivo://ivoa.net/std/TAPRegExt#output-votable-binary2"

#: Every built-in format, in the order /capabilities lists them.
BUILTIN_FORMATS: tuple[OutputFormat, ...] = (
    OutputFormat(
        key="votable",
        media_type="application/x-votable+xml",
        aliases=(
            "application/x-votable+xml",
            "application/x-votable+xml;serialization=tabledata",
            "text/xml",
            "application/xml",
            "votable/td",
            "votable_plain",
            "votable/tabledata",
            "vot",
        ),
        extension=".vot",
        ivo_id=VOTABLE_TD,
        writer=votable.write_tabledata,
    ),
    OutputFormat(
        key="votable/b2",
        media_type="application/x-votable+xml;serialization=BINARY2",
        aliases=("application/x-votable+xml;serialization=binary2", "votableb2", "votable/binary2"),
        extension=".vot",
        ivo_id=VOTABLE_BINARY2,
        writer=votable.write_binary2,
    ),
    OutputFormat(
        key="csv",
        media_type="text/csv",
        aliases=("text/csv", "text/csv;header=present"),
        extension=".csv",
        ivo_id=None,
        writer=csv.write_csv,
    ),
    OutputFormat(
        key="tsv",
        media_type="text/tab-separated-values",
        aliases=("text/tab-separated-values",),
        extension=".tsv",
        ivo_id=None,
        writer=csv.write_tsv,
    ),
    OutputFormat(
        key="json",
        media_type="application/json",
        aliases=("application/json", "text/json"),
        extension=".json",
        ivo_id=None,
        writer=json.write_json,
    ),
    OutputFormat(
        key="fits",
        media_type="application/fits",
        aliases=("application/fits", "image/fits"),
        extension=".fits",
        ivo_id=None,
        writer=fits.write_fits,
        streams=False,
    ),
    OutputFormat(
        key="parquet",
        media_type="application/vnd.apache.parquet",
        aliases=("application/vnd.apache.parquet", "application/x-parquet"),
        extension=".parquet",
        ivo_id=None,
        writer=parquet.write_parquet,
    ),
)

#: The registry the server uses.
FORMATS = FormatRegistry(BUILTIN_FORMATS, default="votable")
