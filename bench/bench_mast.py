"""Benchmark: list every product of program 01410 (the LRE5 case) on a local demo server.

Compares, on the same server and the same obsids (from one ``query_criteria(proposal_id='1410')``):

* ours: ``jwstarchive.mast.ObservationsClass.get_product_list(obs)`` (batched, concurrent, unique);
* astroquery.mast 0.4.11, the tutorial's batched listing: ``get_product_list`` on batches of
  ``--astroquery-batch`` observations (default 5, as the MAST tutorial), ``vstack``, ``unique`` by
  ``productFilename``;
* astroquery.mast 0.4.11, one ``get_product_list`` call with every obsid, then ``unique``.

Each variant runs ``--repeats`` times (after one warm-up of the server); the best wall time is kept.
The goal is ours at least 3x faster than the tutorial's batched listing. The command that reproduces
the figures is printed at the end. Without ``--archive`` it uses the demo archive that
``jwstarchive serve`` uses (generated into the user's cache directory on first use).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

from common import best_of, reproduce_line, served

PROGRAM = "1410"


def astroquery_at(url: str) -> Any:
    """astroquery.mast's Observations with every MAST URL pointed at ``url`` (reference/mast_api.md §7)."""
    from astroquery.mast import Observations, conf
    from astroquery.mast.discovery_portal import PortalAPI

    logging.getLogger("astroquery").setLevel(logging.WARNING)
    conf.server = url
    PortalAPI.MAST_REQUEST_URL = url + "/api/v0/invoke"
    PortalAPI.COLUMNS_CONFIG_URL = url + "/portal/Mashup/Mashup.asmx/columnsconfig"
    PortalAPI.MAST_DOWNLOAD_URL = url + "/api/v0.1/Download/file"
    PortalAPI.MAST_BUNDLE_URL = url + "/api/v0.1/Download/bundle"
    Observations._auth_obj.SESSION_INFO_URL = url + "/whoami"
    return Observations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, help="demo archive directory (default: generate --scale demo)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per variant; the best is kept")
    parser.add_argument("--astroquery-batch", type=int, default=5, help="observations per astroquery call")
    parser.add_argument("--skip-single", action="store_true", help="skip astroquery's one-call listing")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")

    from astropy.table import unique, vstack

    from jwstarchive.mast import ObservationsClass

    with tempfile.TemporaryDirectory(prefix="bench-mast-") as tmp:
        workdir = Path(tmp)
        archive = args.archive
        if archive is None:
            from jwstarchive.catalog.generate import demo_archive

            print("using the demo archive of `jwstarchive serve` (generated on first use) ...", flush=True)
            archive = demo_archive(None)
        with served(archive, workdir) as server:
            ours = ObservationsClass(mast_url=server.url)
            obs = ours.query_criteria(proposal_id=PROGRAM)
            obsids = list(obs["obsid"])
            ours.get_product_list(obs)  # warm-up: server caches, connections

            aq = astroquery_at(server.url)
            aq_obs = aq.query_criteria(proposal_id=PROGRAM)
            assert sorted(aq_obs["obsid"]) == sorted(obsids), "astroquery and ours see different observations"
            size = args.astroquery_batch
            batches = [aq_obs[i : i + size] for i in range(0, len(aq_obs), size)]

            def run_ours() -> int:
                return len(ours.get_product_list(obs))

            def run_aq_batched() -> int:
                parts = [aq.get_product_list(batch) for batch in batches]
                return len(unique(vstack(parts), keys="productFilename"))

            def run_aq_single() -> int:
                return len(unique(aq.get_product_list(aq_obs), keys="productFilename"))

            t_ours, n_ours = best_of({"ours": run_ours}, args.repeats)["ours"]
            t_batched, n_batched = best_of({"batched": run_aq_batched}, args.repeats)["batched"]
            print(f"program {PROGRAM}: {len(obsids)} observations on {server.url}")
            print(f"  ours  get_product_list (batched, concurrent, unique)   {t_ours:7.2f} s  {n_ours} products")
            print(
                f"  astroquery batches of {size} + vstack + unique          {t_batched:7.2f} s  {n_batched} products"
                f"   ratio {t_batched / t_ours:5.1f}x (goal >= 3x)"
            )
            if not args.skip_single:
                t_single, n_single = best_of({"single": run_aq_single}, args.repeats)["single"]
                print(
                    f"  astroquery one call + unique                         {t_single:7.2f} s  {n_single} products"
                    f"   ratio {t_single / t_ours:5.1f}x"
                )
            if n_ours != n_batched:
                print(f"  WARNING: product counts differ ({n_ours} vs {n_batched})")
    print(reproduce_line("bench_mast.py", argv if argv is not None else sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
