"""A NED-compatible object search (``/cgi-bin/objsearch``) over the resolver's target table.

astroquery's ``Ned.query_object`` (which ``astroquery.esa.jwst`` ``query_target`` uses with
``target_resolver="NED"``) asks ``objsearch?objname=NAME&of=xml_main`` and reads a VOTable with
``Object Name``, ``RA`` and ``DEC`` (degrees). An unknown name gets NED's error document: a
VOTable without a table whose second PARAM is named ``Error``.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from jwstarchive.server.sesame import SesameTarget, load_targets, lookup

__all__ = ["routes"]

VOTABLE_TYPE = "text/xml"
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">\n'


def _found(target: SesameTarget) -> str:
    fields = (
        ("No.", "int", "", "1"),
        ("Object Name", "char", "", target.name),
        ("RA", "double", "deg", f"{target.ra:.7f}"),
        ("DEC", "double", "deg", f"{target.dec:.7f}"),
        ("Type", "char", "", target.otype),
    )
    defs = "".join(
        f"<FIELD name={quoteattr(n)} datatype={quoteattr(t)}"
        + (' arraysize="*"' if t == "char" else "")
        + (f" unit={quoteattr(u)}" if u else "")
        + "/>\n"
        for n, t, u, _ in fields
    )
    cells = "".join(f"<TD>{escape(v)}</TD>" for *_, v in fields)
    return (
        f"{_HEAD}<RESOURCE type=\"results\">\n<TABLE name=\"main_table\">\n{defs}"
        f"<DATA><TABLEDATA><TR>{cells}</TR></TABLEDATA></DATA>\n</TABLE>\n</RESOURCE>\n</VOTABLE>\n"
    )


def _not_found(name: str) -> str:
    message = f"'{name}' is not a known object name in this archive's resolver table"
    return (
        f'{_HEAD}<RESOURCE type="results">\n<PARAM name="Service" datatype="char" arraysize="*" value="objsearch"/>\n'
        f'<PARAM name="Error" datatype="char" arraysize="*" value={quoteattr(message)}/>\n</RESOURCE>\n</VOTABLE>\n'
    )


def routes() -> list[BaseRoute]:
    """The object search route (the target table is read once, here)."""
    index = load_targets()

    async def objsearch(request: Request) -> Response:
        name = (request.query_params.get("objname") or "").strip()
        target = lookup(index, name) if name else None
        body = _found(target) if target is not None else _not_found(name)
        return Response(body, media_type=VOTABLE_TYPE)

    return [Route("/cgi-bin/objsearch", objsearch, methods=["GET", "HEAD"])]
