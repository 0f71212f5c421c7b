"""The selection flow against the real server (reference §7 items 1, 3–6, 10, 11, 15, 17–22)."""

from __future__ import annotations

import argparse
import math
from collections import Counter

import pytest
from toolrun import PROGRAM, WINDOW, Recorder

from jwstarchive.config import add_tool_options, resolve_options
from jwstarchive.workflows.select import SERVICE_OBSERVATIONS, SERVICE_PRODUCTS, Selection, select


def run(recorder: Recorder, *argv: str) -> Selection:
    parser = argparse.ArgumentParser()
    add_tool_options(parser, download=True)
    options = resolve_options(vars(parser.parse_args(list(argv))), {})
    return select(options, recorder)


def program(*argv: str) -> tuple[str, ...]:
    return ("--propID", PROGRAM, "-d", *WINDOW, *argv)


def filters(params: dict) -> dict[str, list]:
    return {f["paramName"]: f.get("values") for f in params["filters"]}


# 1 and 4. the observation query: JWST, instruments, t_min window, zero-padded proposal
def test_observation_query_filters(recorder: Recorder) -> None:
    selection = run(recorder, *program("-i", "nircam", "--obsmode", "image"))
    (params,) = recorder.of(SERVICE_OBSERVATIONS)
    sent = filters(params)
    assert sent["obs_collection"] == ["JWST"]
    assert sent["instrument_name"] == ["NIRCAM/IMAGE"]
    assert sent["t_min"] == [{"min": 60930.0, "max": 60945.0}]
    assert sent["proposal_id"] == ["06010"]
    assert len(selection.observations) > 0
    assert set(selection.observations["instrument_name"]) == {"NIRCAM/IMAGE"}
    assert set(selection.products["proposal_id"]) == {6010}


# 3. no propID: no proposal filter, every program in the window
def test_without_propid_there_is_no_proposal_filter(recorder: Recorder) -> None:
    selection = run(recorder, "-d", "59700", "59760")
    (params,) = recorder.of(SERVICE_OBSERVATIONS)
    assert "proposal_id" not in filters(params)
    assert len(set(selection.products["proposal_id"])) >= 2


# 5. instrument names from a wildcard query, or exactly the given modes
def test_instrument_without_obsmode_uses_the_wildcard_names(recorder: Recorder) -> None:
    selection = run(recorder, *program("-i", "nircam"))
    wildcard, obs_query = recorder.of(SERVICE_OBSERVATIONS)
    assert filters(wildcard)["instrument_name"] == []
    assert wildcard["filters"][0]["freeText"] == "nircam%"
    found = sorted({str(v) for v in recorder.results[0]["instrument_name"]})
    assert filters(obs_query)["instrument_name"] == found == selection.instrument_names
    assert all(name.startswith("NIRCAM") for name in found) and found


def test_obsmode_list_is_exact(recorder: Recorder) -> None:
    run(recorder, *program("-i", "nircam", "--obsmode", "image", "wfss"))
    (params,) = recorder.of(SERVICE_OBSERVATIONS)
    assert filters(params)["instrument_name"] == ["NIRCAM/IMAGE", "NIRCAM/WFSS"]


# 6. invalid modes are dropped with a warning; none valid → wildcard
def test_invalid_obsmode_is_dropped(recorder: Recorder, caplog: pytest.LogCaptureFixture) -> None:
    run(recorder, *program("-i", "nircam", "--obsmode", "image", "ifu"))
    assert filters(recorder.of(SERVICE_OBSERVATIONS)[0])["instrument_name"] == ["NIRCAM/IMAGE"]
    assert "'ifu' is not a valid nircam mode" in caplog.text


def test_all_invalid_obsmodes_fall_back_to_the_wildcard(recorder: Recorder) -> None:
    run(recorder, *program("-i", "nircam", "--obsmode", "ifu"))
    assert recorder.of(SERVICE_OBSERVATIONS)[0]["filters"][0].get("freeText") == "nircam%"


# 10. batches of Nobs_per_batch in obs-table order
@pytest.mark.parametrize("per_batch", [2, 4, 7])
def test_product_queries_are_batched(recorder: Recorder, per_batch: int) -> None:
    selection = run(recorder, *program("--Nobs_per_batch", str(per_batch)))
    batches = recorder.of(SERVICE_PRODUCTS)
    n_obs = len(recorder.results[0])
    assert len(batches) == math.ceil(n_obs / per_batch) == selection.product_requests
    ids = [i for params in batches for i in params["obsid"].split(",")]
    assert all(len(p["obsid"].split(",")) <= per_batch for p in batches)
    assert len(ids) == n_obs and len(set(ids)) == n_obs


# 11. duplicate productFilename rows are dropped (within and across batches)
def test_products_are_deduplicated(recorder: Recorder) -> None:
    selection = run(recorder, *program("-f", "fits", "jpg", "json", "--guidestars", "--Nobs_per_batch", "3"))
    raw = [str(n) for table in recorder.results[1:] for n in table["productFilename"]]
    assert len(raw) > len(set(raw))  # the server lists members under several observations
    assert selection.n_products_found == len(set(raw))
    names = list(selection.products["productFilename"])
    assert len(names) == len(set(names))


# 15. --sca
def test_sca_filter_and_a5_alias(recorder: Recorder) -> None:
    selection = run(recorder, *program("--sca", "a1", "a5"))
    assert set(selection.products["sca"]) == {"a1", "along"}


# 17. default filetypes: every FITS product, nothing else
def test_default_filetypes_are_fits(recorder: Recorder) -> None:
    selection = run(recorder, *program())
    all_types = {str(n).rsplit(".", 1)[-1] for t in recorder.results[1:] for n in t["productFilename"]}
    assert {"fits", "jpg", "json"} <= all_types
    assert {str(f).rsplit(".", 1)[-1] for f in selection.products["filetype"]} == {"fits"}
    assert len({str(f) for f in selection.products["filetype"]}) > 3


# 16 (against data). rate does not match rateints
def test_rate_is_not_rateints(recorder: Recorder) -> None:
    selection = run(recorder, *program("-f", "rate", "rate.jpg"))
    assert set(selection.products["filetype"]) <= {"_rate.fits", "_rate.jpg"}
    assert "_rate.fits" in set(selection.products["filetype"])


# 18. guide stars
def test_guide_star_products(recorder: Recorder) -> None:
    default = run(recorder, *program())
    assert not any("_gs-" in str(n) for n in default.products["productFilename"])
    both = run(recorder, *program("--guidestars"))
    names = [str(n) for n in both.products["productFilename"]]
    assert any("_gs-" in n for n in names) and any("_gs-" not in n for n in names)
    only = run(recorder, *program("--guidestar_data_only", "--guidestars"))
    assert len(only.products) and all("_gs-" in str(n) for n in only.products["productFilename"])


# 19. calib_levels
def test_calib_levels(recorder: Recorder) -> None:
    selection = run(recorder, *program("--calib_levels", "1", "3"))
    assert set(int(v) for v in selection.products["calib_level"]) == {1, 3}


# 20. obsid range and list on obsID or parent_obsid
def test_obsid_select_and_list(recorder: Recorder) -> None:
    everything = run(recorder, *program())
    ids = sorted(set(int(i) for i in everything.products["parent_obsid"]))
    middle = ids[len(ids) // 2]
    upper = run(recorder, *program("-e", f"{middle}+"))
    rows = list(zip(upper.products["obsID"], upper.products["parent_obsid"], strict=True))
    assert rows and all(int(a) >= middle or int(b) >= middle for a, b in rows)
    assert len(upper.products) < len(everything.products)
    band = run(recorder, *program("-e", str(ids[0]), str(ids[1])))
    rows = list(zip(band.products["obsID"], band.products["parent_obsid"], strict=True))
    assert rows and all(ids[0] <= int(a) <= ids[1] or ids[0] <= int(b) <= ids[1] for a, b in rows)
    listed = run(recorder, *program("--obsid_list", str(ids[0])))
    assert len(listed.products)
    rows = list(zip(listed.products["obsID"], listed.products["parent_obsid"], strict=True))
    assert all(ids[0] in (int(a), int(b)) for a, b in rows)


# 21. the obs table holds the parents of selected products, by date
def test_obs_table_is_the_parents_sorted_by_date(recorder: Recorder) -> None:
    selection = run(recorder, *program("--sca", "a2"))
    parents = {int(p) for p in selection.products["parent_obsid"]}
    assert {int(o) for o in selection.observations["obsid"]} == parents
    dates = list(selection.observations["date_min"])
    assert dates == sorted(dates)
    assert len(selection.observations) < selection.n_observations_found


# 22. summary per (proposal, obsnum) with filetype counts and the first date
def test_summary_counts(recorder: Recorder) -> None:
    selection = run(recorder, *program("-f", "uncal", "cal"))
    summary = selection.summary
    assert summary.colnames == ["proposal_id", "obsnum", "_cal.fits", "_uncal.fits", "date_start"]
    products = selection.products
    counts = Counter(
        (int(p), o, str(f))
        for p, o, f in zip(products["proposal_id"], products["obsnum"], products["filetype"], strict=True)
    )
    obs = selection.observations
    for row in summary:
        key = (int(row["proposal_id"]), row["obsnum"])
        assert row["_uncal.fits"] == counts[(*key, "_uncal.fits")]
        assert row["_cal.fits"] == counts[(*key, "_cal.fits")]
        obs_dates = [
            d for d, p, o in zip(obs["date_min"], obs["proposal_id"], obs["obsnum"], strict=True) if (int(p), o) == key
        ]
        assert row["date_start"] == min(obs_dates)
    assert sum(int(v) for v in summary["_uncal.fits"]) == counts_total(selection, "_uncal.fits")


def counts_total(selection: Selection, filetype: str) -> int:
    return sum(1 for f in selection.products["filetype"] if f == filetype)


# 13 (against data). level-3 products take their observation's obsnum
def test_level3_products_have_obsnum(recorder: Recorder) -> None:
    selection = run(recorder, *program("--calib_levels", "3"))
    assert len(selection.products) and all(o is not None for o in selection.products["obsnum"])
    assert all(v is None for v in selection.products["visit"])
