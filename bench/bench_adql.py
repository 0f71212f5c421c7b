"""Benchmarks of the ADQL pipeline (not timed tests; each prints its figures and its command).

(a) ``translate``: parse + check + translate time per query over the valid test corpus,
    median and p95, next to queryparser-python3 (ADQL -> PostgreSQL, no catalog check) on the
    same queries.
(b) ``cone``: CONTAINS(POINT, CIRCLE) on synthetic DuckDB tables (uniform sky plus clusters,
    sorted by ``_healpix``) at several radii, p50/p95 with and without the HEALPix prefilter.

Usage::

    python bench/bench_adql.py translate [--repeat 5]
    python bench/bench_adql.py cone [--rows 1000000 10000000] [--queries 15]
    python bench/bench_adql.py            # both, at the default sizes (what bench/run_all.py runs)
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "adql"))

from fixture_catalog import ARTIFACT, MAIN, OBSCORE, UPLOAD, index_columns, read_corpus  # noqa: E402

from jwstarchive.adql import compile, rules_duckdb  # noqa: E402
from jwstarchive.catalog.tables import Column, PositionIndex, Table, TableCatalog  # noqa: E402

RADII = (0.01, 0.1, 0.5, 2.0, 5.0)


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def _time(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def bench_translate(repeat: int) -> None:
    """Per-query parse+check+translate time, ours against queryparser-python3."""
    catalog = TableCatalog([MAIN, OBSCORE, ARTIFACT, UPLOAD])
    queries = [q for _, q in read_corpus("valid.adql")]
    ours: dict[int, float] = {}
    for i, query in enumerate(queries):
        ours[i] = _time(lambda q=query: compile(q, catalog), repeat)
    try:
        from queryparser.adql import ADQLQueryTranslator
    except ImportError:  # pragma: no cover - bench-only dependency
        ADQLQueryTranslator = None  # noqa: N806
    theirs: dict[int, float] = {}
    if ADQLQueryTranslator is not None:
        for i, query in enumerate(queries):

            def run(q: str = query) -> str:
                return ADQLQueryTranslator(q).to_postgresql()

            try:
                run()
            except Exception:
                continue
            theirs[i] = _time(run, repeat)
    both = sorted(set(ours) & set(theirs))
    ms = [ours[i] * 1e3 for i in ours]
    print(f"(a) parse+check+translate, {len(queries)} valid-corpus queries, best of {repeat} runs each")
    print(
        f"    jwstarchive.adql.compile (duckdb): median {statistics.median(ms):.3f} ms, "
        f"p95 {_percentile(ms, 95):.3f} ms, all {len(ours)} accepted"
    )
    if theirs:
        qp = [theirs[i] * 1e3 for i in theirs]
        ours_common = [ours[i] * 1e3 for i in both]
        theirs_common = [theirs[i] * 1e3 for i in both]
        ratio = [t / o for o, t in zip(ours_common, theirs_common, strict=True)]
        print(
            f"    queryparser-python3 0.8 to_postgresql: median {statistics.median(qp):.3f} ms, "
            f"p95 {_percentile(qp, 95):.3f} ms, {len(theirs)}/{len(queries)} accepted"
        )
        print(
            f"    on the {len(both)} queries both accept: ours median {statistics.median(ours_common):.3f} ms, "
            f"queryparser median {statistics.median(theirs_common):.3f} ms, "
            f"speed-up (queryparser/ours) median {statistics.median(ratio):.1f}x, "
            f"p5..p95 {_percentile(ratio, 5):.1f}x..{_percentile(ratio, 95):.1f}x"
        )
    else:
        print("    queryparser-python3 is not installed: pip install queryparser-python3")
    print(f"    reproduce: python bench/bench_adql.py translate --repeat {repeat}")


STARS = Table(
    "bench",
    "stars",
    (
        Column("id", "long"),
        Column("ra", "double", unit="deg"),
        Column("dec", "double", unit="deg"),
        Column("mag", "double"),
    ),
    position=PositionIndex("ra", "dec"),
)


def _sky(rows: int, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_uniform = rows // 2
    ra = rng.uniform(0, 360, rows)
    dec = np.degrees(np.arcsin(rng.uniform(-1, 1, rows)))
    # the other half in 200 gaussian clusters of 0.05..3 degrees
    centres = rng.integers(0, n_uniform, 200)
    sizes = 10 ** rng.uniform(np.log10(0.05), np.log10(3), 200)
    which = rng.integers(0, 200, rows - n_uniform)
    cra, cdec = ra[centres][which], dec[centres][which]
    sig = sizes[which]
    d = np.clip(cdec + rng.normal(0, sig), -90, 90)
    r = (cra + rng.normal(0, sig) / np.maximum(np.cos(np.radians(d)), 0.05)) % 360
    ra[n_uniform:], dec[n_uniform:] = r, d
    return {"id": np.arange(rows), "ra": ra, "dec": dec, "mag": rng.uniform(10, 25, rows), **index_columns(ra, dec)}


def bench_cone(rows_list: list[int], queries: int) -> None:
    """Cone-search latency with and without the HEALPix prefilter."""
    import duckdb
    import pyarrow as pa

    catalog = TableCatalog([STARS])
    for rows in rows_list:
        con = duckdb.connect()
        rules_duckdb.install(con)
        t0 = time.perf_counter()
        data = _sky(rows)
        con.execute("CREATE SCHEMA bench")
        con.register("staging", pa.table(data))
        con.execute("CREATE TABLE bench.stars AS SELECT * FROM staging ORDER BY _healpix")
        con.unregister("staging")
        build = time.perf_counter() - t0
        rng = np.random.default_rng(5)
        picks = rng.integers(0, rows, queries)
        centres = [(float(data["ra"][i]), float(data["dec"][i])) for i in picks]
        del data
        gc.collect()
        threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
        print(
            f"(b) cone search on {rows:,} rows (built in {build:.1f} s; DuckDB {duckdb.__version__}, "
            f"{threads} threads), {queries} random centres per radius, SELECT id, mag"
        )
        for radius in RADII:
            times: dict[bool, list[float]] = {True: [], False: []}
            counts: list[int] = []
            for cra, cdec in centres:
                adql = (
                    f"SELECT id, mag FROM bench.stars WHERE CONTAINS(POINT('ICRS', ra, dec), "
                    f"CIRCLE('ICRS', {cra!r}, {cdec!r}, {radius})) = 1"
                )
                sqls = {h: compile(adql, catalog, options={"healpix": h}).sql for h in (True, False)}
                for healpix in (True, False):
                    con.execute(sqls[healpix]).fetchall()  # warm
                    start = time.perf_counter()
                    result = con.execute(sqls[healpix]).fetchall()
                    times[healpix].append((time.perf_counter() - start) * 1e3)
                counts.append(len(result))
            p50 = {h: statistics.median(v) for h, v in times.items()}
            p95 = {h: _percentile(v, 95) for h, v in times.items()}
            print(
                f"    r={radius:<5} rows returned median {int(statistics.median(counts)):>8,}  "
                f"prefilter p50 {p50[True]:8.2f} ms p95 {p95[True]:8.2f} ms | "
                f"no prefilter p50 {p50[False]:8.2f} ms p95 {p95[False]:8.2f} ms | "
                f"speed-up p50 {p50[False] / p50[True]:5.1f}x"
            )
        con.close()
    rows_args = " ".join(str(r) for r in rows_list)
    print(f"    reproduce: python bench/bench_adql.py cone --rows {rows_args} --queries {queries}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="?", default="all", choices=["translate", "cone", "all"])
    parser.add_argument("--repeat", type=int, default=5, help="runs per query for (a); the best is kept")
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000], help="table sizes for (b)")
    parser.add_argument("--queries", type=int, default=15, help="random centres per radius for (b)")
    args = parser.parse_args(argv)
    if args.what in ("translate", "all"):
        bench_translate(args.repeat)
    if args.what in ("cone", "all"):
        bench_cone(args.rows, args.queries)


if __name__ == "__main__":
    main()
