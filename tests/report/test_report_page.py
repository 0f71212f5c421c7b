"""The HTML report on real products downloaded from the live server (structure, files, thumbnails, keywords)."""

from __future__ import annotations

import logging
import os
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from astropy.io import fits
from astropy.table import Table
from PIL import Image

from jwstarchive.errors import InputError
from jwstarchive.report import write_program_reports, write_report
from jwstarchive.report.rows import name_parts
from jwstarchive.report.skyplot import Footprint, parse_region, render_sky_svg

SVG = "{http://www.w3.org/2000/svg}"
# jwst_mast_query's default webpage_cols4table
UPSTREAM_COLUMNS = [
    "proposal_id", "obsnum", "visit", "obsID", "parent_obsid", "sca", "FILTER", "PUPIL", "READPATT", "uncal",
    "dark", "rate", "rateints", "cal", "TARG_RA", "TARG_DEC", "NINTS", "NGROUPS", "NFRAMES", "DATE-BEG",
    "DATE-END", "EFFINTTM", "EFFEXPTM", "size", "obs_id", "outfilename",
]  # fmt: skip


class Page(HTMLParser):
    """The parts of a report page the tests look at: headers, rows of cells, links, images, the svg."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.headers: list[str] = []
        self.rows: list[list[dict]] = []
        self.images: list[str] = []
        self.links: list[str] = []
        self.scripts = self.svg_text = ""
        self._in: list[str] = []
        self._cell: dict | None = None
        self._svg_depth = 0
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self._in.append(tag)
        if tag == "tr" and "tbody" in self._in:
            self.rows.append([])
        elif tag == "td" and self.rows:
            self._cell = {"class": a.get("class"), "text": "", "sort": a.get("data-sort"), "img": None, "href": []}
            self.rows[-1].append(self._cell)
        elif tag == "img":
            self.images.append(a["src"] or "")
            if self._cell is not None:
                self._cell["img"] = a
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
            if self._cell is not None:
                self._cell["href"].append(a["href"])
        if tag == "svg" or self._svg_depth:
            self._svg_depth += 1

    def handle_endtag(self, tag: str) -> None:
        while self._in and self._in.pop() != tag:
            pass
        if tag == "td":
            self._cell = None
        if self._svg_depth:
            self._svg_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "th" and data.strip():
            self.headers.append(data.strip())
        if self._cell is not None:
            self._cell["text"] += data
        if self._in and self._in[-1] == "script":
            self.scripts += data

    def column(self, name: str) -> list[dict]:
        """The cells of one column, top to bottom."""
        index = self.headers.index(name)
        return [row[index] for row in self.rows]

    def texts(self, name: str) -> list[str]:
        return [cell["text"].strip() for cell in self.column(name)]

    def target(self, href: str) -> Path:
        """The file a relative link of the page points at."""
        return (self.path.parent / unquote(href)).resolve()


def svg_of(page: Path) -> ET.Element:
    """The sky plot of a page, parsed as XML (so it is well formed)."""
    text = page.read_text(encoding="utf-8")
    start, end = text.index("<svg"), text.index("</svg>") + len("</svg>")
    return ET.fromstring(text[start:end])


@pytest.fixture
def report(downloaded, tmp_path: Path) -> Path:
    return write_report(
        downloaded.products,
        tmp_path / "report",
        title="NIRSpec and NIRISS",
        header_keywords=["DATE-OBS", "EFFEXPTM", "TARGPROP"],
        observations=downloaded.observations,
        thumbnail_size=120,
    )


def test_one_row_per_exposure_with_every_product(downloaded, report: Path) -> None:
    page = Page(report)
    stems = {name_parts(name)[0] for name in downloaded.products["productFilename"]}
    assert len(page.rows) == len(stems) > 5
    listed = sorted(f for cell in page.column("files") for f in cell["text"].split())
    assert len(listed) == len(downloaded.products)
    # The representative of an exposure row is its uncal file; level-3 rows have no uncal and no visit.
    first = {t: i for i, t in enumerate(page.texts("obs_id"))}
    assert "jw01286001001_02101_00001_nrs1" in first
    assert page.texts("visit")[first["jw01286001001_02101_00001_nrs1"]] == "001"
    assert page.texts("visit")[first["jw01286-o001_t001_nirspec_f290lp-g395h"]] == ""


def test_rows_sorted_like_jwst_mast_query(report: Path) -> None:
    page = Page(report)
    keys = list(
        zip(page.texts("proposal_id"), page.texts("obsnum"), page.texts("visit"), page.texts("sca"), strict=True)
    )
    assert [k[0] for k in keys] == sorted(k[0] for k in keys), "proposal_id first"
    for program in {k[0] for k in keys}:
        visits = [k[2] for k in keys if k[0] == program]
        filled = [v for v in visits if v]
        assert visits[: len(filled)] == sorted(filled), "empty visits (level 3) sort last"
    assert page.headers[:5] == ["proposal_id", "obsnum", "visit", "sca", "obs_id"]


def test_every_link_and_image_points_at_a_file(report: Path) -> None:
    page = Page(report)
    assert page.images, "no thumbnails"
    for href in page.links + page.images:
        assert not href.startswith(("http:", "https:", "//", "/")), f"absolute or remote link {href}"
        if href.endswith(".txt"):
            continue
        assert page.target(href).is_file(), href
    assert "http" not in page.scripts, "the page must not load anything from the network"


def test_thumbnails_are_made_with_pillow_and_reused(downloaded, report: Path) -> None:
    page = Page(report)
    uncal = [c for c in page.column("uncal") if c["img"]]
    assert uncal, "uncal previews expected"
    for cell in uncal:
        thumb = page.target(cell["img"]["src"])
        full = page.target(cell["href"][0])
        assert thumb.parent == report.parent / "thumbnails"
        assert thumb.name == full.name[: -len("jpg")] + "TN.jpg"
        with Image.open(thumb) as image, Image.open(full) as source:
            assert image.width == 120 == int(cell["img"]["width"])
            assert abs(image.height - source.height * 120 / source.width) <= 1
    # The NIRISS jpgs lie in jpg/ (jpg_separate_subdir) and are found there too.
    assert any("/jpg/" in c["href"][0] for c in uncal)
    mtimes = {p: p.stat().st_mtime_ns for p in (report.parent / "thumbnails").iterdir()}
    write_report(downloaded.products, report.parent, title="again", thumbnail_size=120)
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes, "up-to-date thumbnails are not remade"
    write_report(downloaded.products, report.parent, title="again", thumbnail_size=120, overwrite_thumbnails=True)
    assert any(p.stat().st_mtime_ns != t for p, t in mtimes.items())


def test_fits_keywords_come_from_the_downloaded_headers(downloaded, report: Path) -> None:
    page = Page(report)
    checked = 0
    for row_cells, obs_id in zip(page.rows, page.texts("obs_id"), strict=True):
        uncal = [p for p in downloaded.products["outfilename"] if Path(p).name == f"{obs_id}_uncal.fits"]
        if not uncal:
            continue
        header = fits.getheader(uncal[0])
        cells = dict(zip(page.headers, row_cells, strict=True))
        assert cells["DATE-OBS"]["text"].strip() == header["DATE-OBS"]
        assert float(cells["EFFEXPTM"]["text"]) == pytest.approx(header["EFFEXPTM"])
        assert cells["EFFEXPTM"]["sort"] is not None, "numbers sort as numbers"
        assert cells["TARGPROP"]["text"].strip() == header["TARGPROP"]
        checked += 1
    assert checked >= 4


def test_upstream_default_columns_work(downloaded, tmp_path: Path) -> None:
    """jwst_mast_query's webpage_cols4table: image columns named by suffix, FITS keywords upper case."""
    page = Page(
        write_report(downloaded.products, tmp_path, title="upstream", columns=UPSTREAM_COLUMNS, thumbnails=False)
    )
    assert page.headers == UPSTREAM_COLUMNS
    filters = {t for t in page.texts("FILTER") if t}
    assert filters <= {"CLEAR", "F290LP"} and filters, filters
    assert all(t == "" for t in page.texts("dark")), "no dark previews in the selection"
    # Without thumbnails the full preview is shown, scaled by the browser.
    assert all(src.endswith(".jpg") and ".TN." not in src for src in page.images)
    assert not (tmp_path / "thumbnails").exists()
    ascii_table = (tmp_path / "products.txt").read_text().splitlines()
    assert ascii_table[0].split() == [
        c for c in UPSTREAM_COLUMNS if c not in ("uncal", "dark", "rate", "rateints", "cal")
    ]
    assert len(ascii_table) == len(page.rows) + 1


def test_unknown_column_is_a_clear_error(downloaded, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown report column 'proposl_id'.*did you mean proposal_id"):
        write_report(downloaded.products, tmp_path, title="x", columns=["proposl_id"])
    with pytest.raises(InputError, match="thumbnail_size"):
        write_report(downloaded.products, tmp_path, title="x", thumbnail_size=0)
    with pytest.raises(InputError, match="productFilename"):
        write_report(Table({"a": [1]}), tmp_path, title="x")


def test_missing_and_corrupt_previews_do_not_break_the_page(downloaded, tmp_path: Path, caplog) -> None:
    """jwst_mast_query crashed making thumbnails; here a bad jpg is reported in its cell."""
    copy = downloaded.copy_to(tmp_path / "tree")
    jpgs = sorted(Path(p) for p in copy.products["outfilename"] if p.endswith("_uncal.jpg"))
    corrupt, truncated, missing = jpgs[0], jpgs[1], jpgs[2]
    corrupt.write_bytes(b"this is not a JPEG")
    truncated.write_bytes(truncated.read_bytes()[:300])
    missing.unlink()
    thumb = missing.with_name(missing.name.replace("_uncal.jpg", "_uncal_thumb.jpg"))
    thumb.unlink()  # otherwise MAST's own thumbnail stands in for the missing preview
    with caplog.at_level(logging.WARNING, logger="jwstarchive.report"):
        page = Page(write_report(copy.products, tmp_path / "report", title="damaged"))
    problems = {c["text"].strip() for c in page.column("uncal") if not c["img"]} - {""}
    assert problems == {"unreadable image", "not downloaded"}
    assert sum(c["text"].strip() == "unreadable image" for c in page.column("uncal")) == 2
    assert str(corrupt) in caplog.text and str(truncated) in caplog.text
    for src in page.images:
        with Image.open(page.target(src)) as image:
            image.load()


def test_jpg_only_selection_still_makes_a_page(downloaded, tmp_path: Path) -> None:
    """jwst_mast_query issue #19: a page from `--filetypes rate.jpg` alone was empty."""
    jpg_only = downloaded.products[[f == "_cal.jpg" for f in downloaded.products["filetype"]]]
    page = Page(write_report(jpg_only, tmp_path, title="cal previews"))
    assert len(page.rows) == len(jpg_only) > 0
    assert page.headers.count("cal") == 1 and all(c["img"] for c in page.column("cal"))


def test_one_page_per_program_where_jwst_mast_query_puts_it(downloaded, tmp_path: Path) -> None:
    pages = write_program_reports(
        downloaded.products, tmp_path, observations=downloaded.observations, header_keywords=["EFFEXPTM"]
    )
    assert sorted(pages) == ["01091", "01286"]
    for program, path in pages.items():
        assert path == tmp_path / program / "index.html"
        assert (tmp_path / program / f"{program}.products.txt").is_file()
        page = Page(path)
        assert set(page.texts("proposal_id")) == {str(int(program))}
        assert f"propID={int(program)}" in path.read_text()
        for href in page.links + page.images:
            assert href.endswith(".txt") or page.target(href).is_file(), href
        # Only this program's observations are drawn.
        labels = {g.get("data-label") for g in svg_of(path).iter(f"{SVG}g") if g.get("data-label")}
        assert labels and all(label.startswith(f"jw{program}") for label in labels)
    with pytest.raises(InputError, match="proposal_id"):
        write_program_reports(Table({"productFilename": ["a.fits"]}), tmp_path)


def test_sky_plot_draws_each_observation_footprint(downloaded, report: Path) -> None:
    svg = svg_of(report)
    footprints = [g for g in svg.iter(f"{SVG}g") if g.get("data-label")]
    parents = set(downloaded.products["parent_obsid"])
    expected = {row["obs_id"] for row in downloaded.observations if row["obsid"] in parents}
    assert {g.get("data-label") for g in footprints} == expected
    polygons = list(svg.iter(f"{SVG}polygon"))
    assert len(polygons) >= len(expected)
    xs = [float(p.split(",")[0]) for poly in polygons for p in poly.get("points").split()]
    assert min(xs) > 0 and max(xs) < float(svg.get("width")), "footprints lie inside the plot"
    legend = [t.text for t in svg.iter(f"{SVG}text")]
    assert "NIRSPEC" in legend and "NIRISS" in legend


def test_sky_plot_without_observations_uses_file_positions(downloaded, tmp_path: Path) -> None:
    report = write_report(downloaded.products, tmp_path, title="positions from TARG_RA/TARG_DEC")
    points = [c for c in svg_of(report).iter(f"{SVG}circle") if c.get("class") == "point"]
    assert len(points) == len(Page(report).rows)


def test_region_parsing_and_projection() -> None:
    fp = Footprint("x")
    assert parse_region("POLYGON ICRS 10 20 10.1 20 10.1 20.1 CIRCLE ICRS 10 20 0.05 POSITION 10 20", fp)
    assert fp.polygons == [[(10.0, 20.0), (10.1, 20.0), (10.1, 20.1)]] and fp.circles == [(10.0, 20.0, 0.05)]
    assert fp.points == [(10.0, 20.0)]
    assert not parse_region("POLYGON 1 2 3", Footprint("bad")), "an odd coordinate list is skipped"
    # Across RA 0/360 the field stays small (no 360-degree-wide plot), and east is to the left.
    east, west = Footprint("east"), Footprint("west")
    east.points.append((0.01, 0.0))
    west.points.append((359.99, 0.0))
    svg = ET.fromstring(render_sky_svg([east, west]))
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert any("arcsec" in (t or "") for t in labels), labels
    x = {
        g.get("data-label"): float(next(g.iter(f"{SVG}circle")).get("cx"))
        for g in svg.iter(f"{SVG}g")
        if g.get("data-label")
    }
    assert x["east"] < x["west"]
    assert render_sky_svg([Footprint("nothing")]) == ""


def test_empty_selection_gives_an_empty_page(tmp_path: Path) -> None:
    empty = Table(names=("productFilename", "outfilename", "proposal_id"), dtype=(str, str, int))
    page = write_report(empty, tmp_path, title="nothing")
    assert "No products." in page.read_text()
    assert Page(page).rows == []
    assert os.path.exists(tmp_path / "products.txt")


def test_report_is_client_side(downloaded, tmp_path: Path) -> None:
    """Writing a report never loads the server, the ADQL engine or the catalog (the arrows of DESIGN.md)."""
    import subprocess
    import sys

    table = tmp_path / "products.ecsv"
    downloaded.products.write(table)
    code = (
        "import sys; from pathlib import Path; from astropy.table import Table; "
        "from jwstarchive.report import write_report; "
        f"write_report(Table.read({str(table)!r}), Path({str(tmp_path / 'page')!r}), title='t', "
        "header_keywords=['EFFEXPTM']); "
        "print(sorted(m for m in sys.modules if m.split('.')[:2] in "
        "(['jwstarchive', 'server'], ['jwstarchive', 'adql'], ['jwstarchive', 'catalog'])))"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(src)},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "[]"
    assert (tmp_path / "page" / "index.html").is_file()


def test_preview_suffixes_and_image_size_follow_the_webpage_options(downloaded, tmp_path: Path) -> None:
    """webpage_level12_jpgs picks and orders the image columns; webpage_tablefigsize sets the img size."""
    page = Page(
        write_report(
            downloaded.products,
            tmp_path,
            title="options",
            preview_suffixes=["_cal.jpg", "uncal", "dark"],
            image_width=90,
        )
    )
    images = [h for h in page.headers if h in ("uncal", "cal", "dark", "s2d", "calints")]
    assert images == ["cal", "uncal", "dark"]
    shown = [c["img"] for c in page.column("cal") if c["img"]]
    assert shown and all(img["width"] == "90" and "height" not in img for img in shown)
    with pytest.raises(InputError, match=r"'ratte' is not a product suffix.*rate"):
        write_report(downloaded.products, tmp_path, title="x", preview_suffixes=["ratte"])
