"""Target name -> ICRS position through a Sesame name resolver (CDS Sesame or a compatible one).

``resolve("M1")`` asks ``{resolver_url}/-ox/S?M1`` (SIMBAD), ``/N`` (NED), ``/V`` (VizieR) or,
for ``ALL``, ``/SNV`` (the first database that knows the name answers), and reads the ICRS
position from Sesame's XML. The default resolver is CDS Sesame; ``JWSTARCHIVE_RESOLVER_URL``
or the ``resolver_url`` argument points elsewhere (e.g. a local ``jwstarchive serve``).
"""

from __future__ import annotations

import logging
import os
import urllib.parse
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import httpx

from jwstarchive.errors import InputError, NameResolutionError, ServiceError

if TYPE_CHECKING:
    from astropy.coordinates import SkyCoord

__all__ = ["DEFAULT_RESOLVER_URL", "RESOLVERS", "resolve", "resolver_url_default"]

log = logging.getLogger(__name__)

DEFAULT_RESOLVER_URL = "https://cds.unistra.fr/cgi-bin/nph-sesame"

#: Resolver names (as astroquery.esa.jwst spells them) -> Sesame database letters.
RESOLVERS: dict[str, str] = {"ALL": "SNV", "SIMBAD": "S", "NED": "N", "VIZIER": "V"}


def resolver_url_default() -> str:
    """``JWSTARCHIVE_RESOLVER_URL``, else CDS Sesame."""
    return os.environ.get("JWSTARCHIVE_RESOLVER_URL") or DEFAULT_RESOLVER_URL


def _position(xml: bytes) -> tuple[float, float] | None:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return None
    for resolver in root.iter("Resolver"):
        ra, dec = resolver.findtext("jradeg"), resolver.findtext("jdedeg")
        if ra and dec:
            return float(ra), float(dec)
    return None


def resolve(
    name: str,
    *,
    resolver: str = "ALL",
    resolver_url: str | None = None,
    client: httpx.Client | None = None,
    timeout: float = 30.0,
) -> SkyCoord:
    """The ICRS position of the target ``name``.

    Parameters
    ----------
    name
        A target name Sesame knows (``M1``, ``NGC 3132``, ``WASP-39``, ...).
    resolver
        ``ALL`` (SIMBAD, then NED, then VizieR), ``SIMBAD``, ``NED`` or ``VIZIER``.
    resolver_url
        The Sesame base URL (ending in ``/cgi-bin/nph-sesame``); default CDS Sesame.

    Raises
    ------
    InputError
        For an empty name or an unknown resolver.
    NameResolutionError
        When the resolver does not know the name.
    ServiceError
        When the resolver cannot be reached or answers with an error.
    """
    from astropy.coordinates import SkyCoord

    if not isinstance(name, str) or not name.strip():
        raise InputError("target name must be a non-empty string")
    letters = RESOLVERS.get(str(resolver).upper())
    if letters is None:
        raise InputError("This target resolver is not allowed")
    base = (resolver_url or resolver_url_default()).rstrip("/")
    url = f"{base}/-ox/{letters}?{urllib.parse.quote(name.strip())}"
    log.debug("resolving %r at %s", name, url)
    own = client is None
    http = client or httpx.Client(timeout=timeout, follow_redirects=True)
    try:
        response = http.get(url)
    except httpx.HTTPError as exc:
        raise ServiceError(f"cannot reach the name resolver {base}: {exc}", url=url) from exc
    finally:
        if own:
            http.close()
    if response.status_code != 200:
        status = response.status_code
        raise ServiceError(f"name resolver {base} answered HTTP {status}", url=url, status=status)
    position = _position(response.content)
    if position is None:
        raise NameResolutionError(f"This target name cannot be determined with this resolver: {resolver}")
    return SkyCoord(ra=position[0], dec=position[1], unit="deg", frame="icrs")
