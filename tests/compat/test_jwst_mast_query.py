"""The real jwst_mast_query 0.0.6 ``jwst_download.py`` against our server selects and downloads the same
files (names and sizes) as our ``jwst_download`` for the same options.

jwst_mast_query 0.0.6 refuses astroquery 0.4.11 (a string version check), so it runs in a virtual
environment of its own with astroquery 0.4.9.post1, made once with pip under the user cache
(``JWSTARCHIVE_JMQ_PYTHON=/path/to/python`` uses an existing one). ``tests/compat/jmq_local.py``
repoints its hard-wired ``https://mast.stsci.edu`` to the local server.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.compat

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"
PACKAGES = ["astroquery==0.4.9.post1", "jwst_mast_query==0.0.6"]
DEPENDENCIES = ["astropy", "numpy", "pandas", "jinja2", "pyyaml", "pillow", "scipy", "requests", "keyring",
                "beautifulsoup4", "html5lib", "pyvo", "packaging"]  # fmt: skip
# upstream needs an instrument (with none it searches for "None*" and finds nothing)
OPTIONS = ["-i", "nircam", "--propID", "6010", "-d", "60930", "60945", "--sca", "a1", "a2", "-f", "uncal", "rate",
           "cal.jpg", "--obsnum2outsubdir", "True"]  # fmt: skip


@pytest.fixture(scope="session")
def jmq_python() -> str:
    given = os.environ.get("JWSTARCHIVE_JMQ_PYTHON")
    if given:
        return given
    venv = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "jwstarchive" / "jwst_mast_query-0.0.6"
    python = venv / "bin" / "python"
    if not python.exists():
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(python), "-m", "pip", "install", "-q", "--no-deps", *PACKAGES],
            [str(python), "-m", "pip", "install", "-q", *DEPENDENCIES],
        ]
        for step in steps:
            proc = subprocess.run(step, capture_output=True, text=True, timeout=1200, check=False)
            if proc.returncode != 0:
                message = f"could not build the jwst_mast_query venv ({' '.join(step[:4])}): {proc.stderr[-500:]}"
                if os.environ.get("CI") == "true":
                    pytest.fail(message)
                pytest.skip(message)
    return str(python)


def token_for_demo(archive: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(SRC))

    def admin(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "jwstarchive.cli.main", *args, "--archive", str(archive)],
                              env=env, capture_output=True, text=True, timeout=120, check=check)  # fmt: skip

    made = admin("token", "create", "--user", "demo")
    if made.returncode != 0:
        admin("user", "add", "demo", "--password", "pw", check=True)
        made = admin("token", "create", "--user", "demo", check=True)
    return made.stdout.strip().splitlines()[-1]


def tree(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_size for p in root.rglob("*") if p.is_file()}


def test_same_files_as_jwst_mast_query(jmq_python: str, live_server: object, tmp_path: Path) -> None:
    url = str(live_server.url)  # type: ignore[attr-defined]
    token = token_for_demo(Path(live_server.archive))  # type: ignore[attr-defined]
    env = {k: v for k, v in os.environ.items() if k not in ("JWST_QUERY_CFGFILE", "PYTHONPATH")}
    env.update(JWSTARCHIVE_MAST_URL=url, MAST_API_TOKEN=token, PYTHONWARNINGS="ignore")

    theirs = tmp_path / "theirs"
    command = [jmq_python, str(HERE / "jmq_local.py"), *OPTIONS, "--outrootdir", str(theirs)]
    upstream = subprocess.run(command, input="y\n", env=env, capture_output=True, text=True, timeout=900, check=False)
    assert upstream.returncode == 0, upstream.stdout[-3000:] + upstream.stderr[-3000:]
    assert "Download complete" in upstream.stdout, upstream.stdout[-3000:]

    ours = tmp_path / "ours"
    env_ours = dict(env, PYTHONPATH=str(SRC))
    mine = subprocess.run([sys.executable, "-m", "jwstarchive.cli.main", "download", *OPTIONS, "--outrootdir",
                           str(ours), "--yes"], env=env_ours, capture_output=True, text=True, timeout=900,
                          check=False)  # fmt: skip
    assert mine.returncode == 0, mine.stdout[-3000:] + mine.stderr[-3000:]

    expected = tree(theirs)
    assert expected, upstream.stdout[-3000:]
    assert any(name.endswith("_rate.fits") for name in expected) and any(name.endswith(".jpg") for name in expected)
    assert tree(ours) == expected
