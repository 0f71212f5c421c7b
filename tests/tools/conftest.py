"""Fixtures of the jwst_query / jwst_download tests: the tools run against the real server on loopback.

* ``mast_url``: the session server's base URL (``live_server``, the small archive).
* ``recorder``: ``Mast.service_request`` of our client, aimed at that server, that also keeps every
  (service, params) it sent and every table it got back.
* ``tool``: runs ``jwstarchive query|download ARGS`` in a subprocess in a fresh directory with a
  clean environment (no config file, no token) and the server as MAST.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from toolrun import Recorder, ToolResult, jwstarchive_command, subprocess_env


@pytest.fixture(scope="session")
def mast_url(live_server: Any) -> str:
    return str(live_server.url)


@pytest.fixture
def recorder(mast_url: str) -> Iterator[Recorder]:
    rec = Recorder(mast_url)
    yield rec
    rec.mast.close()


@pytest.fixture
def tool(mast_url: str, tmp_path: Path) -> Callable[..., ToolResult]:
    """Run ``jwstarchive query|download ARGS`` (``kind`` first) in ``tmp_path/run``."""
    cwd = tmp_path / "run"
    cwd.mkdir()

    def run(kind: str, *args: str, env: dict[str, str] | None = None, stdin: str | None = None,
            cwd_: Path | None = None) -> ToolResult:  # fmt: skip
        environ = subprocess_env()
        for name in ("JWST_QUERY_CFGFILE", "MAST_API_TOKEN", "JWSTDOWNLOAD_OUTDIR"):
            environ.pop(name, None)
        environ["JWSTARCHIVE_MAST_URL"] = mast_url
        environ["COLUMNS"] = "200"
        environ.update(env or {})
        proc = subprocess.run(
            jwstarchive_command(kind, *args), cwd=cwd_ or cwd, env=environ, input=stdin or "",
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        return ToolResult(proc.returncode, proc.stdout, proc.stderr, cwd_ or cwd)

    return run
