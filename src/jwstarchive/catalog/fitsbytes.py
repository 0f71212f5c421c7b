"""A small, fast FITS writer: 80-character cards in 2880-byte blocks, written by hand.

The archive computes the size and md5 of every generated product, up to 1e7 of them, so
product bytes must be cheap to make. astropy's writer costs milliseconds per file; this one
formats cards with plain string operations (cached per keyword and value) and copies numpy
buffers, which is more than ten times faster (``bench/bench_products.py`` has the figures).

Only what the archive's products need is supported: a data-less primary HDU, IMAGE
extensions (8/16/32-bit integers, 32/64-bit floats, unsigned 16/32-bit through BZERO) and
BINTABLE extensions of scalar numeric columns. The output follows FITS 4.0: fixed-format
mandatory keywords, strings quoted with doubled inner quotes, values truncated to fit the
card, big-endian data padded with zeros.

An HDU is described by :class:`ImageHDU` or :class:`TableHDU`; :func:`render_fits` turns a
list of them into the bytes of a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = [
    "BLOCK",
    "CARD",
    "Card",
    "ImageHDU",
    "TableHDU",
    "format_card",
    "render_fits",
    "render_header",
    "valid_keyword",
]

BLOCK = 2880
CARD = 80

Card = tuple[str, Any] | tuple[str, Any, str]
"""A header card as (keyword, value) or (keyword, value, comment)."""

_KEYWORD = re.compile(r"^[A-Z0-9_-]{1,8}$")
_COMMENTARY = frozenset({"COMMENT", "HISTORY", ""})
_MAX_STRING = CARD - 12  # 'KEYWORD = ' + two quotes
_NON_PRINTABLE = re.compile(r"[^\x20-\x7e]")

# numpy dtype kind+size -> (BITPIX, BZERO or None, big-endian storage dtype)
_IMAGE_TYPES: dict[str, tuple[int, int | None, str]] = {
    "u1": (8, None, "u1"),
    "i2": (16, None, ">i2"),
    "u2": (16, 32768, ">i2"),
    "i4": (32, None, ">i4"),
    "u4": (32, 2147483648, ">i4"),
    "i8": (64, None, ">i8"),
    "f4": (-32, None, ">f4"),
    "f8": (-64, None, ">f8"),
}

# numpy dtype kind+size -> (TFORM code, big-endian dtype)
_TABLE_TYPES: dict[str, tuple[str, str]] = {
    "b1": ("L", "u1"),
    "u1": ("B", "u1"),
    "i2": ("I", ">i2"),
    "i4": ("J", ">i4"),
    "i8": ("K", ">i8"),
    "f4": ("E", ">f4"),
    "f8": ("D", ">f8"),
}


def valid_keyword(name: str) -> bool:
    """Whether ``name`` is a standard FITS keyword (1-8 of ``A-Z 0-9 _ -``)."""
    return bool(_KEYWORD.match(name))


def _clean_text(text: str) -> str:
    """``text`` as printable ASCII, the only characters a header may hold."""
    if text.isascii() and text.isprintable():
        return text
    return _NON_PRINTABLE.sub("?", text)


def _format_float(value: float) -> str:
    """A float as a FITS value: the shortest exact repr, upper-case exponent.

    Up to 20 characters it sits right-justified in columns 11-30 (fixed format); the rare
    longer repr (``-1.2345678901234567E+100``) runs on in free format rather than losing digits.
    """
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("FITS headers cannot hold NaN or infinity")
    text = repr(value).upper()
    if "." not in text and "E" not in text:
        text += ".0"
    return text


def _format_value(value: Any) -> str:
    """The value field (from column 11) of a card, before any comment."""
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return f"{'T' if value else 'F':>20}"
    if isinstance(value, int | np.integer):
        return f"{int(value):>20}"
    if isinstance(value, float | np.floating):
        return f"{_format_float(float(value)):>20}"
    text = _clean_text(str(value)).rstrip()
    quoted = text.replace("'", "''")
    if len(quoted) > _MAX_STRING:
        while len(quoted) > _MAX_STRING:
            text = text[:-1]
            quoted = text.replace("'", "''")
        quoted = quoted.rstrip()
    return f"'{quoted:<8}'".ljust(20)


@lru_cache(maxsize=32768, typed=True)
def format_card(keyword: str, value: Any, comment: str = "") -> str:
    """One 80-character header card.

    Parameters
    ----------
    keyword
        FITS keyword (upper case, at most 8 characters); ``COMMENT``, ``HISTORY`` and the
        blank keyword make commentary cards whose text is ``value``.
    value
        bool (FITS logical), int, float (not NaN or infinite), str, or None (an undefined
        value). Strings are made printable ASCII and truncated to fit the card.
    comment
        Card comment, truncated to what fits after the value.

    Returns
    -------
    str
        The card, exactly 80 characters.

    Raises
    ------
    ValueError
        For an invalid keyword or a NaN/infinite float.
    """
    if keyword in _COMMENTARY:
        return f"{keyword:<8}{_clean_text(str(value))}"[:CARD].ljust(CARD)
    if not _KEYWORD.match(keyword):
        raise ValueError(f"{keyword!r} is not a FITS keyword (1-8 of A-Z, 0-9, '_', '-')")
    card = f"{keyword:<8}= {_format_value(value)}"
    if comment and len(card) < CARD - 3:
        card = f"{card} / {_clean_text(comment)}"
    return card[:CARD].ljust(CARD)


def render_header(cards: Iterable[Card]) -> bytes:
    """Header bytes: the cards, ``END``, blank-padded to a multiple of 2880 bytes.

    Parameters
    ----------
    cards
        (keyword, value) or (keyword, value, comment) tuples in order.

    Returns
    -------
    bytes
        The header blocks.
    """
    text = "".join([format_card(*card) for card in cards]) + "END".ljust(CARD)
    pad = -len(text) % BLOCK
    return (text + " " * pad).encode("ascii")


def _pad_data(data: bytes) -> bytes:
    pad = -len(data) % BLOCK
    return data + b"\0" * pad if pad else data


@dataclass
class ImageHDU:
    """An IMAGE extension: ``data`` in numpy (C) order, ``cards`` after the structural ones.

    ``data`` may be unsigned 16/32-bit; it is stored signed with the standard BZERO offset.
    """

    extname: str
    data: np.ndarray
    cards: list[Card] = field(default_factory=list)
    extver: int | None = None

    def render(self) -> bytes:
        """The HDU's header and data blocks."""
        data = self.data
        key = f"{data.dtype.kind}{data.dtype.itemsize}"
        if key not in _IMAGE_TYPES:
            raise ValueError(f"unsupported image dtype {data.dtype}")
        bitpix, bzero, stored = _IMAGE_TYPES[key]
        header: list[Card] = [
            ("XTENSION", "IMAGE", "Image extension"),
            ("BITPIX", bitpix),
            ("NAXIS", data.ndim),
        ]
        header += [(f"NAXIS{i + 1}", n) for i, n in enumerate(reversed(data.shape))]
        header += [("PCOUNT", 0), ("GCOUNT", 1)]
        if bzero is not None:
            header += [("BZERO", bzero), ("BSCALE", 1)]
            data = (data.astype(np.int64) - bzero).astype(stored)
        else:
            data = data.astype(stored, copy=False)
        header.append(("EXTNAME", self.extname, "extension name"))
        if self.extver is not None:
            header.append(("EXTVER", self.extver))
        header += self.cards
        return render_header(header) + _pad_data(np.ascontiguousarray(data).tobytes())


@dataclass
class TableHDU:
    """A BINTABLE extension of scalar columns: (name, 1-D array, unit or "") triples."""

    extname: str
    columns: Sequence[tuple[str, np.ndarray, str]]
    cards: list[Card] = field(default_factory=list)
    extver: int | None = None

    def render(self) -> bytes:
        """The HDU's header and data blocks."""
        nrows = len(self.columns[0][1]) if self.columns else 0
        dtype: list[tuple[str, str]] = []
        col_cards: list[Card] = []
        for i, (name, values, unit) in enumerate(self.columns, start=1):
            if len(values) != nrows:
                raise ValueError(f"column {name} has {len(values)} rows, expected {nrows}")
            key = f"{values.dtype.kind}{values.dtype.itemsize}"
            if key not in _TABLE_TYPES:
                raise ValueError(f"unsupported column dtype {values.dtype}")
            code, stored = _TABLE_TYPES[key]
            dtype.append((name, stored))
            col_cards += [(f"TTYPE{i}", name), (f"TFORM{i}", code)]
            if unit:
                col_cards.append((f"TUNIT{i}", unit))
        records = np.zeros(nrows, dtype=dtype)
        for name, values, _ in self.columns:
            if values.dtype.kind == "b":
                records[name] = np.where(values, ord("T"), ord("F"))
            else:
                records[name] = values
        header: list[Card] = [
            ("XTENSION", "BINTABLE", "binary table extension"),
            ("BITPIX", 8),
            ("NAXIS", 2),
            ("NAXIS1", records.dtype.itemsize),
            ("NAXIS2", nrows),
            ("PCOUNT", 0),
            ("GCOUNT", 1),
            ("TFIELDS", len(self.columns)),
            *col_cards,
            ("EXTNAME", self.extname, "extension name"),
        ]
        if self.extver is not None:
            header.append(("EXTVER", self.extver))
        header += self.cards
        return render_header(header) + _pad_data(records.tobytes())


def render_fits(primary_cards: Iterable[Card], extensions: Iterable[ImageHDU | TableHDU] = ()) -> bytes:
    """A whole FITS file: a data-less primary HDU, then the extensions.

    Parameters
    ----------
    primary_cards
        Cards of the primary header after ``SIMPLE``, ``BITPIX``, ``NAXIS`` and ``EXTEND``
        (which this function writes).
    extensions
        The extension HDUs in order.

    Returns
    -------
    bytes
        The file's bytes, a multiple of 2880 long.
    """
    head: list[Card] = [
        ("SIMPLE", True, "conforms to FITS standard"),
        ("BITPIX", 8, "array data type"),
        ("NAXIS", 0, "number of array dimensions"),
        ("EXTEND", True),
    ]
    parts = [render_header([*head, *primary_cards])]
    parts += [hdu.render() for hdu in extensions]
    return b"".join(parts)
