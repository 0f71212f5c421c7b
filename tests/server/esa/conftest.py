"""Fixtures of the ESA face tests: one TLS-enabled server per module, with accounts.

``esa_server`` serves the small archive over http and https; it has users ``alice`` and ``bob``
(password ``secret-<name>``) and ``demo`` (who holds the exclusive-access programs);
``esa_server.passwords`` and ``esa_server.tokens`` map each user to a password and a MAST token.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def _root_conftest() -> object:
    """tests/conftest.py as a module (pytest imports it as ``conftest``, a name nested conftests reuse)."""
    name = "jwstarchive_tests_root_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[2] / "conftest.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_root = _root_conftest()
ServerProcess = _root.ServerProcess  # type: ignore[attr-defined]
jwstarchive_command = _root.jwstarchive_command  # type: ignore[attr-defined]
server_archive = _root.server_archive  # type: ignore[attr-defined]
subprocess_env = _root.subprocess_env  # type: ignore[attr-defined]

USERS = ("alice", "bob", "demo")


def password(user: str) -> str:
    """The password the fixtures give ``user``."""
    return f"secret-{user}"


def _cli(*args: str) -> str:
    proc = subprocess.run(
        jwstarchive_command(*args), env=subprocess_env(), capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.fixture(scope="module")
def esa_server(archive_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server on its own copy of the small archive, with https and three users."""
    base = tmp_path_factory.mktemp("esa_server")
    archive = server_archive(archive_dir, base / "archive")
    tokens = {}
    for user in USERS:
        _cli("user", "add", user, "--password", password(user), "--archive", str(archive))
        tokens[user] = _cli("token", "create", "--user", user, "--archive", str(archive))
    server = ServerProcess(archive, base, extra_args=("--tls-port", "0"))
    server.tokens = tokens  # type: ignore[attr-defined]
    server.passwords = {user: password(user) for user in USERS}  # type: ignore[attr-defined]
    server.start()
    yield server
    server.stop_cleanly()
