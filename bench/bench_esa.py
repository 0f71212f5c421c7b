"""Benchmark the ESA client against astroquery.esa.jwst on the same local server.

(a) ``cone_search`` of ~20k planes (async, ``cal_level=None``, every row): wall time of
    ``jwstarchive.esa.JwstClass`` (Parquet, keep-alive) against astroquery 0.4.11's ``JwstClass``
    (VOTable, a connection per request), same server, same query; best of ``--repeat`` runs each;
    the ratio is the goal figure (>= 3x).
(b) ``get_obs_products`` of a level-3 observation with every level (a tar): MB/s of both clients.

Without ``--archive`` a ``--scale 1e5`` archive is generated once into ``--cache`` (reused later).
The command that reproduces the figures is printed at the end.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import best_of, generate_archive, reproduce_line, served


def _archive(args: argparse.Namespace) -> Path:
    if args.archive:
        return Path(args.archive)
    out = Path(args.cache) / f"archive-{args.scale}"
    if not (out / "catalog.duckdb").exists():
        print(f"generating a --scale {args.scale} archive into {out} (once) ...", flush=True)
        generate_archive(out, args.scale, quiet=False)
    return out


def _astroquery_jwst(url: str) -> Any:
    import logging

    from astroquery.esa.jwst import JwstClass as AQJwst
    from astroquery.utils.tap import TapPlus

    logging.getLogger("astroquery").setLevel(logging.WARNING)
    tap = TapPlus(url=f"{url}/server/tap", data_context="data", client_id="ASTROQUERY", verbose=False)
    return AQJwst(tap_plus_handler=tap, show_messages=False)


def _radius_for(ours: Any, center: Any, rows: int) -> tuple[float, int]:
    """The smallest radius (degrees, doubling) whose cone holds at least ``rows`` planes."""
    radius = 0.25
    while True:
        job = ours.launch_job(
            "SELECT COUNT(*) AS n FROM jwst.main WHERE CONTAINS(POINT('ICRS',target_ra,target_dec),"
            f"CIRCLE('ICRS',{center.ra.deg},{center.dec.deg},{radius}))=1"
        )
        n = int(job.get_results()["n"][0])
        if n >= rows or radius >= 180:
            return radius, n
        radius = min(radius * 2, 180.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", help="an archive directory (default: generate --scale into --cache)")
    parser.add_argument("--scale", default="1e5", help="scale to generate when no --archive (default 1e5)")
    parser.add_argument("--cache", default=str(Path.home() / ".cache" / "jwstarchive-bench"))
    parser.add_argument("--rows", type=int, default=20_000, help="cone size to aim for (default 20000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per client; the best counts (default 3)")
    args = parser.parse_args()

    import warnings

    from astropy.coordinates import SkyCoord

    from jwstarchive.esa import JwstClass

    warnings.simplefilter("ignore")
    archive = _archive(args)
    with tempfile.TemporaryDirectory(prefix="bench-esa-") as tmp, served(archive, Path(tmp)) as server:
        work = Path(tmp)
        ours = JwstClass(esa_url=server.url, progress=False)
        theirs = _astroquery_jwst(server.url)
        center = SkyCoord(0, 90, unit="deg")  # nearest the pole first: the cone grows over the whole sky
        radius, count = _radius_for(ours, center, args.rows)
        print(f"archive {archive}  server {server.url}")
        print(f"(a) cone_search radius {radius} deg around (0, +90): {count} planes (async, cal_level=None)")

        def run_ours() -> int:
            return len(ours.cone_search(center, radius, cal_level=None, async_job=True).get_results())

        def run_theirs() -> int:
            return len(theirs.cone_search(center, f"{radius} deg", cal_level=None, async_job=True).get_results())

        run_ours()  # warm both (server caches, imports)
        run_theirs()
        cone = best_of({"ours": run_ours, "theirs": run_theirs}, args.repeat)
        (t_ours, n_ours), (t_theirs, n_theirs) = cone["ours"], cone["theirs"]
        print(f"    jwstarchive.esa   {t_ours:8.3f} s  {n_ours} rows")
        print(f"    astroquery 0.4.11 {t_theirs:8.3f} s  {n_theirs} rows")
        print(f"    ratio astroquery/ours: {t_theirs / t_ours:.1f}x (goal >= 3x)")

        composites = ours.launch_job(
            "select top 500 observationid, members from jwst.main where calibrationlevel=3 and \"public\"='true' "
            "and members is not null order by observationid"
        ).get_results()
        best = max(range(len(composites)), key=lambda i: len(str(composites["members"][i]).split()))
        composite = composites["observationid"][best]  # the one with the most members: the biggest tar
        print(f"(b) get_obs_products(observation_id={composite!r}, cal_level='ALL')")
        clients = {"jwstarchive.esa": ours, "astroquery 0.4.11": theirs}
        targets = {name: work / name.split()[0] / "x_all_products" for name in clients}

        def fetcher(name: str) -> Any:
            def fetch() -> list[str]:
                shutil.rmtree(targets[name].parent, ignore_errors=True)
                targets[name].parent.mkdir(parents=True)
                observation = str(composite)
                return clients[name].get_obs_products(
                    observation_id=observation, cal_level="ALL", output_file=str(targets[name])
                )

            return fetch

        timed = best_of({name: fetcher(name) for name in clients}, args.repeat)
        results = {}
        for name, (seconds, files) in timed.items():
            size = targets[name].stat().st_size
            results[name] = seconds
            rate = size / 1e6 / seconds
            print(f"    {name:17s} {seconds:8.3f} s  {len(files)} files  {size / 1e6:.1f} MB  {rate:.1f} MB/s")
        ratio = results["astroquery 0.4.11"] / results["jwstarchive.esa"]
        print(f"    ratio astroquery/ours: {ratio:.1f}x")
    print(reproduce_line("bench_esa.py", sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
