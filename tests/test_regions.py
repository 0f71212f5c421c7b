"""Tests for jwstarchive.regions: the one STC-S parser both the sky plot and the duplication screen use."""

from __future__ import annotations

import pytest

from jwstarchive.errors import InputError
from jwstarchive.regions import Region, parse_stcs, separation_arcsec
from jwstarchive.workflows.footprints import field_overlap


def test_polygon_with_and_without_frame() -> None:
    plain = parse_stcs("POLYGON 10 20 10.1 20 10.1 20.1")
    assert plain == Region(polygons=(((10.0, 20.0), (10.1, 20.0), (10.1, 20.1)),))
    assert parse_stcs("Polygon ICRS 10 20 10.1 20 10.1 20.1") == plain
    assert parse_stcs("polygon icrs geocenter spherical2 10 20 10.1 20 10.1 20.1") == plain
    assert plain.has_area and not plain.empty


def test_circle_position_and_several_shapes_in_a_row() -> None:
    region = parse_stcs("CIRCLE ICRS 10 20 0.05 POSITION FK5 11 21 POLYGON J2000 1 2 3 4 5 6 POLYGON 7 8 9 10 11 12")
    assert region.circles == ((10.0, 20.0, 0.05),)
    assert region.points == ((11.0, 21.0),)
    assert [len(p) for p in region.polygons] == [3, 3]
    assert region.positions()[:3] == [(1.0, 2.0), (3.0, 4.0), (5.0, 6.0)]
    only_point = parse_stcs("POSITION ICRS 10 20")
    assert not only_point.empty and not only_point.has_area, "a point covers no sky"


def test_box_becomes_its_four_corners() -> None:
    (corners,) = parse_stcs("BOX ICRS 30 60 1 2").polygons
    ras, decs = [c[0] for c in corners], [c[1] for c in corners]
    assert sorted(set(decs)) == [59.0, 61.0]
    # 1 degree on the sky at Dec 60 spans 2 degrees of RA.
    assert min(ras) == pytest.approx(29.0) and max(ras) == pytest.approx(31.0)


def test_ra_wraps_around_zero() -> None:
    (corners,) = parse_stcs("BOX ICRS 0 0 0.02 0.02").polygons
    assert sorted({round(c[0], 6) for c in corners}) == [0.01, 359.99]
    assert parse_stcs("POSITION -10 5").points == ((350.0, 5.0),)
    assert parse_stcs("CIRCLE 370 5 1").circles == ((10.0, 5.0, 1.0),)
    # A 72" square straddling RA 0 still covers a 72" field centred on RA 0 (and RA 360).
    square = parse_stcs("POLYGON ICRS 0.01 0.01 359.99 0.01 359.99 -0.01 0.01 -0.01")
    assert field_overlap(0.0, 0.0, 72.0, 72.0, square) == pytest.approx(1.0, abs=0.03)
    assert field_overlap(360.0, 0.0, 72.0, 72.0, square) == pytest.approx(1.0, abs=0.03)
    assert separation_arcsec(359.999, 0.0, 0.001, 0.0) == pytest.approx(7.2)


def test_no_shape_gives_an_empty_region() -> None:
    for text in (None, "", "   ", "nothing here", "--"):
        assert parse_stcs(text).empty
        assert parse_stcs(text, strict=False).empty
    assert field_overlap(10.0, 0.0, 72.0, 72.0, Region()) == 0.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("POLYGON 1 2 3", "POLYGON needs 3 or more ra dec pairs"),
        ("POLYGON ICRS 1 2 3 4 5 6 7", "POLYGON needs 3 or more ra dec pairs"),
        ("CIRCLE ICRS 10 20", "CIRCLE needs ra dec radius"),
        ("CIRCLE ICRS 10 20 -1", r"radius >= 0"),
        ("BOX ICRS 10 20 1", "BOX needs ra dec width height"),
        ("POSITION 10", "POSITION needs ra dec"),
        ("POSITION 10 95", r"within \[-90, 90\]"),
        ("CIRCLE GALACTIC 10 20 1", "frame GALACTIC is not supported"),
        ("POLYGON ICRS 1 2 3 x 5 6", "'x' is neither a number nor a frame word"),
        ("POLYGON ICRS 1 2 3 nan 5 6", "'nan' is neither a number"),
    ],
)
def test_strict_refuses_bad_shapes_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_stcs(text)


def test_lenient_skips_bad_shapes_and_keeps_the_rest() -> None:
    text = "POLYGON 1 2 3 CIRCLE GALACTIC 10 20 1 POSITION 10 95 POLYGON ICRS (1 2 3 x 4 5 6)"
    region = parse_stcs(text, strict=False)
    assert region.polygons == (((1.0, 2.0), (3.0, 4.0), (5.0, 6.0)),)
    assert region.circles == ((10.0, 20.0, 1.0),), "the lenient reader keeps shapes in frames it does not check"
    assert region.points == ()
    assert parse_stcs("POLYGON 1 2 3", strict=False).empty


def test_separation() -> None:
    assert separation_arcsec(10.0, 20.0, 10.0, 20.0) == 0.0
    assert separation_arcsec(0.0, 0.0, 0.0, 1.0) == pytest.approx(3600.0)
    assert separation_arcsec(0.0, 60.0, 1.0, 60.0) == pytest.approx(1800.0, rel=1e-3)
    assert separation_arcsec(0.0, 90.0, 180.0, -90.0) == pytest.approx(180 * 3600.0)
