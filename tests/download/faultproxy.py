"""A fault-injecting HTTP proxy on loopback, put in front of the real server by the download tests.

Real sockets on both sides. Each client connection carries one request (the proxy answers with
``Connection: close``). Per product file (the ``uri`` query parameter) the n-th request gets
``faults[n]`` and later ones pass through untouched:

* ``"503"`` / ``"429"``: answered by the proxy itself with that status and ``Retry-After: 0``;
* ``"drop"``: the real headers (with Content-Length), half of the body, then the connection closes;
* ``"truncate"``: the real headers without Content-Length, half of the body, then a clean close
  (the client cannot tell from HTTP that bytes are missing);
* ``"corrupt"``: the whole body with one byte changed.

``throttle`` (bytes per second per answer) slows every body down, for the kill test.
"""

from __future__ import annotations

import http.client
import socket
import socketserver
import threading
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    """One request the proxy saw."""

    file: str
    range: str | None
    fault: str | None


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            data = self.request.recv(65536)
            if not data:
                return
            head += data
        text = head.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        request_line, *header_lines = text.split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers = {}
        for line in header_lines:
            key, _, value = line.partition(":")
            headers[key.strip()] = value.strip()
        lower = {k.lower(): v for k, v in headers.items()}
        uri = parse_qs(urlsplit(target).query).get("uri", [target])[0]
        fault = self.server.owner.next_fault(uri, lower.get("range"))
        if fault in ("503", "429"):
            self._send(f"HTTP/1.1 {fault} Busy\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        forward = {k: v for k, v in headers.items() if k.lower() not in ("connection", "host", "keep-alive")}
        upstream = http.client.HTTPConnection(self.server.owner.upstream_host, self.server.owner.upstream_port)
        try:
            upstream.request(method, target, headers=forward)
            response = upstream.getresponse()
            body = response.read()
            status = f"HTTP/1.1 {response.status} {response.reason}\r\n"
            kept = [
                (k, v)
                for k, v in response.getheaders()
                if k.lower() not in ("connection", "transfer-encoding", "content-length", "keep-alive")
            ]
        finally:
            upstream.close()
        if fault == "corrupt" and body:
            middle = len(body) // 2
            body = body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1 :]
        length = [] if fault == "truncate" else [("Content-Length", str(len(body)))]
        out_head = status + "".join(f"{k}: {v}\r\n" for k, v in [*kept, *length]) + "Connection: close\r\n\r\n"
        if method == "HEAD":
            self._send(out_head)
            return
        if fault in ("drop", "truncate"):
            body = body[: len(body) // 2]
        self._send(out_head)
        self._send_body(body)

    def _send(self, text: str) -> None:
        self.request.sendall(text.encode("latin-1"))

    def _send_body(self, body: bytes) -> None:
        rate = self.server.owner.throttle
        if not rate:
            self.request.sendall(body)
            return
        step = 4096
        for start in range(0, len(body), step):
            self.request.sendall(body[start : start + step])
            time.sleep(step / rate)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: FaultProxy


class FaultProxy:
    """The proxy: ``url`` replaces the server's base URL in download URLs; ``seen`` lists requests."""

    def __init__(self, upstream: str, faults: tuple[str, ...] = (), throttle: int | None = None) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.faults = faults
        self.throttle = throttle
        self.seen: list[Seen] = []
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def next_fault(self, uri: str, range_header: str | None) -> str | None:
        """The fault for the next request of ``uri`` (and remember the request)."""
        with self._lock:
            n = self._counts[uri]
            self._counts[uri] += 1
            fault = self.faults[n] if n < len(self.faults) else None
            self.seen.append(Seen(uri.rsplit("/", 1)[-1], range_header, fault))
        return fault

    def resumed_ranges(self) -> list[Seen]:
        """Requests that asked for the rest of a file (``Range: bytes=N-`` with N > 0)."""
        return [s for s in self.seen if s.range and not s.range.startswith("bytes=0-")]

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
