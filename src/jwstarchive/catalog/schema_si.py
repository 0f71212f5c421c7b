"""The JWST SI keyword tables behind ``Mast.Jwst.Filtered.<Instrument>``, as views of the core model.

``core.si_keywords`` (internal, never published) has one row per FITS product file, with every
column that any instrument table has (NULL where it does not apply) plus internal columns
(``product_key``, the padded ``program_id``, ``ra_ref``/``dec_ref`` …). It is also the source of
the FITS primary headers (:func:`fits_keywords` maps header keywords to its columns); ``fileSize``
and ``checksum`` are derived *from* the bytes and never feed them.

``mast.si_nircam``, ``si_nirspec``, ``si_niriss``, ``si_miri`` and ``si_fgs`` select one
instrument's files from it (guide-star files, whose INSTRUME is FGS, are in ``si_fgs``), with the
columns of reference/mast_api.md §5 in that order, then the instrument's own keywords, then the
archive bookkeeping block (``fileSize`` … ``dataURI``). Conventions: ``program`` is unpadded
('1410'); FITS logicals are 't'/'f' strings; datetimes are TIMESTAMP (UTC) with ``_mjd`` twins.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from jwstarchive.catalog.schema import (
    boolean,
    double,
    from_mjd,
    integer,
    is_public,
    logical,
    long,
    mast_uri,
    mjd,
    text,
    timestamp,
    unpadded,
)
from jwstarchive.catalog.tables import Column, Table

__all__ = [
    "INSTRUMENT_TABLES",
    "SI_COMMON_COLUMNS",
    "SI_TAIL_COLUMNS",
    "fits_keywords",
    "si_keywords_table",
    "tables",
]

SI_FROM = """core.product pr
JOIN core.caom_observation co ON co.obsid = pr.obsid
LEFT JOIN core.program pg ON pg.program_id = pr.program_id
LEFT JOIN core.observation ob ON ob.program_id = co.program_id AND ob.observtn = co.observtn
LEFT JOIN core.target tg ON tg.target_id = co.target_id
LEFT JOIN core.visit vi ON vi.visit_id = pr.visit_id
LEFT JOIN core.exposure ex ON ex.file_set_name = pr.file_set_name
WHERE pr.extension = 'fits'"""

GS = "COALESCE(pr.is_guide_star, FALSE)"
INSTR = f"CASE WHEN {GS} THEN 'FGS' ELSE co.instrument END"
DET = "upper(COALESCE(pr.detector, co.detector))"
COMPOSITE = "co.typecode = 'C'"
# level-3 files have no exposure: take the optical elements from the composite's filters
ELEMENT1 = f"COALESCE(ex.filter, CASE WHEN {COMPOSITE} THEN NULLIF(split_part(co.filters, ';', 1), '') END)"
ELEMENT2 = f"COALESCE(ex.pupil, CASE WHEN {COMPOSITE} THEN NULLIF(split_part(co.filters, ';', 2), '') END)"
MRS = "COALESCE(ex.exp_type, co.exp_type) = 'MIR_MRS'"
# MIRI MRS keeps its band where the others keep a pupil element; its composites list the band alone
MRS_BAND = f"COALESCE(ex.pupil, CASE WHEN {COMPOSITE} THEN NULLIF(split_part(co.filters, ';', 1), '') END)"
DATE_BEG = f"COALESCE(ex.date_beg, CASE WHEN NOT {GS} THEN {from_mjd('co.t_min')} END, vi.visit_start)"
DATE_END = f"COALESCE(ex.date_end, CASE WHEN NOT {GS} THEN {from_mjd('co.t_max')} END, vi.visit_end)"
GS_EXP_TYPE = (
    "CASE WHEN pr.suffix LIKE 'gs-track%' THEN 'FGS_TRACK' WHEN pr.suffix LIKE 'gs-acq1%' THEN 'FGS_ACQ1' "
    "WHEN pr.suffix LIKE 'gs-acq2%' THEN 'FGS_ACQ2' WHEN pr.suffix LIKE 'gs-id%' THEN 'FGS_ID-IMAGE' "
    "ELSE 'FGS_FINEGUIDE' END"
)
EXP_TYPE = f"CASE WHEN {GS} THEN {GS_EXP_TYPE} ELSE COALESCE(ex.exp_type, co.exp_type) END"
APERNAME = f"""CASE
    WHEN {DET} IS NULL THEN NULL
    WHEN {INSTR} = 'NIRCAM' THEN {DET} || '_' || COALESCE(ex.subarray, 'FULL')
    WHEN {INSTR} = 'NIRSPEC' THEN CASE {EXP_TYPE}
        WHEN 'NRS_MSASPEC' THEN 'NRS_FULL_MSA' WHEN 'NRS_IFU' THEN 'NRS_FULL_IFU'
        WHEN 'NRS_FIXEDSLIT' THEN 'NRS_S200A1_SLIT' WHEN 'NRS_BRIGHTOBJ' THEN 'NRS_S1600A1_SLIT'
        ELSE {DET} || '_FULL' END
    WHEN {INSTR} = 'NIRISS' THEN 'NIS_' || CASE WHEN COALESCE(ex.subarray, 'FULL') = 'FULL' THEN 'CEN'
        ELSE ex.subarray END
    WHEN {INSTR} = 'MIRI' THEN CASE WHEN {DET} = 'MIRIMAGE' THEN 'MIRIM_' || COALESCE(ex.subarray, 'FULL')
        WHEN {DET} = 'MIRIFUSHORT' THEN 'MIRIFU_CHANNEL1A' ELSE 'MIRIFU_CHANNEL3A' END
    ELSE replace({DET}, 'GUIDER', 'FGS') || '_FULL'
  END"""
DATAMODL = """CASE
    WHEN pr.suffix LIKE 'gs-%' THEN 'GuiderRawModel'
    WHEN pr.suffix = 'uncal' THEN 'Level1bModel'
    WHEN pr.suffix IN ('rate', 'cal', 'i2d', 'crf', 'bsub') THEN 'ImageModel'
    WHEN pr.suffix IN ('rateints', 'calints', 'trapsfilled') THEN 'CubeModel'
    WHEN pr.suffix = 's2d' THEN 'MultiSlitModel'
    WHEN pr.suffix = 's3d' THEN 'IFUCubeModel'
    WHEN pr.suffix IN ('x1d', 'x1dints', 'c1d') THEN 'MultiSpecModel'
    WHEN pr.suffix = 'segm' THEN 'SegmentationMapModel'
  END"""
FULL_FRAME = "COALESCE(ex.subarray, '') = 'FULL'"
FITS_OBS_ID = (
    "('V' || ex.visit_id || 'P00000000' || lpad(CAST(ex.visit_group AS VARCHAR), 2, '0') "
    "|| CAST(ex.parallel_seq AS VARCHAR) || ex.activity)"
)
NULL = "NULL"


@dataclass(frozen=True)
class _Spec:
    """One SI column: name, kind (s text, L FITS logical, i int, l long, d double, t timestamp +
    its ``_mjd`` twin, T timestamp without twin, b boolean), SQL and description."""

    name: str
    kind: str
    sql: str
    description: str
    unit: str | None = None
    ucd: str | None = None


def _columns(specs: list[_Spec]) -> list[Column]:
    out: list[Column] = []
    for s in specs:
        kw = {"unit": s.unit, "ucd": s.ucd}
        if s.kind in ("s", "L"):
            out.append(text(s.name, logical(s.sql) if s.kind == "L" and s.sql != NULL else s.sql, s.description, **kw))
        elif s.kind == "i":
            out.append(integer(s.name, s.sql, s.description, **kw))
        elif s.kind == "l":
            out.append(long(s.name, s.sql, s.description, **kw))
        elif s.kind == "d":
            out.append(double(s.name, s.sql, s.description, **kw))
        elif s.kind == "b":
            out.append(boolean(s.name, s.sql, s.description, **kw))
        elif s.kind in ("t", "T"):
            out.append(timestamp(s.name, s.sql, f"{s.description} (UTC)", ucd=s.ucd or "time.epoch"))
            if s.kind == "t":
                twin = mjd(s.sql) if s.sql != NULL else NULL
                out.append(double(f"{s.name}_mjd", twin, f"{s.description} (MJD)", unit="d", ucd=s.ucd or "time.epoch"))
        else:  # pragma: no cover - a typo in the table below
            raise ValueError(f"unknown SI column kind {s.kind!r}")
    return out


def _k(
    name: str,
    kind: str,
    sql: str = NULL,
    description: str = "",
    unit: str | None = None,
    ucd: str | None = None,
) -> _Spec:
    return _Spec(name, kind, sql, description or name.upper(), unit, ucd)


_COMMON_SPECS = [
    # archive bookkeeping (head)
    _k("ArchiveFileID", "l", "pr.product_key", "archive file identifier", ucd="meta.id"),
    _k("filename", "s", "pr.filename", "file name", ucd="meta.id;meta.file"),
    _k(
        "fileSetName",
        "s",
        f"COALESCE(pr.file_set_name, CASE WHEN {COMPOSITE} THEN co.obs_id END)",
        "exposure (file set) name",
        ucd="meta.id",
    ),
    _k("productLevel", "s", "pr.product_level", "product level: 1b, 2a, 2b, 2c, 3", ucd="meta.code;obs.calib"),
    # program / observation
    _k("program", "s", unpadded("pr.program_id"), "program number, e.g. 1410", ucd="meta.id;obs.proposal"),
    _k("observtn", "i", "co.observtn", "observation number", ucd="meta.id"),
    _k("visit", "i", "vi.visit", "visit number", ucd="meta.id"),
    _k("visit_id", "s", "pr.visit_id", "visit identifier PPPPPOOOVVV", ucd="meta.id"),
    _k("visitgrp", "i", "ex.visit_group", "visit group", ucd="meta.id"),
    _k("seq_id", "i", "ex.parallel_seq", "parallel sequence identifier", ucd="meta.id"),
    _k("act_id", "s", "ex.activity", "activity identifier", ucd="meta.id"),
    _k("exposure", "i", "ex.exposure", "exposure number", ucd="meta.id"),
    _k("obs_id", "s", FITS_OBS_ID, "FITS OBS_ID (not the CAOM obs_id)", ucd="meta.id"),
    _k("obslabel", "s", "ob.label", "observation label", ucd="meta.note"),
    _k("category", "s", "pg.category", "program category", ucd="meta.code.class"),
    _k("subcat", "s", "pg.sub_category", "program sub-category", ucd="meta.code.class"),
    _k("scicat", "s", "pg.science_category", "science category", ucd="meta.code.class"),
    _k("cont_id", "i", NULL, "continuation of a previous program"),
    _k("pi_name", "s", "pg.pi_name", "principal investigator", ucd="meta.id.PI"),
    _k("title", "s", "pg.title", "program title", ucd="meta.title"),
    _k("template", "s", "ob.template", "observation template", ucd="meta.code"),
    _k(
        "visitype",
        "s",
        "CASE WHEN tg.target_type = 'MOVING' THEN 'PRIME_TARGETED_MOVING' "
        "WHEN tg.target_type IS NOT NULL THEN 'PRIME_TARGETED_FIXED' END",
        "visit type",
    ),
    _k("visitsta", "s", "CASE WHEN vi.visit_id IS NOT NULL THEN 'SUCCESSFUL' END", "visit status"),
    _k("nexposur", "i", NULL, "exposures in the visit"),
    _k("expcount", "i", NULL, "exposures in the activity"),
    _k("tsovisit", "L", "ob.tsovisit", "time-series observation visit"),
    _k("targcat", "s", "tg.category", "target category", ucd="src.class"),
    _k("targdesc", "s", "tg.description", "target description", ucd="meta.note;src"),
    # target
    _k("targname", "s", "tg.target_name", "target name", ucd="meta.id;src"),
    _k("targprop", "s", "tg.target_name", "target name as proposed", ucd="meta.id;src"),
    _k("targ_ra", "d", "tg.ra", "target RA", unit="deg", ucd="pos.eq.ra"),
    _k("targ_dec", "d", "tg.dec", "target Dec", unit="deg", ucd="pos.eq.dec"),
    _k("targura", "d", NULL, "target RA uncertainty", unit="arcsec", ucd="stat.error;pos.eq.ra"),
    _k("targudec", "d", NULL, "target Dec uncertainty", unit="arcsec", ucd="stat.error;pos.eq.dec"),
    _k("targtype", "s", "tg.target_type", "FIXED or MOVING", ucd="meta.code.class"),
    _k("targoopp", "L", "FALSE", "target of opportunity"),
    _k("prop_ra", "d", "tg.ra", "proposed RA", unit="deg", ucd="pos.eq.ra"),
    _k("prop_dec", "d", "tg.dec", "proposed Dec", unit="deg", ucd="pos.eq.dec"),
    _k("mu_ra", "d", NULL, "proper motion in RA", unit="arcsec/yr", ucd="pos.pm;pos.eq.ra"),
    _k("mu_dec", "d", NULL, "proper motion in Dec", unit="arcsec/yr", ucd="pos.pm;pos.eq.dec"),
    _k("mu_epoch", "t", NULL, "proper motion epoch"),
    _k("va_ra", "d", NULL, "velocity aberration RA", unit="deg"),
    _k("va_dec", "d", NULL, "velocity aberration Dec", unit="deg"),
    # instrument configuration
    _k("instrume", "s", INSTR, "instrument", ucd="meta.id;instr"),
    _k("detector", "s", DET, "detector", ucd="meta.id;instr.det"),
    _k(
        "filter",
        "s",
        f"CASE WHEN {GS} THEN NULL WHEN {MRS} THEN ex.filter ELSE {ELEMENT1} END",
        "filter wheel element",
        ucd="instr.filter",
    ),
    _k(
        "pupil",
        "s",
        f"CASE WHEN {INSTR} IN ('NIRCAM', 'NIRISS') THEN {ELEMENT2} END",
        "pupil wheel element",
        ucd="instr.filter",
    ),
    _k("fwcpos", "d", NULL, "filter wheel position", unit="deg"),
    _k("pwcpos", "d", NULL, "pupil wheel position", unit="deg"),
    _k("focuspos", "d", NULL, "focus position", unit="mm"),
    _k("lamp", "s", NULL, "internal lamp"),
    _k("opmode", "s", NULL, "operating mode"),
    _k("apername", "s", APERNAME, "science aperture", ucd="instr.setup"),
    _k("pps_aper", "s", APERNAME, "aperture used for pointing", ucd="instr.setup"),
    _k("subarray", "s", "ex.subarray", "subarray", ucd="instr.setup"),
    _k("substrt1", "i", f"CASE WHEN {FULL_FRAME} THEN 1 END", "subarray start, axis 1", unit="pix"),
    _k("substrt2", "i", f"CASE WHEN {FULL_FRAME} THEN 1 END", "subarray start, axis 2", unit="pix"),
    _k(
        "subsize1",
        "i",
        f"CASE WHEN {FULL_FRAME} THEN CASE WHEN {INSTR} = 'MIRI' THEN 1032 ELSE 2048 END END",
        "subarray size, axis 1",
        unit="pix",
    ),
    _k(
        "subsize2",
        "i",
        f"CASE WHEN {FULL_FRAME} THEN CASE WHEN {INSTR} = 'MIRI' THEN 1024 ELSE 2048 END END",
        "subarray size, axis 2",
        unit="pix",
    ),
    _k("fastaxis", "i", NULL, "fast readout axis"),
    _k("slowaxis", "i", NULL, "slow readout axis"),
    _k("readpatt", "s", "ex.readpatt", "readout pattern", ucd="instr.setup"),
    _k("nframes", "i", "ex.nframes", "frames per group", ucd="meta.number"),
    _k("ngroups", "i", "ex.ngroups", "groups per integration", ucd="meta.number"),
    _k("nints", "i", "ex.nints", "integrations", ucd="meta.number"),
    _k("groupgap", "i", "ex.groupgap", "frames dropped between groups", ucd="meta.number"),
    _k("nresets", "i", NULL, "resets between integrations"),
    _k("nrststrt", "i", NULL, "resets at the start of the exposure"),
    _k("nsamples", "i", NULL, "samples per pixel"),
    _k("tframe", "d", "ex.tframe", "frame time", unit="s", ucd="time.interval"),
    _k("tgroup", "d", "ex.tgroup", "group time", unit="s", ucd="time.interval"),
    _k("tsample", "d", NULL, "sample time", unit="us"),
    _k("noutputs", "i", NULL, "readout amplifiers"),
    _k("sca_num", "i", NULL, "sensor chip assembly number"),
    _k("datamode", "i", NULL, "data mode"),
    _k("zerofram", "L", NULL, "zero frame present"),
    _k("drpfrms1", "i", NULL, "frames dropped at the start of an integration"),
    _k("drpfrms3", "i", NULL, "frames dropped at the start of a group"),
    _k("frmdivsr", "i", NULL, "frame divisor"),
    _k("gainfact", "d", NULL, "gain factor"),
    _k("nextend", "i", NULL, "FITS extensions"),
    _k("rois", "i", NULL, "region of interest size"),
    _k("roiw", "i", NULL, "region of interest width"),
    _k("wpower", "d", NULL, "weighting power"),
    _k("wtype", "s", NULL, "weighting type"),
    _k("nrimdtpt", "i", NULL, "NIRISS imaging dither points"),
    # timing
    _k("date", "t", "pr.ingest_date", "file creation date"),
    _k("date_obs", "t", DATE_BEG, "observation start", ucd="time.start;obs.exposure"),
    _k("date_beg", "t", DATE_BEG, "exposure start", ucd="time.start;obs.exposure"),
    _k("date_end", "t", DATE_END, "exposure end", ucd="time.end;obs.exposure"),
    _k("expstart", "d", mjd(DATE_BEG), "exposure start (MJD)", unit="d", ucd="time.start;obs.exposure"),
    _k(
        "expmid",
        "d",
        f"(({mjd(DATE_BEG)} + {mjd(DATE_END)}) / 2.0)",
        "exposure midpoint (MJD)",
        unit="d",
        ucd="time.epoch;obs.exposure",
    ),
    _k("expend", "d", mjd(DATE_END), "exposure end (MJD)", unit="d", ucd="time.end;obs.exposure"),
    _k(
        "effexptm",
        "d",
        f"CASE WHEN NOT {GS} THEN COALESCE(ex.effexptm, co.t_exptime) END",
        "effective exposure time",
        unit="s",
        ucd="time.duration;obs.exposure",
    ),
    _k("effinttm", "d", "ex.effinttm", "effective integration time", unit="s", ucd="time.duration"),
    _k("duration", "d", "ex.duration", "total duration of the exposure", unit="s", ucd="time.duration"),
    _k("texptime", "d", NULL, "total exposure time", unit="s"),
    _k("exp_type", "s", EXP_TYPE, "exposure type", ucd="meta.code;instr.setup"),
    _k(
        "expripar",
        "s",
        "CASE WHEN ex.parallel_seq = 1 THEN 'PRIME' WHEN ex.parallel_seq > 1 THEN 'PARALLEL_COORDINATED' END",
        "prime or parallel exposure",
    ),
    _k("exp_only", "s", NULL, "exposure-only"),
    _k("exsegnum", "i", "pr.segment", "segment number", ucd="meta.number"),
    _k("exsegtot", "i", "ex.nsegments", "number of segments", ucd="meta.number"),
    _k("intstart", "i", "CASE WHEN ex.nsegments = 1 THEN 1 END", "first integration in the file"),
    _k("intend", "i", "CASE WHEN ex.nsegments = 1 THEN ex.nints END", "last integration in the file"),
    _k("bstrtime", "d", NULL, "barycentric exposure start (MJD)", unit="d"),
    _k("bmidtime", "d", NULL, "barycentric exposure midpoint (MJD)", unit="d"),
    _k("bendtime", "d", NULL, "barycentric exposure end (MJD)", unit="d"),
    _k("bartdelt", "d", NULL, "barycentric time correction", unit="s"),
    _k("hstrtime", "d", NULL, "heliocentric exposure start (MJD)", unit="d"),
    _k("hmidtime", "d", NULL, "heliocentric exposure midpoint (MJD)", unit="d"),
    _k("hendtime", "d", NULL, "heliocentric exposure end (MJD)", unit="d"),
    _k("helidelt", "d", NULL, "heliocentric time correction", unit="s"),
    _k("vststart", "t", "vi.visit_start", "visit start", ucd="time.start"),
    _k("visitend", "t", "vi.visit_end", "visit end", ucd="time.end"),
    _k("expsteng", "t", NULL, "exposure start, engineering time"),
    _k("timesys", "s", "'UTC'", "time system", ucd="time.scale"),
    _k("pwfseet", "d", NULL, "previous wavefront sensing exposure end (MJD)", unit="d"),
    _k("nwfsest", "d", NULL, "next wavefront sensing exposure start (MJD)", unit="d"),
    # guiding / dither
    _k("gdstarid", "s", "vi.gs_id", "guide star identifier", ucd="meta.id"),
    _k("gs_ra", "d", "vi.gs_ra", "guide star RA", unit="deg", ucd="pos.eq.ra"),
    _k("gs_dec", "d", "vi.gs_dec", "guide star Dec", unit="deg", ucd="pos.eq.dec"),
    _k("gs_ura", "d", NULL, "guide star RA uncertainty", unit="arcsec"),
    _k("gs_udec", "d", NULL, "guide star Dec uncertainty", unit="arcsec"),
    _k("gs_mag", "d", "vi.gs_mag", "guide star magnitude", unit="mag", ucd="phot.mag"),
    _k("gs_umag", "d", NULL, "guide star magnitude uncertainty", unit="mag"),
    _k("gs_order", "i", NULL, "guide star order"),
    _k("gsstrttm", "t", NULL, "guide star acquisition start"),
    _k("gsendtim", "t", NULL, "guide star acquisition end"),
    _k("gs_v3_pa", "d", "vi.pa_v3", "V3 position angle at the guide star", unit="deg", ucd="pos.posAng"),
    _k("pcs_mode", "s", "CASE WHEN vi.gs_id IS NOT NULL THEN 'FINEGUIDE' END", "pointing control mode"),
    _k("numdthpt", "i", "ex.numdthpt", "dither points", ucd="meta.number"),
    _k("patt_num", "i", "ex.patt_num", "position in the dither pattern", ucd="meta.number"),
    _k("pattsize", "s", NULL, "dither pattern size"),
    _k("patttype", "s", "ex.patttype", "dither pattern type", ucd="instr.setup"),
    _k("pridtpts", "i", NULL, "primary dither points"),
    _k("subpxpts", "i", NULL, "subpixel dither points"),
    _k("xoffset", "d", NULL, "x offset from the pattern start", unit="arcsec"),
    _k("yoffset", "d", NULL, "y offset from the pattern start", unit="arcsec"),
    _k("crowdfld", "L", NULL, "crowded field"),
    _k("engqlptg", "s", NULL, "engineering quality of the pointing"),
    # processing / quality
    _k("sdp_ver", "s", NULL, "science data processing version"),
    _k("prd_ver", "s", NULL, "project reference database version"),
    _k("oss_ver", "s", NULL, "onboard script system version"),
    _k("gsc_ver", "s", NULL, "guide star catalog version"),
    _k("cal_ver", "s", "pr.cal_ver", "calibration pipeline version", ucd="meta.version"),
    _k("cal_vcs", "s", NULL, "calibration pipeline version control"),
    _k("crds_ctx", "s", "pr.crds_ctx", "CRDS context", ucd="meta.version"),
    _k("crds_ver", "s", NULL, "CRDS version"),
    _k("datamodl", "s", DATAMODL, "data model"),
    _k("asnpool", "s", NULL, "association pool"),
    _k("asntable", "s", NULL, "association table"),
    _k("compress", "L", NULL, "data compressed"),
    _k("origin", "s", "'STSCI'", "institution that made the file"),
    _k("telescop", "s", "'JWST'", "telescope", ucd="meta.id;instr.tel"),
    _k("selfref", "s", NULL, "self reference"),
    _k("hga_move", "L", NULL, "high-gain antenna moved during the exposure"),
    _k("is_psf", "L", NULL, "PSF reference exposure"),
    _k("intarget", "L", NULL, "internal target"),
    _k("bkgdtarg", "L", NULL, "background target"),
    _k("bkglevel", "d", NULL, "background level"),
    _k("bkgsub", "L", NULL, "background subtracted"),
    _k("bkgmeth", "s", NULL, "background method"),
    _k("masterbg", "s", NULL, "master background"),
    _k("dataprob", "L", NULL, "data problem"),
    _k("eng_qual", "s", NULL, "engineering quality"),
    _k("errtype", "s", NULL, "error type"),
    _k("sctarate", "d", NULL, "small-scale target rate"),
    _k("osf_file", "s", NULL, "observation status file"),
    _k("obsfoldr", "s", NULL, "observation folder"),
    _k("dirimage", "s", NULL, "direct image"),
    _k("pixfrac", "d", NULL, "drizzle pixel fraction"),
    _k("pxsclrt", "d", NULL, "pixel scale ratio"),
    _k("segmfile", "s", NULL, "segmentation map file"),
    _k("scatfile", "s", NULL, "source catalog file"),
    _k("srctyapt", "s", NULL, "source type from APT"),
    _k("tcatfile", "s", NULL, "target catalog file"),
    _k("primecrs", "s", NULL, "prime cosmic-ray shower flag"),
    _k("extncrs", "s", NULL, "extended cosmic-ray flag"),
]

_TAIL_SPECS = [
    _k("fileSize", "l", "pr.size", "file size", unit="byte", ucd="phys.size;meta.file"),
    _k("checksum", "s", "pr.md5", "md5 hex digest of the file", ucd="meta.checksum"),
    _k("ingestStartDate", "t", "pr.ingest_date", "ingest start"),
    _k("ingestCompletionDate", "t", "pr.ingest_date", "ingest completion"),
    _k("FileTypeID", "i", NULL, "file type identifier"),
    _k("publicReleaseDate", "t", "pr.release_date", "public release date", ucd="time.release"),
    _k("isRestricted", "b", f"NOT {is_public('pr.release_date')}", "in its exclusive-access period"),
    _k("isItar", "b", "FALSE", "export-controlled"),
    _k("isStale", "b", "FALSE", "superseded by a newer file"),
    _k("FileSetId", "i", NULL, "file set identifier"),
    _k("dataURI", "s", mast_uri("pr.filename"), "mast:JWST/product/<filename>", ucd="meta.ref.uri"),
]

_NIRSPEC_SPECS = [
    _k("cd1_1", "d", NULL, "WCS matrix", unit="deg"),
    _k("cd1_2", "d", NULL, "WCS matrix", unit="deg"),
    _k("cd2_1", "d", NULL, "WCS matrix", unit="deg"),
    _k("cd2_2", "d", NULL, "WCS matrix", unit="deg"),
    _k("s_region", "s", "co.s_region", "footprint (STC-S)", ucd="pos.outline;obs.field"),
    _k("fcsrlpos", "d", NULL, "focus position"),
    _k("fxd_slit", "s", NULL, "fixed slit"),
    _k("grating", "s", f"CASE WHEN {INSTR} = 'NIRSPEC' THEN {ELEMENT2} END", "grating", ucd="instr.setup"),
    _k("gwa_pxav", "d", NULL, "grating wheel x position"),
    _k("gwa_pyav", "d", NULL, "grating wheel y position"),
    _k("gwa_tilt", "d", NULL, "grating wheel tilt temperature"),
    _k("gwa_xp_v", "d", NULL, "grating wheel x position"),
    _k("gwa_xtil", "d", NULL, "grating wheel x tilt"),
    _k("gwa_yp_v", "d", NULL, "grating wheel y position"),
    _k("gwa_ytil", "d", NULL, "grating wheel y tilt"),
    _k("is_imprt", "L", NULL, "imprint exposure"),
    _k("msaconid", "i", NULL, "MSA configuration identifier"),
    _k("msametfl", "s", NULL, "MSA metadata file"),
    _k("msametid", "i", NULL, "MSA metadata identifier"),
    _k("msastate", "s", NULL, "MSA state"),
    _k("preimage", "s", NULL, "pre-image"),
    _k("rma_pos", "d", NULL, "refocus mechanism position"),
    _k("subpxpat", "s", NULL, "subpixel pattern"),
    _k("nrs_norm", "i", NULL, "normal detector"),
    _k("nrs_ref", "i", NULL, "reference detector"),
    _k("pattstrt", "i", NULL, "pattern start"),
    _k("dithpnts", "s", NULL, "dither points"),
    _k("nod_type", "s", NULL, "nod type"),
    _k("spat_num", "i", NULL, "spatial dither points"),
    _k("spec_num", "i", NULL, "spectral dither points"),
]

_NIRCAM_SPECS = [
    _k(
        "channel",
        "s",
        f"CASE WHEN {INSTR} = 'NIRCAM' THEN CASE WHEN {DET} LIKE '%LONG' OR {DET} LIKE 'NRC_5' THEN 'LONG' "
        f"WHEN {DET} IS NOT NULL THEN 'SHORT' END "
        f"WHEN {INSTR} = 'MIRI' THEN CASE {DET} WHEN 'MIRIFUSHORT' THEN '12' WHEN 'MIRIFULONG' THEN '34' END END",
        "channel (NIRCam SHORT/LONG, MIRI MRS 12/34)",
        ucd="instr.setup",
    ),
    _k(
        "module",
        "s",
        f"CASE WHEN {INSTR} = 'NIRCAM' AND {DET} LIKE 'NRC%' THEN substr({DET}, 4, 1) END",
        "NIRCam module A or B",
        ucd="instr.setup",
    ),
    _k("coronmsk", "s", NULL, "coronagraph mask"),
]

_MIRI_SPECS = [
    _k(
        "band",
        "s",
        f"CASE WHEN {INSTR} = 'MIRI' AND {MRS} THEN {MRS_BAND} END",
        "MRS band (SHORT, MEDIUM, LONG)",
        ucd="instr.setup",
    ),
    _k("mrsprchn", "s", NULL, "MRS primary channel"),
]

_INTERNAL_SPECS = [
    _k("product_key", "l", "pr.product_key", "product number in the archive", ucd="meta.id"),
    _k("program_id", "s", "pr.program_id", "five-digit program id (the FITS PROGRAM value)", ucd="meta.id"),
    _k("caom_obs_id", "s", "co.obs_id", "CAOM obs_id of the owning observation", ucd="meta.id"),
    _k("obsid", "l", "co.obsid", "MAST obsid of the owning observation", ucd="meta.id"),
    _k("calib_level", "i", "pr.calib_level", "calibration level", ucd="meta.code;obs.calib"),
    _k("suffix", "s", "pr.suffix", "product suffix", ucd="meta.code"),
    _k("is_guide_star", "b", GS, "guide-star file"),
    _k("ra_ref", "d", "ex.ra", "pointing RA of the reference aperture", unit="deg", ucd="pos.eq.ra"),
    _k("dec_ref", "d", "ex.dec", "pointing Dec of the reference aperture", unit="deg", ucd="pos.eq.dec"),
    _k("pa_v3", "d", "vi.pa_v3", "V3 position angle", unit="deg", ucd="pos.posAng"),
    _k("release_date", "T", "pr.release_date", "public release date"),
]


def _names(specs: list[_Spec]) -> list[str]:
    return [c.name for c in _columns(specs)]


SI_COMMON_COLUMNS: tuple[str, ...] = tuple(_names(_COMMON_SPECS))
"""The columns every instrument table starts with (reference/mast_api.md §5, in its order)."""

SI_TAIL_COLUMNS: tuple[str, ...] = tuple(_names(_TAIL_SPECS))
"""The archive bookkeeping columns every instrument table ends with."""

INSTRUMENT_TABLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # instrument: (table name, MAST service, instrument-specific columns)
    "NIRCAM": ("si_nircam", "Mast.Jwst.Filtered.Nircam", ("channel", "module", "coronmsk")),
    "NIRSPEC": ("si_nirspec", "Mast.Jwst.Filtered.Nirspec", tuple(_names(_NIRSPEC_SPECS))),
    "NIRISS": ("si_niriss", "Mast.Jwst.Filtered.Niriss", ()),
    "MIRI": ("si_miri", "Mast.Jwst.Filtered.Miri", ("band", "channel", "mrsprchn")),
    "FGS": ("si_fgs", "Mast.Jwst.Filtered.Fgs", ()),
}
"""Per instrument: the published table, the MAST service it answers, and its own columns."""


def _all_columns() -> list[Column]:
    cols = _columns(_INTERNAL_SPECS + _COMMON_SPECS + _NIRSPEC_SPECS + _NIRCAM_SPECS + _MIRI_SPECS + _TAIL_SPECS)
    seen: set[str] = set()
    for col in cols:
        if col.name in seen:
            raise ValueError(f"SI column {col.name} defined twice")
        seen.add(col.name)
    return cols


def si_keywords_table() -> Table:
    """``core.si_keywords``: one row per FITS product, every SI keyword column of every instrument."""
    return Table(
        "core",
        "si_keywords",
        tuple(_all_columns()),
        "SI keywords of every FITS product (internal: source of the instrument tables and FITS headers).",
        from_sql=SI_FROM,
    )


def _instrument_table(instrument: str) -> Table:
    name, service, extra = INSTRUMENT_TABLES[instrument]
    by_name = {c.name: c for c in _all_columns()}
    names = (*SI_COMMON_COLUMNS, *extra, *SI_TAIL_COLUMNS)
    columns = tuple(replace(by_name[n], sql=f'k."{n}"') for n in names)
    principal = {
        "filename",
        "program",
        "observtn",
        "visit_id",
        "targname",
        "detector",
        "filter",
        "exp_type",
        "productLevel",
        "date_obs",
    }
    columns = tuple(replace(c, principal=c.name in principal) for c in columns)
    return Table(
        "mast",
        name,
        columns,
        f"JWST {instrument} science instrument keywords, one row per FITS file ({service}).",
        from_sql=f"core.si_keywords k\nWHERE k.instrume = '{instrument}'",
        extra={"service": service},
    )


def tables() -> tuple[Table, ...]:
    """The published SI keyword tables, one per instrument."""
    return tuple(_instrument_table(i) for i in INSTRUMENT_TABLES)


# columns of core.si_keywords that are not FITS header keywords
_NOT_HEADER = {
    "ArchiveFileID",
    "fileSetName",
    "productLevel",
    "program",
    "product_key",
    "program_id",
    "caom_obs_id",
    "obsid",
    "calib_level",
    "suffix",
    "is_guide_star",
    "release_date",
    *SI_TAIL_COLUMNS,
}
_KEYWORD_OF = {
    "program_id": "PROGRAM",
    "date_obs": "DATE-OBS",
    "date_beg": "DATE-BEG",
    "date_end": "DATE-END",
    "pa_v3": "PA_V3",
}


def fits_keywords() -> dict[str, str]:
    """FITS primary-header keyword → ``core.si_keywords`` column, in header order.

    ``PROGRAM`` is the five-digit ``program_id``; TIMESTAMP columns need formatting as ISO-8601
    (``DATE-OBS`` takes the date part). ``fileSize`` and ``checksum`` are not in it: they are
    computed from the bytes.
    """
    out: dict[str, str] = {"PROGRAM": "program_id"}
    for col in _all_columns():
        if col.name in _NOT_HEADER or col.name.endswith("_mjd"):
            continue
        keyword = _KEYWORD_OF.get(col.name, col.name.upper())
        if len(keyword) <= 8:
            out.setdefault(keyword, col.name)
    return out
