"""The report in real headless Chromium (Debian ``chromium``): rows, images, sorting, filtering, offline.

The screenshot is kept in ``test-artifacts/report/`` (git-ignored; CI can publish it) and its path
is printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium_cdp import Chromium
from PIL import Image

from jwstarchive.report import write_program_reports, write_report

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"

ROWS_JS = """Array.from(document.querySelectorAll('#products tbody tr'))
  .filter(r => !r.hidden).map(r => r.cells[%d].textContent.trim())"""
IMAGES_JS = """Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null))).then(() =>
  Array.from(document.images).map(i => ({src: i.getAttribute('src'), complete: i.complete, width: i.naturalWidth})))"""
CLICK_JS = """(() => { const th = Array.from(document.querySelectorAll('#products th'))
  .find(h => h.textContent.trim() === %r); th.click(); return th.getAttribute('aria-sort'); })()"""
FILTER_JS = """(() => { const box = document.getElementById('filter'); box.value = %r;
  box.dispatchEvent(new Event('input')); return document.getElementById('count').textContent; })()"""


@pytest.fixture(scope="module")
def chromium(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    browser = Chromium(chromium_path, tmp_path_factory.mktemp("chromium"))
    yield browser
    assert browser.close() == 0, browser.stderr()[-3000:]


def column(browser: Chromium, name: str) -> list[str]:
    headers = browser.evaluate("Array.from(document.querySelectorAll('#products th')).map(h => h.textContent.trim())")
    return browser.evaluate(ROWS_JS % headers.index(name))


def as_numbers(texts: list[str]) -> list[float]:
    return [float(t) for t in texts]


def test_program_page_in_chromium(chromium: Chromium, downloaded, tmp_path: Path) -> None:
    pages = write_program_reports(
        downloaded.products,
        tmp_path / "reports",
        observations=downloaded.observations,
        header_keywords=["DATE-OBS", "EFFEXPTM", "TARGPROP"],
    )
    page = pages["01286"]
    chromium.open(page.as_uri())

    # Every request stayed on the local disk: the page works without any network.
    urls = chromium.requested_urls()
    assert urls and all(u.startswith("file://") for u in urls), urls
    assert chromium.exceptions() == []

    # The rows are there: one per exposure/detector and level-3 product of program 1286.
    obs_ids = column(chromium, "obs_id")
    mine = downloaded.products[downloaded.products["proposal_id"] == 1286]
    assert len(obs_ids) == len(set(mine["obs_id"])) > 4
    assert set(column(chromium, "proposal_id")) == {"1286"}

    # Every image loaded (decoded, with a real width): thumbnails and nothing broken.
    images = chromium.evaluate(IMAGES_JS)
    assert len(images) >= len([f for f in mine["filetype"] if f in ("_uncal.jpg", "_cal.jpg")])
    broken = [i["src"] for i in images if not (i["complete"] and i["width"] > 0)]
    assert broken == []

    # The sky plot shows each observation's footprint.
    assert chromium.evaluate("document.querySelectorAll('svg.skyplot g.footprint polygon').length") >= 3

    # Sorting: a click on a header sorts by that column (numerically), a second click reverses it.
    assert chromium.evaluate(CLICK_JS % "size") == "ascending"
    sizes = as_numbers(column(chromium, "size"))
    assert sizes == sorted(sizes) and len(set(sizes)) > 1
    assert chromium.evaluate(CLICK_JS % "size") == "descending"
    assert as_numbers(column(chromium, "size")) == sorted(sizes, reverse=True)
    assert chromium.evaluate(CLICK_JS % "obs_id") == "ascending"
    assert column(chromium, "obs_id") != obs_ids or obs_ids == sorted(obs_ids)
    visits = column(chromium, "visit")
    assert chromium.evaluate(CLICK_JS % "visit") == "ascending"
    visits = column(chromium, "visit")
    filled = [v for v in visits if v]
    assert visits == filled + [""] * (len(visits) - len(filled)), "empty cells sort last"
    assert chromium.evaluate(CLICK_JS % "visit") == "descending"
    assert column(chromium, "visit")[-1] == "", "empty cells stay last when reversed"

    # Filtering: every word must occur in a shown row; clearing the box shows all rows again.
    expected = [o for o in obs_ids if "nrs2" in o]
    assert chromium.evaluate(FILTER_JS % "NRS2") == f"{len(expected)} of {len(obs_ids)} rows"
    assert sorted(column(chromium, "obs_id")) == sorted(expected)
    narrower = [o for o in expected if "00002" in o]
    assert chromium.evaluate(FILTER_JS % "nrs2 00002") == f"{len(narrower)} of {len(obs_ids)} rows"
    assert sorted(column(chromium, "obs_id")) == sorted(narrower) and 0 < len(narrower) < len(expected)
    assert chromium.evaluate(FILTER_JS % "") == f"{len(obs_ids)} of {len(obs_ids)} rows"
    assert chromium.exceptions() == []

    shot = chromium.screenshot(ARTIFACTS / "program-01286.png")
    print(f"\nscreenshot of {page}: {shot}")
    with Image.open(shot) as image:
        assert image.width >= 1000 and image.height > 600


def test_whole_selection_page_in_chromium(chromium: Chromium, downloaded, tmp_path: Path) -> None:
    """Two programs far apart on the sky, previews found in jpg/ sub-directories, without thumbnails too."""
    for thumbnails in (True, False):
        page = write_report(
            downloaded.products,
            tmp_path / f"all-{thumbnails}",
            title="Programs 1091 and 1286",
            observations=downloaded.observations,
            thumbnails=thumbnails,
        )
        chromium.open(page.as_uri())
        images = chromium.evaluate(IMAGES_JS)
        assert images and all(i["complete"] and i["width"] > 0 for i in images), images
        assert any("/jpg/" in i["src"] for i in images) != thumbnails or not thumbnails
        assert set(column(chromium, "proposal_id")) == {"1091", "1286"}
        assert chromium.exceptions() == []
    shot = chromium.screenshot(ARTIFACTS / "selection.png")
    print(f"\nscreenshot of {page}: {shot}")
