"""The HTML page in a real browser: headless Chromium from the system's packages (product 9).

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON
messages ended by NUL on file descriptors 3 and 4), with the standard library only. It must
render the page with no console error and no network request, lay the timeline out with no
two axis names touching and the row labels clear of the plot, keep checklist dates on one
line, and its screenshot of the timeline must not be blank. Without Chromium the test is
skipped, except under CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import select
import shutil
import struct
import subprocess
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Invoke
from tests.test_export_html import TODAY

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
    "--remote-debugging-pipe",
)  # fmt: skip
MEASURE = """(() => {
  const svg = document.querySelector('svg');
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')];
  const rect = (e) => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: e.textContent}; };
  const axis = texts.filter(t => t.getAttribute('y') === '14').map(rect);
  const labels = texts.filter(t => t.getAttribute('x') === '4').map(rect);
  const marks = [...svg.querySelectorAll('circle, rect')].map(rect);
  const lines = (node) => { const range = document.createRange();
    range.selectNodeContents(node); return new Set([...range.getClientRects()].map(r => r.top)).size; };
  const days = [...document.querySelectorAll('td.day, td span')].map(
    td => ({lines: lines(td), text: td.textContent}));
  return JSON.stringify({svg: {x: box.x, y: box.y, width: box.width, height: box.height},
                         axis, labels, marks, days, scrollY: window.scrollY});
})()"""


class Browser:
    """A Chromium process and its DevTools pipe."""

    def __init__(self, program: str, profile: Path) -> None:
        to_browser, self._reader_end = os.pipe()
        self._writer_end, from_browser = os.pipe()
        reads, writes = to_browser, from_browser

        def descriptors() -> None:  # the protocol's fixed places: Chromium reads 3, writes 4
            os.dup2(reads, 3)
            os.dup2(writes, 4)

        self.process = subprocess.Popen(
            [program, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=descriptors,  # before exec; this test starts no threads
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and return its result, keeping the events that come before it."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._reader_end, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive(60)
            if reply.get("id") == self._next:
                assert "error" not in reply, (method, reply["error"])
                result: dict[str, Any] = reply["result"]
                return result
            self.events.append(reply)

    def wait_for(self, method: str, seconds: float = 60) -> dict[str, Any]:
        """Return the first event of this kind, waiting for it if it has not come yet."""
        deadline = time.monotonic() + seconds
        while True:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.events.append(self._receive(deadline - time.monotonic()))

    def _receive(self, seconds: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._writer_end], [], [], max(seconds, 0))
            assert ready, "Chromium did not answer in time"
            chunk = os.read(self._writer_end, 1 << 20)
            assert chunk, "Chromium closed its pipe"
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        loaded: dict[str, Any] = json.loads(message)
        return loaded

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.write(
                self._reader_end, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0"
            )
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._reader_end)
        os.close(self._writer_end)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    program = shutil.which("chromium") or shutil.which("chromium-browser")
    if program is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    opened = Browser(program, tmp_path / "chromium-profile")
    try:
        yield opened
    finally:
        opened.close()


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Return width, height and the rows of an 8-bit RGB or RGBA PNG, unfiltered."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks += body
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8
    assert colour in (2, 6)  # RGB or RGBA
    size = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(chunks), width * size, [], bytes(width * size)
    for row in range(height):
        kind, line = (
            raw[row * (stride + 1)],
            bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                near = min(
                    (abs(guess - left), 0, left),
                    (abs(guess - up), 1, up),
                    (abs(guess - corner), 2, corner),
                )
                line[i] = (line[i] + near[2]) & 255
        rows.append(bytes(line))
        previous = bytes(line)
    return width, height, [bytes(r[i] for i in range(len(r)) if i % size < 3) for r in rows]


@pytest.mark.parametrize("width", [1280, 700])
def test_the_page_renders_offline_in_chromium_with_a_legible_timeline(
    browser: Browser, invoke: Invoke, tmp_path: Path, width: int
) -> None:
    page = tmp_path / "example.html"
    assert invoke(["export", "--example", "--today", TODAY, "-o", str(page)]).exit_code == 0
    target = browser.send("Target.createTarget", url="about:blank")["targetId"]
    session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ("Page", "Network", "Runtime", "Log"):
        browser.send(f"{domain}.enable", session)
    browser.send(
        "Emulation.setDeviceMetricsOverride", session,
        width=width, height=900, deviceScaleFactor=1, mobile=False,
    )  # fmt: skip
    browser.events.clear()
    browser.send("Page.navigate", session, url=page.as_uri())
    browser.wait_for("Page.loadEventFired")
    measured = json.loads(
        browser.send("Runtime.evaluate", session, expression=MEASURE)["result"]["value"]
    )
    shot = browser.send(
        "Page.captureScreenshot", session, format="png",
        clip={**measured["svg"], "scale": 1}, captureBeyondViewport=True,
    )  # fmt: skip

    requests = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert requests == [page.as_uri()]  # the page itself, and nothing else
    errors = [
        e["params"] for e in browser.events
        if (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
        or e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]  # fmt: skip
    assert errors == []

    svg = measured["svg"]
    assert svg["width"] > 0.6 * min(width, 1000)
    assert svg["height"] > 60
    axis = sorted(measured["axis"], key=lambda r: r["left"])
    assert len(axis) >= 4
    for one, other in itertools.pairwise(axis):
        assert one["right"] < other["left"], (one, other)  # no two names touch
    assert any(r["text"].isdigit() for r in axis)  # a year is named
    assert all(r["right"] <= svg["x"] + svg["width"] + 1 for r in axis)
    first_mark = min(r["left"] for r in measured["marks"])
    assert all(label["right"] < first_mark for label in measured["labels"]), measured["labels"]
    assert measured["days"]
    assert all(day["lines"] == 1 for day in measured["days"]), measured["days"]

    pixel_width, pixel_height, rows = png_pixels(base64.b64decode(shot["data"]))
    assert (pixel_width, pixel_height) == (round(svg["width"]), round(svg["height"]))
    ink = sum(1 for row in rows for value in row if value < 128)
    assert ink > 0.002 * pixel_width * pixel_height * 3  # bars, dots and names, not a blank
