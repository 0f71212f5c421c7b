"""Concurrent, resumable, verified downloads over one keep-alive HTTP client.

Each file goes to ``.<name>.part`` next to its final path and is renamed with `os.replace` only
after its size and md5 check out, so a final name never holds a partial file, whatever kills the
process. A later run resumes a ``.part`` file with an HTTP ``Range`` request (and starts over when
the server ignores the range or the file changed). Connection errors, timeouts, truncated bodies
and HTTP 408/429/5xx are retried with exponential backoff (``Retry-After`` is honoured); other
HTTP 4xx answers are final and reported per file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import random
import re
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from jwstarchive import __version__
from jwstarchive.download.model import FileRequest, FileResult, Status, etag_path
from jwstarchive.download.progress import DownloadProgress, RichProgress, SilentProgress
from jwstarchive.download.progress import default_progress as _default_progress
from jwstarchive.errors import (
    AuthenticationError,
    ChecksumMismatch,
    DownloadError,
    InputError,
    JWSTArchiveError,
    ServiceUnavailable,
    SizeMismatch,
)

log = logging.getLogger(__name__)

USER_AGENT = f"jwstarchive/{__version__} (IVOA-science)"
HASH_BLOCK = 1 << 22
RETRY_STATUSES = frozenset({408, 425, 429})
MAX_BACKOFF = 60.0
MAX_RETRY_AFTER = 300.0
MD5_ETAG = re.compile(r'^"?([0-9a-fA-F]{32})"?$')
CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


class _Retry(Exception):
    """A transient problem: try again (after ``delay`` seconds if the server said so)."""

    def __init__(self, error: JWSTArchiveError, delay: float | None = None, status: int | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.delay = delay
        self.status = status


class _Final(Exception):
    """A problem retrying cannot fix."""

    def __init__(self, error: JWSTArchiveError, status: int | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.status = status


class _Interrupted(Exception):
    """The batch is being stopped (Ctrl-C)."""


def md5_of_file(path: Path, limit: int | None = None) -> hashlib._Hash:
    """The md5 hash object of ``path`` (of its first ``limit`` bytes when given)."""
    if limit is None:
        with open(path, "rb") as whole:
            return hashlib.file_digest(whole, lambda: hashlib.md5(usedforsecurity=False))
    digest = hashlib.md5(usedforsecurity=False)
    left = limit
    with open(path, "rb") as stream:
        while left is None or left > 0:
            block = stream.read(HASH_BLOCK if left is None else min(HASH_BLOCK, left))
            if not block:
                break
            digest.update(block)
            if left is not None:
                left -= len(block)
    return digest


def md5_from_etag(etag: str | None) -> str | None:
    """The md5 in a strong ETag that is a plain md5 hex digest (quoted or not), else None."""
    if not etag or etag.startswith("W/"):
        return None
    match = MD5_ETAG.match(etag.strip())
    return match.group(1).lower() if match else None


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import datetime

    now = datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER)


def complete_on_disk(request: FileRequest, check_md5: bool = True) -> bool:
    """True when ``request.path`` exists with the catalog size (and md5, when known and ``check_md5``)."""
    return _size_ok(request) and (not check_md5 or _md5_ok(request))


def _size_ok(request: FileRequest) -> bool:
    try:
        size = request.path.stat().st_size
    except OSError:  # missing, or a parent that is not a directory
        return False
    if request.size is not None and size != request.size:
        log.info("%s: %d bytes on disk but %d expected; downloading it again", request.path, size, request.size)
        return False
    return True


def _md5_ok(request: FileRequest) -> bool:
    if request.md5 is None or md5_of_file(request.path).hexdigest() == request.md5:
        return True
    log.warning("%s: md5 differs from the catalog; downloading it again", request.path)
    return False


def _http_error(request: FileRequest, status: int, reason: str, retry_after: str | None = None) -> _Final | _Retry:
    name = request.path.name
    where = f"{request.url} answered HTTP {status} {reason}".rstrip()
    if status == 401:
        return _Final(
            AuthenticationError(
                f"{name}: needs a MAST token ({where}); set MAST_API_TOKEN or pass --token",
                url=request.url,
                status=status,
            ),
            status,
        )
    if status == 403:
        return _Final(
            AuthenticationError(
                f"{name}: the token does not grant this exclusive-access file ({where}); "
                "use a token of a user who holds the program, or wait for its release date",
                url=request.url,
                status=status,
            ),
            status,
        )
    if status == 404:
        return _Final(
            DownloadError(f"{name}: not found ({where}); check the product name and the archive URL", request.url),
            status,
        )
    if status in RETRY_STATUSES or status >= 500:
        error = ServiceUnavailable(f"{name}: {where}", url=request.url, status=status)
        return _Retry(error, delay=retry_after_seconds(retry_after), status=status)
    return _Final(DownloadError(f"{name}: {where}", request.url, str(request.path)), status)


class _Transfer:
    """Fetch one file: retries, Range resume, verification and the final rename."""

    def __init__(self, engine: _Batch, request: FileRequest) -> None:
        self.engine = engine
        self.request = request
        self.part = request.part_path
        self.etag_file = etag_path(request.path)
        self.received = 0
        self.attempts = 0
        self.resumed = False
        self.status: int | None = None
        self.etag_md5: str | None = None

    def result(self, status: Status, message: str, error: JWSTArchiveError | None = None) -> FileResult:
        return FileResult(
            self.request,
            status,
            message,
            nbytes=self.received,
            http_status=self.status,
            attempts=self.attempts,
            resumed=self.resumed,
            error=error,
        )

    def run(self) -> FileResult:
        """Try up to ``retries + 1`` times; never raises (except on interruption)."""
        engine = self.engine
        try:
            self.request.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            error = DownloadError(f"{self.request.path.name}: cannot create its directory: {exc}", self.request.url)
            return self.result("ERROR", error.message, error)
        last: JWSTArchiveError | None = None
        tries = engine.retries + 1
        attempt = 0
        while attempt < tries:
            if engine.stop.is_set():
                raise _Interrupted
            try:
                self.attempt()
            except _Final as problem:
                self.discard()
                self.status = problem.status if problem.status is not None else self.status
                return self.result("ERROR", problem.error.message, problem.error)
            except _Retry as problem:
                last = problem.error
                self.status = problem.status if problem.status is not None else self.status
                delay = problem.delay
            except httpx.TransportError as exc:
                last = ServiceUnavailable(
                    f"{self.request.path.name}: {type(exc).__name__}: {exc or 'connection problem'}",
                    url=self.request.url,
                )
                delay = None
            except OSError as exc:
                error = DownloadError(f"{self.request.path.name}: cannot write {exc}", self.request.url)
                return self.result("ERROR", error.message, error)
            else:
                return self.result("COMPLETE", "downloaded")
            attempt += 1
            if attempt >= tries:
                break
            if delay is None:
                delay = min(engine.backoff * 2 ** (attempt - 1), MAX_BACKOFF) * random.uniform(0.5, 1.0)
            log.debug("%s: %s; retry %d of %d in %.2f s", self.request.path.name, last, attempt, tries - 1, delay)
            if engine.stop.wait(delay):
                raise _Interrupted
        assert last is not None
        last.message = f"{last.message} (gave up after {self.attempts} attempts; run again to resume)"
        last.args = (last.message,)
        return self.result("ERROR", last.message, last)

    def discard(self) -> None:
        """Remove the partial file and its ETag note."""
        for path in (self.part, self.etag_file):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def finish(self, digest: str) -> None:
        """Verify the complete ``.part`` file and rename it to its final name."""
        request = self.request
        size = self.part.stat().st_size
        if request.size is not None and size != request.size:
            self.discard()
            raise _Retry(
                SizeMismatch(
                    f"{request.path.name}: got {size} bytes but the catalog says {request.size}",
                    request.url,
                    str(request.path),
                )
            )
        expected = request.md5 or self.etag_md5
        if expected is not None and digest != expected:
            self.discard()
            raise _Retry(
                ChecksumMismatch(
                    f"{request.path.name}: md5 {digest} differs from {expected}", request.url, str(request.path)
                )
            )
        os.replace(self.part, request.path)
        with contextlib.suppress(FileNotFoundError):
            self.etag_file.unlink()

    def attempt(self) -> None:
        """One HTTP request; raises `_Retry` / `_Final` / `httpx.TransportError` unless the file completes."""
        request, engine = self.request, self.engine
        try:
            have = self.part.stat().st_size
        except FileNotFoundError:
            have = 0
        if request.size is not None and have > request.size:
            self.discard()
            have = 0
        if have and request.md5 is not None and have == request.size:
            # killed between the last byte and the rename: nothing to fetch
            self.finish(md5_of_file(self.part).hexdigest())
            return
        saved_etag = self.etag_file.read_text().strip() if have and self.etag_file.exists() else None
        headers = {"Accept-Encoding": "identity"}
        if have:
            headers["Range"] = f"bytes={have}-"
            if saved_etag:
                headers["If-Range"] = saved_etag
        self.attempts += 1
        with engine.client.stream("GET", request.url, headers=headers) as response:
            self.status = response.status_code
            if response.status_code == 416 and have:
                self.discard()
                raise _Retry(DownloadError(f"{request.path.name}: stale partial file; starting over"), delay=0)
            if response.status_code not in (200, 206):
                raise _http_error(
                    request, response.status_code, response.reason_phrase, response.headers.get("retry-after")
                )
            etag = response.headers.get("etag")
            self.etag_md5 = md5_from_etag(etag)
            offset = 0
            total: int | None = None
            if response.status_code == 206:
                match = CONTENT_RANGE.match(response.headers.get("content-range", ""))
                changed = saved_etag is not None and etag is not None and etag != saved_etag
                changed = changed or (request.md5 is not None and self.etag_md5 not in (None, request.md5))
                if match is None or int(match.group(1)) != have or changed:
                    self.discard()
                    raise _Retry(DownloadError(f"{request.path.name}: unusable partial answer; starting over"), 0)
                offset = have
                total = None if match.group(3) == "*" else int(match.group(3))
                self.resumed = True
            else:
                length = response.headers.get("content-length")
                total = int(length) if length and length.isdigit() else None
                if have:
                    log.debug("%s: the server ignored Range; starting over", request.path.name)
            if total is None:
                total = request.size
            need_md5 = request.md5 is not None or self.etag_md5 is not None
            digest = md5_of_file(self.part, offset) if (need_md5 and offset) else hashlib.md5(usedforsecurity=False)
            if offset == 0:
                if request.md5 is None and etag and not etag.startswith("W/"):
                    self.etag_file.write_text(etag)
                elif self.etag_file.exists():
                    self.etag_file.unlink()
            with open(self.part, "r+b" if offset else "wb") as stream:
                stream.seek(offset)
                stream.truncate(offset)
                for chunk in response.iter_bytes():
                    if engine.stop.is_set():
                        raise _Interrupted
                    stream.write(chunk)
                    if need_md5:
                        digest.update(chunk)
                    self.received += len(chunk)
                    engine.progress.advance(len(chunk))
                got = stream.tell()
        if total is not None and got < total:
            raise _Retry(DownloadError(f"{request.path.name}: body ended after {got} of {total} bytes"))
        self.finish(digest.hexdigest() if need_md5 else "")


class _Batch:
    """What every transfer of one `download_files` call shares."""

    def __init__(self, client: httpx.Client, progress: DownloadProgress, retries: int, backoff: float) -> None:
        self.client = client
        self.progress = progress
        self.retries = retries
        self.backoff = backoff
        self.stop = threading.Event()

    def transfer(self, request: FileRequest) -> FileResult:
        try:
            result = _Transfer(self, request).run()
        except _Interrupted:
            result = FileResult(request, "ERROR", f"{request.path.name}: interrupted; run again to resume")
        self.progress.file_done(result)
        return result


def _progress(progress: DownloadProgress | bool | None) -> DownloadProgress:
    if progress is None:
        return _default_progress()
    if progress is True:
        return RichProgress()
    if progress is False:
        return SilentProgress()
    return progress


def download_files(
    requests: Iterable[FileRequest],
    *,
    headers: Mapping[str, str] | None = None,
    concurrency: int = 8,
    retries: int = 5,
    skip_complete: bool = True,
    clobber: bool = False,
    progress: DownloadProgress | bool | None = None,
    timeout: float = 60.0,
    backoff: float = 0.5,
    check_md5: bool = True,
) -> list[FileResult]:
    """Download many files at once; return one `FileResult` per request, in the order given.

    Parameters
    ----------
    requests
        What to fetch and where to put it. Requests for the same path are fetched once.
    headers
        Extra HTTP headers for every request, e.g. ``{"Authorization": "token <tok>"}``.
    concurrency
        Files in flight at once (one keep-alive connection each).
    retries
        Further attempts per file after a connection error, timeout, truncated body, size or md5
        mismatch, or HTTP 408/429/5xx. Other HTTP 4xx answers are not retried.
    skip_complete
        Skip a file already at its final path with the catalog size (and md5 when known and
        ``check_md5``); an existing file with the wrong size or md5 is downloaded again.
    clobber
        Download every file again, complete or not.
    progress
        None: a rich display when stderr is a terminal, log lines otherwise; True: rich;
        False: nothing; or any `DownloadProgress`.
    timeout
        Seconds to wait for a connection or for the next bytes.
    backoff
        First retry delay in seconds, doubled at each retry (with jitter, at most 60 s), unless the
        server sends ``Retry-After``.
    check_md5
        Compare the md5 of existing complete-sized files with the catalog before skipping them.

    Returns
    -------
    list of FileResult
        COMPLETE, SKIPPED or ERROR per request, with a message and the bytes received.

    Raises
    ------
    InputError
        For a concurrency below 1 or negative retries.
    KeyboardInterrupt
        Re-raised after the workers stopped; partial files stay under their ``.part`` names.
    """
    if concurrency < 1:
        raise InputError(f"concurrency must be at least 1, not {concurrency}")
    if retries < 0:
        raise InputError(f"retries must be 0 or more, not {retries}")
    requests = list(requests)
    first: dict[Path, int] = {}
    for index, request in enumerate(requests):
        first.setdefault(request.path.absolute(), index)
    unique = sorted(set(first.values()))
    results: dict[int, FileResult] = {}
    display = _progress(progress)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    client_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    with (
        httpx.Client(
            headers=client_headers, timeout=httpx.Timeout(timeout), limits=limits, follow_redirects=True
        ) as client,
        ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="download") as pool,
    ):
        batch = _Batch(client, display, retries, backoff)
        try:
            todo = unique
            if skip_complete and not clobber:
                sized = [i for i in unique if _size_ok(requests[i])]
                if check_md5:
                    md5_ok = pool.map(lambda i: _md5_ok(requests[i]), sized, chunksize=64)
                    sized = [i for i, ok in zip(sized, md5_ok, strict=True) if ok]
                on_disk = set(sized)
                complete = [i in on_disk for i in unique]
                todo = [i for i, done in zip(unique, complete, strict=True) if not done]
                for i, done in zip(unique, complete, strict=True):
                    if done:
                        results[i] = FileResult(requests[i], "SKIPPED", "exists")
                if len(todo) < len(unique):
                    log.info("skipping %d files that are already complete", len(unique) - len(todo))
            elif clobber:
                existing = sum(requests[i].path.exists() for i in unique)
                if existing:
                    log.info("clobbering %d files that already exist", existing)
            if todo:
                display.start(len(todo), sum(requests[i].size or 0 for i in todo))
                futures: dict[int, Future[FileResult]] = {i: pool.submit(batch.transfer, requests[i]) for i in todo}
                try:
                    for i, future in futures.items():
                        results[i] = future.result()
                finally:
                    display.close()
            else:
                log.info("nothing to download")
        except BaseException:
            batch.stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    out = []
    for index, request in enumerate(requests):
        origin = first[request.path.absolute()]
        result = results[origin]
        out.append(result if origin == index else dataclasses.replace(result, request=request))
    return out
