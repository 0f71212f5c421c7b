"""The seed README's LRE5 case on the demo archive: every product of program 01410, listed in batches."""

from __future__ import annotations

from pathlib import Path

import duckdb
import httpx
from mast_portal import Portal


def test_all_products_of_a_large_program(demo_server, demo_archive_dir: Path, http: httpx.Client) -> None:
    con = duckdb.connect(str(demo_archive_dir / "catalog.duckdb"), read_only=True)
    try:
        files = {r[0] for r in con.execute("SELECT filename FROM core.product WHERE program_id = '01410'").fetchall()}
        observations = con.execute(
            "SELECT count(DISTINCT observtn) FROM core.caom_observation WHERE program_id = '01410'"
        )
        assert observations.fetchone()[0] == 264
    finally:
        con.close()
    assert len(files) > 17_000
    portal = Portal(demo_server.url, http)
    obs = portal.rows(
        "Mast.Caom.Filtered", {"columns": "obsid", "filters": [{"paramName": "proposal_id", "values": ["01410"]}]}
    )
    obsids = [str(r["obsid"]) for r in obs]
    listed: set[str] = set()
    rows = 0
    for start in range(0, len(obsids), 100):
        batch = portal.rows("Mast.Caom.Products", {"obsid": ",".join(obsids[start : start + 100])})
        rows += len(batch)
        listed |= {r["productFilename"] for r in batch}
    assert listed == files
    assert rows > len(files)  # combined observations list their members' files again
    whole = portal.invoke("Mast.Caom.Products", {"obsid": ",".join(obsids)}, pagesize=5000)
    assert whole["paging"]["rowsFiltered"] == rows
    assert whole["paging"]["pagesFiltered"] == -(-rows // 5000)
