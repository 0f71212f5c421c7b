"""Rows and columns of a report: products grouped per exposure, as jwst_mast_query shows them.

jwst_mast_query shows one row per ``_uncal.fits`` product (one exposure on one detector) with an
image column per preview suffix (``uncal``, ``rate``, ``cal`` …). Here every product of the
selection belongs to a row: products are grouped by their name without the suffix
(``jw01410001001_02101_00001_nrca1``, ``jw01410-o001_t001_nircam_clear-f200w``), so selections
without uncal files (``--filetypes jpg``, ``_rate.jpg`` alone) still give a page. A row's value
columns come from its representative product: the ``_uncal.fits`` when selected, else the FITS
product of the earliest pipeline stage, else the first product.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jwstarchive.errors import InputError
from jwstarchive.naming import PRODUCT_SUFFIXES

if TYPE_CHECKING:
    from astropy.table import Table

__all__ = [
    "DEFAULT_SORT",
    "Column",
    "Product",
    "ReportRow",
    "group_products",
    "name_parts",
    "plain_value",
    "preview_suffix",
    "resolve_columns",
    "sort_rows",
]

SUFFIX_ORDER: dict[str, int] = {s.name: i for i, s in enumerate(PRODUCT_SUFFIXES)}
DEFAULT_SORT = ("proposal_id", "obsnum", "visit", "sca")
DEFAULT_LEADING = ("proposal_id", "obsnum", "visit", "sca", "obs_id")
DEFAULT_TRAILING = ("size", "dl_str")
FILES_COLUMN = "files"
FILENAME_COLUMNS = ("productFilename", "filename", "file_name", "artifact_name")
_FITS_KEYWORD = re.compile(r"[A-Z][A-Z0-9_-]{0,7}")


@dataclass
class Product:
    """One product of the selection: its table values and where it is on disk (if known)."""

    filename: str
    values: dict[str, Any]
    path: Path | None
    stem: str
    suffix: str | None
    thumb: bool
    extension: str = field(init=False)  # without the dot: ``fits``, ``jpg`` …

    def __post_init__(self) -> None:
        self.extension = self.filename.rpartition(".")[2].lower()

    @property
    def present(self) -> bool:
        """True when the file is on disk."""
        return self.path is not None and self.path.is_file()

    def rank(self) -> tuple[int, int, int]:
        """Order of preference for a row's representative: uncal, then FITS by pipeline stage, jpg last."""
        is_uncal = self.suffix == "uncal" and self.extension == "fits"
        kind = 0 if is_uncal else 1 if self.extension == "fits" else 3 if self.extension == "jpg" else 2
        return (kind, SUFFIX_ORDER.get(self.suffix or "", len(SUFFIX_ORDER)), int(self.thumb))


@dataclass
class ReportRow:
    """One row of the report: the products sharing a name stem."""

    stem: str
    products: list[Product] = field(default_factory=list)
    keywords: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def representative(self) -> Product:
        """The product whose table values fill the row (read once the row is complete)."""
        return min(self.products, key=Product.rank)

    def value(self, column: str) -> Any:
        """The row's value of a table column or header keyword (None when absent)."""
        if column in self.keywords:
            return self.keywords[column]
        return self.representative.values.get(column)

    def header_source(self) -> Path | None:
        """The local FITS file to read header keywords from (uncal first), or None."""
        for product in sorted(self.products, key=Product.rank):
            if product.extension == "fits" and product.present:
                return product.path
        return None


@dataclass(frozen=True)
class Column:
    """A column of the page: ``kind`` is ``value`` (table), ``keyword`` (FITS header), ``image`` or ``files``."""

    name: str
    kind: str


def name_parts(filename: str) -> tuple[str, str | None, bool]:
    """Split a product name into (stem, suffix, is MAST thumbnail).

    >>> name_parts("jw01410001001_02101_00001_nrca1_rate_thumb.jpg")
    ('jw01410001001_02101_00001_nrca1', 'rate', True)
    """
    base = filename.rpartition(".")[0] or filename
    thumb = base.endswith("_thumb")
    if thumb:
        base = base[: -len("_thumb")]
    head, _, last = base.rpartition("_")
    if head and last.lower() in SUFFIX_ORDER:
        return head, last.lower(), thumb
    return base, None, thumb


def plain_value(value: Any) -> Any:
    """A table cell as a plain Python value; masked, NaN and empty become None."""
    import numpy as np

    if value is None or value is np.ma.masked or np.ma.is_masked(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str) and value.strip().lower() in ("", "nan", "none", "--", "<na>"):
        return None
    return value


def _filename_column(table: Table, path_column: str) -> str | None:
    for name in FILENAME_COLUMNS:
        if name in table.colnames:
            return name
    return path_column if path_column in table.colnames else None


def group_products(table: Table, path_column: str = "outfilename") -> list[ReportRow]:
    """Group the products of ``table`` into report rows (first-seen order of the stems).

    Raises
    ------
    InputError
        When the table has neither a file-name column (``productFilename``) nor ``path_column``.
    """
    name_column = _filename_column(table, path_column)
    if name_column is None:
        raise InputError(
            f"the product table needs a productFilename or {path_column!r} column; it has {', '.join(table.colnames)}"
        )
    rows: dict[str, ReportRow] = {}
    columns = {name: [plain_value(v) for v in table[name].tolist()] for name in table.colnames}
    for index in range(len(table)):
        values = {name: column[index] for name, column in columns.items()}
        raw_path = values.get(path_column)
        path = Path(os.path.abspath(str(raw_path))) if raw_path else None
        filename = values.get(name_column)
        filename = os.path.basename(str(filename)) if filename else (path.name if path else "")
        if not filename:
            continue
        stem, suffix, thumb = name_parts(filename)
        product = Product(filename, values, path, stem, suffix, thumb)
        rows.setdefault(stem, ReportRow(stem)).products.append(product)
    return list(rows.values())


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (2, 0)
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (0, value)
    text = str(value)
    try:
        return (0, float(text))
    except ValueError:
        return (1, text)


def sort_rows(rows: Sequence[ReportRow], sort_by: Iterable[str]) -> list[ReportRow]:
    """Rows sorted by the given columns (numbers before text, empty values last), stable."""
    out = list(rows)
    for column in reversed(list(sort_by)):
        out.sort(key=lambda row, c=column: _sort_key(row.value(c)))
    return out


def image_suffixes(rows: Iterable[ReportRow]) -> list[str]:
    """The preview suffixes present among the rows' jpg products, in pipeline order."""
    found = {p.suffix for row in rows for p in row.products if p.extension == "jpg" and p.suffix}
    return sorted(found, key=lambda s: SUFFIX_ORDER.get(s, len(SUFFIX_ORDER)))


def preview_suffix(text: str) -> str:
    """A jwst_mast_query webpage_level12_jpgs entry as a suffix: ``_rate.jpg``, ``rate.jpg``, ``rate`` → ``rate``.

    Raises
    ------
    InputError
        For an entry that names no JWST product suffix.
    """
    name = text.strip().removesuffix(".jpg").lstrip("_").lower()
    if name not in SUFFIX_ORDER:
        near = difflib.get_close_matches(name, list(SUFFIX_ORDER), n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise InputError(f"{text!r} is not a product suffix with previews (uncal, rate, cal …){hint}")
    return name


def resolve_columns(
    requested: Sequence[str] | None,
    table_columns: Sequence[str],
    header_keywords: Sequence[str],
    previews: Sequence[str],
) -> list[Column]:
    """The page's columns: ``requested`` checked and classified, or a default layout.

    A requested name is the ``files`` column, a header keyword, a table column, a preview suffix
    (``uncal``, ``rate`` … an image column) or, when it is written like a FITS keyword
    (``FILTER``, ``DATE-BEG``), a header keyword read from the files.

    Raises
    ------
    InputError
        For a name that is none of these; the message lists near matches.
    """
    if requested is None:
        columns = [Column(c, "value") for c in DEFAULT_LEADING if c in table_columns]
        columns += [Column(s, "image") for s in previews]
        columns += [Column(k, "keyword") for k in header_keywords]
        columns += [Column(c, "value") for c in DEFAULT_TRAILING if c in table_columns]
        columns.append(Column(FILES_COLUMN, "files"))
        return columns
    out: list[Column] = []
    for name in requested:
        if name == FILES_COLUMN:
            out.append(Column(name, "files"))
        elif name in header_keywords:
            out.append(Column(name, "keyword"))
        elif name in table_columns:
            out.append(Column(name, "value"))
        elif name.lower() in SUFFIX_ORDER or name in previews:
            out.append(Column(name.lower(), "image"))
        elif _FITS_KEYWORD.fullmatch(name):
            out.append(Column(name, "keyword"))
        else:
            known = [*table_columns, *SUFFIX_ORDER, FILES_COLUMN]
            near = difflib.get_close_matches(name, known, n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise InputError(
                f"unknown report column {name!r}: use a product-table column, a preview suffix such as 'rate', "
                f"an upper-case FITS keyword or 'files'{hint}"
            )
    return out
