"""Serve an archive: bind (port 0 picks a free one), announce the address, stop on a signal.

The first line on stdout is exactly ``Serving jwstarchive at http://HOST:PORT`` with the port
actually bound, printed once the application has started (stores open, jobs resumed), so a
script or test can read it and connect at once. SIGINT and SIGTERM stop the server cleanly
and :func:`run` returns 0.

TLS: with ``tls_port`` the same application also listens for HTTPS (the ESA TAP+ clients log
in over HTTPS only), with the self-signed certificate of ``server/tls.py``. Two more lines
follow the first: ``Serving jwstarchive over TLS at https://HOST:PORT`` and
``TLS certificate: PATH``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import ssl
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
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted connections only when the
    # socket says it is TCP; without it small replies stall ~40 ms on delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.listen(256)
    sock.set_inheritable(True)
    return sock


def _preflight(settings: Settings) -> None:
    """Open the catalog and the state once, so a bad archive is one clear error, not a traceback."""
    from jwstarchive.catalog.store import open_store
    from jwstarchive.server.state import StateDB

    open_store(settings.archive, backend=settings.backend).close()
    StateDB(settings.state_path).close()


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
        HTTPS port (0: a free one), or None for no HTTPS.
    backend
        Catalog store backend.

    Raises
    ------
    ConfigError
        When an address cannot be bound or the certificate cannot be written.
    """
    import uvicorn

    from jwstarchive.server.app import create_app

    settings = Settings(archive=Path(archive), backend=backend)
    sock = _bind(host, port)
    tls: tuple[socket.socket, ssl.SSLContext] | None = None
    try:
        _preflight(settings)
        announce = [f"Serving jwstarchive at http://{_display_host(host)}:{sock.getsockname()[1]}"]
        if tls_port is not None:
            from jwstarchive.server.tls import ensure_certificate, server_context

            cert_path, key_path = ensure_certificate(settings.archive)
            tls = (_bind(host, tls_port), server_context(cert_path, key_path))
            announce.append(f"Serving jwstarchive over TLS at https://{_display_host(host)}:{tls[0].getsockname()[1]}")
            announce.append(f"TLS certificate: {cert_path}")
    except BaseException:
        sock.close()
        if tls is not None:
            tls[0].close()
        raise
    config = uvicorn.Config(
        create_app(settings),
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
        server_header=False,
        headers=[("server", "jwstarchive (uvicorn)")],
    )
    server = _server_class()(config, announce="\n".join(announce), tls=tls)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        if tls is not None:
            tls[0].close()
    return 0 if server.announced else 1


def _server_class() -> type:
    """A uvicorn ``Server`` that announces itself once started and exits quietly on signals."""
    import uvicorn

    class Server(uvicorn.Server):
        def __init__(
            self, config: uvicorn.Config, announce: str, tls: tuple[socket.socket, ssl.SSLContext] | None = None
        ) -> None:
            super().__init__(config)
            self.announce = announce
            self.announced = False
            self.tls = tls

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if not self.should_exit and self.tls is not None:
                # The HTTPS listener shares the app, its lifespan state and this server's
                # connection bookkeeping (so shutdown closes it too); the protocol tells
                # https from http by the transport.
                config = self.config

                def create_protocol(_loop: asyncio.AbstractEventLoop | None = None) -> asyncio.Protocol:
                    return config.http_protocol_class(  # type: ignore[call-arg]
                        config=config, server_state=self.server_state, app_state=self.lifespan.state, _loop=_loop
                    )

                tls_sock, context = self.tls
                loop = asyncio.get_running_loop()
                self.servers.append(
                    await loop.create_server(create_protocol, sock=tls_sock, ssl=context, backlog=config.backlog)
                )
            if not self.should_exit:
                sys.stdout.write(self.announce + "\n")
                sys.stdout.flush()
                self.announced = True

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            # As uvicorn's, but the signal is not raised again after shutdown: SIGINT and
            # SIGTERM are the normal way to stop, and the exit status is then 0.
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            previous = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

    return Server
