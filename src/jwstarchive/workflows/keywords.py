"""SI keyword search workflow: FITS keyword values → files → observations → products → download.

This is the MAST "SI Keyword Search for Exoplanet Spectra" recipe as one function chain:

1. ``find_files``: the ``Mast.Jwst.Filtered.<Instrument>`` services select product files by
   FITS keyword values (``jwstarchive.mast.keyword_search``; lists are OR, ranges inclusive,
   ISO dates turned into MJD);
2. ``observation_ids`` / ``find_observations``: each file name holds its CAOM observation id;
   the unique ids are looked up with ``Observations.query_criteria``;
3. ``find_products``: their products (``get_product_list``), made unique by file name and
   filtered by product type, calibration level and extension (``filter_products``);
4. ``file_requests``: the products as download-engine requests, for ``download_files`` or
   ``write_curl_script``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jwstarchive.errors import InputError

__all__ = [
    "file_requests",
    "find_files",
    "find_observations",
    "find_products",
    "load_criteria",
    "observation_ids",
    "parse_criteria",
    "parse_criterion",
]

log = logging.getLogger(__name__)

Criteria = dict[str, list[Any]]
_BATCH = 25
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _scalar(text: str) -> Any:
    text = text.strip()
    return float(text) if _NUMBER.match(text) and not re.fullmatch(r"0\d+", text) else text


def _range_or_scalar(text: str) -> Any:
    if ".." in text:
        low, _, high = text.partition("..")
        if not low.strip() or not high.strip():
            raise InputError(f"range {text!r} needs both ends: write MIN..MAX (e.g. 2022-06-01..2022-08-04)")
        return (_scalar(low), _scalar(high))
    return text.strip()


def parse_criterion(text: str) -> tuple[str, list[Any]]:
    """Parse ``KEY=V1,V2`` (OR of values) or ``KEY=MIN..MAX`` (inclusive range) into (key, values).

    Examples
    --------
    >>> parse_criterion("exp_type=NIS_SOSS")
    ('exp_type', ['NIS_SOSS'])
    >>> parse_criterion("date_obs_mjd=2022-06-01..2022-08-04")
    ('date_obs_mjd', [('2022-06-01', '2022-08-04')])
    """
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key or not value.strip():
        raise InputError(
            f"criterion {text!r} must be KEYWORD=VALUE[,VALUE...] or KEYWORD=MIN..MAX (e.g. exp_type=NIS_SOSS)"
        )
    return key, [_range_or_scalar(v) for v in value.split(",") if v.strip()]


def parse_criteria(texts: Iterable[str]) -> Criteria:
    """Parse several ``KEY=VALUE`` texts; a key given twice ORs its values."""
    criteria: Criteria = {}
    for text in texts:
        key, values = parse_criterion(text)
        criteria.setdefault(key, []).extend(values)
    return criteria


def _file_value(value: Any, key: str) -> list[Any]:
    if isinstance(value, dt.datetime | dt.date):
        return [value.isoformat()]
    if isinstance(value, Mapping):
        if set(value) != {"min", "max"}:
            raise InputError(f"{key}: a range is a mapping with exactly 'min' and 'max', got {sorted(value)}")
        low, high = (v.isoformat() if isinstance(v, dt.date) else v for v in (value["min"], value["max"]))
        return [(low, high)]
    if isinstance(value, list | tuple):
        return [item for v in value for item in _file_value(v, key)]
    if isinstance(value, str):
        return [_range_or_scalar(value)]
    if isinstance(value, bool):
        return ["T" if value else "F"]
    return [value]


def load_criteria(path: str | Path) -> tuple[Criteria, list[str]]:
    """Read criteria from a YAML or JSON file; returns (criteria, instruments named in the file).

    The file is a mapping of keyword → value, list of values (OR), ``{min: .., max: ..}`` or
    ``"MIN..MAX"``; optionally ``criteria:`` holding that mapping and ``instrument:`` (one name
    or a list).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such criteria file")
    import yaml

    try:
        data = json.loads(path.read_text()) if path.suffix.lower() == ".json" else yaml.safe_load(path.read_text())
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not valid YAML/JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise InputError(f"{path}: expected a mapping of keyword: value")
    instruments = data.get("instrument") if "criteria" in data else None
    body = data.get("criteria", data)
    if not isinstance(body, Mapping):
        raise InputError(f"{path}: 'criteria' must be a mapping of keyword: value")
    criteria = {str(k): _file_value(v, str(k)) for k, v in body.items()}
    names = [instruments] if isinstance(instruments, str) else list(instruments or [])
    return criteria, [str(n) for n in names]


def find_files(
    criteria: Mapping[str, Sequence[Any]],
    instrument: str | Sequence[str] | None = None,
    *,
    columns: Sequence[str] | None = None,
    mast_url: str | None = None,
    token: str | None = None,
) -> Any:
    """Product files whose FITS keywords match ``criteria`` (one, several or all instruments).

    Raises
    ------
    InputError
        For an unknown keyword (naming the nearest valid ones) or a bad value.
    """
    from jwstarchive.mast import keyword_search

    if not criteria:
        raise InputError("give at least one keyword criterion (e.g. exp_type=NIS_SOSS)")
    return keyword_search(dict(criteria), instrument=instrument, columns=columns, mast_url=mast_url, token=token)


_SUFFIX = re.compile(r"_[a-z0-9]+$")
_CANDIDATE = re.compile(r"_[ocar]\d{3,4}$")


def observation_id_of(filename: str) -> str:
    """The CAOM ``obs_id`` a product file belongs to (its name without segment, suffix and extension)."""
    stem = Path(str(filename)).name.split(".")[0]
    stem = _SUFFIX.sub("", stem)
    stem = _CANDIDATE.sub("", stem)
    return re.sub(r"-seg\d{3}", "", stem)


def observation_ids(files: Any) -> list[str]:
    """The unique CAOM observation ids of the files (in first-seen order)."""
    if "filename" not in getattr(files, "colnames", ()):
        return []
    return list(dict.fromkeys(observation_id_of(name) for name in files["filename"]))


def find_observations(files: Any, *, mast_url: str | None = None, token: str | None = None) -> Any:
    """The CAOM observations (with ``obsid``) of the files found by ``find_files``."""
    import warnings

    from astropy.table import Table, unique, vstack

    from jwstarchive.mast import ObservationsClass

    ids = observation_ids(files)
    if not ids:
        return Table()
    observations = ObservationsClass(mast_url=mast_url, token=token)
    tables = []
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*[Nn]o results.*")
            for start in range(0, len(ids), _BATCH):
                table = observations.query_criteria(obs_collection="JWST", obs_id=ids[start : start + _BATCH])
                if len(table):
                    tables.append(table)
    finally:
        observations.close()
    if not tables:
        return Table()
    result = unique(vstack(tables, metadata_conflicts="silent"), keys="obs_id")
    result.sort("obs_id")
    return result


def find_products(
    observations: Any,
    *,
    product_type: Sequence[str] | None = None,
    calib_level: Sequence[int] | None = None,
    extension: Sequence[str] | None = None,
    mast_url: str | None = None,
    token: str | None = None,
) -> Any:
    """The unique products of ``observations``, filtered by product type, calibration level and extension."""
    import warnings

    from astropy.table import Table, unique

    from jwstarchive.mast import ObservationsClass

    if len(observations) == 0:
        return Table()
    client = ObservationsClass(mast_url=mast_url, token=token)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*[Nn]o results.*")
            products = client.get_product_list(observations)
        if len(products) == 0:
            return Table()
        products = unique(products, keys="productFilename")
        filters: dict[str, Any] = {}
        if product_type:
            filters["productType"] = [p.upper() for p in product_type]
        if calib_level:
            filters["calib_level"] = [int(level) for level in calib_level]
        if extension:
            filters["extension"] = list(extension)
        if filters:
            products = client.filter_products(products, **filters)
    finally:
        client.close()
    products.sort("productFilename")
    return products


def file_requests(products: Any, directory: str | Path, *, mast_url: str | None = None) -> list[Any]:
    """Download-engine requests for ``products``: ``DIRECTORY/<obs_id>/<productFilename>``."""
    from jwstarchive.clients.mast_portal import mast_base_url
    from jwstarchive.download import FileRequest

    base = mast_base_url(mast_url)
    directory = Path(directory)
    requests = []
    for row in products:
        name = str(row["productFilename"])
        uri = str(row["dataURI"]) if "dataURI" in row.colnames else f"mast:JWST/product/{name}"
        size = row["size"] if "size" in row.colnames else None
        size = int(size) if size is not None and not getattr(size, "mask", False) and int(size) > 0 else None
        obs_id = str(row["obs_id"]) if "obs_id" in row.colnames else observation_id_of(name)
        url = f"{base}/api/v0.1/Download/file?uri={quote(uri, safe=':/')}"
        requests.append(FileRequest(url=url, path=directory / obs_id / name, size=size))
    return requests
