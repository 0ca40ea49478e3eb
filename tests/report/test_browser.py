"""report.html opened in a real browser (headless Chromium, Debian package ``chromium``).

The page is loaded from disk through the Chrome DevTools Protocol (a plain websocket, package
``websocket-client``), as a reader who received the file by mail would open it, and checked:

* no console error, no uncaught exception and no failed resource load;
* every image decoded (``naturalWidth > 0``), inline SVG charts drawn with a size;
* every table-of-contents link points at an element of the page;
* a screenshot 1280 px wide that is not blank, saved as ``target/browser/report-1280.png`` for
  a person to look at.

Without a Chromium on PATH the test is skipped, unless ``GROOMSTATS_REQUIRE_BROWSER=1`` (set by
``.ci/run``, which installs the browser), where it fails.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "target" / "browser"
WIDTH = 1280


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("GROOMSTATS_REQUIRE_BROWSER") == "1":
        pytest.fail("no chromium on PATH: .ci/run installs the Debian package 'chromium'")
    pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")


class Page:
    """A minimal DevTools Protocol client for one page of a headless Chromium."""

    def __init__(self, browser: str, profile: Path) -> None:
        websocket = pytest.importorskip("websocket")
        self.proc = subprocess.Popen(
            [
                browser,
                "--headless=new",
                "--no-sandbox",  # CI runs as root
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                f"--window-size={WIDTH},900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not port_file.is_file() or not port_file.read_text().strip():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("chromium did not start (no DevToolsActivePort)")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        from urllib.request import urlopen

        targets = json.loads(urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30).read())
        ws_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        i = next(self.ids)
        self.ws.send(json.dumps({"id": i, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == i:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return dict(msg.get("result", {}))
            self.events.append(msg)

    def wait_for(self, event: str, timeout: float = 60) -> None:
        if any(e.get("method") == event for e in self.events):
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            self.events.append(msg)
            if msg.get("method") == event:
                return
        raise TimeoutError(event)

    def evaluate(self, expression: str) -> Any:
        res = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in res:
            raise RuntimeError(f"evaluate failed: {res['exceptionDetails']}")
        return res["result"].get("value")

    def close(self) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def report_html() -> Path:
    """The whole HTML report on the embedded data, in a directory of its own."""
    from groomstats.report import write_report

    out = Path(tempfile.mkdtemp(prefix="groomstats-browser-"))
    res = write_report(out, fmt="html")
    assert res.path.name == "report.html"
    return res.path


@pytest.fixture(scope="module")
def page(report_html: Path) -> Iterator[Page]:
    browser = _browser()
    # chromium may still be writing its profile as it exits: a leftover file is no failure
    with tempfile.TemporaryDirectory(
        prefix="groomstats-chromium-", ignore_cleanup_errors=True
    ) as d:
        p = Page(browser, Path(d))
        try:
            p.send("Runtime.enable")
            p.send("Log.enable")
            p.send("Page.enable")
            p.send(
                "Emulation.setDeviceMetricsOverride",
                width=WIDTH,
                height=900,
                deviceScaleFactor=1,
                mobile=False,
            )
            p.send("Page.navigate", url=report_html.resolve().as_uri())
            p.wait_for("Page.loadEventFired")
            # every <img> decoded or failed, then let the page settle
            p.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
            yield p
        finally:
            p.close()


def _problems(events: list[dict[str, Any]]) -> list[str]:
    out = []
    for e in events:
        m, params = e.get("method"), e.get("params", {})
        if m == "Runtime.exceptionThrown":
            out.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif m == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            out.append(f"console.{params['type']}: {params.get('args')}")
        elif m == "Log.entryAdded" and params["entry"].get("level") == "error":
            out.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
    return out


def test_no_console_errors(page: Page) -> None:
    page.evaluate("new Promise(r => setTimeout(r, 200))")  # collect late messages
    assert _problems(page.events) == []


def test_every_image_decoded(page: Page) -> None:
    images = page.evaluate(
        "[...document.images].map(i => ({src: i.getAttribute('src').slice(0, 60),"
        " w: i.naturalWidth, h: i.naturalHeight, complete: i.complete}))"
    )
    svgs = page.evaluate(
        "[...document.querySelectorAll('svg')].filter(s => !s.closest('svg svg'))"
        ".map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert images or svgs, "the report has no charts"
    broken = [i for i in images if not i["complete"] or i["w"] <= 0 or i["h"] <= 0]
    assert broken == []
    assert all(w > 0 and h > 0 for w, h in svgs)


def test_every_table_of_contents_link_resolves(page: Page) -> None:
    links = page.evaluate(
        "[...document.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href'))"
    )
    assert len(links) > 10, "no table of contents"
    missing = page.evaluate(
        "[...document.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href'))"
        ".filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))"
    )
    assert missing == []
    # an anchor per force (the report covers the 43 territorial forces)
    assert page.evaluate("!!document.getElementById('kent')")


def test_screenshot_1280_is_not_blank(page: Page) -> None:
    from io import BytesIO

    from PIL import Image

    shot = page.send("Page.captureScreenshot", format="png")
    png = base64.b64decode(shot["data"])
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / "report-1280.png"
    path.write_bytes(png)
    img = Image.open(BytesIO(png)).convert("L")
    assert img.width == WIDTH
    hist = img.histogram()
    # not blank: a good share of the pixels are not the background, and there is dark text
    background = max(hist)
    assert background < 0.97 * img.width * img.height
    assert sum(hist[:80]) > 500
    # and one force's section, reached through its table-of-contents link, for a person to see
    page.evaluate("document.querySelector('a[href=\"#kent\"]').click()")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    top = page.evaluate(
        "Math.round(document.getElementById('kent').getBoundingClientRect().top) + 0"
    )
    assert 0 <= top < 50  # the link scrolled the section to the top of the window
    shot = page.send("Page.captureScreenshot", format="png")
    (SHOTS / "report-1280-kent.png").write_bytes(base64.b64decode(shot["data"]))
