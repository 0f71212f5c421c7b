"""Everything a product's bytes are made from, read from the catalog in one place.

The generator (to record size and md5) and the server (to serve the file) both read products
through :func:`iter_content_rows`, so the bytes cannot differ between the two.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["iter_content_rows"]

_PRODUCT_COLUMNS = (
    "p.product_key, p.filename, p.obsid, p.program_id, p.visit_id, p.file_set_name, p.detector, "
    "p.segment, p.suffix, p.extension, p.subgroup, p.product_type, p.calib_level, p.product_level, "
    "p.is_guide_star, p.ingest_date, p.cal_ver, p.crds_ctx, o.obs_id, o.instrument, o.mode, "
    "o.exp_type, o.filters, o.typecode, o.s_ra, o.s_dec, o.em_min, o.em_max, o.target_id"
)


def _members(con: Any, obsids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Association members: a composite's member exposures, or the exposure itself."""
    if not obsids:
        return {}
    rows = con.execute(
        "SELECT m.parent_obsid, mo.obs_id, mo.exp_type FROM core.caom_member m "
        "JOIN core.caom_observation mo ON mo.obsid = m.member_obsid "
        "WHERE m.parent_obsid IN (SELECT unnest(?)) ORDER BY m.parent_obsid, mo.obs_id",
        [obsids],
    ).fetchall()
    members: dict[int, list[tuple[str, str]]] = {}
    for parent, obs_id, exp_type in rows:
        members.setdefault(parent, []).append((obs_id, exp_type))
    return members


def iter_content_rows(
    con: Any, where: str = "", params: list[Any] | None = None, batch_rows: int = 2000
) -> Iterator[dict[str, Any]]:
    """Yield one dict per product (``where`` filters ``p``/``o``), with ``keywords`` and ``members``.

    ``keywords`` is the product's SI keyword row (``core.si_keywords``) as FITS keywords;
    ``members`` lists (file name, EXP_TYPE) for associations and pools.
    """
    from jwstarchive.catalog.products import fits_keywords

    sql = (
        f"SELECT {_PRODUCT_COLUMNS}, s AS si FROM core.product p "
        "JOIN core.caom_observation o USING (obsid) "
        "LEFT JOIN core.si_keywords s ON s.product_key = p.product_key "
        f"{'WHERE ' + where if where else ''} ORDER BY p.product_key"
    )
    cur = con.cursor()
    try:
        reader = cur.sql(sql, params=params or None).to_arrow_reader(batch_rows)
        for batch in reader:
            rows = batch.to_pylist()
            wanted = [r["obsid"] for r in rows if r["suffix"] in ("asn", "pool") and r["typecode"] == "C"]
            members = _members(con, wanted)
            for row in rows:
                si = row.pop("si") or {}
                out = row
                has_si = si.get("product_key") is not None
                out["keywords"] = fits_keywords(si) if row["extension"] == "fits" and has_si else {}
                if row["suffix"] in ("asn", "pool"):
                    if row["typecode"] == "C":
                        out["members"] = [
                            (f"{obs_id}_cal.fits", exp) for obs_id, exp in members.get(row["obsid"], [])
                        ]
                    else:
                        out["members"] = [(f"{row['obs_id']}_rate.fits", row["exp_type"])]
                yield out
    finally:
        cur.close()
