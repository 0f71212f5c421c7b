"""The MAST portal transport: ``/api/v0/invoke`` calls with polling and paging, columnsconfig, whoami.

One ``PortalConnection`` per client object holds one httpx client (keep-alive, thread-safe) and the
columnsconfig cache. Transport and HTTP errors become ``jwstarchive.errors`` here and nowhere else.
The base URL and the token are read when a call is made, so ``JWSTARCHIVE_MAST_URL`` and
``MAST_API_TOKEN`` set after import still count. Nothing touches the network at import.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from jwstarchive import __version__
from jwstarchive.errors import AuthenticationError, QueryFailed, ServiceError, ServiceUnavailable

__all__ = [
    "DEFAULT_MAST_URL",
    "PAGESIZE",
    "PortalConnection",
    "mast_base_url",
]

log = logging.getLogger(__name__)

DEFAULT_MAST_URL = "https://mast.stsci.edu"
PAGESIZE = 50000
TIMEOUT = 600.0
INVOKE_PATH = "/api/v0/invoke"
COLUMNS_CONFIG_PATH = "/portal/Mashup/Mashup.asmx/columnsconfig"
DOWNLOAD_PATH = "/api/v0.1/Download/file"
WHOAMI_PATH = "/whoami"
USER_AGENT = f"jwstarchive/{__version__} (IVOA-science)"

_T = TypeVar("_T")
_R = TypeVar("_R")


def mast_base_url(mast_url: str | None = None) -> str:
    """The MAST base URL: ``mast_url``, else ``$JWSTARCHIVE_MAST_URL``, else ``https://mast.stsci.edu``."""
    url = mast_url or os.environ.get("JWSTARCHIVE_MAST_URL") or DEFAULT_MAST_URL
    return url.rstrip("/")


@contextmanager
def _translated(url: str) -> Iterator[None]:
    """Turn httpx errors into ours (the one place that does it)."""
    try:
        yield
    except httpx.HTTPStatusError as exc:
        status = exc.response.status_code
        cls = AuthenticationError if status in (401, 403) else ServiceError
        what = "needs a MAST token that grants the data" if status in (401, 403) else "failed"
        raise cls(f"MAST request {what}: HTTP {status} from {url}", url=url, status=status) from exc
    except httpx.TimeoutException as exc:
        raise ServiceUnavailable(f"MAST did not answer in time: {url}", url=url) from exc
    except httpx.TransportError as exc:
        raise ServiceUnavailable(f"cannot reach MAST at {url}: {exc}", url=url) from exc


class PortalConnection:
    """Calls of MAST portal services for one client object.

    Parameters
    ----------
    mast_url
        Base URL; ``None`` reads ``$JWSTARCHIVE_MAST_URL`` at each call (default ``https://mast.stsci.edu``).
    token
        MAST API token; ``None`` reads ``$MAST_API_TOKEN`` at each call.
    timeout
        Seconds allowed for one logical request, polls and pages included (astroquery's 600 s).
    concurrency
        Requests in flight at once for batched and paged calls.
    """

    def __init__(
        self,
        mast_url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = TIMEOUT,
        concurrency: int = 8,
    ) -> None:
        self._mast_url = mast_url
        self._token = token
        self._logged_out = False
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._configs: dict[str, dict[str, Any]] = {}

    # -- addresses and credentials ---------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The MAST base URL in force now."""
        return mast_base_url(self._mast_url)

    @property
    def token(self) -> str | None:
        """The token in force now (explicit, else ``$MAST_API_TOKEN`` unless logged out)."""
        if self._token:
            return self._token
        if self._logged_out:
            return None
        return os.environ.get("MAST_API_TOKEN") or None

    def set_token(self, token: str | None) -> None:
        """Use ``token`` from now on; ``None`` forgets it (and ignores ``$MAST_API_TOKEN``)."""
        self._token = token
        self._logged_out = token is None

    def auth_headers(self) -> dict[str, str]:
        """Headers that carry the token (MAST accepts ``Authorization: token ...``)."""
        token = self.token
        return {"Authorization": f"token {token}"} if token else {}

    def download_url(self, uri: str) -> str:
        """The ``Download/file`` URL of a data URI."""
        return f"{self.base_url}{DOWNLOAD_PATH}?uri={quote(uri, safe=':/')}"

    @property
    def client(self) -> httpx.Client:
        """The shared httpx client (made on first use)."""
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(
                    headers={"User-Agent": USER_AGENT},
                    timeout=httpx.Timeout(self.timeout, connect=30.0),
                    limits=httpx.Limits(
                        max_connections=self.concurrency * 2, max_keepalive_connections=self.concurrency
                    ),
                    follow_redirects=True,
                )
            return self._client

    def close(self) -> None:
        """Close the HTTP client (a later call opens a new one)."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def __del__(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            with suppress(Exception):  # at interpreter shutdown there is nothing left to tell
                client.close()

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": "application/json", **self.auth_headers(), **(extra or {})}
        token = self.token
        if token:
            headers["Cookie"] = f"mast_token={token}"
        return headers

    # -- raw HTTP --------------------------------------------------------------------------------

    def post_form(self, path: str, body: str) -> httpx.Response:
        """POST a url-encoded form body to ``path``; HTTP errors raise."""
        url = self.base_url + path
        with _translated(url):
            response = self.client.post(
                url, content=body, headers=self._headers({"Content-Type": "application/x-www-form-urlencoded"})
            )
            response.raise_for_status()
        return response

    def get_json(self, path: str) -> Any:
        """GET ``path`` and decode its JSON body."""
        url = self.base_url + path
        with _translated(url):
            response = self.client.get(url, headers=self._headers())
            response.raise_for_status()
        return _decode(response, url)

    # -- portal services -------------------------------------------------------------------------

    def columns_config(self, service: str) -> dict[str, Any]:
        """The columnsconfig of ``service`` (column name -> properties), cached for this connection."""
        key = f"{self.base_url} {service}"
        cached = self._configs.get(key)
        if cached is None:
            response = self.post_form(COLUMNS_CONFIG_PATH, f"colConfigId={service}")
            body = _decode(response, self.base_url + COLUMNS_CONFIG_PATH) or {}
            cached = {k: v for k, v in body.items() if k != "_selected_" and isinstance(v, dict)}
            self._configs[key] = cached
        return cached

    def invoke(
        self,
        service: str,
        params: dict[str, Any],
        *,
        pagesize: int | None = None,
        page: int | None = None,
        **extra: Any,
    ) -> list[httpx.Response]:
        """Call ``service`` and return every page's HTTP response (one page only when ``page`` is given)."""
        return [response for response, _ in self.pages(service, params, pagesize=pagesize, page=page, **extra)]

    def bodies(
        self,
        service: str,
        params: dict[str, Any],
        *,
        pagesize: int | None = None,
        page: int | None = None,
        **extra: Any,
    ) -> list[dict[str, Any]]:
        """Call ``service`` and return every page's decoded JSON body."""
        return [body for _, body in self.pages(service, params, pagesize=pagesize, page=page, **extra)]

    def pages(
        self,
        service: str,
        params: dict[str, Any],
        *,
        pagesize: int | None = None,
        page: int | None = None,
        **extra: Any,
    ) -> list[tuple[httpx.Response, dict[str, Any]]]:
        """Every page of ``service`` as (response, decoded body); later pages are fetched concurrently.

        ``status: EXECUTING`` is polled with the identical request; ``status: ERROR`` raises ``QueryFailed``.
        """
        deadline = time.monotonic() + self.timeout
        request = {
            "service": service,
            "params": params,
            "format": "json",
            "pagesize": pagesize or PAGESIZE,
            "page": page or 1,
            **extra,
            "cacheBreaker": str(uuid.uuid4()),
        }
        first = self._complete(request, deadline)
        found = [first]
        paging = first[1].get("paging") or {}
        total = int(paging.get("pagesFiltered") or 0)
        if page is None and total > 1:
            later = [dict(request, page=n) for n in range(2, total + 1)]
            found += self.map(lambda r: self._complete(r, deadline), later)
        return found

    def _complete(self, request: dict[str, Any], deadline: float) -> tuple[httpx.Response, dict[str, Any]]:
        """POST one request until it is no longer EXECUTING; ERROR raises."""
        body = "request=" + quote(json.dumps(request))
        pause = 0.05
        while True:
            response = self.post_form(INVOKE_PATH, body)
            payload = _decode(response, self.base_url + INVOKE_PATH)
            status = payload.get("status") if isinstance(payload, dict) else None
            if status == "EXECUTING":
                if time.monotonic() > deadline:
                    raise ServiceUnavailable(
                        f"{request['service']} did not finish within {self.timeout:g} s; narrow the query",
                        url=self.base_url + INVOKE_PATH,
                    )
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
                continue
            if status == "ERROR" or not payload or not isinstance(payload, dict):
                message = payload.get("msg") if isinstance(payload, dict) else None
                raise QueryFailed(
                    f"{request['service']} failed: {message or 'MAST reported an error without a message'}",
                    url=self.base_url + INVOKE_PATH,
                )
            return response, payload

    def map(self, fn: Callable[[_T], _R], items: Sequence[_T]) -> list[_R]:
        """``fn`` over ``items`` with up to ``concurrency`` in flight; results in input order."""
        if len(items) <= 1 or self.concurrency == 1:
            return [fn(item) for item in items]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(items))) as pool:
            return list(pool.map(fn, items))

    def whoami(self) -> dict[str, Any]:
        """``/whoami``: who the token in force belongs to (``anon`` true without a valid token)."""
        return self.get_json(WHOAMI_PATH)


def _decode(response: httpx.Response, url: str) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise QueryFailed(f"MAST answered with something that is not JSON: {url}", url=url) from exc
