"""Benchmark the download engine against sequential httpx and parallel curl on a local server.

(a) The same N product URLs (default 200, the largest public files of the archive) fetched from
    `jwstarchive serve` on loopback by: our `download_files` (threads over one keep-alive httpx
    client, with md5 checks and atomic renames), a plain asyncio httpx loop (same concurrency, no
    checks: the transport ceiling), a sequential httpx loop, and one `curl` process per file run
    by `xargs -P`. Each method runs --repeats times into a fresh directory, in turns; the table
    shows the median wall time, files/s, MB/s and our throughput as a fraction of parallel curl
    (goal: at least 80 %). The server's file cache is warmed first, so every method sees the
    same server.
(b) A repeat run with nothing new: --skip-files files already on disk (synthetic, about the size
    of archive products) go through `download_files`, which skips them after checking the size,
    and also the md5 (the default), without any request.

Run ``python bench/bench_download.py --help``; the command that reproduces the figures is printed
at the end. Without ``--archive``, $JWSTARCHIVE_TEST_ARCHIVE or a freshly generated small archive is used.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx

from common import generate_archive, reproduce_line, served, timed
from jwstarchive.download import FileRequest, download_files

DOWNLOAD_PATH = "/api/v0.1/Download/file?uri=mast:JWST/product/"
EXCLUSIVE = "('07123', '07456', '07890')"


def products(archive: Path, n: int) -> list[tuple[str, int, str]]:
    """The n largest public products: (filename, size, md5)."""
    import duckdb

    con = duckdb.connect(str(archive / "catalog.duckdb"), read_only=True)
    try:
        return con.execute(
            f"SELECT filename, size, md5 FROM core.product WHERE program_id NOT IN {EXCLUSIVE} "
            f"AND release_date < now() ORDER BY size DESC, filename LIMIT {n}"
        ).fetchall()
    finally:
        con.close()


def ours(requests: list[FileRequest], concurrency: int) -> None:
    results = download_files(requests, concurrency=concurrency, progress=False)
    bad = [r.message for r in results if r.status != "COMPLETE"]
    if bad:
        raise SystemExit(f"our engine failed: {bad[:3]}")


def sequential_httpx(requests: list[FileRequest], concurrency: int) -> None:
    with httpx.Client() as client:
        for request in requests:
            response = client.get(request.url)
            response.raise_for_status()
            request.path.write_bytes(response.content)


def async_httpx(requests: list[FileRequest], concurrency: int) -> None:
    async def run() -> None:
        limits = httpx.Limits(max_connections=concurrency)
        gate = asyncio.Semaphore(concurrency)
        async with httpx.AsyncClient(limits=limits) as client:

            async def one(request: FileRequest) -> None:
                async with gate:
                    response = await client.get(request.url)
                    response.raise_for_status()
                    request.path.write_bytes(response.content)

            await asyncio.gather(*(one(r) for r in requests))

    asyncio.run(run())


def parallel_curl(requests: list[FileRequest], concurrency: int) -> None:
    args = "".join(f"{r.path}\n{r.url}\n" for r in requests)
    command = ["xargs", "-P", str(concurrency), "-n", "2", "curl", "--fail", "--silent", "--show-error", "-o"]
    subprocess.run(command, input=args, text=True, check=True)


METHODS: dict[str, Callable[[list[FileRequest], int], None]] = {
    "ours (download_files)": ours,
    "asyncio httpx, no checks": async_httpx,
    "sequential httpx": sequential_httpx,
    "parallel curl (xargs -P)": parallel_curl,
}


def bench_transfer(url: str, rows: list[tuple[str, int, str]], workdir: Path, concurrency: int, repeats: int) -> None:
    total = sum(size for _, size, _ in rows)
    methods = dict(METHODS)
    if shutil.which("curl") is None:
        print("curl is not installed: parallel curl is left out", file=sys.stderr)
        methods.pop("parallel curl (xargs -P)")

    def requests_into(where: Path) -> list[FileRequest]:
        where.mkdir(parents=True)
        return [FileRequest(f"{url}{DOWNLOAD_PATH}{name}", where / name, size, md5) for name, size, md5 in rows]

    ours(requests_into(workdir / "warm"), concurrency)  # fills the server's file cache
    times: dict[str, list[float]] = {name: [] for name in methods}
    for rep in range(repeats):
        for i, (name, method) in enumerate(methods.items()):
            requests = requests_into(workdir / f"run{rep}-{i}")
            seconds, _ = timed(lambda: method(requests, concurrency))  # noqa: B023 - called at once
            times[name].append(seconds)
            for request in requests[:: max(1, len(requests) // 10)]:
                assert hashlib.md5(request.path.read_bytes()).hexdigest() == request.md5, (name, request.path)
            shutil.rmtree(requests[0].path.parent)
    print(f"(a) {len(rows)} files, {total / 1e6:.1f} MB, concurrency {concurrency}, median of {repeats} runs:")
    print(f"    {'method':28s} {'seconds':>8s} {'files/s':>9s} {'MB/s':>8s}")
    median = {name: statistics.median(t) for name, t in times.items()}
    for name, seconds in median.items():
        print(f"    {name:28s} {seconds:8.3f} {len(rows) / seconds:9.0f} {total / 1e6 / seconds:8.2f}")
    if "parallel curl (xargs -P)" in median:
        ratio = median["parallel curl (xargs -P)"] / median["ours (download_files)"]
        print(f"    our throughput / parallel curl: {ratio:.0%} (goal >= 80 %)")
    ratio = median["sequential httpx"] / median["ours (download_files)"]
    print(f"    our speed-up over sequential httpx: {ratio:.1f}x")


def bench_skip(workdir: Path, nfiles: int, size: int) -> None:
    where = workdir / "skip"
    where.mkdir()
    requests = []
    for i in range(nfiles):
        data = os.urandom(16) * (size // 16)
        path = where / f"jw99999{i:06d}_cal.fits"
        path.write_bytes(data)
        requests.append(FileRequest(f"http://127.0.0.1:9/file{i}", path, len(data), hashlib.md5(data).hexdigest()))
    print(f"(b) repeat run with nothing new: {nfiles} files of {size / 1e3:.0f} kB already on disk")
    for label, check_md5 in (("size and md5 checked", True), ("size checked", False)):
        seconds, results = timed(lambda: download_files(requests, progress=False, check_md5=check_md5))  # noqa: B023
        assert all(r.status == "SKIPPED" for r in results)
        print(f"    {label:22s} {seconds:6.2f} s (goal for a 17,000-product program: < 2 s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, help="archive directory (default: $JWSTARCHIVE_TEST_ARCHIVE or new)")
    parser.add_argument("--files", type=int, default=200, help="files per run in (a) (default 200)")
    parser.add_argument("--concurrency", type=int, default=8, help="parallel downloads in (a) (default 8)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per method in (a) (default 3)")
    parser.add_argument("--skip-files", type=int, default=17000, help="files on disk in (b) (default 17000)")
    parser.add_argument("--skip-size", type=int, default=18000, help="bytes per file in (b) (default 18000)")
    args = parser.parse_args(argv)
    archive = args.archive or (
        Path(os.environ["JWSTARCHIVE_TEST_ARCHIVE"]) if "JWSTARCHIVE_TEST_ARCHIVE" in os.environ else None
    )
    with tempfile.TemporaryDirectory(prefix="bench-download-") as tmp:
        workdir = Path(tmp)
        if archive is None:
            archive = workdir / "archive"
            print("generating a small archive ...", file=sys.stderr)
            generate_archive(archive)
        rows = products(archive, args.files)
        if len(rows) < args.files:
            raise SystemExit(f"the archive has only {len(rows)} public products")
        with served(archive, workdir) as server:
            bench_transfer(server.url, rows, workdir, args.concurrency, args.repeats)
        if args.skip_files:
            bench_skip(workdir, args.skip_files, args.skip_size)
    command = ["--files", str(args.files), "--concurrency", str(args.concurrency), "--repeats", str(args.repeats)]
    command += ["--skip-files", str(args.skip_files), "--skip-size", str(args.skip_size)]
    if args.archive is not None:
        command += ["--archive", str(args.archive)]
    print(reproduce_line("bench_download.py", command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
