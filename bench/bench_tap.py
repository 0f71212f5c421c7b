"""Benchmark the TAP service of `jwstarchive serve` over loopback.

(a) sync latency of a small query (TOP 10, VOTable TABLEDATA), p50/p90 over repeats;
(b) async round trip (create with PHASE=RUN, blocking WAIT, fetch the result, delete);
(c) a large sync result streamed as VOTable BINARY2: rows/s, and the peak RSS of the server
    process for each result size (one fresh server per size), to show that memory does not
    grow with the number of rows.

Run ``python bench/bench_tap.py --help``; the command that reproduces the figures is printed
at the end. Without ``--archive`` a small archive is generated into a temporary directory.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from common import Server, generate_archive, reproduce_line, served, timed

BIG_QUERY = (
    "SELECT TOP {n} a.artifactid, a.filename, a.producttype, a.contentlength, p.planeid, p.calibrationlevel "
    "FROM jwst.artifact AS a, jwst.plane AS p"
)


def rss(server: Server) -> tuple[int, int]:
    """(current RSS, peak RSS) of the server process in bytes."""
    pid = server.proc.pid
    try:
        import psutil

        info = psutil.Process(pid).memory_info()
        peak = getattr(info, "peak_wset", None) or _proc_status(pid, "VmHWM")
        return info.rss, peak
    except ImportError:
        return _proc_status(pid, "VmRSS"), _proc_status(pid, "VmHWM")


def _proc_status(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _mib(n: float) -> str:
    return f"{n / 2**20:7.1f} MiB"


def bench_latency(server: Server, repeats: int) -> None:
    query = "SELECT TOP 10 observationid, calibrationlevel, target_ra, target_dec FROM jwst.main"
    times = []
    with httpx.Client(timeout=60) as client:
        for _ in range(repeats + 2):
            seconds, response = timed(lambda: client.post(server.tap + "/sync", data={"LANG": "ADQL", "QUERY": query}))
            response.raise_for_status()
            times.append(seconds)
    times = sorted(times[2:])
    p90 = times[int(0.9 * (len(times) - 1))]
    print(
        f"(a) sync TOP 10, TABLEDATA: p50 {statistics.median(times) * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms "
        f"({repeats} requests, keep-alive)"
    )


def bench_async(server: Server, repeats: int) -> None:
    query = "SELECT TOP 100 observationid, calibrationlevel FROM jwst.main"
    times = []
    with httpx.Client(timeout=60) as client:

        def round_trip() -> None:
            created = client.post(server.tap + "/async", data={"LANG": "ADQL", "QUERY": query, "PHASE": "RUN"})
            job = created.headers["location"]
            while "COMPLETED" not in client.get(job, params={"WAIT": "30"}).text:
                pass
            client.get(job + "/results/result").raise_for_status()
            client.delete(job)

        for _ in range(repeats):
            times.append(timed(round_trip)[0])
    print(
        f"(b) async round trip (create+run, WAIT, fetch, delete): p50 {statistics.median(times) * 1000:.1f} ms "
        f"({repeats} jobs)"
    )


class _PeakSampler(threading.Thread):
    """Samples the server's RSS every 10 ms until stopped; keeps the maximum."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.peak = rss(server)[0]
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, rss(self.server)[0])
            time.sleep(0.01)

    def stop(self) -> int:
        self.done.set()
        self.join()
        return self.peak


def _stream_once(server: Server, n: int, fmt: str) -> tuple[int, float, int, int]:
    """Stream one result of ``n`` rows; return (bytes, seconds, RSS before, peak RSS)."""
    with httpx.Client(timeout=600) as client:
        warm = {"LANG": "ADQL", "QUERY": BIG_QUERY.format(n=100), "RESPONSEFORMAT": fmt}
        client.post(server.tap + "/sync", data=warm).raise_for_status()
        time.sleep(0.2)
        before = rss(server)[0]
        sampler = _PeakSampler(server)
        sampler.start()
        data = {"LANG": "ADQL", "QUERY": BIG_QUERY.format(n=n), "MAXREC": str(n), "RESPONSEFORMAT": fmt}
        start = time.perf_counter()
        size = 0
        with client.stream("POST", server.tap + "/sync", data=data) as response:
            response.raise_for_status()
            for chunk in response.iter_bytes():
                size += len(chunk)
        elapsed = time.perf_counter() - start
        peak = max(sampler.stop(), rss(server)[1])
    return size, elapsed, before, peak


def bench_stream(archive: Path, workdir: Path, sizes: list[int], fmt: str) -> None:
    print(f"(c) sync result streamed as {fmt}, one fresh server per size:")
    print("    rows       bytes       seconds    rows/s      RSS before   peak RSS    peak - before")
    for n in sizes:
        with served(archive, workdir) as server:
            size, elapsed, before, peak = _stream_once(server, n, fmt)
        print(
            f"    {n:<10d} {size:<11d} {elapsed:<10.2f} {n / elapsed:<11,.0f} {_mib(before)}  "
            f"{_mib(peak)}  {_mib(peak - before)}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, help="archive directory (default: generate --scale small)")
    parser.add_argument("--sizes", default="10000,100000", help="row counts for (c), comma-separated")
    parser.add_argument("--format", default="votable/b2", help="RESPONSEFORMAT for (c)")
    parser.add_argument("--repeats", type=int, default=30, help="requests for (a) and jobs for (b)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-tap-") as tmp:
        workdir = Path(tmp)
        archive = args.archive
        if archive is None:
            archive = workdir / "archive"
            print("generating a small archive ...", file=sys.stderr)
            generate_archive(archive)
        with served(archive, workdir) as server:
            bench_latency(server, args.repeats)
            bench_async(server, max(3, args.repeats // 3))
        bench_stream(archive, workdir, sizes, args.format)
    command = ["--sizes", args.sizes, "--format", args.format, "--repeats", str(args.repeats)]
    if args.archive is not None:
        command += ["--archive", str(args.archive)]
    print(reproduce_line("bench_tap.py", command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
