"""Fixtures for the report tests: real products downloaded from ``live_server`` into a jwst_mast_query tree.

``downloaded`` (session) fetches the FITS and JPEG products of a few exposures of programs 1286
(NIRSpec MSA, two detectors) and 1091 (NIRISS SOSS, jpgs in a ``jpg/`` sub-directory) over
``/api/v0.1/Download/file`` and describes them in a product table with jwst_mast_query's columns
(proposal_id, obsnum, visit, sca, filetype, productFilename, outfilename, dl_code, dl_str, size …),
plus the matching CAOM observation table (s_ra, s_dec, s_region).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from astropy.table import MaskedColumn, Table

from jwstarchive.naming import filetype_of, sca_from_obs_id

SELECTION = """
select p.filename, p.obsid, p.program_id, p.calib_level, p.size, p.product_type, o.obs_id
from core.product p join core.caom_observation o using (obsid)
where p.extension in ('fits', 'jpg') and not p.is_guide_star and (
    p.filename similar to 'jw01286001001_02101_0000[12]_.*' or p.filename like 'jw01286-o001_t001%'
    or p.filename like 'jw01091001001_02101%' or p.filename like 'jw01091-o001%')
order by p.filename
"""
OBSERVATIONS = """
select obsid, obs_id, program_id, mode as instrument_name,
       s_ra, s_dec, s_region, t_min
from core.caom_observation where program_id in ('01286', '01091') and obsid in (select unnest(?))
"""
JPG_SUBDIR_PROGRAMS = {"01091"}


@dataclass
class Downloaded:
    """Products on disk and the tables that describe them."""

    root: Path
    products: Table
    observations: Table

    def copy_to(self, where: Path) -> Downloaded:
        """A private copy of the tree (for tests that damage files); paths in the table follow."""
        shutil.copytree(self.root, where)
        products = self.products.copy()
        products["outfilename"] = [str(where / Path(p).relative_to(self.root)) for p in products["outfilename"]]
        return Downloaded(where, products, self.observations.copy())


def _obsnum(obs_id: str) -> int:
    match = re.match(r"jw\d{5}(\d{3})\d{3}_|jw\d{5}-o(\d{3})_", obs_id)
    assert match, obs_id
    return int(match.group(1) or match.group(2))


def _visit(obs_id: str) -> str | None:
    match = re.match(r"jw\d{8}(\d{3})_\d{5}_", obs_id)
    return match.group(1) if match else None


def _masked(values: list[str | None]) -> MaskedColumn:
    return MaskedColumn([v or "" for v in values], mask=[v is None for v in values])


@pytest.fixture(scope="session")
def downloaded(live_server, archive_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Downloaded:
    """The selection downloaded from the live server into ``<root>/<PPPPP>/obsnumNN/[jpg/]``."""
    import duckdb
    import httpx

    con = duckdb.connect(str(archive_dir / "catalog.duckdb"), read_only=True)
    try:
        selection = con.execute(SELECTION).fetchall()
        obsids = sorted({row[1] for row in selection})
        obs_rows = con.execute(OBSERVATIONS, [obsids]).fetchall()
    finally:
        con.close()
    assert len(selection) > 40, "the small archive no longer holds the products these tests expect"

    root = tmp_path_factory.mktemp("report_products")
    records = []
    with httpx.Client(base_url=live_server.url, timeout=120) as client:
        for filename, obsid, program, calib_level, size, product_type, obs_id in selection:
            obsnum = _obsnum(obs_id)
            folder = root / program / f"obsnum{obsnum:02d}"
            if filename.endswith(".jpg") and program in JPG_SUBDIR_PROGRAMS:
                folder = folder / "jpg"
            folder.mkdir(parents=True, exist_ok=True)
            response = client.get("/api/v0.1/Download/file", params={"uri": f"mast:JWST/product/{filename}"})
            assert response.status_code == 200, (filename, response.status_code, response.text[:200])
            assert len(response.content) == size, filename
            (folder / filename).write_bytes(response.content)
            records.append((filename, obsid, int(program), calib_level, size, product_type, obs_id, obsnum, folder))

    products = Table()
    products["proposal_id"] = [r[2] for r in records]
    products["obsnum"] = [r[7] for r in records]
    products["visit"] = _masked([_visit(r[6]) for r in records])
    products["sca"] = _masked([sca_from_obs_id(r[6]) for r in records])
    products["obsID"] = [r[1] for r in records]
    products["parent_obsid"] = [r[1] for r in records]
    products["obs_id"] = [r[6] for r in records]
    products["productFilename"] = [r[0] for r in records]
    products["filetype"] = [filetype_of(r[0]) for r in records]
    products["productType"] = [r[5] for r in records]
    products["calib_level"] = [r[3] for r in records]
    products["size"] = [r[4] for r in records]
    products["outfilename"] = [str(r[8] / r[0]) for r in records]
    products["dl_code"] = [1] * len(records)
    products["dl_str"] = ["downloaded"] * len(records)

    observations = Table(
        rows=[(o[0], o[1], int(o[2]), o[3], o[4], o[5], o[6], o[7]) for o in obs_rows],
        names=("obsid", "obs_id", "proposal_id", "instrument_name", "s_ra", "s_dec", "s_region", "t_min"),
    )
    return Downloaded(root, products, observations)


@pytest.fixture(scope="session")
def chromium_path(chromium_command: str) -> str:
    """The Debian ``chromium`` command (the shared ``chromium_command`` fixture installs it)."""
    return chromium_command
