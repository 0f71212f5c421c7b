"""The one model of the JWST archive, as core tables.

Programs → observations (APT) → visits → exposures → CAOM observations (one per exposure and
detector, plus level-3 composites) → planes (one per calibration level) → products (files,
including guide-star files and associations). Every published table is a view of these
(``catalog/schema.py``). The core tables live in the ``core`` schema, which ADQL never sees.

Each table is given once, as ordered (name, SQL type, meaning) triples, so the generator, the
ingester and the store all agree on the shape.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CORE_SCHEMA", "CORE_TABLES", "CoreTable", "core_ddl"]

CORE_SCHEMA = "core"


@dataclass(frozen=True)
class CoreTable:
    """One core table: ``columns`` are (name, DuckDB/SQL type, meaning)."""

    name: str
    doc: str
    columns: tuple[tuple[str, str, str], ...]
    sort_key: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        """Column names in order."""
        return [c[0] for c in self.columns]

    @property
    def qualified(self) -> str:
        """``core.<name>``."""
        return f"{CORE_SCHEMA}.{self.name}"


PROGRAM = CoreTable(
    "program",
    "A JWST program (proposal).",
    (
        ("program_id", "VARCHAR", "five-digit program id, e.g. 01410"),
        ("program_num", "INTEGER", "program number, e.g. 1410"),
        ("title", "VARCHAR", "program title"),
        ("pi_name", "VARCHAR", "principal investigator, 'Last, First'"),
        ("category", "VARCHAR", "GO, GTO, ERS, COM, DD, CAL, GO-EAP ..."),
        ("sub_category", "VARCHAR", "sub-category (APT subcat)"),
        ("science_category", "VARCHAR", "science category (APT scicat)"),
        ("cycle", "INTEGER", "JWST cycle (0 for commissioning)"),
        ("eap_months", "INTEGER", "exclusive-access period in months (0 = public at once)"),
        ("owner", "VARCHAR", "archive user who holds exclusive access, or NULL"),
    ),
)

TARGET = CoreTable(
    "target",
    "A target as proposed (name, position, classification).",
    (
        ("target_id", "INTEGER", "target number in the archive"),
        ("target_name", "VARCHAR", "target name as the proposer spelled it"),
        ("ra", "DOUBLE", "proposed RA, deg ICRS"),
        ("dec", "DOUBLE", "proposed Dec, deg ICRS"),
        ("target_type", "VARCHAR", "FIXED or MOVING"),
        ("classification", "VARCHAR", "';'-separated classification (MAST target_classification)"),
        ("description", "VARCHAR", "APT target description (targdesc)"),
        ("category", "VARCHAR", "APT target category (targcat)"),
        ("redshift", "DOUBLE", "redshift when known"),
    ),
)

OBSERVATION = CoreTable(
    "observation",
    "An APT observation of a program: one instrument, one mode, one target.",
    (
        ("program_id", "VARCHAR", "five-digit program id"),
        ("observtn", "INTEGER", "observation number within the program"),
        ("target_id", "INTEGER", "target observed"),
        ("instrument", "VARCHAR", "NIRCAM, NIRSPEC, NIRISS, MIRI, FGS"),
        ("mode", "VARCHAR", "MAST instrument_name, e.g. NIRCAM/IMAGE"),
        ("template", "VARCHAR", "APT template, e.g. NIRCam Imaging"),
        ("label", "VARCHAR", "observation label"),
        ("tsovisit", "BOOLEAN", "time-series observation"),
        ("intent", "VARCHAR", "science or calibration"),
        ("release_date", "TIMESTAMP", "end of the exclusive-access period"),
    ),
    sort_key=("program_id", "observtn"),
)

VISIT = CoreTable(
    "visit",
    "A visit: one pointing of an observation, guided on one guide star.",
    (
        ("visit_id", "VARCHAR", "PPPPPOOOVVV, e.g. 01410001001"),
        ("program_id", "VARCHAR", "five-digit program id"),
        ("observtn", "INTEGER", "observation number"),
        ("visit", "INTEGER", "visit number"),
        ("visit_start", "TIMESTAMP", "visit start (UTC)"),
        ("visit_end", "TIMESTAMP", "visit end (UTC)"),
        ("gs_id", "VARCHAR", "guide star id (GSC 2)"),
        ("gs_ra", "DOUBLE", "guide star RA, deg"),
        ("gs_dec", "DOUBLE", "guide star Dec, deg"),
        ("gs_mag", "DOUBLE", "guide star magnitude"),
        ("pa_v3", "DOUBLE", "V3 position angle, deg"),
    ),
    sort_key=("visit_id",),
)

EXPOSURE = CoreTable(
    "exposure",
    "An exposure: one set of detector readouts with one configuration (a file set).",
    (
        ("file_set_name", "VARCHAR", "jwPPPPPOOOVVV_GGSAA_EEEEE"),
        ("visit_id", "VARCHAR", "visit of the exposure"),
        ("visit_group", "INTEGER", "visit group"),
        ("parallel_seq", "INTEGER", "parallel sequence id (1 prime, 2 parallel)"),
        ("activity", "VARCHAR", "activity id (2 base-36 characters)"),
        ("exposure", "INTEGER", "exposure number"),
        ("exp_type", "VARCHAR", "EXP_TYPE, e.g. NRC_IMAGE"),
        ("filter", "VARCHAR", "FILTER wheel element"),
        ("pupil", "VARCHAR", "PUPIL wheel element (or GRATING for NIRSpec, band for MIRI MRS)"),
        ("readpatt", "VARCHAR", "readout pattern"),
        ("subarray", "VARCHAR", "subarray name"),
        ("nints", "INTEGER", "integrations"),
        ("ngroups", "INTEGER", "groups per integration"),
        ("nframes", "INTEGER", "frames per group"),
        ("groupgap", "INTEGER", "dropped frames between groups"),
        ("tframe", "DOUBLE", "frame time, s"),
        ("tgroup", "DOUBLE", "group time, s"),
        ("effinttm", "DOUBLE", "effective integration time, s"),
        ("effexptm", "DOUBLE", "effective exposure time, s"),
        ("duration", "DOUBLE", "total duration, s"),
        ("date_beg", "TIMESTAMP", "exposure start (UTC)"),
        ("date_end", "TIMESTAMP", "exposure end (UTC)"),
        ("ra", "DOUBLE", "pointing RA of the reference aperture, deg"),
        ("dec", "DOUBLE", "pointing Dec of the reference aperture, deg"),
        ("patttype", "VARCHAR", "dither pattern type"),
        ("numdthpt", "INTEGER", "number of dither points"),
        ("patt_num", "INTEGER", "position in the dither pattern"),
        ("nsegments", "INTEGER", "number of file segments (1 when not segmented)"),
    ),
    sort_key=("file_set_name",),
)

CAOM_OBSERVATION = CoreTable(
    "caom_observation",
    "A CAOM observation: simple (one exposure on one detector) or composite (a level-3 product).",
    (
        ("obsid", "BIGINT", "MAST integer obsid (Product Group ID)"),
        ("obs_uuid", "VARCHAR", "CAOM observation UUID (ESA obsid)"),
        ("obs_id", "VARCHAR", "observation id, e.g. jw01410001001_02101_00001_nrca1"),
        ("typecode", "VARCHAR", "S simple, C composite"),
        ("program_id", "VARCHAR", "five-digit program id"),
        ("observtn", "INTEGER", "APT observation number"),
        ("visit_id", "VARCHAR", "visit (NULL for composites spanning visits)"),
        ("file_set_name", "VARCHAR", "exposure (NULL for composites)"),
        ("detector", "VARCHAR", "detector, e.g. nrca1 (NULL for composites)"),
        ("instrument", "VARCHAR", "NIRCAM, NIRSPEC, NIRISS, MIRI, FGS"),
        ("mode", "VARCHAR", "MAST instrument_name, e.g. NIRCAM/IMAGE"),
        ("exp_type", "VARCHAR", "EXP_TYPE"),
        ("filters", "VARCHAR", "';'-separated optical elements, e.g. F200W;CLEAR"),
        ("dataproduct_type", "VARCHAR", "image, spectrum, cube, timeseries, measurements"),
        ("calib_level", "INTEGER", "highest calibration level of its planes"),
        ("target_id", "INTEGER", "target"),
        ("s_ra", "DOUBLE", "footprint centre RA, deg"),
        ("s_dec", "DOUBLE", "footprint centre Dec, deg"),
        ("s_region", "VARCHAR", "STC-S footprint, POLYGON ICRS ..."),
        ("s_fov", "DOUBLE", "field diameter, deg"),
        ("s_area", "DOUBLE", "footprint area, deg2"),
        ("t_min", "DOUBLE", "start, MJD"),
        ("t_max", "DOUBLE", "end, MJD"),
        ("t_exptime", "DOUBLE", "exposure time, s"),
        ("em_min", "DOUBLE", "shortest wavelength, m"),
        ("em_max", "DOUBLE", "longest wavelength, m"),
        ("release_date", "TIMESTAMP", "public release date"),
        ("members", "VARCHAR", "space-separated caom:JWST/<obs_id> of members (composites)"),
        ("_healpix", "BIGINT", "NESTED HEALPix depth-29 index of (s_ra, s_dec)"),
        ("_x", "DOUBLE", "unit vector x of (s_ra, s_dec)"),
        ("_y", "DOUBLE", "unit vector y"),
        ("_z", "DOUBLE", "unit vector z"),
    ),
    sort_key=("_healpix",),
)

CAOM_MEMBER = CoreTable(
    "caom_member",
    "Membership of simple observations in composites.",
    (
        ("parent_obsid", "BIGINT", "composite obsid"),
        ("member_obsid", "BIGINT", "member obsid"),
    ),
)

PLANE = CoreTable(
    "plane",
    "A CAOM plane: the products of one observation at one calibration level.",
    (
        ("plane_uuid", "VARCHAR", "CAOM plane UUID (ESA planeid)"),
        ("obsid", "BIGINT", "observation"),
        ("calib_level", "INTEGER", "1 raw, 2 calibrated exposure, 3 combined"),
        ("productid", "VARCHAR", "plane product id, e.g. jw01410001001_02101_00001_nrca1_cal"),
        ("dataproduct_type", "VARCHAR", "image, spectrum, cube, timeseries, measurements"),
    ),
)

PRODUCT = CoreTable(
    "product",
    "A file in the archive: science, preview, thumbnail, info or auxiliary.",
    (
        ("product_key", "BIGINT", "product number in the archive"),
        ("artifact_uuid", "VARCHAR", "CAOM artifact UUID (ESA artifactid)"),
        ("filename", "VARCHAR", "file name, e.g. jw01410001001_02101_00001_nrca1_cal.fits"),
        ("obsid", "BIGINT", "owning observation"),
        ("plane_uuid", "VARCHAR", "owning plane"),
        ("program_id", "VARCHAR", "five-digit program id"),
        ("visit_id", "VARCHAR", "visit (NULL for level 3)"),
        ("file_set_name", "VARCHAR", "exposure (NULL for level 3, visit-level guide-star files)"),
        ("detector", "VARCHAR", "detector or NULL"),
        ("segment", "INTEGER", "segment number or NULL"),
        ("suffix", "VARCHAR", "product suffix, e.g. cal, i2d_thumb, gs-fg"),
        ("extension", "VARCHAR", "fits, jpg, json, csv, ecsv"),
        ("subgroup", "VARCHAR", "MAST productSubGroupDescription, e.g. CAL"),
        ("product_type", "VARCHAR", "SCIENCE, PREVIEW, THUMBNAIL, INFO, AUXILIARY"),
        ("calib_level", "INTEGER", "calibration level"),
        ("product_level", "VARCHAR", "SI keyword productLevel: 1b, 2a, 2b, 2c, 3"),
        ("content_type", "VARCHAR", "MIME type"),
        ("is_guide_star", "BOOLEAN", "a guide-star file (_gs-)"),
        ("mrp", "BOOLEAN", "Minimum Recommended Product"),
        ("size", "BIGINT", "bytes, equal to the served content"),
        ("md5", "VARCHAR", "md5 hex digest of the served content"),
        ("release_date", "TIMESTAMP", "public release date"),
        ("ingest_date", "TIMESTAMP", "archive ingest date"),
        ("cal_ver", "VARCHAR", "pipeline version"),
        ("crds_ctx", "VARCHAR", "CRDS context"),
    ),
    sort_key=("obsid", "filename"),
)

CORE_TABLES: tuple[CoreTable, ...] = (
    PROGRAM,
    TARGET,
    OBSERVATION,
    VISIT,
    EXPOSURE,
    CAOM_OBSERVATION,
    CAOM_MEMBER,
    PLANE,
    PRODUCT,
)


def core_ddl() -> list[str]:
    """CREATE statements for the core schema and its tables."""
    statements = [f"CREATE SCHEMA IF NOT EXISTS {CORE_SCHEMA}"]
    for table in CORE_TABLES:
        cols = ",\n  ".join(f'"{name}" {sqltype}' for name, sqltype, _ in table.columns)
        statements.append(f"CREATE TABLE {table.qualified} (\n  {cols}\n)")
    return statements
