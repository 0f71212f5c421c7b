"""Shared fixtures: a generated archive, real servers on loopback, and the test options.

* ``archive_dir`` (session, read-only): ``jwstarchive generate --scale small --seed 1`` run once
  (``JWSTARCHIVE_TEST_ARCHIVE=DIR`` reuses an existing archive instead).
* ``live_server`` (session): ``jwstarchive serve --port 0`` in a subprocess on a copy of the
  archive (the catalog is linked, the state is its own); its URL is read from the first line
  it prints. Teardown sends SIGTERM and checks the exit status is 0 and stderr holds no
  traceback.
* ``fresh_server`` (function): the same with state of its own, for jobs, users and restarts.
* ``demo_archive_dir`` / ``demo_server`` (session): the same on the demo archive
  (``JWSTARCHIVE_TEST_DEMO_ARCHIVE=DIR`` reuses one).
* ``esa_server`` (session): the demo archive over http and https with users ``alice``, ``bob`` and
  ``demo``; ``.passwords`` and ``.tokens`` hold their passwords and MAST tokens.
* ``http`` (an httpx client that does not follow redirects), ``run_jwstarchive``, ``stilts``, ``uid``.

Markers: ``slow``, ``compat``, ``postgres`` and ``browser`` (headless Chromium) run by default;
``remote`` needs ``--remote`` (never in CI).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import httpx

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
USER_AGENT = "jwstarchive-tests/0.1 (IVOA-test)"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--browser", action="store_true", default=False, help="no effect: browser tests always run")
    parser.addoption("--remote", action="store_true", default=False, help="run tests against the real ESA/MAST")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "remote: talks to the real ESA and MAST services (opt-in with --remote)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "remote" in item.keywords and not config.getoption("--remote"):
            item.add_marker(pytest.mark.skip(reason="remote test: run with --remote"))


def subprocess_env() -> dict[str, str]:
    """The environment for jwstarchive subprocesses: this checkout's ``src`` comes first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def jwstarchive_command(*args: str) -> list[str]:
    """The argv that runs ``jwstarchive ARGS`` with this interpreter."""
    return [sys.executable, "-m", "jwstarchive.cli.main", *args]


def _generated_archive(tmp_path_factory: pytest.TempPathFactory, scale: str, reuse_variable: str) -> Path:
    """``$reuse_variable`` when set, else ``jwstarchive generate --scale SCALE --seed 1`` into a temporary dir."""
    reuse = os.environ.get(reuse_variable)
    if reuse:
        return Path(reuse)
    out = tmp_path_factory.mktemp("archive") / scale
    proc = subprocess.run(
        jwstarchive_command("generate", "--scale", scale, "--seed", "1", "--out", str(out)),
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"jwstarchive generate --scale {scale} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return out


@pytest.fixture(scope="session")
def archive_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated archive (``--scale small --seed 1``), made once per test session.

    ``JWSTARCHIVE_TEST_ARCHIVE=DIR`` reuses an existing one.
    """
    return _generated_archive(tmp_path_factory, "small", "JWSTARCHIVE_TEST_ARCHIVE")


@pytest.fixture(scope="session")
def demo_archive_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo archive (``--scale demo --seed 1``), made once per test session.

    ``JWSTARCHIVE_TEST_DEMO_ARCHIVE=DIR`` reuses an existing one.
    """
    return _generated_archive(tmp_path_factory, "demo", "JWSTARCHIVE_TEST_DEMO_ARCHIVE")


def server_archive(archive: Path, where: Path) -> Path:
    """A directory that shares ``archive``'s catalog (symbolic links) but not its state."""
    where.mkdir(parents=True, exist_ok=True)
    for entry in archive.iterdir():
        if entry.name == "state":
            continue
        target = where / entry.name
        if not target.exists():
            target.symlink_to(entry.resolve())
    return where


class ServerProcess:
    """``jwstarchive serve`` in a subprocess, on a free port, with its stderr kept in a file."""

    def __init__(self, archive: Path, log_dir: Path, extra_args: tuple[str, ...] = ()) -> None:
        self.archive = archive
        self.extra_args = extra_args
        self.log_dir = log_dir
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""
        self.first_line = ""
        self.tls_url = ""
        self.cert_path: Path | None = None
        self._starts = 0
        self._drainer = threading.Thread()
        self.stderr_path = log_dir / "server-0.stderr"

    @property
    def tap(self) -> str:
        """The TAP base URL."""
        return self.url + "/server/tap"

    def start(self, port: int = 0) -> ServerProcess:
        """Start the server and wait for its first line."""
        self.stderr_path = self.log_dir / f"server-{self._starts}.stderr"
        self._starts += 1
        stderr = open(self.stderr_path, "w")  # noqa: SIM115 - handed to the child process
        self.proc = subprocess.Popen(
            jwstarchive_command("serve", "--archive", str(self.archive), "--port", str(port), *self.extra_args),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=subprocess_env(),
        )
        stderr.close()
        lines: list[str] = []
        # With --tls-port two more lines follow: the https URL and the certificate path.
        wanted = 3 if "--tls-port" in self.extra_args else 1
        reader = threading.Thread(
            target=lambda: lines.extend(self.proc.stdout.readline() for _ in range(wanted)),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(START_TIMEOUT)
        if not lines or not lines[0]:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"server did not start; stderr:\n{self.stderr()[-4000:]}")
        self.first_line = lines[0].rstrip("\n")
        prefix = "Serving jwstarchive at "
        assert self.first_line.startswith(prefix), self.first_line
        self.url = self.first_line[len(prefix) :]
        if wanted == 3:
            self.tls_url = lines[1].strip().rsplit(" ", 1)[-1]
            self.cert_path = Path(lines[2].strip().split(": ", 1)[1])
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        return self

    def _drain(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for _ in self.proc.stdout:
            pass

    def stderr(self) -> str:
        """What the current server process wrote to stderr so far."""
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Stop the server with ``sig``; return its exit status."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                pytest.fail(f"server did not stop within {STOP_TIMEOUT:g} s of signal {sig}")
        self._drainer.join(5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return self.proc.returncode

    def stop_cleanly(self, sig: int = signal.SIGTERM) -> None:
        """Stop and assert a clean exit: status 0 and no traceback on stderr."""
        status = self.stop(sig)
        err = self.stderr()
        assert status == 0, f"server exited with {status}; stderr:\n{err[-4000:]}"
        assert "Traceback" not in err, f"server wrote a traceback:\n{err[-4000:]}"

    def restart(self) -> ServerProcess:
        """Stop cleanly and start again on the same archive and state."""
        self.stop_cleanly()
        return self.start()


@pytest.fixture(scope="session")
def live_server(archive_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server for the whole session (its state is separate from ``archive_dir``)."""
    base = tmp_path_factory.mktemp("live_server")
    server = ServerProcess(server_archive(archive_dir, base / "archive"), base).start()
    yield server
    server.stop_cleanly()


@pytest.fixture(scope="session")
def demo_server(demo_archive_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server on the demo archive for the whole session (state of its own)."""
    base = tmp_path_factory.mktemp("demo_server")
    server = ServerProcess(server_archive(demo_archive_dir, base / "archive"), base).start()
    yield server
    server.stop_cleanly()


ESA_USERS = ("alice", "bob", "demo")


@pytest.fixture(scope="session")
def esa_server(demo_archive_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The demo archive over http and https (``--tls-port 0``), with accounts, for the whole session.

    Users ``alice``, ``bob`` and ``demo`` (who holds the exclusive-access programs);
    ``.passwords`` and ``.tokens`` map each user to a password and a MAST token.
    """
    base = tmp_path_factory.mktemp("esa_server")
    archive = server_archive(demo_archive_dir, base / "archive")
    server = ServerProcess(archive, base, extra_args=("--tls-port", "0"))
    server.passwords = {user: f"secret-{user}" for user in ESA_USERS}  # type: ignore[attr-defined]
    server.tokens = {}  # type: ignore[attr-defined]
    for user in ESA_USERS:
        for args in (("user", "add", user, "--password", f"secret-{user}"), ("token", "create", "--user", user)):
            proc = subprocess.run(
                jwstarchive_command(*args, "--archive", str(archive)),
                env=subprocess_env(),
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert proc.returncode == 0, proc.stderr
        server.tokens[user] = proc.stdout.strip()  # type: ignore[attr-defined]
    server.start()
    yield server
    server.stop_cleanly()


@pytest.fixture
def fresh_server(archive_dir: Path, tmp_path: Path) -> Iterator[ServerProcess]:
    """A server with its own, empty state (for jobs, restarts and destruction)."""
    server = ServerProcess(server_archive(archive_dir, tmp_path / "archive"), tmp_path).start()
    yield server
    if server.proc is not None and server.proc.poll() is None:
        server.stop_cleanly()


def _apt_install(package: str, command: str) -> bool:
    apt = shutil.which("apt-get")
    if apt is None:
        return False
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for args in (["install", "-y", "-q", package], ["update", "-q"], ["install", "-y", "-q", package]):
        proc = subprocess.run([*prefix, apt, *args], env=env, capture_output=True, timeout=900, check=False)
        if args[0] == "install" and proc.returncode == 0:
            return shutil.which(command) is not None
    return False


def system_command(command: str, package: str) -> str:
    """The path of ``command`` from Debian ``package``, installed with apt-get when missing.

    Outside CI a machine without it (and without apt) skips; under ``CI=true`` that fails.
    """
    found = shutil.which(command)
    if found is None and _apt_install(package, command):
        found = shutil.which(command)
    if found is None:
        message = f"{command} is not installed and `apt-get install {package}` did not work"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def stilts() -> str:
    """The ``stilts`` command (Debian package stilts)."""
    return system_command("stilts", "stilts")


@pytest.fixture(scope="session")
def fitsverify() -> str:
    """The ``fitsverify`` command (Debian package fitsverify)."""
    return system_command("fitsverify", "fitsverify")


@pytest.fixture(scope="session")
def chromium_command() -> str:
    """The ``chromium`` command (Debian package chromium)."""
    return system_command("chromium", "chromium")


@pytest.fixture(scope="session")
def curl() -> str:
    """The ``curl`` command (Debian package curl)."""
    return system_command("curl", "curl")


@pytest.fixture
def run_jwstarchive() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``jwstarchive ARGS`` from this checkout; returns the completed process (text output)."""

    def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            jwstarchive_command(*args),
            env=subprocess_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """An HTTP client for the servers (it does not follow redirects: tests look at 303s)."""
    import httpx

    with httpx.Client(timeout=120, headers={"User-Agent": USER_AGENT}) as client:
        yield client


@pytest.fixture
def uid() -> str:
    """A short unique name for things a test creates."""
    return f"t{time.time_ns():x}"
