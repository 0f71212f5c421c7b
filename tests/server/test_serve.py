"""`jwstarchive serve`: the first line, port 0, signals, one access line per request, bad ports."""

from __future__ import annotations

import re
import signal
import socket

import pytest


def test_first_line_names_the_bound_port(live_server) -> None:
    match = re.fullmatch(r"Serving jwstarchive at http://127\.0\.0\.1:(\d+)", live_server.first_line)
    assert match and int(match.group(1)) > 0


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signals_stop_cleanly(fresh_server, http, sig: int) -> None:
    assert http.get(fresh_server.tap + "/availability").status_code == 200
    fresh_server.stop_cleanly(sig)


def test_one_access_line_per_request(fresh_server, http) -> None:
    for path in ("/availability", "/capabilities", "/nothing"):
        http.get(fresh_server.tap + path)
    fresh_server.stop_cleanly()
    lines = [line for line in fresh_server.stderr().splitlines() if "jwstarchive.server.access" in line]
    assert len(lines) == 3
    assert '"GET /server/tap/availability" 200' in lines[0]
    assert '"GET /server/tap/nothing" 404' in lines[2]


def test_busy_port_is_a_clear_error(archive_dir, run_jwstarchive) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = run_jwstarchive("serve", "--archive", str(archive_dir), "--port", str(port), timeout=60)
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr
    assert "Traceback" not in proc.stderr
