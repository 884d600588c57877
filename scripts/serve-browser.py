#!/usr/bin/env python3
"""`wengao serve` in a real browser: headless Chromium driven over the
DevTools protocol (websocket-client), as scripts/check-serve.sh runs it.

usage: scripts/serve-browser.py URL PROJECT_DIR SHOTS_DIR

The project is a `wengao init` sample. The script loads the page, checks
that it shows the document (its PDF drawn in the browser's viewer, its text,
no diagnostics), saves a data file with a new figure and waits for the page
to reload by itself (the server's event stream: the page is never reloaded
from here), then breaks the data file and follows the diagnostic's link to
the line, then mends it. Screenshots go to SHOTS_DIR (before.png, after.png,
error.png). The time from each save to the page showing it is printed (a
measurement, not a check). Exits 1 on the first failed check.
"""
import base64
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket  # websocket-client

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
FIGURE_FILE = "data/county.yaml"
FIGURE_BEFORE, FIGURE_AFTER = "inspections: 14", "inspections: 19"
TEXT_BEFORE, TEXT_AFTER = "视察14次", "视察19次"

passed = 0


def check(ok, what):
    global passed
    if not ok:
        print(f"FAILED: {what}", file=sys.stderr)
        print(f"check-serve: {passed} passed, 1 failed")
        sys.exit(1)
    passed += 1
    print(f"ok: {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One headless Chromium with one page, spoken to over its DevTools socket."""

    def __init__(self, width, height):
        self.profile = tempfile.mkdtemp(prefix="wengao-chromium-")
        port = free_port()
        # --no-sandbox: CI runs as root, where Chromium's sandbox will not start.
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--hide-scrollbars", f"--remote-debugging-port={port}", f"--user-data-dir={self.profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        targets = None
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as r:
                    targets = json.load(r)
                break
            except OSError:
                time.sleep(0.1)
        if targets is None:
            self.close()
            raise SystemExit("Chromium did not start (no DevTools endpoint in 30 s)")
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def eval(self, expression):
        """The value of `expression` in the page, or None while the page is
        between two documents (a reload under way)."""
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            return None
        return r.get("result", {}).get("value")

    def wait_for(self, expression, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.eval(expression):
                return True
            time.sleep(0.05)
        return False

    def screenshot(self, path):
        r = self.call("Page.captureScreenshot", format="png")
        Path(path).write_bytes(base64.b64decode(r["data"]))

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def build_shown(b):
    return b.eval("Number(document.body && document.body.dataset.build)") or 0


def text_has(figure):
    return f"!!document.getElementById('text') && document.getElementById('text').textContent.includes({json.dumps(figure)})"


PDF_HASH = """(async () => {
  const frame = document.getElementById('pages');
  const bytes = await (await fetch(frame.src)).arrayBuffer();
  const head = new TextDecoder().decode(bytes.slice(0, 5));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return head + ' ' + Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, '0')).join('');
})()"""


def pdf_drawn(png_path, left):
    """Whether the PDF viewer drew a page: the frame's part of the screenshot
    holds many shades (glyphs), not the viewer's empty grey."""
    from PIL import Image
    with Image.open(png_path) as im:
        frame = im.convert("L").crop((left + 40, 80, im.width - 40, im.height - 40))
        shades = frame.histogram()
        return sum(1 for n in shades if n) > 32 and sum(shades[:100]) > 500


def save(project, old, new):
    path = project / FIGURE_FILE
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"{FIGURE_FILE} has no `{old}`: the sample changed, update this script")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return time.monotonic()


def main():
    url, project, shots = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    shots.mkdir(parents=True, exist_ok=True)
    b = Browser(1400, 900)
    try:
        b.call("Page.navigate", url=url)
        check(b.wait_for(f"Number(document.body && document.body.dataset.build) >= 1 && {text_has(TEXT_BEFORE)}", 120),
              f"the page shows the first build, with {TEXT_BEFORE}")
        check(b.eval("document.getElementById('summary').textContent") == "没有错误或警告", "no diagnostics")
        check(b.eval("document.querySelectorAll('#documents a').length") == 1, "the document list names the document")
        pdf_before = b.eval(PDF_HASH) or ""
        check(pdf_before.startswith("%PDF-"), "the page's frame holds the PDF")
        first = build_shown(b)
        time.sleep(3)  # the viewer draws the pages after the page has loaded
        b.screenshot(shots / "before.png")
        check(pdf_drawn(shots / "before.png", 300), "the PDF's page is drawn in the frame")

        saved = save(project, FIGURE_BEFORE, FIGURE_AFTER)
        check(b.wait_for(f"Number(document.body && document.body.dataset.build) > {first} && {text_has(TEXT_AFTER)}"),
              f"after the save the page reloaded by itself and shows {TEXT_AFTER}")
        print(f"measured: save to page with the new figure: {time.monotonic() - saved:.2f} s")
        pdf_after = b.eval(PDF_HASH) or ""
        check(pdf_after.startswith("%PDF-") and pdf_after != pdf_before, "the frame shows a new PDF")
        time.sleep(3)
        b.screenshot(shots / "after.png")
        check(pdf_drawn(shots / "after.png", 300), "the new PDF's page is drawn in the frame")

        # A broken data file: the server stays up, the page lists the error
        # with a link to the line, the last good PDF stays on show.
        second = build_shown(b)
        saved = save(project, FIGURE_AFTER, "inspections: [14")
        check(b.wait_for(f"Number(document.body && document.body.dataset.build) > {second} && "
                         "document.getElementById('problems').textContent.includes('error[D001]')"),
              "a broken data file is reported on the page")
        print(f"measured: save to page with the error: {time.monotonic() - saved:.2f} s")
        check(b.eval("!!document.getElementById('pages') && !!document.querySelector('.banner')"),
              "the last good PDF stays on the page, under a banner saying it is the last good one")
        time.sleep(3)
        b.screenshot(shots / "error.png")
        third = build_shown(b)
        link = b.eval("document.querySelector('#problems a').href")
        check(bool(link) and "/source?file=data%2Fcounty.yaml&line=" in link, f"the error links to its line: {link}")
        b.call("Page.navigate", url=link)
        # YAML reports an unclosed `[` where it gave up looking for the `]`:
        # the marked line is that one, at or just after the broken value.
        check(b.wait_for("!!document.querySelector('tr.hl') && document.querySelector('table.src').textContent"
                         ".includes('inspections: [14')"),
              "the link shows the file with the line marked")

        save(project, "inspections: [14", FIGURE_BEFORE)
        b.call("Page.navigate", url=url)
        check(b.wait_for(f"Number(document.body && document.body.dataset.build) > {third} && {text_has(TEXT_BEFORE)} && "
                         "document.getElementById('summary').textContent == '没有错误或警告'"),
              "mended, the page is clean again")
    finally:
        b.close()
    print(f"check-serve: {passed} passed, 0 failed")


if __name__ == "__main__":
    main()
