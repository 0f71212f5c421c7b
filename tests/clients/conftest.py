"""Fixtures of the client tests.

``esa_demo_server`` (session): the demo archive served over http and https (``--tls-port 0``) with
users ``demo`` (who holds the exclusive-access programs) and ``alice``; ``.passwords`` and ``.tokens``
map each user to a password and a MAST token. ``jwst`` is a fresh ``jwstarchive.esa.JwstClass``
aimed at it (TAP, data, login over https trusting the server's certificate, Sesame resolver).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _root_conftest() -> Any:
    """tests/conftest.py as a module (pytest imports it as ``conftest``, a name nested conftests reuse)."""
    name = "jwstarchive_tests_root_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / "conftest.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_root = _root_conftest()
ESA_USERS = ("demo", "alice")


def _cli(*args: str) -> str:
    proc = subprocess.run(
        _root.jwstarchive_command(*args), env=_root.subprocess_env(), capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.fixture(scope="session")
def esa_demo_server(demo_archive_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The demo archive over http and https, with users ``demo`` and ``alice`` and a MAST token each."""
    base = tmp_path_factory.mktemp("esa_demo_server")
    archive = _root.server_archive(demo_archive_dir, base / "archive")
    server = _root.ServerProcess(archive, base, extra_args=("--tls-port", "0"))
    server.passwords = {user: f"pw-{user}-1" for user in ESA_USERS}
    server.tokens = {}
    for user in ESA_USERS:
        _cli("user", "add", user, "--password", server.passwords[user], "--archive", str(archive))
        server.tokens[user] = _cli("token", "create", "--user", user, "--archive", str(archive))
    server.start()
    yield server
    server.stop_cleanly()


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
