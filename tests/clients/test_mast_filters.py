"""Criteria, SI keyword and product filters of the MAST client (pure functions, no server)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import MaskedColumn, Table

from jwstarchive.clients.mast_filters import criteria_filters, filter_products
from jwstarchive.clients.mast_tables import merged_table
from jwstarchive.errors import InputError
from jwstarchive.mast import keyword_filters

CONFIG = {
    "obs_collection": {"vot.datatype": "char", "separator": ";"},
    "instrument_name": {"vot.datatype": "char"},
    "proposal_id": {"vot.datatype": "char"},
    "calib_level": {"vot.datatype": "int"},
    "t_min": {"vot.datatype": "double"},
}


def test_keyword_filters_turn_the_tutorial_dict_into_mast_filters() -> None:
    filters = keyword_filters(
        {
            "category": ["COM", "ERS"],
            "exp_type": ["NIS_SOSS"],
            "tsovisit": True,
            "date_obs_mjd": [("2022-06-01", "2022-08-04")],
        }
    )
    assert filters == [
        {"paramName": "category", "values": ["COM", "ERS"]},
        {"paramName": "exp_type", "values": ["NIS_SOSS"]},
        {"paramName": "tsovisit", "values": ["T"]},
        {"paramName": "date_obs_mjd", "values": [{"min": 59731.0, "max": 59795.0}]},
    ]


def test_keyword_ranges_take_strings_dicts_and_send_dates_to_the_mjd_twin() -> None:
    keywords = ["date_obs", "date_obs_mjd", "duration", "exp_type"]
    filters = keyword_filters({"DATE_OBS": "2022-06-01..2022-06-02", "duration": {"min": 1, "max": 5}}, keywords)
    assert filters[0] == {"paramName": "date_obs_mjd", "values": [{"min": 59731.0, "max": 59732.0}]}
    assert filters[1] == {"paramName": "duration", "values": [{"min": 1, "max": 5}]}


def test_unknown_keyword_names_the_nearest_valid_one() -> None:
    with pytest.raises(InputError, match="Did you mean 'exp_type'"):
        keyword_filters({"exptype": "NIS_SOSS"}, ["exp_type", "category", "date_obs_mjd"])


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"date_obs_mjd": ("2022-06-01",)}, "range tuple is \\(min, max\\)"),
        ({"date_obs_mjd": {"min": 1}}, "needs both 'min' and 'max'"),
        ({"date_obs_mjd": "soon..later"}, "neither a number nor an ISO date"),
        ({"exp_type": []}, "has no values"),
    ],
)
def test_bad_keyword_values_say_what_to_change(criteria: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        keyword_filters(criteria)


def test_criteria_filters_follow_astroquery_shapes() -> None:
    filters = criteria_filters(
        {"obs_collection": "JWST", "proposal_id": 2733, "instrument_name": "MIRI*", "t_min": [59700, 59800]}, CONFIG
    )
    assert filters == [
        {"paramName": "obs_collection", "values": ["JWST"], "separator": ";"},
        {"paramName": "proposal_id", "values": ["2733"]},
        {"paramName": "instrument_name", "values": [], "freeText": "MIRI%"},
        {"paramName": "t_min", "values": [{"min": 59700, "max": 59800}]},
    ]


def test_unknown_criterion_suggests_the_nearest_column() -> None:
    with pytest.raises(InputError, match=r"Unknown criterion 'oops_collection'\. Did you mean 'obs_collection'"):
        criteria_filters({"oops_collection": "JWST"}, CONFIG)


def test_continuous_criterion_needs_a_range() -> None:
    with pytest.raises(InputError, match="'t_min' is continuous"):
        criteria_filters({"t_min": "yesterday"}, CONFIG)


def _products() -> Table:
    return Table(
        [
            MaskedColumn(
                ["a_cal.fits", "b_rate.fits", "c_asn.json", "d_gs_uncal.fits", "e.jpg"], name="productFilename"
            ),
            MaskedColumn(["SCIENCE", "SCIENCE", "INFO", "AUXILIARY", "PREVIEW"], name="productType"),
            MaskedColumn([2, 2, 3, 1, 1], name="calib_level"),
            MaskedColumn([100, 200, 5, 50, 7], name="size"),
            MaskedColumn(
                ["Minimum Recommended Products", "", "", "", ""],
                mask=[False, True, True, True, True],
                name="productGroupDescription",
            ),
        ]
    )


def test_filter_products_or_within_and_across_columns() -> None:
    kept = filter_products(_products(), productType=["science", "INFO"], calib_level=[2, 3])
    assert list(kept["productFilename"]) == ["a_cal.fits", "b_rate.fits", "c_asn.json"]


def test_filter_products_negation_ranges_and_comparisons() -> None:
    products = _products()
    assert list(filter_products(products, productType="!AUXILIARY", size="6..150")["productFilename"]) == [
        "a_cal.fits",
        "e.jpg",
    ]
    assert list(filter_products(products, size=[">=200", "<6"])["productFilename"]) == ["b_rate.fits", "c_asn.json"]
    assert len(filter_products(products, calib_level="!1")) == 3


def test_filter_products_extension_and_mrp() -> None:
    products = _products()
    assert list(filter_products(products, extension=["_CAL.fits", "json"])["productFilename"]) == [
        "a_cal.fits",
        "c_asn.json",
    ]
    assert list(filter_products(products, mrp_only=True)["productFilename"]) == ["a_cal.fits"]


def test_filter_products_unknown_column_and_bad_number() -> None:
    with pytest.raises(InputError, match="Did you mean 'productType'"):
        filter_products(_products(), product_type="SCIENCE")
    with pytest.raises(InputError, match="numeric filter 'big'"):
        filter_products(_products(), size="big")
    assert isinstance(filter_products(_products(), size=np.int64(100)), Table)


# -- real MAST responses (astroquery's recorded fixtures, read from the installed package) -----------


def _recorded(name: str) -> dict:
    import json

    import astroquery.mast

    path = Path(astroquery.mast.__file__).parent / "tests" / "data" / name
    if not path.is_file():
        pytest.skip(f"astroquery's recorded {name} is not installed")
    return json.loads(path.read_text())


def test_real_caom_response_converts_with_declared_types() -> None:
    body = _recorded("caom.json")
    table = merged_table([body])
    assert len(table) == len(body["data"]) > 0
    assert "_selected_" not in table.colnames
    declared = {f["name"]: f["type"] for f in body["fields"]}
    for name in table.colnames:
        kind = {"string": "U", "float": "f", "double": "f", "int": "i", "long": "i", "boolean": "b"}.get(
            declared[name].lower()
        )
        if kind:
            assert table[name].dtype.kind == kind, name


def test_real_count_and_products_responses() -> None:
    count = merged_table([_recorded("countsResp.json")])
    assert int(count[count.colnames[0]][0]) == 599
    products = merged_table([_recorded("products.json")])
    assert {"productFilename", "dataURI", "productType"} <= set(products.colnames)
    kept = filter_products(products, productType="SCIENCE")
    assert 0 < len(kept) < len(products)


def test_real_columnsconfig_builds_filters() -> None:
    config = {k: v for k, v in _recorded("columnsconfig.json").items() if isinstance(v, dict)}
    filters = criteria_filters({"obs_collection": ["HST", "JWST"], "t_min": [50000, 60000]}, config)
    assert filters[0]["separator"] == ";" and filters[0]["values"] == ["HST", "JWST"]
    assert filters[1] == {"paramName": "t_min", "values": [{"min": 50000, "max": 60000}]}
