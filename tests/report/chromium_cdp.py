"""Drive a real headless Chromium through the DevTools protocol over ``--remote-debugging-pipe``.

No websocket library and no browser download: Chromium reads JSON commands from fd 3 and writes
replies and events to fd 4, each message ending in a NUL byte. Only what the report tests need.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import subprocess
from pathlib import Path
from typing import Any

REPLY_WAIT = 120.0  # seconds to wait for one message before calling the browser stuck (a hang guard)


class BrowserError(RuntimeError):
    """Chromium answered a command with an error, threw in the page, or stopped answering."""


class Chromium:
    """One headless Chromium process with one page (tab) attached in flat session mode."""

    def __init__(self, executable: str, profile: Path, width: int = 1400, height: int = 1000) -> None:
        cmd_read, self._cmd_write = os.pipe()
        self._reply_read, reply_write = os.pipe()
        # Close-on-exec copies above 10, so that moving them onto 3 and 4 in the child cannot overwrite
        # one another; the moved fds are inherited, everything else is closed by exec.
        child_in = fcntl.fcntl(cmd_read, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(reply_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(cmd_read)
        os.close(reply_write)

        def onto_3_and_4() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.stderr_path = profile / "chromium.stderr"
        profile.mkdir(parents=True, exist_ok=True)
        with open(self.stderr_path, "w") as stderr:
            self.proc = subprocess.Popen(
                [
                    executable,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--remote-debugging-pipe",
                    f"--user-data-dir={profile / 'profile'}",
                    f"--window-size={width},{height}",
                    "about:blank",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                close_fds=False,  # keeps the fds 3 and 4 made in preexec_fn; Python's own fds are not inheritable
                preexec_fn=onto_3_and_4,
            )
        os.close(child_in)
        os.close(child_out)
        self._next_id = 0
        self._buffer = b""
        self.events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable", session=True)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=True,
        )

    # -- protocol -------------------------------------------------------------------------------------
    def _read_message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._reply_read], [], [], REPLY_WAIT)
            if not ready:
                raise BrowserError(f"Chromium sent nothing for {REPLY_WAIT:g} s; stderr:\n{self.stderr()[-3000:]}")
            chunk = os.read(self._reply_read, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium closed the DevTools pipe; stderr:\n{self.stderr()[-3000:]}")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: bool = False) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile go to ``events``)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._cmd_write, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for_event(self, method: str) -> dict[str, Any]:
        """Return the first event named ``method`` (already received or still to come)."""
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(index)
            self.events.append(self._read_message())

    # -- page -----------------------------------------------------------------------------------------
    def open(self, url: str) -> None:
        """Navigate the page to ``url`` and wait for its load event (all images fetched)."""
        self.events.clear()
        self.send("Page.navigate", {"url": url}, session=True)
        self.wait_for_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """Run JavaScript in the page (promises awaited) and return its JSON value."""
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session=True
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"JavaScript error: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        """Save a PNG of the whole page (beyond the viewport) to ``path``."""
        size = self.send("Page.getLayoutMetrics", session=True)["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self.send(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}, session=True
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data["data"]))
        return path

    def requested_urls(self) -> list[str]:
        """URLs the page asked for since it was opened."""
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def exceptions(self) -> list[dict[str, Any]]:
        """Uncaught JavaScript exceptions since the page was opened."""
        return [e["params"] for e in self.events if e.get("method") == "Runtime.exceptionThrown"]

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    def close(self) -> int:
        """Close the browser and return its exit status."""
        with contextlib.suppress(BrowserError):
            self.send("Browser.close")
        try:
            status = self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
        os.close(self._cmd_write)
        os.close(self._reply_read)
        return status
