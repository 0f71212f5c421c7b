"""Shared fixtures: a generated archive (session, read-only) and, for server tests, live servers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def archive_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated archive (`jwstarchive generate --scale small --seed 1`), made once per run."""
    out = tmp_path_factory.mktemp("archive") / "small"
    subprocess.run(
        [sys.executable, "-m", "jwstarchive.cli.main", "-q", "generate", "--scale", "small", "--seed", "1",
         "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out
