"""A Sesame-compatible name resolver at ``/cgi-bin/nph-sesame`` with a built-in table of targets.

URL shapes, as CDS Sesame answers them: ``/cgi-bin/nph-sesame[/-o<format>][/<databases>]?<name>``
where ``<databases>`` is any of ``S`` (SIMBAD), ``N`` (NED), ``V`` (VizieR) in the order to try,
``A`` meaning all (``SNV``), optionally prefixed by ``~``; ``-ox``/``-oxp`` ask for XML, anything
else (or nothing) gives the plain text answer with a ``%J ra dec`` line, which astropy's
``SkyCoord.from_name`` and astroquery read. Several names may be given, separated by ``&``.
Unknown names get Sesame's ``*** Nothing found ***``. The targets (positions ICRS J2000 in
degrees, aliases, SIMBAD object types) come from ``sesame_targets.csv`` next to this module.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote_plus
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

__all__ = ["SesameTarget", "load_targets", "lookup", "normalise", "routes"]

TARGETS_FILE = Path(__file__).with_name("sesame_targets.csv")
DATABASES = {
    "S": "S=Simbad (CDS, via jwstarchive)",
    "N": "N=NED (ipac, via jwstarchive)",
    "V": "V=VizieR (CDS, via jwstarchive)",
}
_FORMAT = re.compile(r"^-o([A-Za-z]*)$")
_DBS = re.compile(r"^~?[SNVA]+$", re.IGNORECASE)


@dataclass(frozen=True)
class SesameTarget:
    """One resolvable object: its main name, other names, ICRS position (degrees) and object type."""

    name: str
    aliases: tuple[str, ...]
    ra: float
    dec: float
    otype: str


def normalise(name: str) -> str:
    """The lookup key of a name: upper case, letters and digits only, ``Messier N`` -> ``MN``."""
    key = re.sub(r"[^0-9A-Z]", "", name.upper())
    return "M" + key[len("MESSIER") :] if key.startswith("MESSIER") and key[len("MESSIER") :].isdigit() else key


def load_targets(path: Path = TARGETS_FILE) -> dict[str, SesameTarget]:
    """The targets of ``path`` keyed by the normalised form of every name and alias."""
    index: dict[str, SesameTarget] = {}
    with path.open(newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        for row in rows:
            target = SesameTarget(
                name=row["name"],
                aliases=tuple(a for a in row["aliases"].split("|") if a),
                ra=float(row["ra"]),
                dec=float(row["dec"]),
                otype=row["otype"],
            )
            for name in (target.name, *target.aliases):
                index.setdefault(normalise(name), target)
    return index


def lookup(index: dict[str, SesameTarget], name: str) -> SesameTarget | None:
    """The target called ``name`` (any spelling of its name or aliases), or None."""
    return index.get(normalise(name))


def _sexagesimal(ra: float, dec: float) -> str:
    from astropy.coordinates import Angle

    ra_text = Angle(ra, unit="deg").to_string(unit="hourangle", sep=":", precision=2, pad=True)
    dec_text = Angle(dec, unit="deg").to_string(unit="deg", sep=":", precision=1, pad=True, alwayssign=True)
    return f"{ra_text} {dec_text}"


def _text_answer(name: str, dbs: str, target: SesameTarget | None, serial: int) -> str:
    lines = [f"# {name}\t#Q{serial}"]
    if target is None:
        for db in dbs:
            lines.append(f"#={DATABASES[db]}:    0")
        lines.append("#! *** Nothing found *** ")
        return "\n".join(lines) + "\n"
    db = dbs[0]
    lines += [
        f"#={DATABASES[db]}:    1",
        f"%I.0 {target.name}",
        f"%C.0 {target.otype}",
        f"%J {target.ra:.8f} {target.dec:+.8f} = {_sexagesimal(target.ra, target.dec)}",
        *(f"%I {alias}" for alias in target.aliases),
    ]
    return "\n".join(lines) + "\n"


def _xml_answer(name: str, dbs: str, target: SesameTarget | None) -> str:
    parts = [f'<Target option="{dbs}">', f"  <name>{escape(name)}</name>"]
    if target is None:
        for db in dbs:
            parts.append(f'  <Resolver name="{escape(DATABASES[db])}">')
            parts.append("    <INFO>*** Nothing found ***</INFO>")
            parts.append("  </Resolver>")
    else:
        parts += [
            f'  <Resolver name="{escape(DATABASES[dbs[0]])}">',
            f"    <otype>{escape(target.otype)}</otype>",
            f"    <jpos>{_sexagesimal(target.ra, target.dec)}</jpos>",
            f"    <jradeg>{target.ra:.8f}</jradeg>",
            f"    <jdedeg>{target.dec:+.8f}</jdedeg>",
            f"    <oname>{escape(target.name)}</oname>",
            *(f"    <alias>{escape(alias)}</alias>" for alias in target.aliases),
            "  </Resolver>",
        ]
    parts.append("</Target>")
    return "\n".join(parts)


def parse_path(path: str) -> tuple[str, str]:
    """(output format letters, database letters) of the part of the URL after ``nph-sesame``."""
    fmt, dbs = "", "SNV"
    for segment in filter(None, path.split("/")):
        match = _FORMAT.match(segment)
        if match:
            fmt = match.group(1)
        elif _DBS.match(segment):
            letters = segment.lstrip("~").upper()
            dbs = "SNV" if "A" in letters else "".join(dict.fromkeys(letters))
    return fmt, dbs


def routes() -> list[BaseRoute]:
    """The resolver routes (the target table is read once, here)."""
    index = load_targets()
    counter = [0]

    async def resolve(request: Request) -> Response:
        fmt, dbs = parse_path(request.path_params.get("options", ""))
        raw = request.url.query
        names = [unquote_plus(n).strip() for n in raw.split("&") if n.strip()] if raw else []
        xml = fmt.lower().startswith("x")
        done = f"#====Done ({datetime.now(UTC):%Y-%b-%d,%H:%M:%S}z)====\n"
        if not names:
            body = "#! Sesame: give a name after '?', e.g. /cgi-bin/nph-sesame/-oI/A?M1\n" + done
            return Response(body, status_code=200, media_type="text/plain")
        if xml:
            answers = [_xml_answer(name, dbs, lookup(index, name)) for name in names]
            body = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<Sesame xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:noNamespaceSchemaLocation="http://cds.unistra.fr/xml/sesame_4x.xsd">\n'
                + "\n".join(answers)
                + "\n</Sesame>\n"
            )
            return Response(body, media_type="text/xml")
        texts = []
        for name in names:
            counter[0] += 1
            texts.append(_text_answer(name, dbs, lookup(index, name), counter[0]))
        return Response("\n".join(texts) + "\n" + done, media_type="text/plain")

    return [
        Route("/cgi-bin/nph-sesame", resolve, methods=["GET", "HEAD"]),
        Route("/cgi-bin/nph-sesame/{options:path}", resolve, methods=["GET", "HEAD"]),
    ]
