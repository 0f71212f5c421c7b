"""jwst_mast_query's selection, over our MAST client: observations → products → filters → tables.

Order of operations (as jwst_mast_query): MJD window; CAOM observation query
(``Mast.Caom.Filtered``); product query (``Mast.Caom.Products``) in batches of
``Nobs_per_batch`` observations, de-duplicated on ``productFilename``; derived columns (filetype,
sca, visit, obsnum); guide stars, calib_levels, filetypes, sort; obsnums; obsid range and list;
sca; the obs table cut to the parents of what is left; output paths and the dl_code check; the
filetype counts and the summary.
"""

from __future__ import annotations

import logging
import math
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from astropy.table import Table, vstack

from jwstarchive.config import MAST_OBS_MODES, ToolOptions
from jwstarchive.errors import InputError
from jwstarchive.naming import filetype_of, parse_filename, sca_from_obs_id

__all__ = [
    "DL_CODES",
    "Selection",
    "check_existing",
    "expand_filetypes",
    "filetype_matches",
    "instrument_names",
    "mjd_window",
    "output_path",
    "parse_limits",
    "query_observations",
    "query_products",
    "render_table",
    "save_tables",
    "select",
    "summary_table",
]

log = logging.getLogger(__name__)

#: dl_code → dl_str, as jwst_mast_query uses them (0 and NA: not downloaded yet / not checked).
DL_CODES = {0: None, 1: "downloaded", 2: "exists", 3: "ERRORNone", 4: "ERRfilesize", 6: "ERRORdel",
            7: "ERRORdownload", 9: "ERRORnotexist"}  # fmt: skip

#: Columns the flow itself needs from the observation query, whatever mastcolumns_obsTable says.
NEEDED_OBS_COLUMNS = ("proposal_id", "obsid", "obs_id", "t_min")

SERVICE_OBSERVATIONS = "Mast.Caom.Filtered"
SERVICE_PRODUCTS = "Mast.Caom.Products"

ServiceRequest = Callable[[str, dict[str, Any]], Table]
ServiceBodies = Callable[[str, dict[str, Any]], list[dict[str, Any]]]


@dataclass
class Selection:
    """What a run selected: tables and the facts printed about them."""

    observations: Table
    products: Table
    summary: Table
    filetypes: list[str]
    window: tuple[float | None, float]
    instrument_names: list[str] | None
    n_observations_found: int = 0
    n_products_found: int = 0
    product_requests: int = 0
    messages: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# limits and the time window
# ----------------------------------------------------------------------------------------------
def parse_limits(values: Sequence[Any] | str | None) -> tuple[str | None, str | None] | None:
    """``['X+']`` → (X, None); ``['X-']`` → (None, X); ``['X']`` → (X, X); ``['A', 'B']`` → (A, B).

    A single value may hold both limits separated by white space (config files write it so).

    Raises
    ------
    InputError
        For three or more values.
    """
    if values is None:
        return None
    items = values.split() if isinstance(values, str) else [str(v) for v in values]
    if len(items) == 1 and len(items[0].split()) == 2:
        items = items[0].split()
    if not items:
        return None
    if len(items) == 1:
        text = items[0].strip()
        if text.endswith("+"):
            return text[:-1], None
        if text.endswith("-") and not re.fullmatch(r"-\d+(\.\d*)?", text):
            return None, text[:-1]
        return text, text
    if len(items) == 2:
        return items[0], items[1]
    raise InputError(f"a limit is one value (with + or - at its end) or two values, got {len(items)}: {items}")


def to_mjd(text: str) -> float:
    """An MJD (``59430.5``) or an ISO date/time (``2022-05-15``, ``2021-08-11T16:49:49``) as MJD."""
    try:
        return float(text)
    except ValueError:
        pass
    from astropy.time import Time

    try:
        return float(Time(text.strip(), format="isot" if "T" in text else "iso", scale="utc").mjd)
    except ValueError:
        raise InputError(f"date {text!r} is neither an MJD nor an ISO date such as 2022-05-15T12:00:00") from None


def now_mjd() -> float:
    """The current time as MJD (UTC)."""
    return time.time() / 86400.0 + 40587.0


def mjd_window(options: ToolOptions, now: float | None = None) -> tuple[float | None, float]:
    """The t_min window ``(mjd_min, mjd_max)``; ``mjd_min`` None means no lower limit.

    date_select wins; else a propID with no time option at all searches the whole mission (our
    change: jwst_mast_query's 1-day default finds nothing for old programs); else now −
    lookbacktime (lookbacktime ≤ 0: no lower limit). A missing upper limit is now + 0.1 day.
    """
    now = now_mjd() if now is None else now
    limits = parse_limits(options.date_select) if options.date_select else None
    if limits is not None:
        lo = to_mjd(limits[0]) if limits[0] is not None else None
        hi = to_mjd(limits[1]) if limits[1] is not None else now + 0.1
        return lo, hi
    time_given = {"lookbacktime", "date_select"} & options.given
    if options.propID is not None and not time_given:
        return None, now + 0.1
    if options.lookbacktime > 0:
        return now - options.lookbacktime, now + 0.1
    return None, now + 0.1


# ----------------------------------------------------------------------------------------------
# MAST queries
# ----------------------------------------------------------------------------------------------
def _t_min_filter(window: tuple[float | None, float]) -> dict[str, Any]:
    lo, hi = window
    return {"paramName": "t_min", "values": [{"min": 0.0 if lo is None else lo, "max": hi}]}


def instrument_names(
    request: ServiceRequest, instrument: str | None, obsmode: Sequence[str] | None,
    window: tuple[float | None, float],
) -> list[str] | None:  # fmt: skip
    """The ``instrument_name`` values to ask for; None means every instrument (no instrument given).

    With modes: ``INSTR/MODE`` for each valid mode (invalid ones are dropped with a warning).
    Without (or when none is valid): the distinct names a wildcard ``<instrument>*`` query finds
    in the window.
    """
    if instrument is None:
        if obsmode:
            log.warning("--obsmode needs --instrument; searching every instrument")
        return None
    if obsmode:
        valid = MAST_OBS_MODES.get(instrument, ())
        names = []
        for mode in obsmode:
            if mode.upper() in valid:
                names.append(f"{instrument.upper()}/{mode.upper()}")
            else:
                choices = ", ".join(m.lower() for m in valid) or "none"
                log.warning("%r is not a valid %s mode and is ignored; valid modes: %s", mode, instrument, choices)
        if names:
            return names
        log.warning("no valid --obsmode: searching every %s mode", instrument)
    else:
        log.info("No obsmode given. Querying for all files for %s.", instrument)
    params = {
        "columns": "instrument_name",
        "filters": [
            {"paramName": "instrument_name", "values": [], "freeText": f"{instrument}%"},
            _t_min_filter(window),
        ],
    }
    found = request(SERVICE_OBSERVATIONS, params)
    return sorted({str(v) for v in _column(found, "instrument_name") if v is not None})


def query_observations(
    request: ServiceRequest, options: ToolOptions, window: tuple[float | None, float], names: list[str] | None
) -> Table:
    """The CAOM observation query: obs_collection JWST, instrument_name ∈ names, t_min in window, proposal."""
    columns = list(dict.fromkeys([*options.mastcolumns_obsTable, *NEEDED_OBS_COLUMNS]))
    filters: list[dict[str, Any]] = [{"paramName": "obs_collection", "values": ["JWST"]}]
    if names is not None:
        filters.append({"paramName": "instrument_name", "values": names})
    filters.append(_t_min_filter(window))
    if options.propID is not None:
        filters.append({"paramName": "proposal_id", "values": [options.propID]})
    log.debug("observation query filters: %s", filters)
    return request(SERVICE_OBSERVATIONS, {"columns": ",".join(columns), "filters": filters})


def query_products(
    request: ServiceRequest,
    obsids: Sequence[int],
    per_batch: int | None,
    jobs: int = 4,
    *,
    bodies: ServiceBodies | None = None,
) -> tuple[Table, int]:
    """Products of ``obsids`` in batches of ``per_batch`` (None: one query), de-duplicated.

    Duplicates (same productFilename) are dropped inside each batch and across batches, keeping
    the first; batches are queried ``jobs`` at a time and joined in obs-table order. With
    ``bodies`` (``Mast.service_bodies``) the answers are merged as JSON rows into one table (the
    same table, without building one per batch). Returns the table and the number of requests sent.
    """
    ids = [str(i) for i in obsids]
    if not ids:
        return Table(), 0
    size = per_batch or len(ids)
    chunks = [ids[i : i + size] for i in range(0, len(ids), size)]
    log.info("Querying products of %d observations in %d batch(es)", len(ids), len(chunks))

    def run(fn: Callable[[list[str]], Any]) -> list[Any]:
        if len(chunks) == 1 or jobs <= 1:
            return [fn(c) for c in chunks]
        with ThreadPoolExecutor(max_workers=min(jobs, len(chunks))) as pool:
            return list(pool.map(fn, chunks))

    if bodies is not None:
        pages = [page for answer in run(lambda c: bodies(SERVICE_PRODUCTS, {"obsid": ",".join(c)})) for page in answer]
        return _merged_rows(pages, "productFilename" if per_batch else None), len(chunks)

    def one(chunk: list[str]) -> Table:
        table = request(SERVICE_PRODUCTS, {"obsid": ",".join(chunk)})
        return _unique_rows(table, "productFilename") if per_batch else table

    tables = [t for t in run(one) if len(t)]
    if not tables:
        return Table(), len(chunks)
    joined = tables[0] if len(tables) == 1 else vstack(tables, join_type="outer", metadata_conflicts="silent")
    return (_unique_rows(joined, "productFilename") if per_batch else joined), len(chunks)


def _merged_rows(pages: list[dict[str, Any]], unique: str | None) -> Table:
    """Portal answers (in order) as one table; with ``unique``, the first row of each value of that field."""
    from jwstarchive.clients.mast_tables import portal_table

    fields: dict[str, dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    for page in pages:
        for item in page.get("fields") or []:
            fields.setdefault(item.get("name"), item)
        rows.extend(page.get("data") or [])
    if not rows:
        return Table()
    if unique is not None:
        seen: set[Any] = set()
        kept = []
        for row in rows:
            key = row.get(unique)
            if key not in seen:
                seen.add(key)
                kept.append(row)
        rows = kept
    return portal_table({"fields": list(fields.values()), "data": rows})


def _unique_rows(table: Table, name: str) -> Table:
    if not len(table) or name not in table.colnames:
        return table
    seen: set[Any] = set()
    keep = []
    for i, value in enumerate(table[name].tolist()):
        if value not in seen:
            seen.add(value)
            keep.append(i)
    return table if len(keep) == len(table) else table[keep]


def _column(table: Table, name: str) -> list[Any]:
    if name not in table.colnames:
        return [None] * len(table)
    col = table[name]
    values = col.tolist()
    mask = getattr(col, "mask", None)
    if mask is not None and bool(getattr(mask, "any", lambda: False)()):
        values = [None if m else v for v, m in zip(values, mask.tolist(), strict=True)]
    if col.dtype.kind not in "SO":
        return values
    return [v.decode() if isinstance(v, bytes) else v for v in values]


def _int_or_none(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    return int(value)


# ----------------------------------------------------------------------------------------------
# derived columns
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=65536)
def id_parts(obs_id: str) -> tuple[int | None, str | None, str | None]:
    """(obsnum, visit, sca) of an obs_id, by jwst_mast_query's rules.

    obsnum from exposure and guide-star ids (``jw01410003001_…`` → 3) and from the ``-oNNN`` of
    stage-3 ids; visit only from exposure ids; sca the first known detector token in the id.
    """
    obsnum = visit = None
    try:
        parsed = parse_filename(obs_id)
    except InputError:
        parsed = None
    kind = type(parsed).__name__
    if kind in ("ExposureId", "GuideStarId"):
        obsnum = int(parsed.obsnum)  # type: ignore[union-attr]
        if kind == "ExposureId":
            visit = parsed.visit  # type: ignore[union-attr]
    elif kind == "Level3Id" and re.fullmatch(r"o\d{3}", parsed.candidate or ""):  # type: ignore[union-attr]
        obsnum = int(parsed.candidate[1:])  # type: ignore[union-attr]
    else:
        match = re.match(r"^jw\d{5}(\d{3})\d{3}_", obs_id)
        obsnum = int(match.group(1)) if match else None
    return obsnum, visit, sca_from_obs_id(obs_id)


def _obsnum_of_observations(obs: Table) -> list[int | None]:
    return [id_parts(str(o))[0] if o else None for o in _column(obs, "obs_id")]


def _derive_product_columns(products: Table, obs_obsnum: dict[int, int | None]) -> None:
    names = [str(n) for n in _column(products, "productFilename")]
    obs_ids = [str(o or "") for o in _column(products, "obs_id")]
    parts = [id_parts(o) if o else (None, None, None) for o in obs_ids]
    parents = [_int_or_none(p) for p in _column(products, "parent_obsid")]
    obsnums = [p[0] if p[0] is not None else obs_obsnum.get(par) for p, par in zip(parts, parents, strict=True)]
    filetypes = [filetype_of(n) for n in names]
    products["proposal_id"] = [_int_or_none(p) for p in _column(products, "proposal_id")]
    products["obsID"] = [_int_or_none(p) for p in _column(products, "obsID")]
    products["parent_obsid"] = parents
    products["filetype"] = _objects(filetypes)
    products["sca"] = _objects([p[2] for p in parts])
    products["visit"] = _objects([p[1] for p in parts])
    products["obsnum"] = _objects(obsnums)
    products["fits"] = [bool(f and f.endswith(".fits")) for f in filetypes]
    products["jpg"] = [bool(f and f.endswith(".jpg")) for f in filetypes]


def _objects(values: list[Any]) -> Any:
    import numpy as np

    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


# ----------------------------------------------------------------------------------------------
# filters
# ----------------------------------------------------------------------------------------------
def expand_filetypes(filetypes: Sequence[str]) -> list[str]:
    """``uncal`` → ``_uncal.fits``, ``rate.jpg`` → ``_rate.jpg``; ``fits``/``jpg`` stay (any such file)."""
    out = []
    for text in filetypes:
        text = str(text).strip()
        if text in ("fits", "jpg"):
            out.append(text)
            continue
        text = text if text.startswith("_") else "_" + text
        out.append(text if "." in text else text + ".fits")
    return out


def filetype_matches(filetype: str | None, pattern: str) -> bool:
    """True when ``filetype`` ends with the expanded ``pattern`` (``rate`` ≠ ``rateints``)."""
    return bool(filetype) and filetype.endswith(pattern) and (pattern in ("fits", "jpg") or filetype == pattern)


def _keep(indices: list[int], test: Callable[[int], bool], what: str, messages: list[str]) -> list[int]:
    kept = [i for i in indices if test(i)]
    messages.append(f"{what}: keeping {len(kept)} from {len(indices)}")
    log.info("%s: keeping %d from %d", what, len(kept), len(indices))
    return kept


def _filter(products: Table, options: ToolOptions, messages: list[str]) -> tuple[list[int], list[str]]:
    names = [str(n) for n in _column(products, "productFilename")]
    filetypes = list(products["filetype"])
    idx = list(range(len(products)))
    gs = [("_gs-" in n) for n in names]
    if options.guidestar_data_only:
        idx = _keep(idx, lambda i: gs[i], "guide-star products only", messages)
    elif not options.guidestars:
        idx = _keep(idx, lambda i: not gs[i], "without guide-star products", messages)
    if options.calib_levels:
        levels = [_int_or_none(v) for v in _column(products, "calib_level")]
        wanted = [int(v) for v in options.calib_levels]
        idx = _keep(idx, lambda i: levels[i] in wanted, f"calib_levels {wanted}", messages)
    if options.filetypes:
        patterns = expand_filetypes(options.filetypes)
        messages.append(f"allowed filetype list: {patterns}")
        idx = _keep(idx, lambda i: any(filetype_matches(filetypes[i], p) for p in patterns),
                    f"filetypes {patterns}", messages)  # fmt: skip
    present = sorted({filetypes[i] for i in idx if filetypes[i]})
    idx = _sorted(products, idx, options.sortcols_productTable)
    if options.obsnums:
        wanted = [int(v) for v in options.obsnums]
        obsnums = list(products["obsnum"])
        idx = _keep(idx, lambda i: obsnums[i] in wanted, f"select obsnum {wanted}", messages)
    ids = list(products["obsID"])
    parents = list(products["parent_obsid"])
    if options.obsid_select:
        limits = parse_limits(options.obsid_select)
        assert limits is not None
        lo, hi = (int(v) if v is not None else None for v in limits)

        def inside(value: int | None) -> bool:
            return value is not None and (lo is None or value >= lo) and (hi is None or value <= hi)

        idx = _keep(idx, lambda i: inside(ids[i]) or inside(parents[i]), f"obsid cut {lo} - {hi}", messages)
    if options.obsid_list:
        wanted_ids = {int(v) for v in options.obsid_list}
        idx = _keep(idx, lambda i: ids[i] in wanted_ids or parents[i] in wanted_ids, "obsid list cut", messages)
    if options.sca:
        scas = list(products["sca"])
        idx = _keep(idx, lambda i: scas[i] in options.sca, f"select sca {options.sca}", messages)
    return idx, present


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return (1, 0)
    return (0, value)


def _sorted(table: Table, idx: list[int], columns: Sequence[str]) -> list[int]:
    cols = [c for c in columns if c in table.colnames]
    if not cols:
        return idx
    values = {c: _column(table, c) for c in cols}
    return sorted(idx, key=lambda i: tuple(_sort_key(values[c][i]) for c in cols))


# ----------------------------------------------------------------------------------------------
# output paths and the existence check
# ----------------------------------------------------------------------------------------------
def output_path(options: ToolOptions, proposal_id: int, obsnum: int | None, is_jpg: bool, filename: str) -> Path:
    """``outdir/[PPPPP/][obsnumNN/][jpg/]<filename>`` (NN zero-padded to 2; unknown obsnum: ``NA``)."""
    path = options.outdir
    if not options.skip_propID2outsubdir:
        path = path / f"{proposal_id:05d}"
    if options.obsnum2outsubdir or proposal_id in options.propIDs_obsnum2outsubdir:
        path = path / ("NA" if obsnum is None else f"obsnum{obsnum:02d}")
    if options.jpg_separate_subdir and is_jpg:
        path = path / "jpg"
    return path / filename


def check_existing(path: str | Path, size: int | None, skip_check_filesize: bool) -> tuple[int, str | None]:
    """dl_code/dl_str of a local file: 0/None missing, 2/'exists' complete, 4/'ERRfilesize' wrong size."""
    try:
        local = os.stat(path).st_size
    except FileNotFoundError:
        return 0, None
    if skip_check_filesize or size is None or local == size:
        return 2, "exists"
    return 4, "ERRfilesize"


# ----------------------------------------------------------------------------------------------
# tables
# ----------------------------------------------------------------------------------------------
_MJD_EPOCH = datetime(1858, 11, 17)


def _date_iso(mjd: Any) -> str | None:
    """MJD (UTC) → ``YYYY-MM-DDTHH:MM:SS.sss`` (astropy's isot, without its per-call cost)."""
    if mjd is None or (isinstance(mjd, float) and math.isnan(mjd)):
        return None
    moment = _MJD_EPOCH + timedelta(microseconds=round(float(mjd) * 86400e6 / 1000) * 1000)
    return moment.isoformat(timespec="milliseconds")


def summary_table(obs: Table, filetypes: Sequence[str], sortcols: Sequence[str]) -> Table:
    """One row per (proposal_id, obsnum): the filetype counts summed, date_start the earliest date_min."""
    groups: dict[tuple[int, int | None], list[int]] = {}
    proposals = _column(obs, "proposal_id")
    obsnums = _column(obs, "obsnum")
    for i in range(len(obs)):
        groups.setdefault((proposals[i], obsnums[i]), []).append(i)
    counts = {ft: _column(obs, ft) for ft in filetypes}
    date_min = _column(obs, "date_min")
    rows = []
    for (prop, num), members in groups.items():
        row: dict[str, Any] = {"proposal_id": prop, "obsnum": num}
        for ft in filetypes:
            row[ft] = sum(int(counts[ft][i] or 0) for i in members)
        dates = [d for d in (date_min[i] for i in members) if d]
        row["date_start"] = min(dates) if dates else None
        rows.append(row)
    names = ["proposal_id", "obsnum", *filetypes, "date_start"]
    table = Table({n: _objects([r[n] for r in rows]) for n in names}) if rows else Table(names=names)
    if rows:
        order = _sorted(table, list(range(len(table))), sortcols)
        table = table[order]
    return table


def _format(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return value
    if kind is int:
        return str(value)
    if value is None:
        return "NA"
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else f"{value:.6f}".rstrip("0").rstrip(".") if value % 1 else f"{value:g}"
    return str(value)


def render_table(table: Table, columns: Sequence[str] | None = None, width: int | None = None) -> str:
    """Whitespace-aligned text with a header row (no index); wrapped into blocks of ``width`` columns.

    Missing values print as ``NA``; columns the table lacks are left out. An empty table prints
    its header alone.
    """
    cols = [c for c in (columns or table.colnames) if c in table.colnames]
    if not cols:
        return ""
    cells = {c: [_format(v) for v in _column(table, c)] for c in cols}
    widths = {c: max(len(c), max(map(len, cells[c]), default=0)) for c in cols}
    blocks: list[list[str]] = [[]]
    used = 0
    for c in cols:
        if width and blocks[-1] and used + widths[c] + 1 > width:
            blocks.append([])
            used = 0
        blocks[-1].append(c)
        used += widths[c] + 1
    out = []
    for block in blocks:
        padded = [[text.rjust(widths[c]) for text in cells[c]] for c in block]
        lines = [" ".join(c.rjust(widths[c]) for c in block), *map(" ".join, zip(*padded, strict=True))]
        out.append("\n".join(lines))
    return "\n\n".join(out)


def save_tables(selection: Selection, options: ToolOptions) -> list[Path]:
    """``--savetables BASE``: BASE.selprod.txt, BASE.obs.txt, BASE.summary.txt in the output directory."""
    if not options.savetables:
        return []
    base = options.outdir
    base.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, table, columns in (
        ("selprod", selection.products, options.outcolumns_productTable),
        ("obs", selection.observations, _obs_columns(options, selection.filetypes)),
        ("summary", selection.summary, None),
    ):
        path = base / f"{options.savetables}.{suffix}.txt"
        path.write_text(render_table(table, columns) + "\n")
        log.info("Saving %d rows into %s", len(table), path)
        written.append(path)
    return written


def _obs_columns(options: ToolOptions, filetypes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys([*options.outcolumns_obsTable, *filetypes]))


# ----------------------------------------------------------------------------------------------
# the whole flow
# ----------------------------------------------------------------------------------------------
def select(
    options: ToolOptions, request: ServiceRequest, *, now: float | None = None, bodies: ServiceBodies | None = None
) -> Selection:
    """Run the query flow with ``request(service, params) -> Table`` (``Mast.service_request``).

    ``bodies`` (``Mast.service_bodies``) makes the batched product query merge JSON rows instead
    of tables (same result, faster for hundreds of batches).
    """
    window = mjd_window(options, now)
    names = instrument_names(request, options.instrument, options.obsmode, window)
    empty = Selection(Table(), Table(), Table(), [], window, names)
    if names is not None and not names:
        return empty
    obs = query_observations(request, options, window, names)
    if not len(obs):
        return empty
    found_obs = len(obs)
    obs["proposal_id"] = [_int_or_none(p) for p in _column(obs, "proposal_id")]
    obs["obsid"] = [_int_or_none(p) for p in _column(obs, "obsid")]
    obs["obsnum"] = _objects(_obsnum_of_observations(obs))
    obs["date_min"] = _objects([_date_iso(t) for t in _column(obs, "t_min")])
    obs = obs[_sorted(obs, list(range(len(obs))), options.sortcols_obsTable)]

    products, n_requests = query_products(
        request, list(obs["obsid"]), options.Nobs_per_batch, options.jobs, bodies=bodies
    )
    if not len(products):
        sel = Selection(obs[:0], products, Table(), [], window, names, found_obs, 0, n_requests)
        return sel
    _fix_obsnums(obs, products)
    _derive_product_columns(products, dict(zip(obs["obsid"], obs["obsnum"], strict=True)))
    messages: list[str] = []
    idx, present = _filter(products, options, messages)
    selected = products[idx] if idx else products[:0]
    _add_paths(selected, options)

    parents = set(selected["parent_obsid"]) if len(selected) else set()
    keep = [i for i, o in enumerate(obs["obsid"]) if o in parents]
    obs = obs[keep] if keep else obs[:0]
    _count_filetypes(obs, selected, present)
    summary = summary_table(obs, present, options.sortcols_summaryTable) if len(obs) else Table()
    return Selection(obs, selected, summary, present, window, names, found_obs, len(products), n_requests, messages)


def _fix_obsnums(obs: Table, products: Table) -> None:
    """An observation without obsnum takes the single obsnum its products' obs_ids give."""
    obsnums = list(obs["obsnum"])
    if all(n is not None for n in obsnums):
        return
    by_parent: dict[int | None, set[int]] = {}
    for parent, obs_id in zip(_column(products, "parent_obsid"), _column(products, "obs_id"), strict=True):
        num = id_parts(str(obs_id))[0] if obs_id else None
        if num is not None:
            by_parent.setdefault(_int_or_none(parent), set()).add(num)
    for i, (obsid, num) in enumerate(zip(obs["obsid"], obsnums, strict=True)):
        if num is None and len(by_parent.get(obsid, ())) == 1:
            obsnums[i] = next(iter(by_parent[obsid]))
    obs["obsnum"] = _objects(obsnums)


def _add_paths(selected: Table, options: ToolOptions) -> None:
    """outfilename, dl_code and dl_str of every selected product (one directory prefix per path rule)."""
    sizes = _column(selected, "size")
    proposals = list(selected["proposal_id"])
    obsnums = list(selected["obsnum"])
    jpgs = list(selected["jpg"])
    names = [str(n) for n in _column(selected, "productFilename")]
    prefixes: dict[tuple[int, Any, bool], str] = {}
    paths, codes, strs = [], [], []
    for prop, num, jpg, name, size in zip(proposals, obsnums, jpgs, names, sizes, strict=True):
        key = (int(prop or 0), num, bool(jpg))
        prefix = prefixes.get(key)
        if prefix is None:
            prefix = prefixes[key] = str(output_path(options, *key, "X"))[:-1]
        path = prefix + name
        paths.append(path)
        if options.skip_check_if_outfile_exists:
            codes.append(None)
            strs.append(None)
        else:
            code, text = check_existing(path, _int_or_none(size), options.skip_check_filesize)
            codes.append(code)
            strs.append(text)
    selected["outfilename"] = _objects(paths)
    selected["dl_code"] = _objects(codes)
    selected["dl_str"] = _objects(strs)


def _count_filetypes(obs: Table, selected: Table, filetypes: Sequence[str]) -> None:
    counts: dict[tuple[int, str], int] = {}
    for parent, ft in zip(_column(selected, "parent_obsid"), _column(selected, "filetype"), strict=True):
        counts[(parent, ft)] = counts.get((parent, ft), 0) + 1
    for ft in filetypes:
        obs[ft] = [counts.get((o, ft), 0) for o in obs["obsid"]]
