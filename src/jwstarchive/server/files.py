"""Product files over HTTP: look a product up, check exclusive access, serve its bytes.

Both faces serve files through :class:`ProductFiles`: MAST's ``Download/file`` (here) and the
ESA ``/server/data`` endpoint. A generated product's bytes are rendered from its catalog row
(:mod:`jwstarchive.catalog.content`), so what is served always matches the catalog's size and md5.
Rendered files are kept in a small LRU cache so resumed (``Range``) downloads do not render twice.

Responses honour ``HEAD`` and a single ``Range`` (206, or 416 when unsatisfiable), carry
``Content-Length``, ``Accept-Ranges: bytes`` and the md5 as ``ETag``, and are streamed in chunks.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from jwstarchive.errors import ArchiveError

if TYPE_CHECKING:
    from starlette.requests import Request

    from jwstarchive.catalog.store import Store
    from jwstarchive.server.accounts import Accounts

__all__ = ["ProductFile", "ProductFiles", "byte_range", "routes"]

CHUNK = 256 * 1024
CACHE_BYTES = 64 * 1024 * 1024
MAST_PRODUCT_URI = "mast:JWST/product/"

_COLUMNS = (
    "p.filename, p.artifact_uuid, p.program_id, o.obs_id, p.obsid, p.calib_level, p.product_type, "
    "p.size, p.md5, p.content_type, p.release_date"
)


@dataclass(frozen=True)
class ProductFile:
    """What the server knows of one product file before reading it."""

    filename: str
    artifact_id: str
    program_id: str
    obs_id: str
    obsid: int
    calib_level: int
    product_type: str
    size: int
    md5: str
    content_type: str
    release_date: dt.datetime | None

    @property
    def exclusive(self) -> bool:
        """Whether the product is still in its exclusive-access period."""
        if self.release_date is None:
            return False
        release = self.release_date if self.release_date.tzinfo else self.release_date.replace(tzinfo=dt.UTC)
        return release > dt.datetime.now(dt.UTC)


class ProductFiles:
    """Product lookup, access rules and bytes for one catalog."""

    def __init__(self, store: Store, accounts: Accounts, cache_bytes: int = CACHE_BYTES) -> None:
        self.store = store
        self.accounts = accounts
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cached = 0
        self._cache_bytes = cache_bytes
        self._lock = threading.Lock()

    def _select(self, where: str, params: list[Any]) -> list[ProductFile]:
        table = self.store.fetch(
            f"SELECT {_COLUMNS} FROM core.product p JOIN core.caom_observation o USING (obsid) WHERE {where} "
            "ORDER BY p.filename",
            params,
        )
        return [
            ProductFile(
                filename=r["filename"],
                artifact_id=r["artifact_uuid"],
                program_id=r["program_id"],
                obs_id=r["obs_id"],
                obsid=int(r["obsid"]),
                calib_level=int(r["calib_level"]),
                product_type=r["product_type"],
                size=int(r["size"]),
                md5=r["md5"],
                content_type=r["content_type"],
                release_date=r["release_date"],
            )
            for r in table.to_pylist()
        ]

    def lookup(self, filename: str | None = None, artifact_id: str | None = None) -> ProductFile | None:
        """The product with this file name or ESA artifact id, or None."""
        if filename:
            found = self._select("p.filename = ?", [filename])
        elif artifact_id:
            found = self._select("p.artifact_uuid = ?", [artifact_id])
        else:
            return None
        return found[0] if found else None

    def lookup_many(self, filenames: Iterable[str]) -> list[ProductFile]:
        """The products among ``filenames`` that exist (sorted by file name)."""
        names = sorted(set(filenames))
        return self._select("p.filename IN (SELECT unnest(?))", [names]) if names else []

    def allowed(self, pf: ProductFile, user: str | None) -> bool:
        """Whether ``user`` (None: anonymous) may read ``pf``."""
        return not pf.exclusive or pf.program_id in self.accounts.granted_programs(user)

    def open(self, pf: ProductFile) -> bytes:
        """The bytes of ``pf`` (rendered from the catalog; cached)."""
        return next(self.open_many([pf]))

    def open_many(self, pfs: Sequence[ProductFile], batch: int = 500) -> Iterator[bytes]:
        """The bytes of each of ``pfs`` in turn, reading the catalog once per ``batch`` files."""
        for start in range(0, len(pfs), batch):
            chunk = pfs[start : start + batch]
            cached = {pf.filename: data for pf in chunk if (data := self._cached_bytes(pf.filename)) is not None}
            rows = self._content_rows([pf.filename for pf in chunk if pf.filename not in cached])
            for pf in chunk:
                data = cached.get(pf.filename)
                if data is None:
                    data = self._render(pf, rows)
                yield data

    def _cached_bytes(self, filename: str) -> bytes | None:
        with self._lock:
            data = self._cache.get(filename)
            if data is not None:
                self._cache.move_to_end(filename)
            return data

    def _content_rows(self, filenames: list[str]) -> dict[str, dict[str, Any]]:
        from jwstarchive.catalog.content import iter_content_rows

        if not filenames:
            return {}
        con = self.store.cursor()  # type: ignore[attr-defined]
        try:
            return {
                row["filename"]: row
                for row in iter_content_rows(con, "p.filename IN (SELECT unnest(?))", [sorted(set(filenames))])
            }
        finally:
            con.close()

    def _render(self, pf: ProductFile, rows: dict[str, dict[str, Any]]) -> bytes:
        from jwstarchive.catalog.products import render_product

        row = rows.get(pf.filename)
        if row is None:
            raise ArchiveError(f"{pf.filename} vanished from the catalog")
        data = render_product(row)
        if len(data) != pf.size:
            raise ArchiveError(f"{pf.filename}: rendered {len(data)} bytes, the catalog says {pf.size}")
        with self._lock:
            if pf.filename not in self._cache and len(data) <= self._cache_bytes:
                self._cache[pf.filename] = data
                self._cached += len(data)
                while self._cached > self._cache_bytes:
                    _, old = self._cache.popitem(last=False)
                    self._cached -= len(old)
        return data

    async def file_response(self, request: Request, pf: ProductFile, *, download_name: str | None = None) -> Response:
        """Serve ``pf`` for ``request`` (GET or HEAD, with an optional single ``Range``)."""
        name = download_name or pf.filename
        headers = {
            "Accept-Ranges": "bytes",
            "ETag": f'"{pf.md5}"',
            "Content-Disposition": f'attachment; filename="{name}"',
        }
        wanted = byte_range(request.headers.get("range"), pf.size)
        if_range = request.headers.get("if-range")
        if wanted is not None and if_range is not None and if_range.strip() != headers["ETag"]:
            wanted = None  # the client's partial copy is of another version: send it all
        if wanted == "unsatisfiable":
            headers["Content-Range"] = f"bytes */{pf.size}"
            return Response(status_code=416, headers=headers)
        start, end, status = 0, pf.size - 1, 200
        if isinstance(wanted, tuple):
            start, end = wanted
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end}/{pf.size}"
        headers["Content-Length"] = str(end - start + 1)
        if request.method == "HEAD":
            return Response(status_code=status, headers=headers, media_type=pf.content_type)
        data = await run_in_threadpool(self.open, pf)
        return StreamingResponse(_chunks(data, start, end + 1), status_code=status, headers=headers,
                                 media_type=pf.content_type)


def _chunks(data: bytes, start: int, stop: int) -> Iterator[bytes]:
    view = memoryview(data)
    for offset in range(start, stop, CHUNK):
        yield bytes(view[offset : min(offset + CHUNK, stop)])


_RANGE = re.compile(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*")


def byte_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """The inclusive (start, end) a ``Range`` header asks of ``size`` bytes.

    None means "send everything" (no header, a malformed or multi-range one, which RFC 9110 lets a
    server ignore); ``"unsatisfiable"`` means 416.
    """
    if not header:
        return None
    match = _RANGE.fullmatch(header)
    if not match or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first == "":  # suffix range: the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return (max(size - length, 0), size - 1) if size else "unsatisfiable"
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return "unsatisfiable"
    return start, end


# MAST Download/file -----------------------------------------------------------------------------


def _product_name(uri: str) -> str | None:
    """The file name in a MAST data URI (``mast:JWST/product/<file>``), else None."""
    uri = unquote(uri).strip()
    if not uri.startswith(MAST_PRODUCT_URI):
        return None
    name = uri[len(MAST_PRODUCT_URI) :]
    return name if name and "/" not in name else None


async def mast_download_file(request: Request) -> Response:
    """``GET|HEAD /api/v0.1/Download/file?uri=mast:JWST/product/<file>``."""
    from jwstarchive.server.services import services

    svc = services(request)
    uri = request.query_params.get("uri", "")
    name = _product_name(uri)
    if name is None:
        return PlainTextResponse(
            f"uri must be a MAST product URI such as {MAST_PRODUCT_URI}<file name>, not {uri!r}", status_code=400
        )
    pf = await run_in_threadpool(svc.files.lookup, name)
    if pf is None:
        return PlainTextResponse(f"no product named {name}", status_code=404)
    if pf.exclusive:
        user = await run_in_threadpool(svc.accounts.mast_request_user, request)
        if user is None:
            return PlainTextResponse(
                f"{name} is in its exclusive-access period: send a MAST token (cookie mast_token or "
                "'Authorization: token <token>') of a user who holds program " + pf.program_id,
                status_code=401,
            )
        if not await run_in_threadpool(svc.files.allowed, pf, user):
            return PlainTextResponse(
                f"user {user} does not hold exclusive access to program {pf.program_id} ({name})", status_code=403
            )
    return await svc.files.file_response(request, pf)


def routes() -> list[BaseRoute]:
    """The MAST file download routes (the public API path and the JWST portal path)."""
    return [
        Route("/api/v0.1/Download/file", mast_download_file, methods=["GET", "HEAD"]),
        Route("/jwst/api/v0.1/download/file", mast_download_file, methods=["GET", "HEAD"]),
    ]
