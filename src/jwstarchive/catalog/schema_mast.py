"""The MAST face: the CAOM observation and product tables, as views of the core model.

``mast.caom_observation`` answers ``Mast.Caom.Cone``/``Filtered``/``Filtered.Position`` and
``mast.caom_product`` answers ``Mast.Caom.Products`` (reference/mast_api.md §3.1, §3.2); columns
are in MAST's order and spelled as MAST spells them. ``distance`` is not a column: the cone
service computes it. ``parent_obsid`` is the owning observation; the products service replaces
it with the requested obsid when it lists a composite's member products.
"""

from __future__ import annotations

from jwstarchive.catalog.schema import (
    boolean,
    data_rights,
    double,
    integer,
    long,
    mast_uri,
    mjd,
    text,
    unpadded,
)
from jwstarchive.catalog.tables import PositionIndex, Table

__all__ = ["CAOM_OBSERVATION_COLUMNS", "CAOM_PRODUCT_COLUMNS", "tables"]

CAOM_OBSERVATION_COLUMNS = [
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
"""MAST's column order of the CAOM observation table (without the cone's ``distance``)."""

CAOM_PRODUCT_COLUMNS = [
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
"""MAST's column order of the product table."""

# the top plane's preview and science file of every observation (MRP first, then by name)
TOP_FILES = """(
  SELECT pr.obsid,
    COALESCE(min(CASE WHEN pr.product_type = 'PREVIEW' AND pr.mrp THEN pr.filename END),
             min(CASE WHEN pr.product_type = 'PREVIEW' THEN pr.filename END)) AS preview,
    COALESCE(min(CASE WHEN pr.product_type = 'SCIENCE' AND pr.mrp THEN pr.filename END),
             min(CASE WHEN pr.product_type = 'SCIENCE' THEN pr.filename END)) AS science
  FROM core.product pr
  JOIN core.caom_observation top_co ON top_co.obsid = pr.obsid AND top_co.calib_level = pr.calib_level
  WHERE pr.product_type IN ('PREVIEW', 'SCIENCE')
  GROUP BY pr.obsid
) top ON top.obsid = co.obsid"""

OBSERVATION_FROM = f"""core.caom_observation co
LEFT JOIN core.program pg ON pg.program_id = co.program_id
LEFT JOIN core.target tg ON tg.target_id = co.target_id
LEFT JOIN core.observation ob ON ob.program_id = co.program_id AND ob.observtn = co.observtn
LEFT JOIN {TOP_FILES}"""

PRODUCT_FROM = "core.product pr\nJOIN core.caom_observation co ON co.obsid = pr.obsid"


def _oc(attr: str) -> str:
    return f"obscore:{attr}"


def _caom_observation() -> Table:
    cols = [
        text(
            "intentType",
            "COALESCE(ob.intent, 'science')",
            "science or calibration",
            ucd="meta.code",
            utype="caom2:Observation.intent",
        ),
        text(
            "obs_collection",
            "'JWST'",
            "mission",
            ucd="meta.id",
            utype=_oc("DataID.Collection"),
            principal=True,
        ),
        text(
            "provenance_name",
            "'CALJWST'",
            "pipeline that made the products",
            ucd="meta.id",
            utype="caom2:Plane.provenance.name",
        ),
        text(
            "instrument_name",
            "co.mode",
            "instrument and mode, e.g. NIRCAM/IMAGE",
            ucd="meta.id;instr",
            utype=_oc("Provenance.ObsConfig.Instrument.name"),
            principal=True,
        ),
        text("project", "'JWST'", "processing project", ucd="meta.id", utype="caom2:Plane.provenance.project"),
        text(
            "filters",
            "co.filters",
            "optical elements, ';'-separated",
            ucd="instr.filter",
            utype="caom2:Plane.energy.bandpassName",
            principal=True,
        ),
        text(
            "wavelength_region",
            "'INFRARED'",
            "wavelength region",
            ucd="instr.bandpass",
            utype="caom2:Plane.energy.energyBands",
        ),
        text(
            "target_name",
            "tg.target_name",
            "target name",
            ucd="meta.id;src",
            utype=_oc("Target.Name"),
            principal=True,
        ),
        text(
            "target_classification",
            "tg.classification",
            "target classification, ';'-separated",
            ucd="src.class",
            utype=_oc("Target.Class"),
        ),
        text(
            "obs_id",
            "co.obs_id",
            "observation identifier",
            ucd="meta.id",
            utype=_oc("DataID.observationID"),
            principal=True,
        ),
        double(
            "s_ra",
            "co.s_ra",
            "footprint centre RA (ICRS)",
            unit="deg",
            ucd="pos.eq.ra;meta.main",
            utype=_oc("Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C1"),
            principal=True,
            indexed=True,
        ),
        double(
            "s_dec",
            "co.s_dec",
            "footprint centre Dec (ICRS)",
            unit="deg",
            ucd="pos.eq.dec;meta.main",
            utype=_oc("Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C2"),
            principal=True,
            indexed=True,
        ),
        text(
            "dataproduct_type",
            "co.dataproduct_type",
            "image, spectrum, cube, timeseries, measurements",
            ucd="meta.code.class",
            utype=_oc("ObsDataset.dataProductType"),
            principal=True,
        ),
        text(
            "proposal_pi",
            "pg.pi_name",
            "principal investigator, 'Last, First'",
            ucd="meta.id.PI",
            utype="caom2:Observation.proposal.pi",
        ),
        integer(
            "calib_level",
            "co.calib_level",
            "highest calibration level: 1 raw, 2 calibrated, 3 combined",
            ucd="meta.code;obs.calib",
            utype=_oc("ObsDataset.calibLevel"),
            principal=True,
        ),
        double(
            "t_min",
            "co.t_min",
            "start time (MJD)",
            unit="d",
            ucd="time.start;obs.exposure",
            utype=_oc("Char.TimeAxis.Coverage.Bounds.Limits.StartTime"),
        ),
        double(
            "t_max",
            "co.t_max",
            "end time (MJD)",
            unit="d",
            ucd="time.end;obs.exposure",
            utype=_oc("Char.TimeAxis.Coverage.Bounds.Limits.StopTime"),
        ),
        double(
            "t_exptime",
            "co.t_exptime",
            "exposure time",
            unit="s",
            ucd="time.duration;obs.exposure",
            utype=_oc("Char.TimeAxis.Coverage.Support.Extent"),
        ),
        double(
            "em_min",
            "(co.em_min * 1e9)",
            "shortest wavelength",
            unit="nm",
            ucd="em.wl;stat.min",
            utype=_oc("Char.SpectralAxis.Coverage.Bounds.Limits.LoLimit"),
        ),
        double(
            "em_max",
            "(co.em_max * 1e9)",
            "longest wavelength",
            unit="nm",
            ucd="em.wl;stat.max",
            utype=_oc("Char.SpectralAxis.Coverage.Bounds.Limits.HiLimit"),
        ),
        text("obs_title", "pg.title", "program title", ucd="meta.title;obs", utype=_oc("DataID.Title")),
        double(
            "t_obs_release",
            mjd("co.release_date"),
            "public release date (MJD)",
            unit="d",
            ucd="time.release",
            utype=_oc("Curation.releaseDate"),
        ),
        text(
            "proposal_id",
            unpadded("co.program_id"),
            "program number without leading zeros, e.g. 1410",
            ucd="meta.id;obs.proposal",
            utype=_oc("Provenance.Proposal.identifier"),
            principal=True,
        ),
        text(
            "proposal_type",
            "pg.category",
            "GO, GTO, ERS, COM, DD, CAL ...",
            ucd="meta.code.class;obs.proposal",
        ),
        integer("sequence_number", "NULL", "sequence number (not used for JWST)", ucd="meta.number"),
        text(
            "s_region",
            "co.s_region",
            "footprint (STC-S)",
            ucd="pos.outline;obs.field",
            utype=_oc("Char.SpatialAxis.Coverage.Support.Area"),
        ),
        text("jpegURL", mast_uri("top.preview"), "preview of the top product", ucd="meta.ref.url;meta.preview"),
        text(
            "dataURL",
            mast_uri("top.science"),
            "top science file",
            ucd="meta.ref.url",
            utype=_oc("Access.Reference"),
        ),
        text(
            "dataRights",
            data_rights("co.release_date"),
            "PUBLIC or EXCLUSIVE_ACCESS",
            ucd="meta.code",
            utype=_oc("Curation.Rights"),
        ),
        boolean(
            "mtFlag",
            "tg.target_type = 'MOVING'",
            "moving target",
            ucd="meta.code",
            utype="caom2:Observation.target.moving",
        ),
        double("srcDen", "NULL", "source density", unit="deg**-2", ucd="phys.density"),
        long(
            "obsid",
            "co.obsid",
            "Product Group ID, the key of the product list",
            ucd="meta.id",
            principal=True,
        ),
        long(
            "objID",
            "(co.obsid * 10 + co.calib_level)",
            "plane identifier of the top plane (derived: obsid * 10 + calib_level)",
            ucd="meta.id",
        ),
    ]
    by_name = {c.name: c for c in cols}
    return Table(
        "mast",
        "caom_observation",
        tuple(by_name[n] for n in CAOM_OBSERVATION_COLUMNS),
        "MAST CAOM observations (Mast.Caom.Cone, Mast.Caom.Filtered): JWST exposures and level-3 products.",
        position=PositionIndex(ra="s_ra", dec="s_dec"),
        from_sql=OBSERVATION_FROM,
    )


SUBGROUP_TEXT = (
    ("UNCAL", "Uncalibrated 4D exposure data"),
    ("RATE", "Countrate exposure data"),
    ("RATEINTS", "Countrate data per integration"),
    ("TRAPSFILLED", "Charge trap state data"),
    ("CAL", "Calibrated exposure data"),
    ("CALINTS", "Calibrated data per integration"),
    ("BSUB", "Background-subtracted exposure data"),
    ("CRF", "Cosmic-ray flagged exposure data"),
    ("I2D", "Rectified 2D image"),
    ("S2D", "Rectified 2D spectrum"),
    ("S3D", "Spectral cube"),
    ("X1D", "Extracted 1D spectrum"),
    ("X1DINTS", "Extracted 1D spectra per integration"),
    ("C1D", "Combined 1D spectrum"),
    ("CAT", "Source catalog"),
    ("SEGM", "Segmentation map"),
    ("WHTLT", "White-light time series"),
    ("ASN", "Association"),
    ("POOL", "Association pool"),
)


def _description() -> str:
    cases = " ".join(f"WHEN '{code}' THEN '{label}'" for code, label in SUBGROUP_TEXT)
    subgroup = f"CASE upper(pr.subgroup) {cases} ELSE COALESCE(pr.subgroup, pr.suffix) END"
    level = "CASE WHEN pr.calib_level = 3 THEN 'target' ELSE 'exposure' END"
    product_level = "COALESCE(pr.product_level, CAST(pr.calib_level AS VARCHAR))"
    return (
        "CASE WHEN pr.product_type = 'PREVIEW' THEN 'Preview-Full' "
        "WHEN pr.product_type = 'THUMBNAIL' THEN 'Preview-Thumb' "
        "WHEN pr.is_guide_star THEN 'Guide star data' "
        f"ELSE {level} || ' (L' || {product_level} || '): ' || {subgroup} END"
    )


def _caom_product() -> Table:
    cols = [
        long(
            "obsID",
            "pr.obsid",
            "obsid of the observation the file belongs to",
            ucd="meta.id",
            principal=True,
            indexed=True,
        ),
        text("obs_collection", "'JWST'", "mission", ucd="meta.id", utype=_oc("DataID.Collection")),
        text(
            "dataproduct_type",
            "co.dataproduct_type",
            "data product type of the observation",
            ucd="meta.code.class",
        ),
        text("obs_id", "co.obs_id", "obs_id of the owning observation", ucd="meta.id", principal=True),
        text("description", _description(), "what the file holds", ucd="meta.note"),
        text("type", "co.typecode", "S simple, C composite", ucd="meta.code"),
        text(
            "dataURI",
            mast_uri("pr.filename"),
            "mast:JWST/product/<filename>, the download key",
            ucd="meta.ref.uri",
            utype="caom2:Artifact.uri",
            principal=True,
        ),
        text(
            "productType",
            "pr.product_type",
            "SCIENCE, PREVIEW, THUMBNAIL, INFO, AUXILIARY",
            ucd="meta.code.class",
            utype="caom2:Artifact.productType",
            principal=True,
        ),
        text(
            "productGroupDescription",
            "CASE WHEN pr.mrp THEN 'Minimum Recommended Products' END",
            "Minimum Recommended Products, or null",
            ucd="meta.code",
        ),
        text(
            "productSubGroupDescription",
            "pr.subgroup",
            "file type code, e.g. UNCAL, RATE, CAL, I2D, ASN",
            ucd="meta.code",
        ),
        text("productDocumentationURL", "NULL", "documentation of the product", ucd="meta.ref.url"),
        text("project", "'JWST'", "project", ucd="meta.id"),
        text("prvversion", "pr.cal_ver", "pipeline version", ucd="meta.version"),
        text(
            "proposal_id",
            unpadded("pr.program_id"),
            "program number without leading zeros",
            ucd="meta.id;obs.proposal",
        ),
        text("productFilename", "pr.filename", "file name", ucd="meta.id;meta.file", principal=True),
        long(
            "size",
            "pr.size",
            "file size",
            unit="byte",
            ucd="phys.size;meta.file",
            utype="caom2:Artifact.contentLength",
            principal=True,
        ),
        long(
            "parent_obsid",
            "pr.obsid",
            "obsid that was requested (the owner unless the service says otherwise)",
            ucd="meta.id",
        ),
        text("dataRights", data_rights("pr.release_date"), "PUBLIC or EXCLUSIVE_ACCESS", ucd="meta.code"),
        integer(
            "calib_level",
            "pr.calib_level",
            "calibration level: 1, 2, 3",
            ucd="meta.code;obs.calib",
            principal=True,
        ),
        text("filters", "co.filters", "optical elements of the observation", ucd="instr.filter"),
    ]
    by_name = {c.name: c for c in cols}
    return Table(
        "mast",
        "caom_product",
        tuple(by_name[n] for n in CAOM_PRODUCT_COLUMNS),
        "MAST products (Mast.Caom.Products): every file of every JWST observation.",
        from_sql=PRODUCT_FROM,
    )


def tables() -> tuple[Table, ...]:
    """The MAST CAOM tables."""
    return (_caom_observation(), _caom_product())
