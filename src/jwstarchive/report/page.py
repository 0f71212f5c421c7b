"""Write the report page: ``index.html``, its ASCII table and its thumbnails."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from jwstarchive.errors import InputError
from jwstarchive.naming import normalize_program
from jwstarchive.report.headers import read_keywords
from jwstarchive.report.previews import make_thumbnail, preview_candidates, thumbnail_name
from jwstarchive.report.rows import (
    DEFAULT_SORT,
    Column,
    ReportRow,
    group_products,
    image_suffixes,
    plain_value,
    preview_suffix,
    resolve_columns,
    sort_rows,
)
from jwstarchive.report.skyplot import Footprint, parse_region, render_sky_svg

if TYPE_CHECKING:
    import jinja2
    from astropy.table import Table

log = logging.getLogger(__name__)

__all__ = ["write_program_reports", "write_report"]

THUMBNAIL_DIR = "thumbnails"
POSITION_KEYWORDS = ("TARG_RA", "TARG_DEC", "S_REGION", "INSTRUME")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("jwstarchive.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _href(path: Path, outdir: Path) -> str:
    """A link from the page to ``path``, relative so the tree can be moved or served as it is."""
    return quote(os.path.relpath(path, outdir).replace(os.sep, "/"))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def _sort_value(value: Any) -> str | None:
    """The ``data-sort`` attribute: the plain number for numeric cells, else None (sort on the text)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return repr(value)


def _preview_sources(row: ReportRow) -> dict[str, Path]:
    """Suffix → local preview JPEG: jpg products first, then previews lying next to FITS products."""
    found: dict[str, tuple[int, Path]] = {}
    for product in row.products:
        if product.extension == "jpg" and product.suffix and product.present and product.path is not None:
            rank = int(product.thumb)
            if product.suffix not in found or rank < found[product.suffix][0]:
                found[product.suffix] = (rank, product.path)
    for product in row.products:
        if product.extension == "fits" and product.suffix and product.path is not None:
            if product.suffix in found and found[product.suffix][0] == 0:
                continue
            for candidate in preview_candidates(product.path):
                if candidate.is_file():
                    rank = int(candidate.name.endswith("_thumb.jpg"))
                    if product.suffix not in found or rank < found[product.suffix][0]:
                        found[product.suffix] = (rank, candidate)
                    break
    return {suffix: path for suffix, (_, path) in found.items()}


@dataclass(slots=True)
class FileLink:
    """One product in a row's ``files`` cell; ``href`` is None when it is not on disk."""

    label: str
    name: str
    href: str | None


@dataclass(slots=True)
class Cell:
    """What the template draws in one table cell (attributes, not a dict: Jinja reads them faster)."""

    kind: str
    text: str = ""
    sort: str | None = None
    href: str | None = None
    src: str | None = None
    name: str = ""
    width: int | None = None
    height: int | None = None
    problem: str | None = None
    files: list[FileLink] = field(default_factory=list)


class _PageBuilder:
    """Turns rows into the cells the template draws, making thumbnails on the way."""

    def __init__(self, outdir: Path, thumbnails: bool, thumbnail_size: int, overwrite: bool) -> None:
        self.outdir = outdir
        self.thumbnails = thumbnails
        self.thumbnail_size = thumbnail_size
        self.overwrite = overwrite
        self.images = 0
        self.problems = 0

    def image_cell(self, suffix: str, sources: dict[str, Path], row: ReportRow) -> Cell:
        source = sources.get(suffix)
        expected = any(p.suffix == suffix and p.extension == "jpg" for p in row.products)
        if source is None:
            return Cell("image", problem="not downloaded" if expected else "", sort="")
        cell = Cell("image", href=_href(source, self.outdir), name=source.name, sort="1")
        if not self.thumbnails:
            cell.src, cell.width = cell.href, self.thumbnail_size
            self.images += 1
            return cell
        target = self.outdir / THUMBNAIL_DIR / thumbnail_name(source.name)
        thumb = make_thumbnail(source, target, self.thumbnail_size, overwrite=self.overwrite)
        if thumb.ok and thumb.path is not None:
            cell.src, cell.width, cell.height = _href(thumb.path, self.outdir), thumb.width, thumb.height
            self.images += 1
        else:
            cell.problem, cell.sort = thumb.problem, ""
            self.problems += 1
        return cell

    def files_cell(self, row: ReportRow) -> Cell:
        files = []
        for product in sorted(row.products, key=lambda p: p.rank()):
            label = product.filename[len(row.stem) :].lstrip("_") or product.filename
            href = _href(product.path, self.outdir) if product.present and product.path is not None else None
            files.append(FileLink(label, product.filename, href))
        return Cell("files", files=files, sort=str(len(files)))

    def row_cells(self, row: ReportRow, columns: Sequence[Column]) -> list[Cell]:
        sources = _preview_sources(row) if any(c.kind == "image" for c in columns) else {}
        cells: list[Cell] = []
        for column in columns:
            if column.kind == "image":
                cells.append(self.image_cell(column.name, sources, row))
            elif column.kind == "files":
                cells.append(self.files_cell(row))
            else:
                value = row.value(column.name)
                cells.append(Cell(column.kind, text=_text(value), sort=_sort_value(value)))
        return cells


def _write_ascii(path: Path, rows: Sequence[ReportRow], columns: Sequence[Column]) -> None:
    """The page's table without image columns, whitespace-aligned with a header line."""
    names = [c.name for c in columns if c.kind in ("value", "keyword")]
    body = [[_text(row.value(n)).replace(" ", "_") or "--" for n in names] for row in rows]
    widths = [max([len(n)] + [len(r[i]) for r in body]) for i, n in enumerate(names)]
    lines = [" ".join(n.rjust(w) for n, w in zip(names, widths, strict=True))]
    lines += [" ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)) for r in body]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _observation_footprints(observations: Table, products: Table) -> list[Footprint]:
    """Footprints of the observations that are parents of the products (all of them if none match)."""
    parents: set[Any] = set()
    for column in ("parent_obsid", "obsID", "obsid"):
        if column in products.colnames:
            parents |= {plain_value(v) for v in products[column]}
    parents = {str(p) for p in parents if p is not None}
    records = list(observations)
    if "obsid" in observations.colnames and parents:
        chosen = [r for r in records if str(plain_value(r["obsid"])) in parents]
        records = chosen or records
    out: list[Footprint] = []
    for record in records:
        get = {name: plain_value(record[name]) for name in observations.colnames}
        label = str(get.get("obs_id") or get.get("obsid") or "observation")
        footprint = Footprint(label, str(get.get("instrument_name") or ""))
        if not parse_region(get.get("s_region"), footprint):
            ra, dec = get.get("s_ra"), get.get("s_dec")
            if isinstance(ra, int | float) and isinstance(dec, int | float):
                footprint.points.append((float(ra), float(dec)))
        out.append(footprint)
    return out


def _row_footprints(rows: Sequence[ReportRow]) -> list[Footprint]:
    """Footprints from the rows: ``s_region``/``s_ra``/``s_dec`` columns or the files' TARG_RA/TARG_DEC/S_REGION."""
    out: list[Footprint] = []
    for row in rows:
        instrument = row.value("instrument_name") or row.value("INSTRUME") or ""
        footprint = Footprint(row.stem, str(instrument))
        if not (parse_region(row.value("s_region"), footprint) or parse_region(row.value("S_REGION"), footprint)):
            for ra_name, dec_name in (("s_ra", "s_dec"), ("TARG_RA", "TARG_DEC")):
                ra, dec = row.value(ra_name), row.value(dec_name)
                if isinstance(ra, int | float) and isinstance(dec, int | float):
                    footprint.points.append((float(ra), float(dec)))
                    break
        out.append(footprint)
    return out


def write_report(
    products: Table,
    outdir: Path,
    *,
    title: str,
    columns: Sequence[str] | None = None,
    sort_by: Sequence[str] | None = None,
    path_column: str = "outfilename",
    thumbnails: bool = True,
    header_keywords: Sequence[str] = (),
    observations: Table | None = None,
    thumbnail_size: int = 200,
    overwrite_thumbnails: bool = False,
    ascii_name: str | None = "products.txt",
    preview_suffixes: Sequence[str] | None = None,
    image_width: int | None = None,
    image_height: int | None = None,
) -> Path:
    """Write an HTML report of ``products`` to ``outdir/index.html`` and return its path.

    The page needs no network access: CSS and JavaScript are inline, links to files and previews
    are relative. Its table sorts when a header is clicked and filters through a text box.

    Parameters
    ----------
    products
        Product table (jwst_mast_query's columns: ``productFilename``, ``proposal_id``, ``obsnum``,
        ``visit``, ``sca``, ``outfilename`` …). Products sharing a name stem make one row.
    outdir
        Directory of the page; created if missing. Thumbnails go to ``outdir/thumbnails/``.
    title
        Page title and heading.
    columns
        Columns of the table: product-table columns, preview suffixes (``uncal``, ``rate`` … as image
        columns), FITS keywords and ``files``. Default: the identifying columns, one image column
        per preview suffix present, ``header_keywords``, ``size``, ``dl_str`` and ``files``.
    sort_by
        Initial row order; default ``proposal_id, obsnum, visit, sca`` (those present).
    path_column
        Column with each product's local path.
    thumbnails
        Make thumbnails with Pillow (else the full previews are shown scaled down).
    header_keywords
        FITS keywords read from each row's local FITS file (the ``_uncal.fits`` first).
    observations
        Observation table with ``s_region`` (STC-S) or ``s_ra``/``s_dec`` for the sky plot; without it
        the plot uses the products' positions or their files' ``TARG_RA``/``TARG_DEC``.
    thumbnail_size
        Thumbnail width in pixels.
    overwrite_thumbnails
        Remake thumbnails that are already up to date.
    ascii_name
        File name of the whitespace-aligned text copy of the table (None: none is written).
    preview_suffixes
        The image columns of the default layout, in order (jwst_mast_query's webpage_level12_jpgs:
        ``rate``, ``_rate.jpg`` …); default: every preview suffix present.
    image_width, image_height
        ``width``/``height`` attributes of the images (webpage_tablefigsize_width/height); by default
        thumbnails show at their own size.

    Raises
    ------
    InputError
        For an unknown column name, a bad thumbnail size or a table without file names.
    """
    from astropy.table import Table

    if not isinstance(products, Table):
        products = Table(products)
    if int(thumbnail_size) < 8:
        raise InputError(f"thumbnail_size must be at least 8 pixels, got {thumbnail_size}")
    outdir = Path(os.path.abspath(outdir))
    outdir.mkdir(parents=True, exist_ok=True)
    rows = group_products(products, path_column) if len(products) else []
    previews = image_suffixes(rows) if preview_suffixes is None else [preview_suffix(s) for s in preview_suffixes]
    page_columns = resolve_columns(columns, products.colnames, list(header_keywords), previews)
    keywords = [c.name for c in page_columns if c.kind == "keyword"]
    need_positions = observations is None and not {"s_ra", "s_region"} & set(products.colnames)
    to_read = keywords + [k for k in POSITION_KEYWORDS if need_positions and k not in keywords]
    if to_read:
        for row in rows:
            source = row.header_source()
            row.keywords = read_keywords(source, to_read) if source else dict.fromkeys(to_read)
    order = [c for c in (sort_by if sort_by is not None else DEFAULT_SORT)]
    rows = sort_rows(rows, order)

    builder = _PageBuilder(outdir, thumbnails, int(thumbnail_size), overwrite_thumbnails)
    table_rows = [builder.row_cells(row, page_columns) for row in rows]
    if image_width is not None or image_height is not None:
        for cells in table_rows:
            for cell in cells:
                if cell.src:
                    cell.width, cell.height = image_width, image_height
    if observations is not None and len(observations):
        footprints = _observation_footprints(observations, products)
    else:
        footprints = _row_footprints(rows)
    skyplot = render_sky_svg(footprints, title=f"Footprints: {title}")
    if ascii_name:
        _write_ascii(outdir / ascii_name, rows, page_columns)

    import markupsafe

    html = (
        _environment()
        .get_template("report.html")
        .render(
            title=title,
            columns=page_columns,
            rows=table_rows,
            n_products=sum(len(r.products) for r in rows),
            skyplot=markupsafe.Markup(skyplot),
            n_footprints=sum(not f.empty for f in footprints),
            ascii_name=ascii_name,
            images=builder.images,
            image_problems=builder.problems,
            generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        )
    )
    page = outdir / "index.html"
    partial = outdir / "index.html.part"
    partial.write_text(html, encoding="utf-8")
    partial.replace(page)
    log.info("report with %d rows written to %s", len(rows), page)
    return page


def write_program_reports(
    products: Table,
    outrootdir: Path,
    *,
    program_column: str = "proposal_id",
    observations: Table | None = None,
    title_format: str = "Products for propID={program}",
    **options: Any,
) -> dict[str, Path]:
    """Write one report per program, at ``<outrootdir>/<PPPPP>/index.html`` as jwst_mast_query does.

    Each page also gets ``<PPPPP>.products.txt``. Links to the files are relative, so they work
    wherever the files lie (jwst_mast_query issue #17). ``title_format`` gets ``program`` (1410)
    and ``program5`` (01410); ``options`` go to :func:`write_report`. Returns program → page path.

    Raises
    ------
    InputError
        When the table has no ``program_column``.
    """
    from astropy.table import Table

    if not isinstance(products, Table):
        products = Table(products)
    if program_column not in products.colnames:
        raise InputError(f"the product table has no {program_column!r} column to split the reports by program")
    programs = [plain_value(v) for v in products[program_column]]
    pages: dict[str, Path] = {}
    for program in sorted({normalize_program(p) for p in programs if p is not None}):
        mask = [p is not None and normalize_program(p) == program for p in programs]
        obs = observations
        if observations is not None and program_column in observations.colnames:
            keep = [
                v is not None and normalize_program(v) == program
                for v in map(plain_value, observations[program_column])
            ]
            obs = observations[keep]
        pages[program] = write_report(
            products[mask],
            Path(outrootdir) / program,
            title=title_format.format(program=int(program), program5=program),
            observations=obs,
            ascii_name=f"{program}.products.txt",
            **options,
        )
    return pages
