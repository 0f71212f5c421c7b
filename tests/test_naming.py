"""Tests for jwstarchive.naming: identifier grammar round trips, refusals, and the instrument tables."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from jwstarchive import naming
from jwstarchive.errors import InputError
from jwstarchive.naming import (
    ASN_TYPES,
    DETECTORS,
    EXP_TYPES,
    FILTERS,
    GUIDE_STAR_FUNCTIONS,
    INSTRUMENTS,
    MODES,
    PRODUCT_SUFFIXES,
    READOUT_PATTERNS,
    SUBARRAYS,
    AssociationId,
    ExposureId,
    GuideStarId,
    Level3Id,
    PoolId,
    parse_association_id,
    parse_exposure_id,
    parse_filename,
    parse_guide_star_id,
    parse_level3_id,
    parse_pool_id,
    product_info,
)

DATA = Path(__file__).parent / "data" / "naming"
SHARED = Path("/work/shared")
KINDS = {
    "exposure": ExposureId,
    "level3": Level3Id,
    "association": AssociationId,
    "pool": PoolId,
    "guidestar": GuideStarId,
}


def _seen() -> list[tuple[str, str, str]]:
    rows = []
    for line in (DATA / "seen_identifiers.txt").read_text().splitlines():
        body, _, comment = line.partition("#")
        if not body.strip():
            continue
        kind, ident = body.split()
        rows.append((kind, ident, comment.strip()))
    return rows


SEEN = _seen()
SEEN_VALID = [(k, i) for k, i, _ in SEEN if k != "invalid"]
SEEN_INVALID = [(i, c) for k, i, c in SEEN if k == "invalid"]


# ---------------------------------------------------------------------------------------------------------
# identifiers seen in the references and seeds
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "ident"), SEEN_VALID, ids=[i for _, i in SEEN_VALID])
def test_seen_identifier_round_trips(kind: str, ident: str) -> None:
    parsed = parse_filename(ident)
    assert isinstance(parsed, KINDS[kind])
    assert parsed.format() == ident
    assert str(parsed) == ident


@pytest.mark.parametrize(("ident", "why"), SEEN_INVALID, ids=[i for i, _ in SEEN_INVALID])
def test_seen_invalid_identifier_refused(ident: str, why: str) -> None:
    assert why, "every invalid entry says why"
    with pytest.raises(InputError) as info:
        parse_filename(ident)
    assert ident in info.value.message


def test_seen_list_covers_every_identifier_in_shared_texts() -> None:
    files = sorted((SHARED / "seeds").glob("*")) + sorted((SHARED / "reference").glob("*.md"))
    if not files:
        pytest.skip("shared reference texts not present")
    found = set()
    for path in files:
        found.update(re.findall(r"jw[0-9][0-9a-z_.-]+", path.read_text(errors="replace")))
    listed = {ident for _, ident, _ in SEEN}
    assert found - listed == set()


# ---------------------------------------------------------------------------------------------------------
# systematic round trips
# ---------------------------------------------------------------------------------------------------------
def _exposure_names() -> list[str]:
    base = ExposureId("01410", "001", "001", "02", "1", "01", "00001")
    names = []
    exposure_suffixes = [s for s in PRODUCT_SUFFIXES if s.exposure_level is not None]
    for det in DETECTORS:
        ident = replace(base, detector=det.name)
        names.append(ident.format())
        for suffix in exposure_suffixes:
            candidate = "o001" if suffix.exposure_level == "2c" else None
            names.append(ident.filename(suffix.name, suffix.extension, candidate=candidate))
        for suffix in ("uncal", "rate", "cal"):
            names.append(ident.filename(suffix, "jpg"))
            names.append(ident.filename(suffix, "jpg", thumb=True))
        seg = replace(ident, segment="004")
        names += [seg.filename("rateints"), seg.filename("calints"), seg.filename("x1dints")]
        names.append(ident.filename("crf", candidate="c1005"))
        names.append(ident.filename("crf", "jpg", candidate="o001", thumb=True))
    # other visit groups, parallel sequences, base-36 activities, large numbers
    for seq in ("03102", "0210r", "1120a", "99599", "05201"):
        names.append(f"jw99999999999_{seq}_99999_nrcb4_cal.fits")
    return names


@pytest.mark.parametrize("name", _exposure_names())
def test_exposure_round_trip(name: str) -> None:
    parsed = parse_exposure_id(name)
    assert parsed.format() == name
    assert parse_filename(name) == parsed
    assert parsed.observation_id == name.split(".")[0][: len(parsed.observation_id)]


def _level3_names() -> list[str]:
    names = []
    for i, mode in enumerate(MODES):
        if not mode.level3_products:
            continue
        inst = mode.instrument.lower()
        target = "s00017" if mode.name in ("NIRSPEC/MSA", "NIRCAM/WFSS", "NIRISS/WFSS") else f"t{i + 1:03d}"
        for config in mode.configurations:
            elements = naming.optical_elements(mode.name, config)
            ident = Level3Id("01410", f"o{i + 1:03d}", target, inst, elements)
            names.append(ident.format())
            for suffix in mode.level3_products:
                record = naming.get_product_suffix(suffix)
                names.append(ident.filename(suffix, record.extension))
            names.append(ident.filename(mode.level3_products[0], "jpg"))
            names.append(ident.filename(mode.level3_products[0], "jpg", thumb=True))
        for sub in mode.subarrays:
            if sub != "FULL":
                elements = naming.optical_elements(mode.name, mode.configurations[0], sub)
                names.append(
                    Level3Id("01410", "c1001", "t001", inst, elements).filename(mode.level3_products[0])
                )
    names += [
        "jw01410-a3001_t001-epoch1_nircam_clear-f200w_i2d.fits",
        "jw01410-r0001_b000123456_nirspec_f170lp-g235m_s2d.fits",
        "jw01410-o001_v000000001_nirspec_f170lp-g235m_x1d.fits",
        "jw01163-o001_t001_nircam_f212n-wlp8-nrca3_wfscmb-01.fits",
    ]
    return names


LEVEL3_NAMES = _level3_names()


@pytest.mark.parametrize("name", LEVEL3_NAMES)
def test_level3_round_trip(name: str) -> None:
    parsed = parse_level3_id(name)
    assert parsed.format() == name
    assert parse_filename(name) == parsed


def test_level3_generated_enough() -> None:
    assert len(LEVEL3_NAMES) > 300


def _association_names() -> list[str]:
    names = []
    for i, atype in enumerate(ASN_TYPES):
        for cand in ("o107", "c1005", "a3001"):
            names.append(f"jw01063-{cand}_20220328t013707_{atype}_{i:03d}_asn.json")
        names.append(f"jw02107-o039_20230217t145000_{atype}_{i:05d}_asn.json")
    names += ["jw01063_20220328t013707_pool.csv", "jw00001_20991231t235959_pool.csv"]
    return names


@pytest.mark.parametrize("name", _association_names())
def test_association_and_pool_round_trip(name: str) -> None:
    parsed = parse_filename(name)
    assert isinstance(parsed, AssociationId | PoolId)
    assert parsed.format() == name
    parser = parse_pool_id if isinstance(parsed, PoolId) else parse_association_id
    assert parser(name) == parsed


def _guide_star_names() -> list[str]:
    names = []
    for function in GUIDE_STAR_FUNCTIONS:
        for suffix in ("uncal", "cal"):
            if function.token == "gs-id":
                for product in ("image", "stacked"):
                    for attempt in "18":
                        names.append(f"jw01410001001_gs-id_{attempt}_{product}-{suffix}.fits")
            else:
                names.append(f"jw01410001001_{function.token}_2022044225832_{suffix}.fits")
                names.append(f"jw02734001001_{function.token}_2023001000000-seg002_{suffix}.fits")
    return names


@pytest.mark.parametrize("name", _guide_star_names())
def test_guide_star_round_trip(name: str) -> None:
    parsed = parse_guide_star_id(name)
    assert parsed.format() == name
    assert parse_filename(name) == parsed
    info = product_info(name)
    assert info.product_type == "AUXILIARY"
    assert info.file_type == parsed.code
    assert info.file_type.startswith("GS-")
    assert info.calib_level == (1 if name.endswith("uncal.fits") else 2)


# ---------------------------------------------------------------------------------------------------------
# parts, properties and inverses
# ---------------------------------------------------------------------------------------------------------
def test_exposure_parts() -> None:
    exp = parse_exposure_id("jw02734001001_04101_00001-seg004_nis_rate.fits")
    assert (exp.program, exp.obsnum, exp.visit) == ("02734", "001", "001")
    assert (exp.visit_group, exp.parallel_seq, exp.activity, exp.exposure) == ("04", "1", "01", "00001")
    assert exp.segment == "004"
    assert exp.detector == "nis"
    assert exp.instrument == "NIRISS"
    assert (exp.suffix, exp.extension, exp.thumb, exp.candidate) == ("rate", "fits", False, None)
    assert exp.visit_id == "02734001001"
    assert exp.file_set_name == "jw02734001001_04101_00001-seg004"
    assert exp.observation_id == "jw02734001001_04101_00001-seg004_nis"
    assert exp.base().format() == exp.observation_id


def test_exposure_from_parts() -> None:
    exp = ExposureId(
        program="01410",
        obsnum="001",
        visit="001",
        visit_group="02",
        parallel_seq="1",
        activity="01",
        exposure="00001",
        detector="nrca1",
    )
    assert exp.filename("uncal") == "jw01410001001_02101_00001_nrca1_uncal.fits"
    assert exp.filename("cal", "jpg", thumb=True) == "jw01410001001_02101_00001_nrca1_cal_thumb.jpg"
    assert exp.filename("crf", candidate="o001") == "jw01410001001_02101_00001_nrca1_o001_crf.fits"
    assert exp.visit_id == "01410001001"
    assert exp.file_set_name == "jw01410001001_02101_00001"
    assert not exp.planned


def test_planned_exposure() -> None:
    exp = parse_exposure_id("jw96854009004_xxxxx_00003-00003_nircam")
    assert exp.planned
    assert exp.exposure_last == "00003"
    assert exp.instrument == "NIRCAM"
    planned = parse_exposure_id("jw01714001006_xx10n_00003_miri")
    assert (planned.visit_group, planned.parallel_seq, planned.activity) == ("xx", "1", "0n")


def test_level3_parts() -> None:
    l3 = parse_level3_id("jw00777-c1005_t005_nircam_f277w-sub160_i2d_thumb.jpg")
    assert l3.candidate == "c1005"
    assert l3.target == "t005"
    assert l3.elements == ("f277w",)
    assert l3.subarray == "sub160"
    assert (l3.suffix, l3.thumb, l3.extension) == ("i2d", True, "jpg")
    assert l3.obsnum is None
    assert l3.observation_id == "jw00777-c1005_t005_nircam_f277w-sub160"
    src = parse_level3_id("jw01345-o002_s00017_nirspec_f170lp-g235m")
    assert src.is_source
    assert src.obsnum == "002"
    assert src.elements == ("f170lp", "g235m")
    wfs = parse_level3_id("jw01163-o001_t001_nircam_f212n-wlp8-nrca3_wfscmb-01.fits")
    assert (wfs.suffix, wfs.act_id) == ("wfscmb", "01")
    assert Level3Id("02739", "o001", "t001", "nircam", ("clear", "f444w")).filename("cat", "ecsv") == (
        "jw02739-o001_t001_nircam_clear-f444w_cat.ecsv"
    )


def test_association_parts() -> None:
    asn = parse_association_id("jw01166-o091_20220505t044658_wfs-image2_058_asn.json")
    assert (asn.program, asn.candidate, asn.version) == ("01166", "o091", "20220505t044658")
    assert (asn.asn_type, asn.counter, asn.level) == ("wfs-image2", "058", 2)
    pool = parse_pool_id("jw01063_20220328t013707_pool.csv")
    assert (pool.program, pool.version) == ("01063", "20220328t013707")


def test_guide_star_parts() -> None:
    gs = parse_guide_star_id("jw01410001001_gs-fg_2022044225832_uncal.fits")
    assert (gs.visit_id, gs.function, gs.time, gs.suffix) == (
        "01410001001",
        "gs-fg",
        "2022044225832",
        "uncal",
    )
    assert gs.exp_type == "FGS_FINEGUIDE"
    gid = parse_guide_star_id("jw01410001001_gs-id_3_stacked-cal.fits")
    assert (gid.attempt, gid.id_product, gid.suffix, gid.exp_type) == ("3", "stacked", "cal", "FGS_ID-STACK")
    assert GuideStarId("01410", "001", "001", "gs-track", time="2022044225832").format() == (
        "jw01410001001_gs-track_2022044225832_uncal.fits"
    )


# ---------------------------------------------------------------------------------------------------------
# product_info
# ---------------------------------------------------------------------------------------------------------
FITS, JPEG = "application/fits", "image/jpeg"
PRODUCT_CASES = [
    ("jw01410001001_02101_00001_nrca1_uncal.fits", "uncal", "UNCAL", 1, "SCIENCE", FITS),
    ("jw01410001001_02101_00001_nrca1_rate.fits", "rate", "RATE", 2, "SCIENCE", FITS),
    ("jw01410001001_02101_00001_nrca1_rateints.fits", "rateints", "RATEINTS", 2, "SCIENCE", FITS),
    ("jw01410001001_02101_00001_nrca1_cal.jpg", "cal", "CAL", 2, "PREVIEW", JPEG),
    ("jw01410001001_02101_00001_nrca1_cal_thumb.jpg", "cal", "CAL", 2, "THUMBNAIL", JPEG),
    ("jw01410001001_02101_00001_nrca1_o001_crf.fits", "crf", "CRF", 2, "SCIENCE", FITS),
    ("jw00601004001_02102_00001_nrcb1_trapsfilled.fits", "trapsfilled", "TRAPSFILLED", 2, "SCIENCE", FITS),
    ("jw02734001001_04101_00001-seg004_nis_x1dints.fits", "x1dints", "X1DINTS", 2, "SCIENCE", FITS),
    ("jw02739-o001_t001_nircam_clear-f444w_i2d.fits", "i2d", "I2D", 3, "SCIENCE", FITS),
    ("jw02739-o001_t001_nircam_clear-f444w_i2d_thumb.jpg", "i2d", "I2D", 3, "THUMBNAIL", JPEG),
    ("jw02739-o001_t001_nircam_clear-f444w_segm.fits", "segm", "SEGM", 3, "SCIENCE", FITS),
    ("jw02739-o001_t001_nircam_clear-f444w_cat.ecsv", "cat", "CAT", 3, "SCIENCE", "text/plain"),
    ("jw01864-c1003_t003_nirspec_g395h-f290lp_s3d.fits", "s3d", "S3D", 3, "SCIENCE", FITS),
    ("jw01345-o002_s00017_nirspec_f170lp-g235m_s2d.fits", "s2d", "S2D", 3, "SCIENCE", FITS),
    ("jw01063-o107_20220328t013707_image2_144_asn.json", "asn", "ASN", 2, "INFO", "application/json"),
    ("jw01063-o107_20220328t013707_image3_00001_asn.json", "asn", "ASN", 3, "INFO", "application/json"),
    ("jw01063_20220328t013707_pool.csv", "pool", "POOL", 3, "INFO", "text/csv"),
    ("jw01410001001_gs-fg_2022044225832_uncal.fits", "uncal", "GS-FG", 1, "AUXILIARY", FITS),
    ("jw01410001001_gs-acq2_2022044225832_cal.fits", "cal", "GS-ACQ2", 2, "AUXILIARY", FITS),
    ("jw01410001001_gs-id_1_image-uncal.fits", "uncal", "GS-ID", 1, "AUXILIARY", FITS),
]


@pytest.mark.parametrize(
    ("name", "suffix", "code", "level", "ptype", "ctype"), PRODUCT_CASES, ids=[c[0] for c in PRODUCT_CASES]
)
def test_product_info(name: str, suffix: str, code: str, level: int, ptype: str, ctype: str) -> None:
    info = product_info(name)
    assert (info.suffix, info.file_type, info.calib_level, info.product_type, info.content_type) == (
        suffix,
        code,
        level,
        ptype,
        ctype,
    )
    assert info.extension == name.rsplit(".", 1)[1]
    assert info.filename == name


def test_product_info_accepts_uri_and_path() -> None:
    uri = "mast:JWST/product/jw02733002001_02103_00001_mirimage_cal.fits"
    assert product_info(uri).filename == "jw02733002001_02103_00001_mirimage_cal.fits"
    assert product_info("/data/01410/jw01410001001_02101_00001_nrca1_uncal.fits").calib_level == 1


@pytest.mark.parametrize(
    "name",
    ["jw01410001001_02101_00001_nrca1", "jw01864-c1003_t003_nirspec_g395h-f290lp_s3d"],
    ids=["no-suffix", "no-extension"],
)
def test_product_info_refuses_non_files(name: str) -> None:
    with pytest.raises(InputError, match="not a product file name"):
        product_info(name)


def test_product_suffix_table() -> None:
    names = {s.name for s in PRODUCT_SUFFIXES}
    required = {
        *("uncal", "rate", "rateints", "cal", "calints", "crf", "crfints", "i2d", "s2d", "s3d", "x1d"),
        *("x1dints", "trapsfilled", "segm", "cat", "asn", "pool", "ramp", "jump", "fitopt", "dark", "whtlt"),
        *("psfstack", "psfalign", "psfsub", "ami", "amiavg", "aminorm", "c1d", "bsub", "wfscmb"),
    }
    assert required <= names
    for record in PRODUCT_SUFFIXES:
        assert record.code == record.name.upper()
        assert record.exposure_level in (None, "1b", "2a", "2b", "2c")
        assert record.extension in naming.CONTENT_TYPES
        assert record.product_type in naming.PRODUCT_TYPES


def test_unknown_suffix_lists_near_matches() -> None:
    with pytest.raises(InputError) as info:
        naming.get_product_suffix("rateint")
    assert "'rateint'" in info.value.message
    assert "'rateints'" in info.value.message
    with pytest.raises(InputError) as info:
        parse_exposure_id("jw01410001001_02101_00001_nrca1_calint.fits")
    assert "'calint'" in info.value.message
    assert "'calints'" in info.value.message


@pytest.mark.parametrize(
    ("text", "expanded"),
    [("uncal", "_uncal.fits"), ("_rate", "_rate.fits"), ("rate.jpg", "_rate.jpg"), ("_cal.jpg", "_cal.jpg"),
     ("asn.json", "_asn.json"), ("fits", "fits"), ("jpg", "jpg"), ("json", "_json.fits")],
)  # fmt: skip
def test_expand_filetype(text: str, expanded: str) -> None:
    assert naming.expand_filetype(text) == expanded


@pytest.mark.parametrize(
    ("name", "filetype"),
    [("jw01410001001_02101_00001_nrca1_uncal.fits", "_uncal.fits"),
     ("jw02739-o001_t001_nircam_clear-f444w_i2d_thumb.jpg", "_thumb.jpg"),
     ("jw01063-o107_20220328t013707_image2_144_asn.json", "_asn.json"),
     ("jw01410001001_02101_00001_nrca1", None)],
)  # fmt: skip
def test_filetype_of(name: str, filetype: str | None) -> None:
    assert naming.filetype_of(name) == filetype


# ---------------------------------------------------------------------------------------------------------
# malformed identifiers: each names the wrong part
# ---------------------------------------------------------------------------------------------------------
BAD = [
    ("jw0141x001001_02101_00001_nrca1", "program must be 5 digits, got '0141x'"),
    ("jw01410a01001_02101_00001_nrca1", "observation number must be 3 digits, got 'a01'"),
    ("jw0141000100x_02101_00001_nrca1", "visit number must be 3 digits, got '00x'"),
    ("jw0141000100_02101_00001_nrca1", "visit id must be 11 digits"),
    ("jw014100010011_02101_00001_nrca1", "visit id must be 11 digits"),
    ("jw01410001001_0210_00001_nrca1", "visit group/sequence/activity field must be 5 characters"),
    ("jw01410001001_a2101_00001_nrca1", "visit group must be 2 digits, got 'a2'"),
    ("jw01410001001_02a01_00001_nrca1", "parallel sequence must be 1 digit"),
    ("jw01410001001_021-1_00001_nrca1", "activity must be 2 base-36 characters"),
    ("jw01410001001_02101_0001_nrca1", "exposure number must be 5 digits, got '0001'"),
    ("jw01410001001_02101_0000a_nrca1", "exposure number must be 5 digits, got '0000a'"),
    ("jw01410001001_02101_00001-seg04_nrca1", "segment must be 3 digits, got '04'"),
    ("jw01410001001_02101_00001-sg004_nrca1", "exposure field must be EEEEE[-segNNN]"),
    ("jw01410001001_02101_00001-00002_nrca1", "exposure range"),
    ("jw01410001001_02101_00001_nrca6", "unknown detector 'nrca6'"),
    ("jw01410001001_02101_00001_nircam", "got instrument 'nircam'"),
    ("jw01410001001_02101_00001_nrca1_uncl.fits", "unknown product suffix 'uncl'"),
    ("jw01410001001_02101_00001_nrca1_uncal.fitz", "extension must be one of"),
    ("jw01410001001_02101_00001_nrca1_cal_thumb.fits", "'_thumb' product must be a .jpg"),
    ("jw01410001001_02101_00001_nrca1_o01_crf.fits", "association candidate must be 'o' + 3 digits"),
    ("jw01410001001_02101_00001_nrca1_segm.fits", "'segm' does not occur on exposure-level names"),
    ("jw01410001001_02101_00001_nrca1_x_y_z.fits", "unexpected product part"),
    ("JW01410001001_02101_00001_NRCA1", "lower case"),
    ("xx01410001001_02101_00001_nrca1", "start with 'jw'"),
    ("jw01410001001", "expected jwPPPPPOOOVVV_GGSAA_EEEEE"),
    ("", "empty identifier"),
    (" jw01410001001_02101_00001_nrca1", "white space"),
    ("data/jw01410001001_02101_00001_nrca1_cal.fits", "start with 'jw'"),
    ("jw01410-o01_t001_nircam_clear-f444w", "association candidate must be 'o' + 3 digits"),
    ("jw01410-x001_t001_nircam_clear-f444w", "got 'x001'"),
    ("jw1410-o001_t001_nircam_clear-f444w", "program must be 5 digits, got '1410'"),
    ("jw01410-o001_t01_nircam_clear-f444w", "target must be 't' + 3 digits"),
    ("jw01410-o001_s0017_nirspec_f170lp-g235m", "or a source id"),
    ("jw01410-o001_t001-epochx_nircam_clear-f444w", "-epochN"),
    ("jw01410-o001_t001_nircan_clear-f444w", "unknown instrument 'nircan'"),
    ("jw01410-o001_t001_nircam_clear--f444w", "optical element must be lower-case letters and digits"),
    ("jw01410-o001_t001_nircam_clear-f444w_rate.fits", "'rate' does not occur on stage-3 names"),
    ("jw01410-o001_t001_nircam_clear-f444w_i3d.fits", "unknown product suffix 'i3d'"),
    ("jw01410-o001_t001_nircam", "expected jwPPPPP-<candidate>_<target>_<instrument>_<elements>"),
    ("jw01063-o107_20221328t013707_image2_144_asn.json", "version timestamp is not a valid date"),
    ("jw01063-o107_2022032t013707_image2_144_asn.json", "version timestamp must be YYYYMMDDtHHMMSS"),
    ("jw01063-o107_20220328t013707_image4_144_asn.json", "unknown association type 'image4'"),
    ("jw01063-o107_20220328t013707_image2_1444_asn.json", "counter must be 3 or 5 digits"),
    ("jw01063-o107_20220328t013707_image2_144_asn.fits", "association files are .json"),
    ("jw01063-o107_20220328t013707_image2_144_asn", "needs the .json extension"),
    ("jw0106_20220328t013707_pool.csv", "program must be 5 digits"),
    ("jw01063_20220328t013707_pool.json", "pool files are .csv"),
    ("jw01410001001_gs-fine_2022044225832_uncal.fits", "unknown guide-star function 'gs-fine'"),
    ("jw01410001001_gs-fg_202204422583_uncal.fits", "time stamp must be 13 digits"),
    ("jw01410001001_gs-fg_2022400225832_uncal.fits", "not a valid yyyydddhhmmss"),
    ("jw01410001001_gs-id_9_image-uncal.fits", "attempt must be 1 digit from 1 to 8"),
    ("jw01410001001_gs-id_1_picture-uncal.fits", "'image' or 'stacked'"),
    ("jw01410001001_gs-fg_2022044225832_rate.fits", "guide-star product suffix must be 'uncal' or 'cal'"),
    ("jw01410001_gs-fg_2022044225832_uncal.fits", "visit id must be 11 digits"),
    ("jw00617", "a program id (jwPPPPP)"),
]


@pytest.mark.parametrize(("text", "fragment"), BAD, ids=[t or "<empty>" for t, _ in BAD])
def test_malformed_identifier_names_the_part(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_filename(text)
    assert fragment in info.value.message
    assert isinstance(info.value, ValueError)
    if text.strip():
        assert text.strip() in info.value.message or text.startswith(" ")


def test_specific_parsers_refuse_other_kinds() -> None:
    with pytest.raises(InputError, match="guide-star name"):
        parse_exposure_id("jw01410001001_gs-fg_2022044225832_uncal.fits")
    with pytest.raises(InputError, match="jwPPPPP-<candidate>"):
        parse_level3_id("jw01410001001_02101_00001_nrca1")


def test_constructor_validates_parts() -> None:
    with pytest.raises(InputError, match="program must be 5 digits, got '1410'"):
        ExposureId("1410", "001", "001", "02", "1", "01", "00001", "nrca1")
    base = ExposureId("01410", "001", "001", "02", "1", "01", "00001", "nrca1")
    with pytest.raises(InputError, match="unknown product suffix 'i3d'"):
        base.filename("i3d")
    with pytest.raises(InputError, match="needs a detector"):
        replace(base, detector=None, suffix="cal", extension="fits")
    with pytest.raises(InputError, match="unknown nircam subarray 'sub999'"):
        Level3Id("01410", "o001", "t001", "nircam", ("clear", "f444w"), subarray="sub999")


# ---------------------------------------------------------------------------------------------------------
# detectors, programs, instruments, modes
# ---------------------------------------------------------------------------------------------------------
SHORTHANDS = [
    ("a1", "nrca1"), ("a2", "nrca2"), ("a3", "nrca3"), ("a4", "nrca4"), ("a5", "nrcalong"),
    ("along", "nrcalong"), ("b1", "nrcb1"), ("b4", "nrcb4"), ("b5", "nrcblong"), ("blong", "nrcblong"),
    ("guider1", "guider1"), ("guider2", "guider2"), ("nrs1", "nrs1"), ("nrs2", "nrs2"),
    ("mirimage", "mirimage"), ("mirifulong", "mirifulong"), ("mirifushort", "mirifushort"), ("nis", "nis"),
    ("NRCA1", "nrca1"), ("NRCALONG", "nrcalong"), ("nrca5", "nrcalong"), ("MIRIMAGE", "mirimage"),
    (" b2 ", "nrcb2"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "full"), SHORTHANDS, ids=[t.strip() for t, _ in SHORTHANDS])
def test_normalize_detector(text: str, full: str) -> None:
    assert naming.normalize_detector(text) == full


def test_detector_table() -> None:
    assert len(DETECTORS) == 18
    assert {d.name for d in DETECTORS} >= {"nrca1", "nrcblong", "nrs2", "mirifushort", "nis", "guider2"}
    for det in DETECTORS:
        assert naming.normalize_detector(det.shorthand) == det.name
        assert naming.detector_shorthand(det.name) == det.shorthand
        assert det.shorthand in naming.SCA_ORDER
        assert naming.instrument_of_detector(det.name) == det.instrument
        assert det.pixel_scale > 0 and det.field[0] > 0 and det.field[1] > 0
        # jwst_mast_query's substring rule finds each detector's own token
        assert naming.sca_from_obs_id(f"jw01410001001_02101_00001_{det.name}") == det.shorthand
    assert naming.instrument_of_detector("a5") == "NIRCAM"
    assert naming.sca_from_obs_id("jw01410-o003_t001_nircam_clear-f200w") is None


def test_unknown_detector() -> None:
    with pytest.raises(InputError) as info:
        naming.normalize_detector("nrcb6")
    assert "'nrcb6'" in info.value.message
    assert "did you mean" in info.value.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1410, "01410"), ("01410", "01410"), ("1410", "01410"), ("jw01410", "01410"), (" 1410 ", "01410"),
     (1, "00001"), (99999, "99999")],
)  # fmt: skip
def test_normalize_program(value: int | str, expected: str) -> None:
    assert naming.normalize_program(value) == expected
    assert naming.program_int(value) == int(expected)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("14a0", "must be a number"), ("141000", "at most 5 digits"), (123456, "between 1 and 99999"),
     (0, "between 1 and 99999"), (-5, "between 1 and 99999"), ("", "must be a number"),
     (True, "must be a number"), ("1.5", "must be a number")],
)  # fmt: skip
def test_normalize_program_refuses(value: int | str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        naming.normalize_program(value)
    assert "program" in info.value.message
    assert fragment in info.value.message


def test_normalize_obsnum_and_visit() -> None:
    assert naming.normalize_obsnum(3) == "003"
    assert naming.normalize_obsnum("003") == "003"
    assert naming.normalize_visit("1") == "001"
    with pytest.raises(InputError, match="observation number must have at most 3 digits"):
        naming.normalize_obsnum("0003")
    with pytest.raises(InputError, match="visit number must be between 1 and 999"):
        naming.normalize_visit(1000)


EXP_TYPE_MODES = [
    ("NRC_IMAGE", "NIRCAM/IMAGE", "image"), ("NRC_WFSS", "NIRCAM/WFSS", "spectrum"),
    ("NRC_TSGRISM", "NIRCAM/GRISM", "timeseries"), ("NRC_TSIMAGE", "NIRCAM/IMAGE", "timeseries"),
    ("NRC_CORON", "NIRCAM/CORON", "image"), ("NRC_TACQ", "NIRCAM/TARGACQ", "image"),
    ("NRS_MSASPEC", "NIRSPEC/MSA", "spectrum"), ("NRS_IFU", "NIRSPEC/IFU", "cube"),
    ("NRS_FIXEDSLIT", "NIRSPEC/SLIT", "spectrum"), ("NRS_BRIGHTOBJ", "NIRSPEC/SLIT", "timeseries"),
    ("NRS_MSATA", "NIRSPEC/MSA", "image"), ("NRS_WATA", "NIRSPEC/SLIT", "image"),
    ("NIS_SOSS", "NIRISS/SOSS", "timeseries"), ("NIS_WFSS", "NIRISS/WFSS", "spectrum"),
    ("NIS_AMI", "NIRISS/AMI", "image"), ("NIS_IMAGE", "NIRISS/IMAGE", "image"),
    ("MIR_IMAGE", "MIRI/IMAGE", "image"), ("MIR_MRS", "MIRI/IFU", "cube"),
    ("MIR_LRS-FIXEDSLIT", "MIRI/SLIT", "spectrum"), ("MIR_LRS-SLITLESS", "MIRI/SLITLESS", "timeseries"),
    ("MIR_4QPM", "MIRI/CORON", "image"), ("MIR_LYOT", "MIRI/CORON", "image"),
    ("MIR_TACQ", "MIRI/TARGACQ", "image"),
    ("FGS_IMAGE", "FGS", "image"), ("FGS_FOCUS", "FGS", "image"), ("nrs_ifu", "NIRSPEC/IFU", "cube"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("exp_type", "mode", "dptype"), EXP_TYPE_MODES, ids=[e for e, _, _ in EXP_TYPE_MODES]
)
def test_mode_for_exp_type(exp_type: str, mode: str, dptype: str) -> None:
    assert naming.mode_for_exp_type(exp_type).name == mode
    assert naming.exp_type_info(exp_type).dataproduct_type == dptype
    assert exp_type.upper() in naming.get_mode(mode).exp_types


def test_exp_type_refusals() -> None:
    with pytest.raises(InputError, match=r"unknown EXP_TYPE 'NRC_IMAGES'.*'NRC_IMAGE'"):
        naming.mode_for_exp_type("NRC_IMAGES")
    with pytest.raises(InputError, match="guide-star function"):
        naming.mode_for_exp_type("FGS_FINEGUIDE")
    assert naming.normalize_exp_type("fgs_id-image") == "FGS_ID-IMAGE"


def test_tables_are_consistent() -> None:
    detectors = {d.name for d in DETECTORS}
    patterns = {r.name: r.instrument for r in READOUT_PATTERNS}
    instruments = {i.name for i in INSTRUMENTS}
    exp_types = {e.name: e for e in EXP_TYPES}
    seen_exp_types = set()
    for mode in MODES:
        assert mode.instrument in instruments
        assert mode.dataproduct_type in ("image", "spectrum", "cube", "timeseries")
        assert mode.dataproduct_type == exp_types[mode.exp_types[0]].dataproduct_type
        for exp_type in mode.exp_types:
            assert exp_types[exp_type].mode == mode.name
            seen_exp_types.add(exp_type)
        for det in mode.detectors:
            assert det in detectors
            assert naming.instrument_of_detector(det) == mode.instrument
        for sub in mode.subarrays:
            assert naming.get_subarray(mode.instrument, sub).instrument == mode.instrument
        for pattern in mode.readout_patterns:
            assert patterns[pattern] == mode.instrument
        for suffix in mode.exposure_products:
            assert naming.get_product_suffix(suffix).exposure_level is not None
        for suffix in mode.level3_products:
            assert naming.get_product_suffix(suffix).level3
        assert mode.configurations
        for config in mode.configurations:
            assert len(config) == len(mode.element_keywords)
            lo, hi = naming.wavelength_range(mode.instrument, "-".join(config if mode.name != "MIRI/IFU" else
                                             (f"CH{config[0][0]}", config[1])))  # fmt: skip
            assert 0.5 < lo < hi < 29
    assert seen_exp_types == set(exp_types)
    for instrument in INSTRUMENTS:
        assert instrument.detectors and instrument.modes and instrument.readout_patterns
        assert "FULL" in instrument.subarrays
    for sub in SUBARRAYS:
        assert sub.columns > 0 and sub.rows > 0 and 0 < sub.frame_time < 11
    for bandpass in FILTERS:
        assert 0.5 <= bandpass.wave_min < bandpass.wave_max <= 28


@pytest.mark.parametrize(
    ("instrument", "element", "expected"),
    [("NIRCAM", "F200W", (1.755, 2.226)), ("nircam", "clear-f444w", (3.880, 4.986)),
     ("NIRCAM/WFSS", "F444W-GRISMR", (3.880, 4.986)), ("NIRCAM", "F444W;F405N", (4.041, 4.079)),
     ("NIRCAM", "f277w-sub160", (2.416, 3.127)), ("NIRSPEC", "G235H/F170LP", (1.66, 3.17)),
     ("NIRSPEC", "f170lp-g235m", (1.66, 3.17)), ("NIRSPEC", "g140h-f070lp", (0.81, 1.27)),
     ("NIRSPEC", "prism-clear", (0.60, 5.30)), ("MIRI", "F1800W", (16.519, 19.502)),
     ("MIRI", "CH4-LONG", (24.19, 27.90)), ("MIRI", "CH12-LONG", (6.53, 11.70)),
     ("MIRI", "ch1-shortmediumlong", (4.90, 7.65)), ("MIRI", "P750L", (5.0, 14.0)),
     ("NIRISS", "CLEAR-F150W", (1.330, 1.666)), ("NIRISS", "f480m-nrm", (4.668, 4.971)),
     ("NIRISS", "GR700XD", (0.60, 2.80)), ("FGS", "CLEAR", (0.60, 5.00))],
)  # fmt: skip
def test_wavelength_range(instrument: str, element: str, expected: tuple[float, float]) -> None:
    assert naming.wavelength_range(instrument, element) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("instrument", "element", "fragment"),
    [("NIRCAM", "F999W", "unknown NIRCAM optical element 'f999w'"),
     ("NIRCAM", "CLEAR", "no wavelength range"),
     ("NIRCAM", "F070W-F444W", "do not overlap"), ("HST", "F200W", "unknown instrument 'HST'"),
     ("MIRI", "F1130", "did you mean 'F1130W'")],
)  # fmt: skip
def test_wavelength_range_refuses(instrument: str, element: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        naming.wavelength_range(instrument, element)
    assert fragment in info.value.message


def test_lookups() -> None:
    assert naming.get_instrument("NIRCam/IMAGE").name == "NIRCAM"
    assert naming.get_instrument("miri").lower == "miri"
    assert naming.get_mode("nirspec/ifu").dataproduct_type == "cube"
    assert naming.get_mode("NIRISS/SOSS").tso
    assert naming.get_readout_pattern("deep8").nframes == 8
    assert naming.get_subarray("nircam", "full").frame_time == pytest.approx(10.737, abs=1e-3)
    assert naming.get_subarray("MIRI", "FULL").frame_time == pytest.approx(2.775, abs=1e-3)
    assert naming.get_subarray("NIRISS", "SUBSTRIP256").rows == 256
    assert naming.get_detector("along").channel == "LONG"
    with pytest.raises(InputError, match=r"unknown observing mode 'NIRCAM/IMAGES'.*'NIRCAM/IMAGE'"):
        naming.get_mode("NIRCAM/IMAGES")
    with pytest.raises(InputError, match="unknown MIRI subarray 'SUB512'"):
        naming.get_subarray("MIRI", "SUB512")
    with pytest.raises(InputError, match="unknown readout pattern 'DEEP9'"):
        naming.get_readout_pattern("DEEP9")


def test_optical_elements() -> None:
    assert naming.optical_elements("NIRCAM/IMAGE", ("F444W", "CLEAR")) == ("clear", "f444w")
    assert naming.optical_elements("NIRCAM/WFSS", ("F444W", "GRISMR")) == ("f444w", "grismr")
    assert naming.optical_elements("NIRSPEC/MSA", ("G235M", "F170LP")) == ("f170lp", "g235m")
    assert naming.optical_elements("NIRSPEC/IFU", ("G395H", "F290LP")) == ("g395h", "f290lp")
    assert naming.optical_elements("MIRI/IFU", ("12", "SHORT")) == ("ch1", "short")
    assert naming.optical_elements("NIRCAM/IMAGE", ("F277W", "CLEAR"), "SUB160") == (
        "clear",
        "f277w",
        "sub160",
    )
    assert naming.optical_elements("NIRCAM/IMAGE", ("F277W", "CLEAR"), "FULL") == ("clear", "f277w")


def test_public_surface() -> None:
    for name in naming.__all__:
        assert hasattr(naming, name), name
    assert sorted(naming.__all__) == sorted(set(naming.__all__))
