"""``Mast.Caom.Products``: members of combined observations, guide stars of every visit, many obsids at once."""

from __future__ import annotations

import pytest
from mast_portal import Portal

PRODUCTS = "Mast.Caom.Products"


def _one(catalog, sql: str, params: list | None = None):
    return catalog.execute(sql, params or []).fetchone()


@pytest.fixture(scope="module")
def composite(catalog) -> tuple[int, list[int]]:
    """A combined (level-3) observation with members spread over its visit(s), and its members."""
    parent = _one(
        catalog,
        "SELECT parent_obsid FROM core.caom_member GROUP BY parent_obsid HAVING count(*) > 2 ORDER BY 1 LIMIT 1",
    )[0]
    members = [
        r[0]
        for r in catalog.execute(
            "SELECT member_obsid FROM core.caom_member WHERE parent_obsid = ?", [parent]
        ).fetchall()
    ]
    return parent, members


def _files(catalog, where: str, params: list) -> set[str]:
    return {r[0] for r in catalog.execute(f"SELECT filename FROM core.product WHERE {where}", params).fetchall()}


def test_composite_lists_members_and_guide_stars(portal: Portal, catalog, composite) -> None:
    parent, members = composite
    visits = [
        r[0]
        for r in catalog.execute(
            "SELECT DISTINCT visit_id FROM core.caom_observation WHERE obsid IN (SELECT unnest(?))", [members]
        ).fetchall()
    ]
    expected = _files(catalog, "obsid = ? AND NOT COALESCE(is_guide_star, FALSE)", [parent])
    expected |= _files(catalog, "obsid IN (SELECT unnest(?)) AND NOT COALESCE(is_guide_star, FALSE)", [members])
    guide = _files(catalog, "is_guide_star AND visit_id IN (SELECT unnest(?))", [visits])
    assert guide
    rows = portal.rows(PRODUCTS, {"obsid": str(parent)})
    names = [r["productFilename"] for r in rows]
    assert len(names) == len(set(names))
    assert set(names) == expected | guide
    assert {int(r["parent_obsid"]) for r in rows} == {parent}
    assert set(members) <= {int(r["obsID"]) for r in rows}
    assert all(r["dataURI"] == "mast:JWST/product/" + r["productFilename"] for r in rows)
    assert {r["productType"] for r in rows if r["productFilename"] in guide} == {"AUXILIARY"}


def test_every_exposure_of_a_visit_lists_its_guide_stars(portal: Portal, catalog) -> None:
    visit, first, later = _one(
        catalog,
        "SELECT visit_id, min(obsid), max(obsid) FROM core.caom_observation "
        "WHERE typecode = 'S' AND visit_id IS NOT NULL GROUP BY visit_id HAVING count(*) > 1 ORDER BY visit_id LIMIT 1",
    )
    guide = _files(catalog, "is_guide_star AND visit_id = ?", [visit])
    assert guide
    for obsid in (first, later):
        rows = portal.rows(PRODUCTS, {"obsid": str(obsid)})
        names = {r["productFilename"] for r in rows}
        assert guide <= names
        assert names - guide == _files(catalog, "obsid = ? AND NOT COALESCE(is_guide_star, FALSE)", [obsid])


def test_many_obsids_keep_their_parent(portal: Portal, catalog, composite) -> None:
    parent, members = composite
    asked = [members[0], parent, members[1]]
    rows = portal.rows(PRODUCTS, {"obsid": ",".join(map(str, asked))})
    by_parent: dict[int, set[str]] = {}
    for r in rows:
        by_parent.setdefault(int(r["parent_obsid"]), set()).add(r["productFilename"])
    assert set(by_parent) == set(asked)
    for obsid in asked:
        alone = {r["productFilename"] for r in portal.rows(PRODUCTS, {"obsid": str(obsid)})}
        assert by_parent[obsid] == alone
    assert by_parent[members[0]] < by_parent[parent]
    as_list = portal.rows(PRODUCTS, {"obsid": asked})
    assert len(as_list) == len(rows)


def test_products_paging(portal: Portal, composite) -> None:
    parent, _ = composite
    whole = portal.rows(PRODUCTS, {"obsid": str(parent)})
    size = 25
    got: list[str] = []
    page = 1
    while True:
        doc = portal.invoke(PRODUCTS, {"obsid": str(parent)}, pagesize=size, page=page)
        assert doc["paging"]["rowsFiltered"] == len(whole)
        got += [r["productFilename"] for r in doc["data"]]
        if page >= doc["paging"]["pagesFiltered"]:
            break
        page += 1
    assert got == [r["productFilename"] for r in whole]


def test_product_fields(portal: Portal, composite) -> None:
    parent, _ = composite
    doc = portal.invoke(PRODUCTS, {"obsid": str(parent)}, pagesize=3)
    names = [f["name"] for f in doc["fields"]]
    for name in (
        "obsID",
        "obs_collection",
        "obs_id",
        "dataURI",
        "productType",
        "productGroupDescription",
        "productSubGroupDescription",
        "productFilename",
        "size",
        "parent_obsid",
        "dataRights",
        "calib_level",
    ):
        assert name in names
    types = {f["name"]: f["type"] for f in doc["fields"]}
    assert types["obsID"] == types["parent_obsid"] == "string"
    assert types["size"] == "long" and types["calib_level"] == "int"


def test_unknown_obsid_gives_no_rows(portal: Portal) -> None:
    doc = portal.invoke(PRODUCTS, {"obsid": "1"})
    assert doc["status"] == "COMPLETE" and doc["data"] == [] and doc["paging"]["rowsFiltered"] == 0
