"""Open a report in headless Chromium and check it as a reader's browser would.

Chromium is driven over its DevTools protocol through a pipe (``--remote-debugging-pipe``:
commands on file descriptor 3, answers on 4, JSON messages ending in a NUL byte), so
no TCP port is opened and no client library is needed — the standard library does it.
Used by the browser test and by ``scripts/report_screenshot.py``; not public API.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

__all__ = ["CHROMIUM_FLAGS", "PageCheck", "chromium_path", "inspect_page"]

CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
)


def chromium_path() -> str | None:
    """The Chromium executable on PATH (``chromium``, ``chromium-browser``), or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@attrs.frozen(kw_only=True)
class PageCheck:
    """What a browser saw opening a page.

    Attributes:
        url: The page's URL.
        requests: Every URL the page requested other than itself (should be empty).
        console_errors: Console errors, exceptions and error log entries (CSP refusals
            among them).
        charts: Per ``svg.chart``: its id, number of drawn elements, rendered width
            and height in CSS pixels.
        sections: The ids of the page's ``<section>`` elements, in order.
        screenshots: The PNG files written (the first screen, then one per section).
    """

    url: str
    requests: tuple[str, ...]
    console_errors: tuple[str, ...]
    charts: tuple[tuple[str, int, float, float], ...]
    sections: tuple[str, ...]
    screenshots: tuple[Path, ...]


class _Pipe:
    """A DevTools session over Chromium's debugging pipe."""

    def __init__(self, executable: str, profile: str) -> None:
        cmd_read, self._cmd_write = os.pipe()
        self._res_read, res_write = os.pipe()
        # Copies above fd 10, so that placing them on 3 and 4 in the child never
        # overwrites one with the other; os.dup's copies are not inherited (PEP 446).
        high_cmd = fcntl.fcntl(cmd_read, fcntl.F_DUPFD_CLOEXEC, 10)
        high_res = fcntl.fcntl(res_write, fcntl.F_DUPFD_CLOEXEC, 10)

        def child() -> None:  # in the child, before exec: the pipe ends become fds 3 and 4
            os.dup2(high_cmd, 3)  # dup2's copies are inheritable
            os.dup2(high_res, 4)

        self._process = subprocess.Popen(  # a fixed executable and flags
            [
                executable,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,  # keep 3 and 4; the parent's own fds are all non-inheritable
            preexec_fn=child,  # places the pipe ends on fds 3 and 4
        )
        for fd in (cmd_read, res_write, high_cmd, high_res):
            os.close(fd)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None
    ) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._cmd_write, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(timeout=60)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_for(self, method: str, *, timeout: float = 60) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + timeout
        while True:
            event = self._read(timeout=max(deadline - time.monotonic(), 0.01))
            self.events.append(event)
            if event.get("method") == method:
                return event

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                self.events.append(self._read(timeout=left))
            except TimeoutError:
                return

    def _read(self, *, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._res_read], [], [], max(left, 0))
            if not ready:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._res_read, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the debugging pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        decoded: dict[str, Any] = json.loads(message)
        return decoded

    def close(self) -> None:
        try:
            os.write(self._cmd_write, json.dumps({"id": 0, "method": "Browser.close"}).encode())
            os.write(self._cmd_write, b"\0")
        except OSError:
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._cmd_write)
        os.close(self._res_read)


_PROBE = """
(() => {
  const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
    const r = svg.getBoundingClientRect();
    const drawn = svg.querySelectorAll('path, rect, text, use, line, polygon').length;
    return [svg.id, drawn, r.width, r.height];
  });
  const sections = [...document.querySelectorAll('section')].map(s => {
    const r = s.getBoundingClientRect();
    return [s.id, r.left + window.scrollX, r.top + window.scrollY, r.width, r.height];
  });
  return JSON.stringify({charts, sections});
})()
"""


def inspect_page(
    page: Path,
    *,
    screenshots: Path | None = None,
    width: int = 1280,
    height: int = 900,
    executable: str | None = None,
    sections: Sequence[str] | None = None,
) -> PageCheck:
    """Open ``page`` in headless Chromium, record what it requests and logs, probe its
    charts and, with ``screenshots``, save the first screen and each section as PNG.

    Args:
        page: The HTML file.
        screenshots: A folder for ``first-screen.png`` and ``section-NAME.png``.
        width: The viewport width (CSS px).
        height: The viewport height.
        executable: Chromium (default: :func:`chromium_path`).
        sections: Only these section ids get a screenshot (default: all).

    Returns:
        What the browser saw.

    Raises:
        RuntimeError: If Chromium is missing or fails.
    """
    browser = executable or chromium_path()
    if browser is None:
        raise RuntimeError("Chromium is not installed")
    url = page.resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="microgov-chromium-") as profile:
        pipe = _Pipe(browser, profile)
        try:
            target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Page", "Network", "Runtime", "Log"):
                pipe.send(f"{domain}.enable", session=session)
            pipe.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            pipe.events.clear()
            pipe.send("Page.navigate", {"url": url}, session=session)
            pipe.wait_for("Page.loadEventFired")
            pipe.drain(0.5)
            probe = pipe.send(
                "Runtime.evaluate", {"expression": _PROBE, "returnByValue": True}, session=session
            )
            found = json.loads(probe["result"]["value"])
            shots: list[Path] = []
            if screenshots is not None:
                screenshots.mkdir(parents=True, exist_ok=True)
                first = pipe.send("Page.captureScreenshot", {"format": "png"}, session=session)
                shots.append(_save(screenshots / "first-screen.png", first["data"]))
                for name, x, y, w, h in found["sections"]:
                    if sections is not None and name not in sections:
                        continue
                    clip = {"x": x, "y": y, "width": w, "height": h, "scale": 1}
                    shot = pipe.send(
                        "Page.captureScreenshot",
                        {"format": "png", "clip": clip, "captureBeyondViewport": True},
                        session=session,
                    )
                    shots.append(_save(screenshots / f"{name}.png", shot["data"]))
            pipe.drain(0.2)
        finally:
            pipe.close()
    requests: list[str] = []
    errors: list[str] = []
    for event in pipe.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            requested = params.get("request", {}).get("url", "")
            if requested != url:
                requests.append(requested)
        elif method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
            errors.append(
                " ".join(str(a.get("value", a.get("description"))) for a in params.get("args", []))
            )
        elif method == "Runtime.exceptionThrown":
            errors.append(str(params.get("exceptionDetails", {}).get("text")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            errors.append(str(params["entry"].get("text")))
    return PageCheck(
        url=url,
        requests=tuple(requests),
        console_errors=tuple(errors),
        charts=tuple((str(c[0]), int(c[1]), float(c[2]), float(c[3])) for c in found["charts"]),
        sections=tuple(str(s[0]) for s in found["sections"]),
        screenshots=tuple(shots),
    )


def _save(path: Path, data: str) -> Path:
    path.write_bytes(base64.b64decode(data))
    return path
