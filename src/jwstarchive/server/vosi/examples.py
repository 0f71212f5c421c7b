"""DALI examples: a few real JWST queries, as the XHTML+RDFa page TAP clients read.

TOPCAT lists these in its examples menu and ``stilts taplint`` runs each of them, so every
query here must run against a generated archive (a test does).
"""

from __future__ import annotations

from dataclasses import dataclass

from jwstarchive.server.vosi.xml import attr, text

__all__ = ["EXAMPLES", "Example", "render_examples"]


@dataclass(frozen=True)
class Example:
    """One example: an id (the fragment), a title, a sentence of explanation and the ADQL."""

    id: str
    name: str
    description: str
    query: str
    tables: tuple[str, ...]


EXAMPLES: tuple[Example, ...] = (
    Example(
        id="cone-search",
        name="Observations around a position",
        description=(
            "Planes whose target lies within 0.2 degrees of the SMACS J0723.3-7327 cluster, the "
            "first JWST deep field, nearest first."
        ),
        query=(
            "SELECT TOP 100 observationid, calibrationlevel, instrument_name, energy_bandpassname,\n"
            "       target_name, DISTANCE(POINT('ICRS', target_ra, target_dec),\n"
            "                             POINT('ICRS', 110.8375, -73.4550)) AS dist\n"
            "FROM jwst.main\n"
            "WHERE 1 = CONTAINS(POINT('ICRS', target_ra, target_dec), CIRCLE('ICRS', 110.8375, -73.4550, 0.2))\n"
            "ORDER BY dist"
        ),
        tables=("jwst.main",),
    ),
    Example(
        id="obscore-level3-images",
        name="Level-3 images in ObsCore",
        description="Combined (level 3) NIRCam images with their sky position, exposure time and download URL.",
        query=(
            "SELECT TOP 50 obs_id, target_name, s_ra, s_dec, t_exptime, access_url\n"
            "FROM ivoa.obscore\n"
            "WHERE calib_level = 3 AND dataproduct_type = 'image' AND instrument_name LIKE 'NIRCAM%'"
        ),
        tables=("ivoa.obscore",),
    ),
    Example(
        id="instrument-census",
        name="Planes per instrument",
        description="How many planes each instrument has in the archive.",
        query=(
            "SELECT instrument_name, COUNT(*) AS planes\n"
            "FROM jwst.archive\n"
            "GROUP BY instrument_name\n"
            "ORDER BY planes DESC"
        ),
        tables=("jwst.archive",),
    ),
    Example(
        id="filter-search",
        name="Observations through one filter",
        description="NIRCam planes taken through F200W (the bandpass name also carries the pupil element).",
        query=(
            "SELECT TOP 100 observationid, calibrationlevel, energy_bandpassname, target_name\n"
            "FROM jwst.main\n"
            "WHERE instrument_name LIKE 'NIRCAM%' AND energy_bandpassname LIKE '%F200W%'"
        ),
        tables=("jwst.main",),
    ),
    Example(
        id="products-of-planes",
        name="Files of calibrated planes",
        description="Science files of level-3 planes with their size, joining artifacts to planes.",
        query=(
            "SELECT TOP 100 a.filename, a.producttype, a.contentlength, p.calibrationlevel\n"
            "FROM jwst.artifact AS a JOIN jwst.plane AS p ON a.planeid = p.planeid\n"
            "WHERE p.calibrationlevel = 3 AND a.producttype = 'science'"
        ),
        tables=("jwst.artifact", "jwst.plane"),
    ),
    Example(
        id="tap-schema-tables",
        name="Tables of the jwst schema",
        description="TAP_SCHEMA describes every published table and column; here the jwst tables.",
        query="SELECT table_name, description\nFROM TAP_SCHEMA.tables\nWHERE schema_name = 'jwst'",
        tables=("TAP_SCHEMA.tables",),
    ),
)


def render_examples(examples: tuple[Example, ...] = EXAMPLES) -> bytes:
    """The DALI 1.1 examples document (XHTML with RDFa)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">',
        "<head><title>jwstarchive TAP examples</title></head>",
        '<body vocab="http://www.ivoa.net/rdf/examples#">',
        "<h1>Example queries for the JWST archive</h1>",
    ]
    for ex in examples:
        parts.append(f'<div typeof="example" id="{attr(ex.id)}" resource="#{attr(ex.id)}">')
        parts.append(f'  <h2 property="name">{text(ex.name)}</h2>')
        parts.append(f"  <p>{text(ex.description)}</p>")
        parts.append(f'  <pre property="query">{text(ex.query)}</pre>')
        tables = ", ".join(f'<span property="table">{text(t)}</span>' for t in ex.tables)
        parts.append(f"  <p>Tables: {tables}</p>")
        parts.append("</div>")
    parts += ["</body>", "</html>"]
    return ("\n".join(parts) + "\n").encode()
