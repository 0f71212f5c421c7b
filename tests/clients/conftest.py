"""Fixtures of the client tests.

``esa_demo_server`` is the session's ``esa_server`` (tests/conftest.py): the demo archive over http and
https with accounts. ``jwst`` is a fresh ``jwstarchive.esa.JwstClass`` aimed at it (TAP, data, login
over https trusting the server's certificate, Sesame resolver).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def esa_demo_server(esa_server: Any) -> Any:
    """The shared https server on the demo archive (``.passwords``, ``.tokens`` per user)."""
    return esa_server


def esa_client(server: Any, **kwargs: Any) -> Any:
    """A ``JwstClass`` aimed at ``server`` (login over its https port when it has one)."""
    from jwstarchive.esa import JwstClass

    extra: dict[str, Any] = {}
    if getattr(server, "tls_url", ""):
        extra = {"secure_url": server.tls_url.rstrip("/") + "/server", "verify": str(server.cert_path)}
    return JwstClass(
        esa_url=server.url, resolver_url=server.url + "/cgi-bin/nph-sesame", progress=False, **extra, **kwargs
    )


@pytest.fixture
def jwst(esa_demo_server: Any) -> Iterator[Any]:
    """A fresh ESA client on ``esa_demo_server`` (logged out at the end)."""
    client = esa_client(esa_demo_server)
    yield client
    client.logout()
    client.close()
