"""Run every example of the user guide (docs/*.md) against the demo archive.

Conventions (written down in docs/index.md): ```python blocks of a page run in one Python
process, in order; in ```console/```bash blocks each ``$ `` line is run by bash and must exit 0
(or the status named by a trailing ``# exit status N``) and print, in order, every output line shown
under it (``...`` stands for any text; a line of its own skips any lines); a block with ``title="NAME"`` is
written to the file NAME first; ```text blocks are not run. The server address reaches the
examples only through JWSTARCHIVE_MAST_URL / JWSTARCHIVE_ESA_URL / JWSTARCHIVE_RESOLVER_URL.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
PAGES = sorted(DOCS.glob("*.md"))
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
TITLE = re.compile(r'title="([^"]+)"')
EXIT = re.compile(r"#\s*exit status (\d+)\s*$")
RUNNABLE = ("python", "console", "bash")
COMMANDS = {
    "jwstarchive": "import sys; from jwstarchive.cli.main import main; sys.exit(main())",
    "jwst_query": "import sys; from jwstarchive.cli.tools import jwst_query_main; sys.exit(jwst_query_main())",
    "jwst_download": "import sys; from jwstarchive.cli.tools import jwst_download_main; sys.exit(jwst_download_main())",
}
# a persistent interpreter: reads block paths on stdin, runs each in one namespace, reports on a pipe
RUNNER = """
import json, os, sys, traceback
report = os.fdopen(int(sys.argv[1]), "w")
namespace = {"__name__": "__main__"}
for line in sys.stdin:
    path = line.strip()
    try:
        exec(compile(open(path).read(), path, "exec"), namespace)
        outcome = "ok"
    except BaseException:
        outcome = traceback.format_exc()
    sys.stdout.flush()
    sys.stderr.flush()
    report.write(json.dumps(outcome) + "\\n")
    report.flush()
"""


def shown_output_missing(shown: list[str], actual: str) -> str | None:
    """The first shown output line that ``actual`` lacks (lines matched in order), else None."""
    lines = [line.rstrip() for line in actual.splitlines()]
    at = 0
    for want in (s.rstrip() for s in shown):
        if want.strip() in ("", "..."):
            continue
        pattern = re.compile(".*".join(re.escape(part) for part in want.split("...")))
        while at < len(lines) and not pattern.fullmatch(lines[at]):
            at += 1
        if at == len(lines):
            return want
        at += 1
    return None


@dataclass
class Block:
    lang: str
    title: str | None
    body: str
    line: int


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a page, in order."""
    text = page.read_text()
    found = []
    for match in FENCE.finditer(text):
        title = TITLE.search(match.group(2))
        found.append(Block(match.group(1), title.group(1) if title else None, match.group(3),
                           text.count("\n", 0, match.start()) + 1))
    return found


def _environment(server_url: str, bin_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JWSTARCHIVE_", "MAST_API_TOKEN"))}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    env["JWSTARCHIVE_MAST_URL"] = server_url
    env["JWSTARCHIVE_ESA_URL"] = server_url
    env["JWSTARCHIVE_RESOLVER_URL"] = server_url + "/cgi-bin/nph-sesame"
    env["PYTHONUNBUFFERED"] = "1"
    env["COLUMNS"] = "200"
    return env


def _command_wrappers(bin_dir: Path) -> None:
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name, code in COMMANDS.items():
        path = bin_dir / name
        path.write_text(f'#!/bin/sh\nexec "{sys.executable}" -c "{code}" "$@"\n')
        path.chmod(0o755)


class PythonSession:
    """One interpreter for the Python blocks of one page."""

    def __init__(self, cwd: Path, env: dict[str, str], log: Path) -> None:
        read_end, write_end = os.pipe()
        self.log = log
        self.output = open(log, "w")  # noqa: SIM115 - handed to the child process
        self.proc = subprocess.Popen(
            [sys.executable, "-c", RUNNER, str(write_end)], cwd=cwd, env=env, stdin=subprocess.PIPE,
            stdout=self.output, stderr=subprocess.STDOUT, text=True, pass_fds=(write_end,),
        )
        os.close(write_end)
        self.results = os.fdopen(read_end)

    def run(self, path: Path) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        line = self.results.readline()
        return json.loads(line) if line else "the Python session died"

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(60)
        self.results.close()
        self.output.close()


def _commands(body: str) -> list[tuple[str, list[str]]]:
    """Each ``$ `` command of a console block with the output lines shown under it."""
    found: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            found.append((line[2:], []))
        elif found:
            found[-1][1].append(line)
    return found


def run_page(page: Path, server_url: str, work: Path) -> list[str]:
    """Run a page's blocks; return one message per failed example (empty when all ran)."""
    bin_dir = work / "_bin"
    _command_wrappers(bin_dir)
    cwd = work / "page"
    cwd.mkdir()
    env = _environment(server_url, bin_dir)
    failures: list[str] = []
    session: PythonSession | None = None
    try:
        for n, block in enumerate(blocks(page)):
            where = f"{page.name}:{block.line}"
            if block.title:
                (cwd / block.title).write_text(block.body)
                continue
            if block.lang == "python":
                session = session or PythonSession(cwd, env, work / "python.log")
                path = work / f"block{n:02d}.py"
                path.write_text(block.body)
                outcome = session.run(path)
                if outcome != "ok":
                    failures.append(f"{where} (python):\n{outcome}")
            elif block.lang in ("console", "bash"):
                for command, shown in _commands(block.body):
                    wanted = EXIT.search(command)
                    status = int(wanted.group(1)) if wanted else 0
                    proc = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                                          text=True, timeout=300, check=False)
                    if proc.returncode != status:
                        failures.append(f"{where} `{command}` exited {proc.returncode}, not {status}:\n"
                                        f"{proc.stdout[-1500:]}\n{proc.stderr[-3000:]}")
                    elif (missing := shown_output_missing(shown, proc.stdout + proc.stderr)) is not None:
                        failures.append(f"{where} `{command}` did not print {missing!r}:\n"
                                        f"{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
    finally:
        if session is not None:
            session.close()
            if failures:
                failures.append("python output:\n" + (work / "python.log").read_text()[-3000:])
    return failures


@pytest.mark.parametrize(
    ("shown", "actual", "missing"),
    [
        (["a", "...", "c"], "a\nb\nc\n", None),
        (["Matching files (44):"], "x\nMatching files (44):\n", None),
        (["prog: error: ... did you mean exp_type..."], "prog: error: no column. did you mean exp_type?\n", None),
        (["error: ..."], "prog: error: no column\n", "error: ..."),
        (["b", "a"], "a\nb\n", "a"),
        (["Matching files (45):"], "Matching files (44):\n", "Matching files (45):"),
    ],
)
def test_shown_output_is_checked(shown, actual, missing):
    assert shown_output_missing(shown, actual) == missing


def test_index_lists_every_page():
    index = (DOCS / "index.md").read_text()
    for page in PAGES:
        if page.name != "index.md":
            assert f"]({page.name})" in index, f"docs/index.md does not link {page.name}"


@pytest.mark.parametrize("page", [p for p in PAGES if p.name != "index.md"], ids=lambda p: p.name)
def test_page_has_runnable_examples(page):
    assert any(b.lang in RUNNABLE for b in blocks(page)), f"{page.name} has no example the tests run"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples_run(page, demo_server, tmp_path):
    failures = run_page(page, demo_server.url, tmp_path)
    assert not failures, "\n\n".join(failures)
