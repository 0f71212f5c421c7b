"""The ESA eJWST face: ``jwst.*`` (CAOM 2.4, names lower-cased, plus ESA additions), ``ivoa.obscore``
and ``public.dual``, as views of the core model.

Conventions (reference/esa_jwst_tapplus.md §4): ``obsid``/``planeid``/``artifactid`` are the CAOM
UUIDs as 36-character strings; energies in metres, times in MJD, exposure times in seconds;
``public`` is ``release_date <= now()`` (UTC); ``proposal_id`` is zero-padded to five digits in
``jwst.main``, ``jwst.observation`` and ``jwst.plane``, and unpadded in ``jwst.archive``.
``target_ra``/``target_dec`` (and ``targetposition_coordinates_cval1/2``) are the observation's
footprint centre ``s_ra``/``s_dec``: that is the pair the HEALPix index covers, so the cone and box
searches astroquery sends on them use the index.
"""

from __future__ import annotations

from dataclasses import replace

from jwstarchive.catalog.schema import (
    boolean,
    caom_uri,
    double,
    integer,
    is_public,
    long,
    mast_uri,
    num_text,
    text,
    timestamp,
    unpadded,
    uuid,
)
from jwstarchive.catalog.tables import Column, PositionIndex, Table

__all__ = ["JWST_MAIN_COLUMNS", "tables"]

# one row per plane, with its observation and the program / target / APT observation around it
PLANE_FROM = """core.plane pl
JOIN core.caom_observation co ON co.obsid = pl.obsid
LEFT JOIN core.program pg ON pg.program_id = co.program_id
LEFT JOIN core.target tg ON tg.target_id = co.target_id
LEFT JOIN core.observation ob ON ob.program_id = co.program_id AND ob.observtn = co.observtn"""

OBSERVATION_FROM = """core.caom_observation co
LEFT JOIN core.program pg ON pg.program_id = co.program_id
LEFT JOIN core.target tg ON tg.target_id = co.target_id
LEFT JOIN core.observation ob ON ob.program_id = co.program_id AND ob.observtn = co.observtn"""

PLANE_URI = "('caom:JWST/' || co.obs_id || '/' || pl.productid)"
PUBLISHER_ID = "('ivo://esa.int/JWST?' || co.obs_id || '/' || pl.productid)"
SPOLY = (
    "CASE WHEN upper(co.s_region) LIKE 'POLYGON%' THEN 'Polygon ' || "
    r"regexp_replace(trim(co.s_region), '^POLYGON\s+(ICRS\s+)?', '', 'i') END"
)
CENTER = f"('Position ICRS ' || {num_text('co.s_ra')} || ' ' || {num_text('co.s_dec')})"
NULL = "NULL"

# The 109 columns of jwst.main, in the order the reference lists them (esa_jwst_tapplus.md §4.2).
JWST_MAIN_COLUMNS = [
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


def _obs(attr: str) -> str:
    return f"caom2:Observation.{attr}"


def _plane(attr: str) -> str:
    return f"caom2:Plane.{attr}"


def observation_columns() -> dict[str, Column]:
    """Observation-level columns, under their jwst.main names."""
    cols = [
        uuid("obsid", "co.obs_uuid", "CAOM observation identifier (UUID)", utype=_obs("id")),
        text(
            "observationid",
            "co.obs_id",
            "observation identifier, e.g. jw01410001001_02101_00001_nrca1 or jw01410-o001_t001_nircam_clear-f200w",
            ucd="meta.id;obs",
            utype=_obs("observationID"),
            principal=True,
        ),
        text(
            "observationuri",
            caom_uri("co.obs_id"),
            "observation URI caom:JWST/<observationid>",
            ucd="meta.ref.uri",
            utype=_obs("uri"),
        ),
        text("collection", "'JWST'", "data collection", ucd="meta.id", utype=_obs("collection")),
        text(
            "algorithm_name",
            "CASE WHEN co.typecode = 'C' THEN 'composite' ELSE 'exposure' END",
            "algorithm that made the observation: exposure (simple) or composite",
            ucd="meta.code",
            utype=_obs("algorithm.name"),
        ),
        text("type", "co.exp_type", "observation type (JWST EXP_TYPE)", ucd="meta.code", utype=_obs("type")),
        text(
            "intent",
            "COALESCE(ob.intent, 'science')",
            "intent: science or calibration",
            ucd="meta.code",
            utype=_obs("intent"),
        ),
        integer(
            "sequencenumber",
            NULL,
            "sequence number (not used for JWST)",
            ucd="meta.number",
            utype=_obs("sequenceNumber"),
        ),
        timestamp(
            "obs_metarelease",
            NULL,
            "release date of the metadata",
            ucd="time.release",
            utype=_obs("metaRelease"),
        ),
        text(
            "proposal_id",
            "co.program_id",
            "program identifier, five digits zero-padded, e.g. 01410",
            ucd="meta.id;obs.proposal",
            utype=_obs("proposal.id"),
            principal=True,
        ),
        text("proposal_pi", "pg.pi_name", "principal investigator", ucd="meta.id.PI", utype=_obs("proposal.pi")),
        text(
            "proposal_project",
            "pg.category",
            "program category (GO, GTO, ERS, COM, DD, CAL ...)",
            ucd="meta.id",
            utype=_obs("proposal.project"),
        ),
        text(
            "proposal_title",
            "pg.title",
            "program title",
            ucd="meta.title;obs.proposal",
            utype=_obs("proposal.title"),
        ),
        text(
            "proposal_keywords",
            "pg.science_category",
            "program science category",
            ucd="meta.keyword",
            utype=_obs("proposal.keywords"),
        ),
        text(
            "target_name",
            "tg.target_name",
            "target name as proposed",
            ucd="meta.id;src",
            utype=_obs("target.name"),
            principal=True,
        ),
        text(
            "target_type",
            NULL,
            "target type (object or field)",
            ucd="meta.code.class;src",
            utype=_obs("target.type"),
        ),
        boolean("target_standard", NULL, "target is a standard", ucd="meta.code", utype=_obs("target.standard")),
        double(
            "target_redshift",
            "tg.redshift",
            "target redshift",
            ucd="src.redshift",
            utype=_obs("target.redshift"),
        ),
        boolean(
            "target_moving",
            "tg.target_type = 'MOVING'",
            "moving (solar system) target",
            ucd="meta.code",
            utype=_obs("target.moving"),
        ),
        text(
            "target_keywords",
            "tg.classification",
            "target classification (';'-separated)",
            ucd="meta.keyword;src",
            utype=_obs("target.keywords"),
        ),
        text(
            "targetposition_coordsys",
            "'ICRS'",
            "coordinate system of the target position",
            ucd="pos.frame",
            utype=_obs("targetPosition.coordsys"),
        ),
        double(
            "targetposition_equinox",
            NULL,
            "equinox of the target position (none for ICRS)",
            ucd="time.equinox",
            utype=_obs("targetPosition.equinox"),
        ),
        double(
            "target_ra",
            "co.s_ra",
            "target position RA (ICRS): the centre of the observation footprint",
            unit="deg",
            ucd="pos.eq.ra;meta.main",
            utype=_obs("targetPosition.coordinates.cval1"),
            principal=True,
            indexed=True,
        ),
        double(
            "target_dec",
            "co.s_dec",
            "target position Dec (ICRS): the centre of the observation footprint",
            unit="deg",
            ucd="pos.eq.dec;meta.main",
            utype=_obs("targetPosition.coordinates.cval2"),
            principal=True,
            indexed=True,
        ),
        text("telescope_name", "'JWST'", "telescope", ucd="meta.id;instr.tel", utype=_obs("telescope.name")),
        double(
            "telescope_geolocationx",
            NULL,
            "telescope location x",
            unit="m",
            ucd="pos.cartesian.x",
            utype=_obs("telescope.geoLocationX"),
        ),
        double(
            "telescope_geolocationy",
            NULL,
            "telescope location y",
            unit="m",
            ucd="pos.cartesian.y",
            utype=_obs("telescope.geoLocationY"),
        ),
        double(
            "telescope_geolocationz",
            NULL,
            "telescope location z",
            unit="m",
            ucd="pos.cartesian.z",
            utype=_obs("telescope.geoLocationZ"),
        ),
        text(
            "telescope_keywords",
            NULL,
            "telescope keywords",
            ucd="meta.keyword",
            utype=_obs("telescope.keywords"),
        ),
        text(
            "requirements_flag",
            NULL,
            "requirements flag",
            ucd="meta.code.qual",
            utype=_obs("requirements.flag"),
        ),
        text(
            "instrument_name",
            "co.mode",
            "instrument and mode, e.g. NIRCAM/IMAGE",
            ucd="meta.id;instr",
            utype=_obs("instrument.name"),
            principal=True,
        ),
        text(
            "instrument_keywords",
            "upper(co.detector)",
            "detector of a simple observation",
            ucd="meta.keyword",
            utype=_obs("instrument.keywords"),
        ),
        double(
            "environment_seeing",
            NULL,
            "seeing (not applicable)",
            unit="arcsec",
            ucd="instr.obsty.seeing",
            utype=_obs("environment.seeing"),
        ),
        double(
            "environment_humidity",
            NULL,
            "humidity (not applicable)",
            ucd="meta.number",
            utype=_obs("environment.humidity"),
        ),
        double(
            "environment_elevation",
            NULL,
            "elevation (not applicable)",
            unit="deg",
            ucd="pos.az.alt",
            utype=_obs("environment.elevation"),
        ),
        double(
            "environment_tau",
            NULL,
            "zenith optical depth (not applicable)",
            ucd="phys.absorption.opticalDepth",
            utype=_obs("environment.tau"),
        ),
        double(
            "environment_wavelengthtau",
            NULL,
            "wavelength of tau (not applicable)",
            unit="m",
            ucd="em.wl",
            utype=_obs("environment.wavelengthTau"),
        ),
        double(
            "environment_ambienttemp",
            NULL,
            "ambient temperature (not applicable)",
            unit="Celsius",
            ucd="phys.temperature",
            utype=_obs("environment.ambientTemp"),
        ),
        boolean(
            "environment_photometric",
            NULL,
            "photometric conditions (not applicable)",
            ucd="meta.code",
            utype=_obs("environment.photometric"),
        ),
        text(
            "members",
            "co.members",
            "space-separated observation URIs of a composite's members",
            ucd="meta.id;meta.dataset",
            utype="caom2:CompositeObservation.members",
        ),
        text(
            "typecode",
            "co.typecode",
            "S simple, C composite observation",
            ucd="meta.code.class",
            utype=_obs("typeCode"),
        ),
        timestamp(
            "obs_lastmodified",
            NULL,
            "last modification of the observation",
            ucd="time.processing",
            utype=_obs("lastModified"),
        ),
        timestamp(
            "obs_maxlastmodified",
            NULL,
            "last modification of the observation or its parts",
            ucd="time.processing",
            utype=_obs("maxLastModified"),
        ),
        text("obs_metachecksum", NULL, "metadata checksum", ucd="meta.checksum", utype=_obs("metaChecksum")),
        text(
            "obs_accmetachecksum",
            NULL,
            "accumulated metadata checksum",
            ucd="meta.checksum",
            utype=_obs("accMetaChecksum"),
        ),
        integer(
            "max_cal_level",
            "co.calib_level",
            "highest calibration level among the planes of the observation",
            ucd="meta.code;obs.calib",
        ),
    ]
    return {c.name: c for c in cols}


def plane_columns() -> dict[str, Column]:
    """Plane-level columns, under their jwst.main names."""
    cols = [
        uuid("planeid", "pl.plane_uuid", "CAOM plane identifier (UUID)", utype=_plane("id"), principal=True),
        text("productid", "pl.productid", "plane product identifier", ucd="meta.id", utype=_plane("productID")),
        text(
            "planeuri",
            PLANE_URI,
            "plane URI caom:JWST/<observationid>/<productid>",
            ucd="meta.ref.uri",
            utype=_plane("uri"),
        ),
        text(
            "publisherid",
            PUBLISHER_ID,
            "publisher dataset identifier",
            ucd="meta.ref.ivoid",
            utype=_plane("publisherID"),
        ),
        text("creatorid", NULL, "creator dataset identifier", ucd="meta.id", utype=_plane("creatorID")),
        timestamp(
            "plane_metarelease",
            NULL,
            "release date of the plane metadata",
            ucd="time.release",
            utype=_plane("metaRelease"),
        ),
        timestamp(
            "plane_datarelease",
            "co.release_date",
            "release date of the data (end of the exclusive-access period)",
            ucd="time.release",
            utype=_plane("dataRelease"),
        ),
        text(
            "dataproducttype",
            "pl.dataproduct_type",
            "data product type: image, spectrum, cube, timeseries, measurements",
            ucd="meta.code.class",
            utype=_plane("dataProductType"),
            principal=True,
        ),
        integer(
            "calibrationlevel",
            "pl.calib_level",
            "calibration level: 1 raw, 2 calibrated exposure, 3 combined product",
            ucd="meta.code;obs.calib",
            utype=_plane("calibrationLevel"),
            principal=True,
        ),
        text(
            "provenance_name",
            "'CALJWST'",
            "processing that made the plane",
            ucd="meta.id",
            utype=_plane("provenance.name"),
        ),
        text(
            "provenance_version",
            NULL,
            "processing version",
            ucd="meta.version",
            utype=_plane("provenance.version"),
        ),
        text(
            "provenance_project",
            "'JWST'",
            "processing project",
            ucd="meta.id",
            utype=_plane("provenance.project"),
        ),
        text(
            "provenance_producer",
            "'STScI'",
            "processing producer",
            ucd="meta.id",
            utype=_plane("provenance.producer"),
        ),
        text(
            "provenance_runid",
            NULL,
            "processing run identifier",
            ucd="meta.id",
            utype=_plane("provenance.runID"),
        ),
        text(
            "provenance_reference",
            NULL,
            "processing reference",
            ucd="meta.ref.url",
            utype=_plane("provenance.reference"),
        ),
        timestamp(
            "provenance_lastexecuted",
            NULL,
            "when the processing last ran",
            ucd="time.processing",
            utype=_plane("provenance.lastExecuted"),
        ),
        text(
            "provenance_keywords",
            NULL,
            "processing keywords",
            ucd="meta.keyword",
            utype=_plane("provenance.keywords"),
        ),
        text(
            "provenance_inputs",
            NULL,
            "input plane URIs (see jwst.plane_inputs)",
            ucd="meta.id",
            utype=_plane("provenance.inputs"),
        ),
        double(
            "metrics_sourcenumberdensity",
            NULL,
            "source number density",
            unit="deg**-2",
            ucd="phys.density",
            utype=_plane("metrics.sourceNumberDensity"),
        ),
        double(
            "metrics_background",
            NULL,
            "background",
            ucd="instr.background",
            utype=_plane("metrics.background"),
        ),
        double(
            "metrics_backgroundstddev",
            NULL,
            "background standard deviation",
            ucd="stat.stdev;instr.background",
            utype=_plane("metrics.backgroundStddev"),
        ),
        double(
            "metrics_fluxdensitylimit",
            NULL,
            "flux density limit",
            unit="Jy",
            ucd="phot.flux.density;stat.max",
            utype=_plane("metrics.fluxDensityLimit"),
        ),
        double(
            "metrics_maglimit",
            NULL,
            "magnitude limit",
            unit="mag",
            ucd="phot.mag;stat.max",
            utype=_plane("metrics.magLimit"),
        ),
        text("quality_flag", NULL, "quality flag", ucd="meta.code.qual", utype=_plane("quality.flag")),
        text(
            "position_bounds_spoly",
            SPOLY,
            "footprint polygon 'Polygon ra1 dec1 ra2 dec2 ...' (degrees)",
            unit="deg",
            ucd="pos.outline;obs.field",
            utype=_plane("position.bounds"),
        ),
        text(
            "position_bounds_center",
            CENTER,
            "footprint centre 'Position ICRS ra dec' (degrees)",
            unit="deg",
            ucd="pos.eq;obs.field",
            utype=_plane("position.bounds.center"),
        ),
        double(
            "position_bounds_area",
            "co.s_area",
            "footprint area",
            unit="deg**2",
            ucd="phys.angArea;obs",
            utype=_plane("position.bounds.area"),
        ),
        double(
            "position_bounds_size",
            "co.s_fov",
            "footprint diameter",
            unit="deg",
            ucd="phys.angSize;instr.fov",
            utype=_plane("position.bounds.size"),
        ),
        long(
            "position_dimension_naxis1",
            NULL,
            "pixels along axis 1",
            ucd="meta.number",
            utype=_plane("position.dimension.naxis1"),
        ),
        long(
            "position_dimension_naxis2",
            NULL,
            "pixels along axis 2",
            ucd="meta.number",
            utype=_plane("position.dimension.naxis2"),
        ),
        double(
            "position_resolution",
            NULL,
            "spatial resolution",
            unit="arcsec",
            ucd="pos.angResolution",
            utype=_plane("position.resolution"),
        ),
        double(
            "position_samplesize",
            NULL,
            "pixel size",
            unit="arcsec",
            ucd="instr.pixel",
            utype=_plane("position.sampleSize"),
        ),
        boolean(
            "position_timedependent",
            NULL,
            "position is time dependent",
            ucd="meta.code",
            utype=_plane("position.timeDependent"),
        ),
        text(
            "energy_bounds",
            f"({num_text('co.em_min')} || ' ' || {num_text('co.em_max')})",
            "wavelength interval 'lower upper'",
            unit="m",
            ucd="em.wl",
            utype=_plane("energy.bounds"),
        ),
        double(
            "energy_bounds_lower",
            "co.em_min",
            "shortest wavelength",
            unit="m",
            ucd="em.wl;stat.min",
            utype=_plane("energy.bounds.lower"),
        ),
        double(
            "energy_bounds_upper",
            "co.em_max",
            "longest wavelength",
            unit="m",
            ucd="em.wl;stat.max",
            utype=_plane("energy.bounds.upper"),
        ),
        double(
            "energy_bounds_width",
            "(co.em_max - co.em_min)",
            "width of the wavelength interval",
            unit="m",
            ucd="em.wl;instr.bandwidth",
            utype=_plane("energy.bounds.width"),
        ),
        long("energy_dimension", NULL, "spectral pixels", ucd="meta.number", utype=_plane("energy.dimension")),
        double(
            "energy_resolvingpower",
            NULL,
            "spectral resolving power",
            ucd="spect.resolution",
            utype=_plane("energy.resolvingPower"),
        ),
        double(
            "energy_samplesize",
            NULL,
            "spectral pixel size",
            unit="m",
            ucd="em.wl;instr.pixel",
            utype=_plane("energy.sampleSize"),
        ),
        double(
            "energy_freqsamplesize",
            NULL,
            "spectral pixel size in frequency",
            unit="Hz",
            ucd="em.freq;instr.pixel",
            utype=_plane("energy.freqSampleSize"),
        ),
        double(
            "energy_freqwidth",
            NULL,
            "bandwidth in frequency",
            unit="Hz",
            ucd="em.freq;instr.bandwidth",
            utype=_plane("energy.freqWidth"),
        ),
        text(
            "energy_bandpassname",
            "co.filters",
            "optical elements (filters, gratings), ';'-separated",
            ucd="instr.filter",
            utype=_plane("energy.bandpassName"),
            principal=True,
        ),
        text("energy_energybands", "'Infrared'", "energy band", ucd="em.wl", utype=_plane("energy.energyBands")),
        double("energy_restwav", NULL, "rest wavelength", unit="m", ucd="em.wl", utype=_plane("energy.restwav")),
        text(
            "energy_transition_species",
            NULL,
            "transition species",
            ucd="phys.atmol.element",
            utype=_plane("energy.transition.species"),
        ),
        text(
            "energy_transition_transition",
            NULL,
            "transition",
            ucd="phys.atmol.transition",
            utype=_plane("energy.transition.transition"),
        ),
        text(
            "time_bounds",
            f"({num_text('co.t_min')} || ' ' || {num_text('co.t_max')})",
            "time interval 'start end' (MJD)",
            unit="d",
            ucd="time.interval",
            utype=_plane("time.bounds"),
        ),
        double(
            "time_bounds_lower",
            "co.t_min",
            "start time (MJD)",
            unit="d",
            ucd="time.start;obs.exposure",
            utype=_plane("time.bounds.lower"),
        ),
        double(
            "time_bounds_upper",
            "co.t_max",
            "end time (MJD)",
            unit="d",
            ucd="time.end;obs.exposure",
            utype=_plane("time.bounds.upper"),
        ),
        double(
            "time_bounds_width",
            "(co.t_max - co.t_min)",
            "time span",
            unit="d",
            ucd="time.duration",
            utype=_plane("time.bounds.width"),
        ),
        long("time_dimension", NULL, "time pixels", ucd="meta.number", utype=_plane("time.dimension")),
        double(
            "time_resolution",
            NULL,
            "time resolution",
            unit="s",
            ucd="time.resolution",
            utype=_plane("time.resolution"),
        ),
        double(
            "time_samplesize",
            NULL,
            "time pixel size",
            unit="d",
            ucd="time.interval;instr.pixel",
            utype=_plane("time.sampleSize"),
        ),
        double(
            "time_exposure",
            "co.t_exptime",
            "exposure time",
            unit="s",
            ucd="time.duration;obs.exposure",
            utype=_plane("time.exposure"),
        ),
        text(
            "polarization_states",
            NULL,
            "polarization states",
            ucd="meta.code;phys.polarization",
            utype=_plane("polarization.states"),
        ),
        integer(
            "polarization_dimension",
            NULL,
            "polarization pixels",
            ucd="meta.number",
            utype=_plane("polarization.dimension"),
        ),
        timestamp(
            "plane_lastmodified",
            NULL,
            "last modification of the plane",
            ucd="time.processing",
            utype=_plane("lastModified"),
        ),
        timestamp(
            "plane_maxlastmodified",
            NULL,
            "last modification of the plane or its parts",
            ucd="time.processing",
            utype=_plane("maxLastModified"),
        ),
        text("plane_metachecksum", NULL, "metadata checksum", ucd="meta.checksum", utype=_plane("metaChecksum")),
        text(
            "plane_accmetachecksum",
            NULL,
            "accumulated metadata checksum",
            ucd="meta.checksum",
            utype=_plane("accMetaChecksum"),
        ),
        boolean(
            "public",
            is_public("co.release_date"),
            "the data are public (release date passed)",
            ucd="meta.code",
            principal=True,
        ),
    ]
    return {c.name: c for c in cols}


def _main() -> Table:
    extra = {
        "parenturi": text("parenturi", NULL, "parent URI (ESA)", ucd="meta.ref.uri"),
    }
    pool = {**observation_columns(), **plane_columns(), **extra}
    columns = tuple(pool[name] for name in JWST_MAIN_COLUMNS)
    return Table(
        "jwst",
        "main",
        columns,
        "Observations joined with their planes: one row per plane (CAOM 2.4, flattened).",
        position=PositionIndex(ra="target_ra", dec="target_dec"),
        from_sql=PLANE_FROM,
    )


def _renamed(pool: dict[str, Column], names: list[str], prefix: str = "") -> tuple[Column, ...]:
    out = []
    for name in names:
        col = pool[name]
        if prefix and name.startswith(prefix):
            col = replace(col, name=name[len(prefix) :])
        out.append(col)
    return tuple(out)


def _observation() -> Table:
    pool = observation_columns()
    pool["targetposition_coordinates_cval1"] = replace(pool["target_ra"], name="targetposition_coordinates_cval1")
    pool["targetposition_coordinates_cval2"] = replace(pool["target_dec"], name="targetposition_coordinates_cval2")
    pool["target_targetid"] = text(
        "target_targetid", NULL, "target identifier URI", ucd="meta.id;src", utype=_obs("target.targetID")
    )
    pool["metaproducer"] = text("metaproducer", NULL, "metadata producer", ucd="meta.id", utype=_obs("metaProducer"))
    names = [
        "obsid",
        "observationuri",
        "collection",
        "observationid",
        "algorithm_name",
        "type",
        "intent",
        "sequencenumber",
        "obs_metarelease",
        "proposal_id",
        "proposal_pi",
        "proposal_project",
        "proposal_title",
        "proposal_keywords",
        "target_name",
        "target_targetid",
        "target_type",
        "target_standard",
        "target_redshift",
        "target_moving",
        "target_keywords",
        "targetposition_coordsys",
        "targetposition_equinox",
        "targetposition_coordinates_cval1",
        "targetposition_coordinates_cval2",
        "telescope_name",
        "telescope_geolocationx",
        "telescope_geolocationy",
        "telescope_geolocationz",
        "telescope_keywords",
        "requirements_flag",
        "instrument_name",
        "instrument_keywords",
        "environment_seeing",
        "environment_humidity",
        "environment_elevation",
        "environment_tau",
        "environment_wavelengthtau",
        "environment_ambienttemp",
        "environment_photometric",
        "members",
        "typecode",
        "obs_lastmodified",
        "obs_maxlastmodified",
        "obs_metachecksum",
        "obs_accmetachecksum",
        "metaproducer",
        "max_cal_level",
    ]
    return Table(
        "jwst",
        "observation",
        _renamed(pool, names, "obs_"),
        "CAOM observations: simple (one exposure on one detector) and composite (level-3 products).",
        utype="caom2:Observation",
        position=PositionIndex(ra="targetposition_coordinates_cval1", dec="targetposition_coordinates_cval2"),
        from_sql=OBSERVATION_FROM,
    )


def _plane_table() -> Table:
    pool = {**plane_columns(), "obsid": observation_columns()["obsid"]}
    pool["observable_ucd"] = text(
        "observable_ucd", NULL, "UCD of the observable", ucd="meta.ucd", utype=_plane("observable.ucd")
    )
    names = [
        "planeid",
        "obsid",
        "productid",
        "publisherid",
        "planeuri",
        "creatorid",
        "plane_metarelease",
        "plane_datarelease",
        "dataproducttype",
        "calibrationlevel",
        "observable_ucd",
        "provenance_name",
        "provenance_reference",
        "provenance_version",
        "provenance_project",
        "provenance_producer",
        "provenance_runid",
        "provenance_lastexecuted",
        "provenance_keywords",
        "provenance_inputs",
        "metrics_sourcenumberdensity",
        "metrics_background",
        "metrics_backgroundstddev",
        "metrics_fluxdensitylimit",
        "metrics_maglimit",
        "quality_flag",
        "position_bounds_spoly",
        "position_bounds_center",
        "position_bounds_area",
        "position_bounds_size",
        "position_dimension_naxis1",
        "position_dimension_naxis2",
        "position_resolution",
        "position_samplesize",
        "position_timedependent",
        "energy_bounds",
        "energy_bounds_lower",
        "energy_bounds_upper",
        "energy_bounds_width",
        "energy_dimension",
        "energy_resolvingpower",
        "energy_samplesize",
        "energy_freqsamplesize",
        "energy_freqwidth",
        "energy_bandpassname",
        "energy_energybands",
        "energy_restwav",
        "energy_transition_species",
        "energy_transition_transition",
        "time_bounds",
        "time_bounds_lower",
        "time_bounds_upper",
        "time_bounds_width",
        "time_dimension",
        "time_resolution",
        "time_samplesize",
        "time_exposure",
        "polarization_states",
        "polarization_dimension",
        "plane_lastmodified",
        "plane_maxlastmodified",
        "plane_metachecksum",
        "plane_accmetachecksum",
        "public",
    ]
    return Table(
        "jwst",
        "plane",
        _renamed(pool, names, "plane_"),
        "CAOM planes: the products of one observation at one calibration level, with ESA's public flag.",
        utype="caom2:Plane",
        from_sql="core.plane pl\nJOIN core.caom_observation co ON co.obsid = pl.obsid",
    )


def _art(attr: str) -> str:
    return f"caom2:Artifact.{attr}"


def _artifact() -> Table:
    columns = (
        uuid(
            "artifactid",
            "pr.artifact_uuid",
            "CAOM artifact identifier (UUID)",
            utype=_art("id"),
            principal=True,
        ),
        uuid("planeid", "pr.plane_uuid", "plane of the artifact", utype=_plane("id")),
        uuid("obsid", "co.obs_uuid", "observation of the artifact", utype=_obs("id")),
        text(
            "uri",
            mast_uri("pr.filename"),
            "artifact URI mast:JWST/product/<filename>",
            ucd="meta.ref.uri",
            utype=_art("uri"),
            principal=True,
        ),
        text("filename", "pr.filename", "file name", ucd="meta.id;meta.file", principal=True),
        text(
            "producttype",
            "lower(pr.product_type)",
            "product type: science, preview, thumbnail, auxiliary, info",
            ucd="meta.code.class",
            utype=_art("productType"),
            principal=True,
        ),
        text(
            "releasetype",
            "CASE WHEN pr.product_type IN ('PREVIEW', 'THUMBNAIL') THEN 'meta' ELSE 'data' END",
            "release type: data or meta",
            ucd="meta.code",
            utype=_art("releaseType"),
        ),
        text(
            "contenttype",
            "pr.content_type",
            "MIME type",
            ucd="meta.code.mime",
            utype=_art("contentType"),
            principal=True,
        ),
        long(
            "contentlength",
            "pr.size",
            "size",
            unit="byte",
            ucd="phys.size;meta.file",
            utype=_art("contentLength"),
            principal=True,
        ),
        text(
            "contentchecksum",
            "('md5:' || pr.md5)",
            "checksum md5:<hex>",
            ucd="meta.checksum",
            utype=_art("contentChecksum"),
        ),
        timestamp(
            "contentrelease",
            "pr.release_date",
            "release date of the file",
            ucd="time.release",
            utype=_art("contentRelease"),
        ),
        text(
            "contentreadgroups",
            NULL,
            "groups that may read the file",
            ucd="meta.id",
            utype=_art("contentReadGroups"),
        ),
        integer("calibrationlevel", "pr.calib_level", "calibration level of the file", ucd="meta.code;obs.calib"),
        timestamp("metarelease", NULL, "release date of the metadata", ucd="time.release", utype=_art("metaRelease")),
        timestamp(
            "lastmodified",
            "pr.ingest_date",
            "last modification (ingest)",
            ucd="time.processing",
            utype=_art("lastModified"),
        ),
        timestamp(
            "maxlastmodified",
            "pr.ingest_date",
            "last modification of the artifact or its parts",
            ucd="time.processing",
            utype=_art("maxLastModified"),
        ),
        text("metachecksum", NULL, "metadata checksum", ucd="meta.checksum", utype=_art("metaChecksum")),
        text(
            "accmetachecksum",
            NULL,
            "accumulated metadata checksum",
            ucd="meta.checksum",
            utype=_art("accMetaChecksum"),
        ),
        boolean(
            "public",
            is_public("pr.release_date"),
            "the file is public (release date passed)",
            ucd="meta.code",
        ),
    )
    return Table(
        "jwst",
        "artifact",
        columns,
        "CAOM artifacts: the files of each plane (science, previews, thumbnails, associations, guide-star data).",
        utype="caom2:Artifact",
        from_sql="core.product pr\nJOIN core.caom_observation co ON co.obsid = pr.obsid",
    )


def _observationmember() -> Table:
    columns = (
        uuid("parentid", "parent.obs_uuid", "composite observation (obsid)", principal=True),
        text(
            "memberid",
            caom_uri("member.obs_id"),
            "member observation URI caom:JWST/<observationid>",
            ucd="meta.ref.uri",
            principal=True,
        ),
    )
    return Table(
        "jwst",
        "observationmember",
        columns,
        "Members of composite observations.",
        from_sql=(
            "core.caom_member m\n"
            "JOIN core.caom_observation parent ON parent.obsid = m.parent_obsid\n"
            "JOIN core.caom_observation member ON member.obsid = m.member_obsid"
        ),
    )


def _plane_inputs() -> Table:
    columns = (
        uuid("outputid", "op.plane_uuid", "output plane (planeid) of a composite", principal=True),
        text(
            "inputid",
            "('caom:JWST/' || mo.obs_id || '/' || ip.productid)",
            "input plane URI caom:JWST/<observationid>/<productid>",
            ucd="meta.ref.uri",
            utype="caom2:Plane.provenance.inputs",
            principal=True,
        ),
    )
    return Table(
        "jwst",
        "plane_inputs",
        columns,
        "Plane provenance: the level-2 member planes that each level-3 composite plane was made from.",
        from_sql=(
            "core.plane op\n"
            "JOIN core.caom_member m ON m.parent_obsid = op.obsid\n"
            "JOIN core.caom_observation mo ON mo.obsid = m.member_obsid\n"
            "JOIN core.plane ip ON ip.obsid = m.member_obsid AND ip.calib_level = 2\n"
            "WHERE op.calib_level = 3"
        ),
    )


def _archive() -> Table:
    pool = {**observation_columns(), **plane_columns()}
    pool["proposal_id"] = replace(
        pool["proposal_id"],
        sql=unpadded("co.program_id"),
        description="program identifier without leading zeros, e.g. 1410",
    )
    pool["targetposition_coordinates_cval1"] = replace(pool["target_ra"], name="targetposition_coordinates_cval1")
    pool["targetposition_coordinates_cval2"] = replace(pool["target_dec"], name="targetposition_coordinates_cval2")
    pool["detector"] = text("detector", "upper(co.detector)", "detector (simple observations)", ucd="meta.id;instr.det")
    pool["exp_type"] = text("exp_type", "co.exp_type", "JWST EXP_TYPE", ucd="meta.code;instr.setup")
    pool["proposal_type"] = replace(pool["proposal_project"], name="proposal_type")
    names = [
        "observationid",
        "calibrationlevel",
        "public",
        "dataproducttype",
        "instrument_name",
        "energy_bandpassname",
        "target_name",
        "targetposition_coordinates_cval1",
        "targetposition_coordinates_cval2",
        "position_bounds_spoly",
        "proposal_id",
        "members",
        "planeid",
        "collection",
        "detector",
        "obsid",
        "productid",
        "max_cal_level",
        "typecode",
        "intent",
        "exp_type",
        "target_moving",
        "target_keywords",
        "proposal_pi",
        "proposal_title",
        "proposal_type",
        "energy_bounds_lower",
        "energy_bounds_upper",
        "time_bounds_lower",
        "time_bounds_upper",
        "time_exposure",
        "position_bounds_area",
        "position_bounds_size",
        "plane_datarelease",
        "observationuri",
        "planeuri",
    ]
    return Table(
        "jwst",
        "archive",
        _renamed(pool, names, "plane_"),
        "Flat view of observations and planes (one row per plane), with unpadded proposal ids.",
        position=PositionIndex(ra="targetposition_coordinates_cval1", dec="targetposition_coordinates_cval2"),
        from_sql=PLANE_FROM,
    )


def _oc(attr: str) -> str:
    return f"obscore:{attr}"


OBSCORE_FROM = """core.product pr
JOIN core.caom_observation co ON co.obsid = pr.obsid
LEFT JOIN core.program pg ON pg.program_id = co.program_id
LEFT JOIN core.target tg ON tg.target_id = co.target_id
WHERE pr.product_type = 'SCIENCE'"""


def _obscore() -> Table:
    columns = (
        text(
            "dataproduct_type",
            "co.dataproduct_type",
            "data product type: image, spectrum, cube, timeseries, measurements",
            ucd="meta.code.class",
            utype=_oc("ObsDataset.dataProductType"),
            principal=True,
            std=True,
        ),
        integer(
            "calib_level",
            "pr.calib_level",
            "calibration level: 1 raw, 2 calibrated, 3 combined product",
            ucd="meta.code;obs.calib",
            utype=_oc("ObsDataset.calibLevel"),
            principal=True,
            std=True,
        ),
        text(
            "obs_collection",
            "'JWST'",
            "data collection",
            ucd="meta.id",
            utype=_oc("DataID.Collection"),
            principal=True,
            std=True,
        ),
        text(
            "obs_id",
            "co.obs_id",
            "observation identifier",
            ucd="meta.id",
            utype=_oc("DataID.observationID"),
            principal=True,
            std=True,
        ),
        text(
            "obs_publisher_did",
            "('ivo://esa.int/JWST?' || co.obs_id || '/' || pr.filename)",
            "publisher dataset identifier",
            ucd="meta.ref.ivoid",
            utype=_oc("Curation.PublisherDID"),
            std=True,
        ),
        text(
            "access_url",
            "('/server/data?RETRIEVAL_TYPE=PRODUCT&ARTIFACTID=' || pr.artifact_uuid)",
            "download URL, relative to the archive host",
            ucd="meta.ref.url",
            utype=_oc("Access.Reference"),
            principal=True,
            std=True,
        ),
        text(
            "access_format",
            "pr.content_type",
            "MIME type",
            ucd="meta.code.mime",
            utype=_oc("Access.Format"),
            std=True,
        ),
        long(
            "access_estsize",
            "CAST(ceil(pr.size / 1024.0) AS BIGINT)",
            "estimated size",
            unit="kbyte",
            ucd="phys.size;meta.file",
            utype=_oc("Access.Size"),
            std=True,
        ),
        text(
            "target_name",
            "tg.target_name",
            "target name",
            ucd="meta.id;src",
            utype=_oc("Target.Name"),
            principal=True,
            std=True,
        ),
        double(
            "s_ra",
            "co.s_ra",
            "centre RA (ICRS)",
            unit="deg",
            ucd="pos.eq.ra",
            utype=_oc("Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C1"),
            principal=True,
            indexed=True,
            std=True,
        ),
        double(
            "s_dec",
            "co.s_dec",
            "centre Dec (ICRS)",
            unit="deg",
            ucd="pos.eq.dec",
            utype=_oc("Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C2"),
            principal=True,
            indexed=True,
            std=True,
        ),
        double(
            "s_fov",
            "co.s_fov",
            "field diameter",
            unit="deg",
            ucd="phys.angSize;instr.fov",
            utype=_oc("Char.SpatialAxis.Coverage.Bounds.Extent.diameter"),
            std=True,
        ),
        text(
            "s_region",
            "co.s_region",
            "footprint (STC-S)",
            xtype="adql:REGION",
            ucd="pos.outline;obs.field",
            utype=_oc("Char.SpatialAxis.Coverage.Support.Area"),
            std=True,
        ),
        double(
            "s_resolution",
            "(206264.806 * 1.22 * (co.em_min + co.em_max) / 2.0 / 6.5)",
            "diffraction limit at the central wavelength",
            unit="arcsec",
            ucd="pos.angResolution",
            utype=_oc("Char.SpatialAxis.Resolution.Refval.value"),
            std=True,
        ),
        long(
            "s_xel1",
            NULL,
            "pixels along axis 1",
            ucd="meta.number",
            utype=_oc("Char.SpatialAxis.numBins1"),
            std=True,
        ),
        long(
            "s_xel2",
            NULL,
            "pixels along axis 2",
            ucd="meta.number",
            utype=_oc("Char.SpatialAxis.numBins2"),
            std=True,
        ),
        double(
            "t_min",
            "co.t_min",
            "start time (MJD)",
            unit="d",
            ucd="time.start;obs.exposure",
            utype=_oc("Char.TimeAxis.Coverage.Bounds.Limits.StartTime"),
            std=True,
        ),
        double(
            "t_max",
            "co.t_max",
            "end time (MJD)",
            unit="d",
            ucd="time.end;obs.exposure",
            utype=_oc("Char.TimeAxis.Coverage.Bounds.Limits.StopTime"),
            std=True,
        ),
        double(
            "t_exptime",
            "co.t_exptime",
            "exposure time",
            unit="s",
            ucd="time.duration;obs.exposure",
            utype=_oc("Char.TimeAxis.Coverage.Support.Extent"),
            std=True,
        ),
        double(
            "t_resolution",
            NULL,
            "time resolution",
            unit="s",
            ucd="time.resolution",
            utype=_oc("Char.TimeAxis.Resolution.Refval.value"),
            std=True,
        ),
        long("t_xel", NULL, "time samples", ucd="meta.number", utype=_oc("Char.TimeAxis.numBins"), std=True),
        double(
            "em_min",
            "co.em_min",
            "shortest wavelength",
            unit="m",
            ucd="em.wl;stat.min",
            utype=_oc("Char.SpectralAxis.Coverage.Bounds.Limits.LoLimit"),
            std=True,
        ),
        double(
            "em_max",
            "co.em_max",
            "longest wavelength",
            unit="m",
            ucd="em.wl;stat.max",
            utype=_oc("Char.SpectralAxis.Coverage.Bounds.Limits.HiLimit"),
            std=True,
        ),
        double(
            "em_res_power",
            NULL,
            "spectral resolving power",
            ucd="spect.resolution",
            utype=_oc("Char.SpectralAxis.Resolution.ResolPower.refVal"),
            std=True,
        ),
        long(
            "em_xel",
            NULL,
            "spectral samples",
            ucd="meta.number",
            utype=_oc("Char.SpectralAxis.numBins"),
            std=True,
        ),
        text(
            "o_ucd",
            NULL,
            "UCD of the observable",
            ucd="meta.ucd",
            utype=_oc("Char.ObservableAxis.ucd"),
            std=True,
        ),
        text(
            "pol_states",
            NULL,
            "polarization states",
            ucd="meta.code;phys.polarization",
            utype=_oc("Char.PolarizationAxis.stateList"),
            std=True,
        ),
        long(
            "pol_xel",
            NULL,
            "polarization samples",
            ucd="meta.number",
            utype=_oc("Char.PolarizationAxis.numBins"),
            std=True,
        ),
        text(
            "facility_name",
            "'JWST'",
            "facility",
            ucd="meta.id;instr.tel",
            utype=_oc("Provenance.ObsConfig.Facility.name"),
            std=True,
        ),
        text(
            "instrument_name",
            "co.instrument",
            "instrument: NIRCAM, NIRSPEC, NIRISS, MIRI, FGS",
            ucd="meta.id;instr",
            utype=_oc("Provenance.ObsConfig.Instrument.name"),
            principal=True,
            std=True,
        ),
        text(
            "obs_title",
            "pg.title",
            "program title",
            ucd="meta.title;obs",
            utype=_oc("DataID.Title"),
            std=True,
        ),
        timestamp(
            "obs_release_date",
            "pr.release_date",
            "public release date",
            ucd="time.release",
            utype=_oc("Curation.releaseDate"),
            std=True,
        ),
        text(
            "proposal_id",
            unpadded("co.program_id"),
            "program identifier",
            ucd="meta.id;obs.proposal",
            utype=_oc("Provenance.Proposal.identifier"),
            std=True,
        ),
        text(
            "target_class",
            "tg.classification",
            "target classification",
            ucd="src.class",
            utype=_oc("Target.Class"),
            std=True,
        ),
        text(
            "dataproduct_subtype",
            "lower(pr.subgroup)",
            "JWST product type, e.g. cal, i2d, x1d",
            ucd="meta.code.class",
            utype=_oc("ObsDataset.dataProductSubtype"),
            std=True,
        ),
        text(
            "data_rights",
            f"CASE WHEN {is_public('pr.release_date')} THEN 'public' ELSE 'proprietary' END",
            "public or proprietary",
            ucd="meta.code",
            utype=_oc("Curation.Rights"),
            std=True,
        ),
        text("filename", "pr.filename", "file name", ucd="meta.id;meta.file"),
        text("filters", "co.filters", "optical elements, ';'-separated", ucd="instr.filter"),
    )
    return Table(
        "ivoa",
        "obscore",
        columns,
        "ObsCore 1.1: one row per science file. access_url is relative to the archive host.",
        utype="ivo://ivoa.net/std/ObsCore#core-1.1",
        position=PositionIndex(ra="s_ra", dec="s_dec"),
        from_sql=OBSCORE_FROM,
    )


def _dual() -> Table:
    return Table(
        "public",
        "dual",
        (text("dummy", "'X'", "a single row, for SELECT of expressions", arraysize="1"),),
        "A one-row table (as in Oracle), for evaluating expressions.",
        from_sql=None,
    )


def tables() -> tuple[Table, ...]:
    """The ESA tables in publication order."""
    return (
        _main(),
        _archive(),
        _observation(),
        _plane_table(),
        _artifact(),
        _observationmember(),
        _plane_inputs(),
        _obscore(),
        _dual(),
    )
