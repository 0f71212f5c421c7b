"""The published schema: every view over a small hand-made core archive, on a real DuckDB."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import duckdb
import pytest

from jwstarchive.catalog import model, schema
from jwstarchive.catalog.schema_si import INSTRUMENT_TABLES, SI_COMMON_COLUMNS, SI_TAIL_COLUMNS, fits_keywords
from jwstarchive.catalog.tables import Table

# reference/esa_jwst_tapplus.md §4.2
JWST_MAIN_109 = [
    "public",
    "algorithm_name",
    "calibrationlevel",
    "collection",
    "parenturi",
    "creatorid",
    "dataproducttype",
    "energy_bandpassname",
    "energy_bounds",
    "energy_bounds_lower",
    "energy_bounds_upper",
    "energy_bounds_width",
    "energy_dimension",
    "energy_energybands",
    "energy_freqsamplesize",
    "energy_freqwidth",
    "energy_resolvingpower",
    "energy_restwav",
    "energy_samplesize",
    "energy_transition_species",
    "energy_transition_transition",
    "environment_ambienttemp",
    "environment_elevation",
    "environment_humidity",
    "environment_photometric",
    "environment_seeing",
    "environment_tau",
    "environment_wavelengthtau",
    "instrument_keywords",
    "instrument_name",
    "intent",
    "max_cal_level",
    "members",
    "metrics_background",
    "metrics_backgroundstddev",
    "metrics_fluxdensitylimit",
    "metrics_maglimit",
    "metrics_sourcenumberdensity",
    "obs_accmetachecksum",
    "obs_lastmodified",
    "obs_maxlastmodified",
    "obs_metachecksum",
    "obs_metarelease",
    "observationid",
    "observationuri",
    "obsid",
    "plane_accmetachecksum",
    "plane_datarelease",
    "plane_lastmodified",
    "plane_maxlastmodified",
    "plane_metachecksum",
    "plane_metarelease",
    "planeid",
    "planeuri",
    "polarization_dimension",
    "polarization_states",
    "position_bounds_area",
    "position_bounds_center",
    "position_bounds_size",
    "position_bounds_spoly",
    "position_dimension_naxis1",
    "position_dimension_naxis2",
    "position_resolution",
    "position_samplesize",
    "position_timedependent",
    "productid",
    "proposal_id",
    "proposal_keywords",
    "proposal_pi",
    "proposal_project",
    "proposal_title",
    "provenance_inputs",
    "provenance_keywords",
    "provenance_lastexecuted",
    "provenance_name",
    "provenance_producer",
    "provenance_project",
    "provenance_reference",
    "provenance_runid",
    "provenance_version",
    "publisherid",
    "quality_flag",
    "requirements_flag",
    "sequencenumber",
    "target_dec",
    "target_keywords",
    "target_moving",
    "target_name",
    "target_ra",
    "target_redshift",
    "target_standard",
    "target_type",
    "targetposition_coordsys",
    "targetposition_equinox",
    "telescope_geolocationx",
    "telescope_geolocationy",
    "telescope_geolocationz",
    "telescope_keywords",
    "telescope_name",
    "time_bounds",
    "time_bounds_lower",
    "time_bounds_upper",
    "time_bounds_width",
    "time_dimension",
    "time_exposure",
    "time_resolution",
    "time_samplesize",
    "type",
    "typecode",
]

# reference/mast_api.md §3.1 (without the cone's distance) and §3.2
MAST_CAOM_OBSERVATION = [
    "intentType",
    "obs_collection",
    "provenance_name",
    "instrument_name",
    "project",
    "filters",
    "wavelength_region",
    "target_name",
    "target_classification",
    "obs_id",
    "s_ra",
    "s_dec",
    "dataproduct_type",
    "proposal_pi",
    "calib_level",
    "t_min",
    "t_max",
    "t_exptime",
    "em_min",
    "em_max",
    "obs_title",
    "t_obs_release",
    "proposal_id",
    "proposal_type",
    "sequence_number",
    "s_region",
    "jpegURL",
    "dataURL",
    "dataRights",
    "mtFlag",
    "srcDen",
    "obsid",
    "objID",
]
MAST_CAOM_PRODUCT = [
    "obsID",
    "obs_collection",
    "dataproduct_type",
    "obs_id",
    "description",
    "type",
    "dataURI",
    "productType",
    "productGroupDescription",
    "productSubGroupDescription",
    "productDocumentationURL",
    "project",
    "prvversion",
    "proposal_id",
    "productFilename",
    "size",
    "parent_obsid",
    "dataRights",
    "calib_level",
    "filters",
]

# reference/mast_api.md §5 (the columns of a real Mast.Jwst.Filtered.Niriss result, grouped as listed there)
SI_SECTION5 = [
    "ArchiveFileID",
    "filename",
    "fileSetName",
    "productLevel",
    "program",
    "observtn",
    "visit",
    "visit_id",
    "visitgrp",
    "seq_id",
    "act_id",
    "exposure",
    "obs_id",
    "obslabel",
    "category",
    "subcat",
    "scicat",
    "cont_id",
    "pi_name",
    "title",
    "template",
    "visitype",
    "visitsta",
    "nexposur",
    "expcount",
    "tsovisit",
    "targcat",
    "targdesc",
    "targname",
    "targprop",
    "targ_ra",
    "targ_dec",
    "targura",
    "targudec",
    "targtype",
    "targoopp",
    "prop_ra",
    "prop_dec",
    "mu_ra",
    "mu_dec",
    "mu_epoch",
    "mu_epoch_mjd",
    "va_ra",
    "va_dec",
    "instrume",
    "detector",
    "filter",
    "pupil",
    "fwcpos",
    "pwcpos",
    "focuspos",
    "lamp",
    "opmode",
    "apername",
    "pps_aper",
    "subarray",
    "substrt1",
    "substrt2",
    "subsize1",
    "subsize2",
    "fastaxis",
    "slowaxis",
    "readpatt",
    "nframes",
    "ngroups",
    "nints",
    "groupgap",
    "nresets",
    "nrststrt",
    "nsamples",
    "tframe",
    "tgroup",
    "tsample",
    "noutputs",
    "sca_num",
    "datamode",
    "zerofram",
    "drpfrms1",
    "drpfrms3",
    "frmdivsr",
    "gainfact",
    "nextend",
    "rois",
    "roiw",
    "wpower",
    "wtype",
    "nrimdtpt",
    "date",
    "date_mjd",
    "date_obs",
    "date_obs_mjd",
    "date_beg",
    "date_beg_mjd",
    "date_end",
    "date_end_mjd",
    "expstart",
    "expmid",
    "expend",
    "effexptm",
    "effinttm",
    "duration",
    "texptime",
    "exp_type",
    "expripar",
    "exp_only",
    "exsegnum",
    "exsegtot",
    "intstart",
    "intend",
    "bstrtime",
    "bmidtime",
    "bendtime",
    "bartdelt",
    "hstrtime",
    "hmidtime",
    "hendtime",
    "helidelt",
    "vststart",
    "vststart_mjd",
    "visitend",
    "visitend_mjd",
    "expsteng",
    "expsteng_mjd",
    "timesys",
    "pwfseet",
    "nwfsest",
    "gdstarid",
    "gs_ra",
    "gs_dec",
    "gs_ura",
    "gs_udec",
    "gs_mag",
    "gs_umag",
    "gs_order",
    "gsstrttm",
    "gsstrttm_mjd",
    "gsendtim",
    "gsendtim_mjd",
    "gs_v3_pa",
    "pcs_mode",
    "numdthpt",
    "patt_num",
    "pattsize",
    "patttype",
    "pridtpts",
    "subpxpts",
    "xoffset",
    "yoffset",
    "crowdfld",
    "engqlptg",
    "sdp_ver",
    "prd_ver",
    "oss_ver",
    "gsc_ver",
    "cal_ver",
    "cal_vcs",
    "crds_ctx",
    "crds_ver",
    "datamodl",
    "asnpool",
    "asntable",
    "compress",
    "origin",
    "telescop",
    "selfref",
    "hga_move",
    "is_psf",
    "intarget",
    "bkgdtarg",
    "bkglevel",
    "bkgsub",
    "bkgmeth",
    "masterbg",
    "dataprob",
    "eng_qual",
    "errtype",
    "sctarate",
    "osf_file",
    "obsfoldr",
    "dirimage",
    "pixfrac",
    "pxsclrt",
    "segmfile",
    "scatfile",
    "srctyapt",
    "tcatfile",
    "primecrs",
    "extncrs",
    "fileSize",
    "checksum",
    "ingestStartDate",
    "ingestStartDate_mjd",
    "ingestCompletionDate",
    "ingestCompletionDate_mjd",
    "FileTypeID",
    "publicReleaseDate",
    "publicReleaseDate_mjd",
    "isRestricted",
    "isItar",
    "isStale",
    "FileSetId",
    "dataURI",
]

PAST = dt.datetime(2022, 7, 1)
FUTURE = dt.datetime(2999, 1, 1)
BEG = dt.datetime(2022, 2, 14, 1, 2, 3)
END = dt.datetime(2022, 2, 14, 1, 12, 3)
MJD_BEG = 59624.0 + (1 * 3600 + 2 * 60 + 3) / 86400.0
MJD_END = MJD_BEG + 600 / 86400.0
REGION = "POLYGON ICRS 53.10 -27.80 53.13 -27.80 53.13 -27.77 53.10 -27.77"
COMPOSITE = "jw01410-o001_t001_nircam_clear-f200w"
EXPOSURE = "jw01410001001_02101_00001"
GS_FILE = "jw01410001001_gs-fg_2022044225832_uncal.fits"
ASN_FILE = "jw01410-o001_20220214t010203_image2_00001_asn.json"

OBS = {  # obsid: (uuid, obs_id, typecode, detector, calib_level, release, members)
    1001: ("00000000-0000-0000-0000-000000001001", f"{EXPOSURE}_nrca1", "S", "nrca1", 2, PAST, None),
    1002: ("00000000-0000-0000-0000-000000001002", f"{EXPOSURE}_nrca2", "S", "nrca2", 2, FUTURE, None),
    1003: (
        "00000000-0000-0000-0000-000000001003",
        COMPOSITE,
        "C",
        None,
        3,
        PAST,
        f"caom:JWST/{EXPOSURE}_nrca1 caom:JWST/{EXPOSURE}_nrca2",
    ),
}
PLANES = {  # plane uuid: (obsid, calib_level, productid)
    "00000000-0000-0000-0001-000000000011": (1001, 1, f"{EXPOSURE}_nrca1_uncal"),
    "00000000-0000-0000-0001-000000000012": (1001, 2, f"{EXPOSURE}_nrca1_cal"),
    "00000000-0000-0000-0001-000000000022": (1002, 2, f"{EXPOSURE}_nrca2_cal"),
    "00000000-0000-0000-0001-000000000033": (1003, 3, f"{COMPOSITE}_i2d"),
}
# fmt: off
FS, N1, N2, L3 = EXPOSURE, f"{EXPOSURE}_nrca1_", f"{EXPOSURE}_nrca2_", f"{COMPOSITE}_"
PRODUCTS = [
    # key, filename, obsid, plane, fileset, detector, suffix, ext, subgroup, type, level, plevel, gs, mrp
    (1, N1 + "uncal.fits", 1001, "011", FS, "nrca1", "uncal", "fits", "UNCAL", "SCIENCE", 1, "1b", False, False),
    (2, N1 + "cal.fits", 1001, "012", FS, "nrca1", "cal", "fits", "CAL", "SCIENCE", 2, "2b", False, True),
    (3, N1 + "cal.jpg", 1001, "012", FS, "nrca1", "cal", "jpg", "CAL", "PREVIEW", 2, None, False, False),
    (4, N1 + "cal_thumb.jpg", 1001, "012", FS, "nrca1", "cal_thumb", "jpg", "CAL", "THUMBNAIL", 2, None, False, False),
    (5, GS_FILE, 1001, "011", None, "guider1", "gs-fg", "fits", "GS-FG", "AUXILIARY", 1, "1b", True, False),
    (6, ASN_FILE, 1001, "012", None, None, "asn", "json", "ASN", "INFO", 2, None, False, True),
    (7, N2 + "cal.fits", 1002, "022", FS, "nrca2", "cal", "fits", "CAL", "SCIENCE", 2, "2b", False, True),
    (8, L3 + "i2d.fits", 1003, "033", None, None, "i2d", "fits", "I2D", "SCIENCE", 3, "3", False, True),
    (9, L3 + "i2d.jpg", 1003, "033", None, None, "i2d", "jpg", "I2D", "PREVIEW", 3, None, False, False),
]
# fmt: on


def _plane_uuid(short: str) -> str:
    return next(p for p in PLANES if p.endswith(short))


def _insert(con: duckdb.DuckDBPyConnection, table: str, row: dict[str, Any]) -> None:
    core = next(t for t in model.CORE_TABLES if t.name == table)
    unknown = set(row) - set(core.column_names)
    assert not unknown, f"{table}: {unknown}"
    names = core.column_names
    con.execute(
        f"INSERT INTO {core.qualified} VALUES ({', '.join('?' for _ in names)})",
        [row.get(n) for n in names],
    )


def _fill(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, "program", {
        "program_id": "01410", "program_num": 1410, "title": "NIRCam deep field", "pi_name": "Doe, Jane",
        "category": "GO", "sub_category": "UNIVERSITY", "science_category": "Galaxies", "cycle": 1, "eap_months": 12,
    })  # fmt: skip
    _insert(con, "target", {
        "target_id": 1, "target_name": "GOODS-S", "ra": 53.12, "dec": -27.79, "target_type": "FIXED",
        "classification": "Galaxy;Field", "description": "deep field", "category": "Extragalactic",
    })  # fmt: skip
    _insert(con, "observation", {
        "program_id": "01410", "observtn": 1, "target_id": 1, "instrument": "NIRCAM", "mode": "NIRCAM/IMAGE",
        "template": "NIRCam Imaging", "label": "deep", "tsovisit": False, "intent": "science", "release_date": PAST,
    })  # fmt: skip
    _insert(con, "visit", {
        "visit_id": "01410001001", "program_id": "01410", "observtn": 1, "visit": 1, "visit_start": BEG,
        "visit_end": END, "gs_id": "S4E4000123", "gs_ra": 53.2, "gs_dec": -27.7, "gs_mag": 15.5, "pa_v3": 120.0,
    })  # fmt: skip
    _insert(con, "exposure", {
        "file_set_name": EXPOSURE, "visit_id": "01410001001", "visit_group": 2, "parallel_seq": 1, "activity": "01",
        "exposure": 1, "exp_type": "NRC_IMAGE", "filter": "F200W", "pupil": "CLEAR", "readpatt": "DEEP8",
        "subarray": "FULL", "nints": 1, "ngroups": 7, "nframes": 8, "groupgap": 12, "tframe": 10.737,
        "tgroup": 214.74, "effinttm": 1288.4, "effexptm": 1288.4, "duration": 1331.3, "date_beg": BEG,
        "date_end": END, "ra": 53.115, "dec": -27.785, "patttype": "FULL", "numdthpt": 6, "patt_num": 1,
        "nsegments": 1,
    })  # fmt: skip
    for obsid, (uuid, obs_id, code, det, level, release, members) in OBS.items():
        _insert(con, "caom_observation", {
            "obsid": obsid, "obs_uuid": uuid, "obs_id": obs_id, "typecode": code, "program_id": "01410",
            "observtn": 1, "visit_id": None if code == "C" else "01410001001",
            "file_set_name": None if code == "C" else EXPOSURE, "detector": det, "instrument": "NIRCAM",
            "mode": "NIRCAM/IMAGE", "exp_type": "NRC_IMAGE", "filters": "F200W;CLEAR", "dataproduct_type": "image",
            "calib_level": level, "target_id": 1, "s_ra": 53.115, "s_dec": -27.785, "s_region": REGION,
            "s_fov": 0.04, "s_area": 0.0009, "t_min": MJD_BEG, "t_max": MJD_END, "t_exptime": 1288.4,
            "em_min": 1.755e-6, "em_max": 2.226e-6, "release_date": release, "members": members,
            "_healpix": 123456789, "_x": 0.5, "_y": 0.6, "_z": -0.4,
        })  # fmt: skip
    for member in (1001, 1002):
        _insert(con, "caom_member", {"parent_obsid": 1003, "member_obsid": member})
    for plane_uuid, (obsid, level, productid) in PLANES.items():
        _insert(con, "plane", {
            "plane_uuid": plane_uuid, "obsid": obsid, "calib_level": level, "productid": productid,
            "dataproduct_type": "image",
        })  # fmt: skip
    mimes = {"fits": "application/fits", "jpg": "image/jpeg", "json": "application/json"}
    for key, name, obsid, plane, fileset, det, suffix, ext, sub, ptype, level, plevel, gs, mrp in PRODUCTS:
        mime = mimes[ext]
        release = OBS[obsid][5]
        _insert(con, "product", {
            "product_key": key, "artifact_uuid": f"00000000-0000-0000-0002-{key:012d}", "filename": name,
            "obsid": obsid, "plane_uuid": _plane_uuid(plane), "program_id": "01410",
            "visit_id": None if level == 3 else "01410001001", "file_set_name": fileset, "detector": det,
            "segment": None, "suffix": suffix, "extension": ext, "subgroup": sub, "product_type": ptype,
            "calib_level": level, "product_level": plevel, "content_type": mime, "is_guide_star": gs, "mrp": mrp,
            "size": 1000 * key + 17, "md5": f"{key:032x}", "release_date": release,
            "ingest_date": dt.datetime(2022, 2, 15), "cal_ver": "1.4.2", "crds_ctx": "jwst_0977.pmap",
        })  # fmt: skip


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for statement in model.core_ddl():
        connection.execute(statement)
    _fill(connection)
    for statement in schema.view_ddl():
        connection.execute(statement)
    for statement, rows in schema.tap_schema_ddl():
        if rows:
            connection.executemany(statement, rows)
        else:
            connection.execute(statement)
    return connection


def _table(qualified: str) -> Table:
    schema_name, name = qualified.split(".")
    (table,) = schema.table_catalog().find(name, schema_name)
    return table


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


PUBLISHED = [t.qualified for t in schema.published_tables()]

# DuckDB types a VOTable datatype may come back as
COMPATIBLE = {
    ("char", None): {"VARCHAR"},
    ("char", "timestamp"): {"TIMESTAMP"},
    ("char", "adql:REGION"): {"VARCHAR"},
    ("boolean", None): {"BOOLEAN"},
    ("short", None): {"SMALLINT"},
    ("int", None): {"INTEGER"},
    ("long", None): {"BIGINT"},
    ("float", None): {"FLOAT"},
    ("double", None): {"DOUBLE"},
}


@pytest.mark.parametrize("qualified", PUBLISHED)
def test_view_columns_match_definition(con: duckdb.DuckDBPyConnection, qualified: str) -> None:
    table = _table(qualified)
    # DESCRIBE may fold the case of an alias that differs from its source column only in case
    # (obsID over core obsid); a query's result names are what clients see
    names = [d[0] for d in con.execute(f"SELECT * FROM {table.sql_relation} LIMIT 0").description]
    described = con.execute(f"DESCRIBE SELECT * FROM {table.sql_relation}").fetchall()
    expected = [c.name for c in table.columns]
    if table.position is not None:
        pos = table.position
        expected += [pos.healpix, pos.x, pos.y, pos.z]
    assert names == expected
    types = {name: row[1] for name, row in zip(names, described, strict=True)}
    for col in table.columns:
        assert types[col.name] in COMPATIBLE[(col.datatype, col.xtype)], (col.name, types[col.name])
    con.execute(f"SELECT * FROM {table.sql_relation}").fetchall()


def test_catalog_lists_every_table() -> None:
    names = set(PUBLISHED)
    for expected in [
        "jwst.main",
        "jwst.archive",
        "jwst.observation",
        "jwst.plane",
        "jwst.artifact",
        "jwst.observationmember",
        "jwst.plane_inputs",
        "ivoa.obscore",
        "public.dual",
        "mast.caom_observation",
        "mast.caom_product",
        "mast.si_nircam",
        "mast.si_nirspec",
        "mast.si_niriss",
        "mast.si_miri",
        "mast.si_fgs",
        "tap_schema.schemas",
        "tap_schema.tables",
        "tap_schema.columns",
        "tap_schema.keys",
        "tap_schema.key_columns",
    ]:
        assert expected in names
    assert "core.si_keywords" not in names
    assert not schema.table_catalog().find("si_keywords")


def test_view_ddl_shape() -> None:
    statements = schema.view_ddl()
    assert statements[0].startswith("CREATE SCHEMA IF NOT EXISTS")
    views = [s for s in statements if s.startswith("CREATE OR REPLACE VIEW")]
    # every published view plus core.si_keywords; tap_schema tables are real tables
    assert len(views) == len([t for t in PUBLISHED if not t.startswith("tap_schema.")]) + 1
    main = next(s for s in views if s.startswith('CREATE OR REPLACE VIEW "jwst"."main"'))
    assert 'co."_healpix" AS "_healpix"' in main


def test_jwst_main_has_the_109_reference_columns() -> None:
    table = _table("jwst.main")
    assert [c.name for c in table.columns] == JWST_MAIN_109
    assert len(table.columns) == 109
    assert table.position is not None
    assert (table.position.ra, table.position.dec) == ("target_ra", "target_dec")


def test_mast_columns_in_reference_order() -> None:
    assert [c.name for c in _table("mast.caom_observation").columns] == MAST_CAOM_OBSERVATION
    assert [c.name for c in _table("mast.caom_product").columns] == MAST_CAOM_PRODUCT
    assert _table("mast.caom_observation").column("distance") is None


def test_si_tables_have_every_reference_column() -> None:
    assert [*SI_COMMON_COLUMNS, *SI_TAIL_COLUMNS] == SI_SECTION5
    for name, _, extra in INSTRUMENT_TABLES.values():
        columns = [c.name for c in _table(f"mast.{name}").columns]
        assert columns == [*SI_COMMON_COLUMNS, *extra, *SI_TAIL_COLUMNS]
    nirspec = {c.name for c in _table("mast.si_nirspec").columns}
    assert {"grating", "msametfl", "fxd_slit", "s_region", "spec_num"} <= nirspec


def test_tap_schema_counts(con: duckdb.DuckDBPyConnection) -> None:
    tables = schema.published_tables()
    (n_schemas,) = con.execute('SELECT count(*) FROM tap_schema."schemas"').fetchone()
    (n_tables,) = con.execute('SELECT count(*) FROM tap_schema."tables"').fetchone()
    (n_columns,) = con.execute('SELECT count(*) FROM tap_schema."columns"').fetchone()
    assert n_schemas == len({t.schema for t in tables}) == 5
    assert n_tables == len(tables)
    assert n_columns == sum(len(t.columns) for t in tables)
    rows = schema.tap_schema_rows()
    assert len(rows["keys"]) == con.execute('SELECT count(*) FROM tap_schema."keys"').fetchone()[0]
    assert len(rows["key_columns"]) == con.execute('SELECT count(*) FROM tap_schema."key_columns"').fetchone()[0]


def test_tap_schema_rows(con: duckdb.DuckDBPyConnection) -> None:
    (row,) = _rows(
        con,
        "SELECT * FROM tap_schema.\"columns\" WHERE table_name = 'ivoa.obscore' AND column_name = 's_ra'",
    )
    assert row["datatype"] == "double"
    assert row["unit"] == "deg"
    assert row["ucd"] == "pos.eq.ra"
    assert row["utype"] == "obscore:Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C1"
    assert (row["principal"], row["indexed"], row["std"]) == (1, 1, 1)
    assert row["column_index"] == 10
    (uuid,) = _rows(
        con, "SELECT * FROM tap_schema.\"columns\" WHERE table_name = 'jwst.main' AND column_name = 'obsid'"
    )
    assert (uuid["arraysize"], uuid["size"]) == ("36", 36)
    (ts,) = _rows(
        con, "SELECT * FROM tap_schema.\"columns\" WHERE table_name = 'jwst.plane' AND column_name = 'datarelease'"
    )
    assert (ts["datatype"], ts["xtype"]) == ("char", "timestamp")
    (tab,) = _rows(con, "SELECT * FROM tap_schema.\"tables\" WHERE table_name = 'tap_schema.columns'")
    assert tab["schema_name"] == "tap_schema"
    assert tab["table_type"] == "table"
    assert _rows(con, "SELECT * FROM tap_schema.\"tables\" WHERE table_name = 'jwst.main'")[0]["table_type"] == "view"
    keys = _rows(con, 'SELECT * FROM tap_schema.key_columns k JOIN tap_schema."keys" USING (key_id)')
    pairs = {(k["from_table"], k["from_column"], k["target_table"], k["target_column"]) for k in keys}
    assert ("jwst.plane", "obsid", "jwst.observation", "obsid") in pairs
    assert ("jwst.artifact", "planeid", "jwst.plane", "planeid") in pairs
    assert ("jwst.observationmember", "parentid", "jwst.observation", "obsid") in pairs
    assert ("tap_schema.columns", "table_name", "tap_schema.tables", "table_name") in pairs


def test_hidden_columns_are_not_in_tap_schema(con: duckdb.DuckDBPyConnection) -> None:
    hidden = con.execute(
        "SELECT count(*) FROM tap_schema.\"columns\" WHERE column_name IN ('_healpix', '_x', '_y', '_z')"
    ).fetchone()
    assert hidden == (0,)
    assert not con.execute("SELECT * FROM tap_schema.\"tables\" WHERE table_name LIKE 'core.%'").fetchall()


def test_jwst_main_values(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r["productid"]: r for r in _rows(con, "SELECT * FROM jwst.main")}
    assert len(rows) == len(PLANES)
    cal1 = rows[f"{EXPOSURE}_nrca1_cal"]
    assert cal1["proposal_id"] == "01410"
    assert cal1["public"] is True
    assert cal1["obsid"] == OBS[1001][0]
    assert cal1["observationuri"] == f"caom:JWST/{EXPOSURE}_nrca1"
    assert cal1["calibrationlevel"] == 2
    assert cal1["max_cal_level"] == 2
    assert rows[f"{EXPOSURE}_nrca1_uncal"]["max_cal_level"] == 2
    assert cal1["position_bounds_spoly"] == "Polygon 53.10 -27.80 53.13 -27.80 53.13 -27.77 53.10 -27.77"
    assert cal1["energy_bounds_lower"] == pytest.approx(1.755e-6)
    assert cal1["time_bounds_lower"] == pytest.approx(MJD_BEG)
    assert (cal1["target_ra"], cal1["target_dec"]) == (53.115, -27.785)
    assert cal1["target_name"] == "GOODS-S"
    assert cal1["instrument_name"] == "NIRCAM/IMAGE"
    assert cal1["members"] is None
    assert rows[f"{EXPOSURE}_nrca2_cal"]["public"] is False
    l3 = rows[f"{COMPOSITE}_i2d"]
    assert l3["typecode"] == "C"
    assert l3["members"] == f"caom:JWST/{EXPOSURE}_nrca1 caom:JWST/{EXPOSURE}_nrca2"
    (archive,) = _rows(con, f"SELECT * FROM jwst.archive WHERE observationid = '{COMPOSITE}'")
    assert archive["proposal_id"] == "1410"


def test_caom_links(con: duckdb.DuckDBPyConnection) -> None:
    members = _rows(con, "SELECT * FROM jwst.observationmember ORDER BY memberid")
    assert [m["memberid"] for m in members] == [f"caom:JWST/{EXPOSURE}_nrca1", f"caom:JWST/{EXPOSURE}_nrca2"]
    assert {m["parentid"] for m in members} == {OBS[1003][0]}
    # the client's member-plane join: observation → observationmember → member observation → plane
    joined = con.execute(
        "SELECT mp.planeid FROM jwst.observation o JOIN jwst.observationmember m ON o.obsid = m.parentid "
        "JOIN jwst.observation mo ON m.memberid = mo.observationuri JOIN jwst.plane mp ON mo.obsid = mp.obsid "
        f"WHERE o.observationid = '{COMPOSITE}'"
    ).fetchall()
    assert len(joined) == 3
    inputs = _rows(con, "SELECT * FROM jwst.plane_inputs ORDER BY inputid")
    assert [i["inputid"] for i in inputs] == [
        f"caom:JWST/{EXPOSURE}_nrca1/{EXPOSURE}_nrca1_cal",
        f"caom:JWST/{EXPOSURE}_nrca2/{EXPOSURE}_nrca2_cal",
    ]
    art = _rows(con, f"SELECT * FROM jwst.artifact WHERE filename = '{EXPOSURE}_nrca1_cal.jpg'")[0]
    assert art["producttype"] == "preview"
    assert art["releasetype"] == "meta"
    assert art["contentchecksum"] == f"md5:{3:032x}"
    assert art["contentlength"] == 3017
    assert art["uri"] == f"mast:JWST/product/{EXPOSURE}_nrca1_cal.jpg"
    gs = _rows(con, f"SELECT * FROM jwst.artifact WHERE filename = '{GS_FILE}'")[0]
    assert gs["producttype"] == "auxiliary"


def test_obscore_values(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r["obs_id"] + "/" + str(r["calib_level"]): r for r in _rows(con, "SELECT * FROM ivoa.obscore")}
    assert len(rows) == 4  # one per science file
    cal = rows[f"{EXPOSURE}_nrca1/2"]
    assert cal["access_url"] == "/server/data?RETRIEVAL_TYPE=PRODUCT&ARTIFACTID=00000000-0000-0000-0002-000000000002"
    assert cal["access_estsize"] == 2
    assert cal["obs_collection"] == "JWST"
    assert cal["instrument_name"] == "NIRCAM"
    assert cal["data_rights"] == "public"
    assert rows[f"{EXPOSURE}_nrca2/2"]["data_rights"] == "proprietary"


def test_mast_caom_observation_values(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r["obsid"]: r for r in _rows(con, "SELECT * FROM mast.caom_observation")}
    nrca1, nrca2, l3 = rows[1001], rows[1002], rows[1003]
    assert nrca1["dataRights"] == "PUBLIC"
    assert nrca2["dataRights"] == "EXCLUSIVE_ACCESS"
    assert nrca1["proposal_id"] == "1410"
    assert nrca1["em_min"] == pytest.approx(1755.0)
    assert nrca1["em_max"] == pytest.approx(2226.0)
    assert nrca1["t_obs_release"] == pytest.approx(59761.0)
    assert nrca1["jpegURL"] == f"mast:JWST/product/{EXPOSURE}_nrca1_cal.jpg"
    assert nrca1["dataURL"] == f"mast:JWST/product/{EXPOSURE}_nrca1_cal.fits"
    assert l3["jpegURL"] == f"mast:JWST/product/{COMPOSITE}_i2d.jpg"
    assert nrca2["jpegURL"] is None
    assert nrca1["intentType"] == "science"
    assert nrca1["proposal_type"] == "GO"
    assert nrca1["mtFlag"] is False
    assert nrca1["target_classification"] == "Galaxy;Field"


def test_mast_caom_product_values(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r["productFilename"]: r for r in _rows(con, "SELECT * FROM mast.caom_product")}
    assert len(rows) == len(PRODUCTS)
    cal = rows[f"{EXPOSURE}_nrca1_cal.fits"]
    assert cal["dataURI"] == f"mast:JWST/product/{EXPOSURE}_nrca1_cal.fits"
    assert cal["productGroupDescription"] == "Minimum Recommended Products"
    assert cal["productSubGroupDescription"] == "CAL"
    assert cal["description"] == "exposure (L2b): Calibrated exposure data"
    assert cal["proposal_id"] == "1410"
    assert (cal["obsID"], cal["parent_obsid"], cal["size"], cal["calib_level"]) == (1001, 1001, 2017, 2)
    assert cal["prvversion"] == "1.4.2"
    assert rows[f"{EXPOSURE}_nrca1_uncal.fits"]["productGroupDescription"] is None
    assert rows[GS_FILE]["productType"] == "AUXILIARY"
    assert rows[ASN_FILE]["productType"] == "INFO"
    assert rows[f"{EXPOSURE}_nrca2_cal.fits"]["dataRights"] == "EXCLUSIVE_ACCESS"


def test_si_keywords_holds_the_fits_header_keywords(con: duckdb.DuckDBPyConnection) -> None:
    columns = [d[0] for d in con.execute("SELECT * FROM core.si_keywords LIMIT 0").description]
    mapping = fits_keywords()
    for keyword in [
        "TARG_RA",
        "TARG_DEC",
        "FILTER",
        "PUPIL",
        "READPATT",
        "NINTS",
        "NGROUPS",
        "NFRAMES",
        "DATE-BEG",
        "DATE-END",
        "EFFINTTM",
        "EFFEXPTM",
        "EXP_TYPE",
        "PROGRAM",
        "OBSERVTN",
        "VISIT",
        "DETECTOR",
        "INSTRUME",
        "SUBARRAY",
        "DATE-OBS",
        "TELESCOP",
        "FILENAME",
        "APERNAME",
        "S_REGION",
        "RA_REF",
        "DEC_REF",
        "PA_V3",
        "TSOVISIT",
    ]:
        assert mapping[keyword] in columns, keyword
    assert "product_key" in columns
    assert "fileSize" in columns
    assert "fileSize" not in mapping.values()
    assert "checksum" not in mapping.values()
    assert all(re.fullmatch(r"[A-Z0-9_-]{1,8}", k) for k in mapping)


def test_si_keyword_values(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r["filename"]: r for r in _rows(con, "SELECT * FROM core.si_keywords")}
    # FITS files only: no jpg, no json
    assert set(rows) == {p[1] for p in PRODUCTS if p[7] == "fits"}
    cal = rows[f"{EXPOSURE}_nrca1_cal.fits"]
    assert (cal["program"], cal["program_id"], cal["observtn"], cal["visit"]) == ("1410", "01410", 1, 1)
    assert cal["obs_id"] == "V01410001001P0000000002101"
    assert cal["fileSetName"] == EXPOSURE
    assert (cal["instrume"], cal["detector"], cal["filter"], cal["pupil"]) == ("NIRCAM", "NRCA1", "F200W", "CLEAR")
    assert cal["apername"] == "NRCA1_FULL"
    assert (cal["channel"], cal["module"]) == ("SHORT", "A")
    assert (cal["readpatt"], cal["ngroups"], cal["nints"], cal["nframes"]) == ("DEEP8", 7, 1, 8)
    assert cal["date_beg"] == BEG
    assert cal["date_obs_mjd"] == pytest.approx(MJD_BEG)
    assert cal["expstart"] == pytest.approx(MJD_BEG)
    assert cal["tsovisit"] == "f"
    assert cal["targoopp"] == "f"
    assert (cal["targ_ra"], cal["targ_dec"]) == (53.12, -27.79)
    assert (cal["gdstarid"], cal["gs_v3_pa"]) == ("S4E4000123", 120.0)
    assert cal["category"] == "GO"
    assert cal["datamodl"] == "ImageModel"
    assert cal["fileSize"] == 2017
    assert cal["checksum"] == f"{2:032x}"
    assert cal["dataURI"] == f"mast:JWST/product/{EXPOSURE}_nrca1_cal.fits"
    assert cal["isRestricted"] is False
    assert rows[f"{EXPOSURE}_nrca2_cal.fits"]["isRestricted"] is True
    gs = rows[GS_FILE]
    assert (gs["instrume"], gs["exp_type"], gs["detector"]) == ("FGS", "FGS_FINEGUIDE", "GUIDER1")
    assert gs["filter"] is None
    l3 = rows[f"{COMPOSITE}_i2d.fits"]
    assert (l3["productLevel"], l3["fileSetName"], l3["filter"], l3["pupil"]) == ("3", COMPOSITE, "F200W", "CLEAR")
    assert l3["date_beg"] is not None
    assert l3["date_beg_mjd"] == pytest.approx(MJD_BEG)


def test_si_instrument_tables_split_by_instrument(con: duckdb.DuckDBPyConnection) -> None:
    nircam = {r[0] for r in con.execute("SELECT filename FROM mast.si_nircam").fetchall()}
    fgs = {r[0] for r in con.execute("SELECT filename FROM mast.si_fgs").fetchall()}
    assert GS_FILE in fgs
    assert GS_FILE not in nircam
    assert f"{COMPOSITE}_i2d.fits" in nircam
    assert len(nircam) == 4
    assert con.execute("SELECT count(*) FROM mast.si_nirspec").fetchone() == (0,)
