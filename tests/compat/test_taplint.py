"""STILTS taplint against the live server: every stage, no ERROR reports.

taplint always exits 0, so the JSON report (``format=json``) is read and ``totals.ERROR`` must be
0. The report is written next to the test's temporary files for inspection.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.compat


def run_taplint(stilts: str, tap_url: str, out: Path) -> dict:
    proc = subprocess.run(
        [stilts, "taplint", f"tapurl={tap_url}", "format=json", "maxrepeat=20"],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    out.write_text(proc.stdout)
    assert proc.stdout.strip(), f"taplint printed nothing (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    return json.loads(proc.stdout)


def test_taplint_reports_no_errors(stilts, live_server, tmp_path) -> None:
    report = run_taplint(stilts, live_server.tap, tmp_path / "taplint.json")
    errors = [
        f"E-{section['code']}-{item['code']}: {item['text'][:300]}"
        for section in report["sections"]
        for item in section["reports"]
        if item["level"] == "ERROR"
    ]
    totals = report["totals"]
    print(f"taplint totals: {totals} (report: {tmp_path / 'taplint.json'})")
    assert totals.get("ERROR", 0) == 0, f"{totals.get('ERROR')} taplint errors:\n" + "\n".join(errors[:60])
