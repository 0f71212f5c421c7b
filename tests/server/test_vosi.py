"""VOSI resources of /server/tap: capabilities, availability, tables, examples, TAP_SCHEMA."""

from __future__ import annotations

import csv
from xml.etree import ElementTree

import pytest
from votables import error_message, parse_votable, query_status

from jwstarchive.catalog.schema import table_catalog
from jwstarchive.server.formats import FORMATS
from jwstarchive.server.settings import Limits

VS = "http://www.ivoa.net/xml/VODataService/v1.1"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}type"
ESA_FLAGS = "{http://esa.int/xml/EsaTapPlus}flags"


def test_capabilities_describe_the_service(http, live_server) -> None:
    response = http.get(live_server.tap + "/capabilities")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.ivoa.net/xml/VOSICapabilities/v1.0}capabilities"
    caps = {c.get("standardID"): c for c in root.findall("capability")}
    tap = caps["ivo://ivoa.net/std/TAP"]
    assert tap.get(XSI) == "tr:TableAccess"
    interface = tap.find("interface")
    assert interface.get("role") == "std" and interface.findtext("accessURL") == live_server.tap
    versions = {v.get("ivo-id") for v in tap.iter("version")}
    assert versions == {"ivo://ivoa.net/std/ADQL#v2.0", "ivo://ivoa.net/std/ADQL#v2.1"}
    features = {f.findtext("form") for f in tap.iter("feature")}
    assert {"CONTAINS", "POINT", "CIRCLE", "DISTANCE"} <= features
    mimes = {o.findtext("mime") for o in tap.findall("outputFormat")}
    assert mimes == {f.media_type for f in FORMATS}
    ivo_ids = {o.get("ivo-id") for o in tap.findall("outputFormat")}
    assert "ivo://ivoa.net/std/TAPRegExt#output-votable-binary2" in ivo_ids
    uploads = {u.get("ivo-id") for u in tap.findall("uploadMethod")}
    assert "ivo://ivoa.net/std/TAPRegExt#upload-inline" in uploads
    limits = Limits()
    assert tap.find("outputLimit/default").text == str(limits.default_maxrec)
    assert tap.find("outputLimit/hard").text == str(limits.hard_maxrec)
    assert tap.find("executionDuration/hard").text == str(limits.max_execution_duration)
    assert tap.find("retentionPeriod/default").text == str(limits.default_retention)
    for std in ("VOSI#capabilities", "VOSI#availability", "VOSI#tables-1.1", "DALI#examples"):
        assert f"ivo://ivoa.net/std/{std}" in caps
    assert tap.find("dataModel").get("ivo-id") == "ivo://ivoa.net/std/ObsCore#core-1.1"


def test_availability(http, live_server) -> None:
    root = ElementTree.fromstring(http.get(live_server.tap + "/availability").content)
    assert root.findtext("{http://www.ivoa.net/xml/VOSIAvailability/v1.0}available") == "true"


def _tables(http, url: str, **params: str) -> ElementTree.Element:
    response = http.get(url, params=params)
    assert response.status_code == 200, response.text[:500]
    return ElementTree.fromstring(response.content)


def test_tables_lists_every_published_table(http, live_server) -> None:
    root = _tables(http, live_server.tap + "/tables")
    names = [t.findtext("name") for t in root.iter("table")]
    assert names == [t.qualified for t in table_catalog()]
    main = next(t for t in root.iter("table") if t.findtext("name") == "jwst.main")
    columns = {c.findtext("name"): c for c in main.findall("column")}
    assert all(c.get(ESA_FLAGS) is not None for c in root.iter("column"))  # astroquery needs it everywhere
    assert columns["target_ra"].get(ESA_FLAGS) == "1" and columns["target_dec"].get(ESA_FLAGS) == "2"
    assert columns['"public"'].find("dataType").text == "boolean"  # a reserved word, delimited
    assert columns["target_ra"].findtext("unit") == "deg"
    assert main.find("foreignKey/targetTable") is not None


@pytest.mark.parametrize("params", [{"only_tables": "true"}, {"detail": "min"}])
def test_tables_without_columns(http, live_server, params: dict[str, str]) -> None:
    root = _tables(http, live_server.tap + "/tables", **params)
    assert len(list(root.iter("table"))) == len(table_catalog())
    assert not list(root.iter("column"))


def test_one_table(http, live_server) -> None:
    root = _tables(http, live_server.tap + "/tables", tables="jwst.artifact")
    assert [t.findtext("name") for t in root.iter("table")] == ["jwst.artifact"]
    single = _tables(http, live_server.tap + "/tables/ivoa.obscore")
    assert single.tag == "{http://www.ivoa.net/xml/VOSITables/v1.0}table"
    assert single.findtext("name") == "ivoa.obscore"
    missing = http.get(live_server.tap + "/tables/jwst.nothing")
    assert missing.status_code == 404
    error_message(missing)
    assert http.get(live_server.tap + "/tables", params={"tables": "jwst.nothing"}).status_code == 400


def test_extension_schema_is_published(http, live_server) -> None:
    response = http.get(live_server.tap + "/tables")
    location = ElementTree.fromstring(response.content).get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
    namespace, url = location.split()
    assert namespace == "http://esa.int/xml/EsaTapPlus"
    xsd = ElementTree.fromstring(http.get(url).content)
    assert {a.get("name") for a in xsd.iter("{http://www.w3.org/2001/XMLSchema}attribute")} >= {"flags", "public"}


def test_examples_run(http, live_server) -> None:
    response = http.get(live_server.tap + "/examples")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    queries = [e.text for e in root.iter("{http://www.w3.org/1999/xhtml}pre") if e.get("property") == "query"]
    assert len(queries) >= 5
    for adql in queries:
        result = http.post(live_server.tap + "/sync", data={"LANG": "ADQL", "QUERY": adql})
        assert result.status_code == 200, f"{adql}\n{result.text[:500]}"
        assert query_status(result.content)[0][0] == "OK"


def test_tap_schema_is_queryable(http, live_server) -> None:
    response = http.post(
        live_server.tap + "/sync",
        data={
            "LANG": "ADQL",
            "FORMAT": "csv",
            "QUERY": "SELECT table_name FROM TAP_SCHEMA.tables ORDER BY table_index",
        },
    )
    assert response.status_code == 200
    names = [row[0] for row in csv.reader(response.text.strip().splitlines()[1:])]
    assert names == [t.qualified for t in table_catalog()]
    cols = http.post(
        live_server.tap + "/sync",
        data={"LANG": "ADQL", "QUERY": "SELECT * FROM TAP_SCHEMA.columns WHERE table_name = 'jwst.main'"},
    )
    assert len(parse_votable(cols.content).get_first_table().to_table()) == len(
        table_catalog().find("main", "jwst")[0].columns
    )
