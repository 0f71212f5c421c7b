"""Generator throughput: products per second at the given scales, side by side in one run.

    .venv/bin/python bench/bench_generate.py                 # demo and 1e6
    .venv/bin/python bench/bench_generate.py --scales small demo

For each scale it prints the product count, the wall time, products/s overall, and the share
of the time spent rendering product bytes (FITS, JPEG, JSON ...) to record size and md5.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

from jwstarchive.catalog.generate import generate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", default=["demo", "1e6"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="jwstarchive-bench-") as tmp:
        for scale in args.scales:
            result = generate(Path(tmp) / scale, scale=scale, seed=args.seed)
            products = result.counts["product"]
            results.append((scale, products, result.seconds, result.render_seconds))
            size = sum(f.stat().st_size for f in (Path(tmp) / scale).rglob("*") if f.is_file())
            print(
                f"{scale:>6}: {products:>9} products in {result.seconds:7.1f} s = "
                f"{products / result.seconds:8.0f} products/s "
                f"(bytes rendering {100 * result.render_seconds / result.seconds:4.1f} %, "
                f"catalog {size / 1e6:.1f} MB)",
                flush=True,
            )
    if len(results) > 1:
        base = results[0][1] / results[0][2]
        for scale, products, seconds, _ in results[1:]:
            print(f"throughput {scale} / {results[0][0]}: {products / seconds / base:.2f}x")
    print(
        "reproduce: .venv/bin/python bench/bench_generate.py --scales "
        + " ".join(map(shlex.quote, args.scales))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
