"""The Sesame-compatible resolver at /cgi-bin/nph-sesame, as astropy, astroquery and our client read it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest
from astropy.coordinates import SkyCoord, name_resolve

from jwstarchive.catalog.targets import TARGETS
from jwstarchive.clients.resolver import resolve
from jwstarchive.errors import NameResolutionError
from jwstarchive.server.sesame import load_targets, normalise


def test_table_has_enough_well_known_targets() -> None:
    index = load_targets()
    targets = {t.name for t in index.values()}
    assert len(targets) >= 150
    for name in (
        "M1",
        "M42",
        "M 87",
        "Messier 104",
        "WASP-39",
        "WASP-96",
        "TRAPPIST-1",
        "LMC",
        "SMC",
        "Stephan's Quintet",
        "Southern Ring Nebula",
        "Carina Nebula",
        "HUDF",
        "GOODS-S",
        "Abell 2744",
    ):
        assert normalise(name) in index, name
    assert all(-90 <= t.dec <= 90 and 0 <= t.ra < 360 for t in index.values())


def test_every_generator_target_is_known_at_its_catalog_position() -> None:
    index = load_targets()
    for target in TARGETS:
        found = index[normalise(target.name)]
        assert abs(found.ra - target.ra) < 1e-4 and abs(found.dec - target.dec) < 1e-4, target.name


def test_text_answer(live_server: Any, http: httpx.Client) -> None:
    body = http.get(live_server.url + "/cgi-bin/nph-sesame/-oI/A?M1").text
    assert body.startswith("# M1\t#Q")
    j_line = next(line for line in body.splitlines() if line.startswith("%J "))
    ra, dec = (float(v) for v in j_line.split()[1:3])
    assert abs(ra - 83.6331) < 1e-3 and abs(dec - 22.0145) < 1e-3
    assert "=S=Simbad" in body and body.rstrip().endswith("====")


def test_unknown_name_is_nothing_found(live_server: Any, http: httpx.Client) -> None:
    body = http.get(live_server.url + "/cgi-bin/nph-sesame/SNV?not-a-thing-42").text
    assert "*** Nothing found ***" in body and "%J" not in body
    xml = http.get(live_server.url + "/cgi-bin/nph-sesame/-ox/N?not-a-thing-42").content
    root = ET.fromstring(xml)
    assert root.find("Target/Resolver/jradeg") is None
    assert "Nothing found" in root.find("Target/Resolver/INFO").text  # type: ignore[union-attr]


@pytest.mark.parametrize(("db", "prefix"), [("S", "S=Simbad"), ("N", "N=NED"), ("V", "V=VizieR"), ("A", "S=Simbad")])
def test_xml_answer_per_database(live_server: Any, http: httpx.Client, db: str, prefix: str) -> None:
    root = ET.fromstring(http.get(f"{live_server.url}/cgi-bin/nph-sesame/-oxp/{db}?NGC%203132").content)
    resolver = root.find("Target/Resolver")
    assert resolver is not None and resolver.get("name", "").startswith(prefix)
    assert abs(float(resolver.findtext("jradeg") or 0) - 151.7573) < 1e-4
    assert resolver.findtext("oname") == "NGC-3132"


def test_several_names_in_one_request(live_server: Any, http: httpx.Client) -> None:
    root = ET.fromstring(http.get(live_server.url + "/cgi-bin/nph-sesame/-ox?M31&nothing-here&Vega").content)
    found = [t.find("Resolver/jradeg") is not None for t in root.findall("Target")]
    assert found == [True, False, True]


def test_astropy_from_name(live_server: Any) -> None:
    with name_resolve.sesame_url.set([live_server.url + "/cgi-bin/nph-sesame/"]):
        coord = SkyCoord.from_name("TRAPPIST-1")
        with pytest.raises(name_resolve.NameResolveError):
            SkyCoord.from_name("not-a-thing-42")
    assert abs(coord.ra.deg - 346.6223) < 1e-3 and abs(coord.dec.deg + 5.0414) < 1e-3


def test_our_resolver_client(live_server: Any) -> None:
    url = live_server.url + "/cgi-bin/nph-sesame"
    coord = resolve("Large Magellanic Cloud", resolver="NED", resolver_url=url)
    assert abs(coord.ra.deg - 80.894) < 1e-2 and abs(coord.dec.deg + 69.756) < 1e-2
    with pytest.raises(NameResolutionError, match="SIMBAD"):
        resolve("not-a-thing-42", resolver="SIMBAD", resolver_url=url)
