"""Serve an archive: bind (port 0 picks a free one), announce the address, stop on a signal.

The first line on stdout is exactly ``Serving jwstarchive at http://HOST:PORT`` with the port
actually bound, printed once the application has started (stores open, jobs resumed), so a
script or test can read it and connect at once. SIGINT and SIGTERM stop the server cleanly
and :func:`run` returns 0.

TLS: ``tls_port`` is the seam for the ESA login flow (a second listener with a self-signed
certificate from ``server/tls.py``); it is not implemented yet and is refused clearly.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from jwstarchive.errors import ConfigError
from jwstarchive.server.settings import Settings

__all__ = ["run"]

log = logging.getLogger(__name__)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.listen(256)
    sock.set_inheritable(True)
    return sock


def _display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def run(
    archive: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    tls_port: int | None = None,
    backend: str = "duckdb",
) -> int:
    """Serve ``archive`` until SIGINT or SIGTERM; return the exit status (0).

    Parameters
    ----------
    archive
        The archive directory (``catalog.duckdb``; server state goes to ``ARCHIVE/state``).
    host
        Address to listen on.
    port
        Port to listen on; 0 lets the system choose (the chosen one is printed).
    tls_port
        HTTPS port (not available yet).
    backend
        Catalog store backend.

    Raises
    ------
    ConfigError
        When the address cannot be bound or ``tls_port`` is given.
    """
    import uvicorn

    from jwstarchive.server.app import create_app

    if tls_port is not None:
        raise ConfigError("--tls-port is not available yet (HTTPS arrives with the ESA login face)")
    settings = Settings(archive=Path(archive), backend=backend)
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    url = f"http://{_display_host(host)}:{bound_port}"
    config = uvicorn.Config(
        create_app(settings),
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
        server_header=False,
        headers=[("server", "jwstarchive (uvicorn)")],
    )
    server = _Server(config, announce=f"Serving jwstarchive at {url}")
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    if not server.started_ok:
        return 1
    return 0


class _Server:
    """A uvicorn server that announces itself once started and exits quietly on signals."""

    def __init__(self, config: object, announce: str) -> None:
        import uvicorn

        announce_line = announce
        owner = self

        class Server(uvicorn.Server):
            async def startup(self, sockets: list[socket.socket] | None = None) -> None:
                await super().startup(sockets=sockets)
                if not self.should_exit:
                    owner.started_ok = True
                    sys.stdout.write(announce_line + "\n")
                    sys.stdout.flush()

            @contextlib.contextmanager
            def capture_signals(self) -> Iterator[None]:
                # Like uvicorn's, but without re-raising the signal afterwards: a signal is
                # the normal way to stop, and the process should then exit with status 0.
                if threading.current_thread() is not threading.main_thread():
                    yield
                    return
                handled = (signal.SIGINT, signal.SIGTERM)
                previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
                try:
                    yield
                finally:
                    for sig, handler in previous.items():
                        signal.signal(sig, handler)

        self.started_ok = False
        self._server = Server(config)  # type: ignore[arg-type]

    def run(self, sockets: list[socket.socket]) -> None:
        self._server.run(sockets=sockets)
