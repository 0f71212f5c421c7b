"""Product tables -> files on disk (or a curl script) through the download engine, with astroquery's manifest.

Layout as astroquery.mast: ``<download_dir>/mastDownload/<obs_collection>/<obs_id>/<productFilename>``,
or ``<download_dir>/<productFilename>`` with ``flat=True``. The manifest has ``Local Path``,
``Status`` (COMPLETE / ERROR), ``Message`` and ``URL`` (set only for errors).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from astropy.table import MaskedColumn, Table

from jwstarchive.errors import InputError

__all__ = ["curl_script", "download_table", "file_requests"]

log = logging.getLogger(__name__)

ALREADY_COMPLETE = "Found a complete local file; not downloaded again"


def _cell(row: Any, name: str, default: str = "") -> str:
    if name not in row.colnames:
        return default
    value = row[name]
    if value is np.ma.masked or value is None:
        return default
    return str(value)


def _size(row: Any) -> int | None:
    if "size" not in row.colnames or row["size"] is np.ma.masked:
        return None
    size = int(row["size"])
    return size if size >= 0 else None


def file_requests(products: Table, download_dir: Path, *, flat: bool, url_of: Callable[[str], str]) -> list[Any]:
    """One ``FileRequest`` per row (``dataURI`` de-duplicated), in the astroquery layout."""
    from jwstarchive.download import FileRequest

    if "dataURI" not in products.colnames:
        raise InputError("The products table has no 'dataURI' column: pass rows of get_product_list()")
    requests = []
    seen: set[str] = set()
    base = download_dir if flat else download_dir / "mastDownload"
    for row in products:
        uri = _cell(row, "dataURI")
        if not uri or uri in seen:
            continue
        seen.add(uri)
        name = _cell(row, "productFilename") or uri.rsplit("/", 1)[-1]
        path = base / name if flat else base / _cell(row, "obs_collection", "JWST") / _cell(row, "obs_id", "") / name
        requests.append(FileRequest(url=url_of(uri), path=path, size=_size(row)))
    return requests


def download_table(
    requests: list[Any], *, headers: dict[str, str], concurrency: int, cache: bool, verbose: bool = True
) -> Table:
    """Run the download engine and return astroquery's manifest (``verbose=False``: no progress display)."""
    from jwstarchive.download import download_files

    results = download_files(
        requests,
        headers=headers or None,
        concurrency=concurrency,
        skip_complete=cache,
        clobber=not cache,
        progress=None if verbose else False,
    )
    paths, statuses, messages, urls = [], [], [], []
    for result in results:
        paths.append(str(result.request.path))
        if result.status == "SKIPPED":
            statuses.append("COMPLETE")
            messages.append(ALREADY_COMPLETE)
            urls.append(None)
        elif result.ok:
            statuses.append("COMPLETE")
            messages.append(None)
            urls.append(None)
        else:
            statuses.append("ERROR")
            messages.append(result.message or "File was not downloaded")
            urls.append(result.request.url)
    done = statuses.count("COMPLETE")
    log.info("Downloaded or found %d of %d files", done, len(statuses))
    return Table(
        [
            MaskedColumn(paths, name="Local Path"),
            MaskedColumn(statuses, name="Status"),
            _optional("Message", messages),
            _optional("URL", urls),
        ]
    )


def _optional(name: str, values: list[str | None]) -> MaskedColumn:
    data = np.array([v or "" for v in values], dtype=str)
    if data.dtype.itemsize == 0:
        data = data.astype("U1")
    return MaskedColumn(data, name=name, mask=[v is None for v in values])


def curl_script(requests: list[Any], download_dir: Path, *, headers: dict[str, str]) -> Table:
    """Write ``mastDownload_<YYYYmmddHHMMSS>.sh`` in ``download_dir``; manifest Local Path, Status, Message."""
    from jwstarchive.download import write_curl_script

    download_dir.mkdir(parents=True, exist_ok=True)
    path = download_dir / f"mastDownload_{time.strftime('%Y%m%d%H%M%S')}.sh"
    written = write_curl_script(requests, path, headers=headers or None)
    ok = Path(written).is_file()
    return Table(
        [
            MaskedColumn([str(written)], name="Local Path"),
            MaskedColumn(["COMPLETE" if ok else "ERROR"], name="Status"),
            _optional("Message", [None if ok else "Curl could not be downloaded"]),
        ]
    )
