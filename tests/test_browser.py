"""The rendered book, read by a browser: headless Chromium opens every page of a freshly built book.

A page fails when
  * a formula does not render (a MathJax error node, or TeX left untypeset),
  * a display equation, a table, a code block or an output is wider than the text column at 1400 px,
  * part of a display equation, table or output lies left of the box that scrolls or clips it (a wide centred
    or right-aligned equation on a narrow screen shows its end and hides its start),
  * the page itself is wider than the screen (it scrolls sideways on a phone),
  * a figure has no numbered caption, or is drawn with another aspect ratio than its own (squashed),
  * the browser console reports an error (a missing file, a script error, a request to the network).

The built book is also served over HTTP from this machine (127.0.0.1), as a reader's browser meets it: no request
may fail, and the browser's favicon request must find the book's icon (without one it asks for /favicon.ico and
logs a 404).

Every page is checked at 1400 px and at phone width (400 px). On a phone, wide equations and tables may scroll
inside their own boxes, so there the column-width rule is replaced by the two rules on reachable content.

The network is switched off in the browser (DevTools offline emulation), so the maths must come from the
built site itself. A screenshot of every page is saved under ``_build/browser/`` (a CI artefact).

The book is built once per session into a temporary directory with notebook execution turned off: the
stored outputs are what nbval verifies in the same test run, and CI builds the book again, executed, after
the tests. The checks themselves are shown to fail on a small synthetic page with a broken equation, an
uncaptioned figure, an overflowing table and a console error (``tests/browser_pages/broken.html``).

Needs Debian's ``chromium`` and ``chromium-driver`` (``bash tools/setup-env.sh browser`` installs them); without
them the test fails with that message rather than skipping.

Run by hand, ``python tests/test_browser.py [--width 400] [--html DIR]`` builds the book (unless ``--html``
is given), checks every page at that width and saves the screenshots.
"""

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "browser_pages"
SHOTS = ROOT / "_build" / "browser"
CHROMIUM = os.environ.get("CEVNS_CHROMIUM", "/usr/bin/chromium")              # as tools/setup-env.sh
CHROMEDRIVER = os.environ.get("CEVNS_CHROMEDRIVER", "/usr/bin/chromedriver")
WIDTH = 1400
PHONE_WIDTH = 400
DESKTOP_PX = 1000         # from this width on, everything must fit the text column
TOLERANCE_PX = 2          # sub-pixel rounding of layout widths

# Runs in the page once MathJax has finished. Returns a list of problems, each {"kind", "what"}.
CHECK_JS = r"""
const done = arguments[arguments.length - 1];
const opts = arguments.length > 1 ? arguments[0] : {fitColumn: true};
const problems = [];
const say = (kind, what) => problems.push({kind: kind, what: what});
const label = (el) => {
  const sec = el.closest("section");
  const where = sec && sec.id ? " in section #" + sec.id : "";
  const text = (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 70);
  return el.tagName.toLowerCase() + where + ": " + text;
};
const run = () => {
  const article = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  const column = article.getBoundingClientRect();
  const colLeft = column.left, colRight = column.right;
  // 1. maths: error nodes and untypeset TeX
  document.querySelectorAll("mjx-merror, .MathJax_Error, mjx-container [data-mjx-error]").forEach(
    (el) => say("maths error", (el.getAttribute("data-mjx-error") || el.textContent).slice(0, 120)));
  article.querySelectorAll("div.math, span.math").forEach((el) => {
    if (!el.querySelector("mjx-container") && !el.closest("mjx-container"))
      say("maths not typeset", label(el));
  });
  // 2. widths: display maths, tables, code and output blocks must fit the text column (desktop widths);
  //    images always (they scale with the column)
  const tooWide = (el, kind) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0) return;                       // not displayed (e.g. inside a closed toggle)
    const content = Math.max(el.scrollWidth, r.width);
    const overflow = Math.max(content - el.clientWidth, r.right - colRight, colLeft - r.left);
    if (el.clientWidth > 0 && overflow > __TOL__)
      say(kind + " wider than the column",
          label(el) + " (" + Math.round(content) + " px in " + Math.round(Math.min(el.clientWidth, column.width)) + " px)");
  };
  if (opts.fitColumn) article.querySelectorAll('mjx-container[display="true"]').forEach((el) => {
    const m = el.querySelector("mjx-math");
    const r = (m || el).getBoundingClientRect();
    const box = el.getBoundingClientRect();
    const w = Math.max(r.width, el.scrollWidth);
    if (w > Math.min(box.width, column.width) + __TOL__ || r.left < colLeft - __TOL__ || r.right > colRight + __TOL__)
      say("display equation wider than the column",
          label(el.closest("div.math, div.amsmath, .math-wrapper") || el) + " (" + Math.round(w) + " px in " + Math.round(box.width) + " px)");
  });
  if (opts.fitColumn) article.querySelectorAll("table").forEach((el) => tooWide(el.closest(".table-wrapper, .output_html, div") || el, "table"));
  if (opts.fitColumn) article.querySelectorAll("table").forEach((el) => {
    const r = el.getBoundingClientRect();
    if (r.width > column.width + __TOL__) say("table wider than the column", label(el) + " (" + Math.round(r.width) + " px)");
  });
  article.querySelectorAll(opts.fitColumn ? "div.cell_output pre, div.cell_output .output, div.highlight pre, div.cell_output img"
                                          : "div.cell_output img, figure img").forEach(
    (el) => tooWide(el, el.tagName === "IMG" ? "image" : "output or code block"));
  // 3. wide content starts at its left edge: nothing may stick out left of the box that scrolls or clips it
  //    (a reader sees the start of an equation and scrolls right for the rest, never the other way round)
  const scroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === "auto" || ox === "scroll" || ox === "hidden" || ox === "clip") return p;
    }
    return article;
  };
  article.querySelectorAll('mjx-container[display="true"], mjx-container[display="true"] > mjx-math, table, pre').forEach((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0) return;
    const box = scroller(el);
    const b = box.getBoundingClientRect();
    if (r.left < b.left - __TOL__)
      say("cut off on the left", label(el.closest("div.math, div.amsmath, .math-wrapper, div.cell_output, section") || el)
          + " (" + Math.round(b.left - r.left) + " px out of reach)");
  });
  // 4. the page itself must not scroll sideways
  //    (on a phone the browser zooms out to show a page wider than the screen: innerWidth grows, clientWidth does not)
  const page = document.scrollingElement || document.documentElement;
  const screenWidth = document.documentElement.clientWidth;
  if (page.scrollWidth > screenWidth + __TOL__)
    say("page wider than the screen", page.scrollWidth + " px on a " + screenWidth + " px screen");
  // 5. every figure has a numbered caption
  article.querySelectorAll("img").forEach((img) => {
    const fig = img.closest("figure");
    const cap = fig && fig.querySelector("figcaption");
    const num = cap && cap.querySelector(".caption-number");
    if (!num) say("figure without a numbered caption", (img.getAttribute("src") || "").slice(-60) + (img.closest("section") ? " in #" + img.closest("section").id : ""));
  });
  // 6. every figure keeps its aspect ratio (a fixed height beside a width capped by the column squashes it)
  article.querySelectorAll("div.cell_output img, figure img").forEach((img) => {
    const r = img.getBoundingClientRect();
    if (!img.naturalWidth || !img.naturalHeight || r.width === 0 || r.height === 0) return;
    const want = img.naturalWidth / img.naturalHeight, got = r.width / r.height;
    if (Math.abs(got / want - 1) > 0.02)
      say("image distorted", (img.getAttribute("src") || "").slice(-40) + " shown " + Math.round(r.width) + "x" +
          Math.round(r.height) + " px, drawn " + img.naturalWidth + "x" + img.naturalHeight);
  });
  done(problems);
};
if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
  MathJax.startup.promise.then(run, (e) => { say("maths error", "MathJax failed: " + e); run(); });
} else {
  if (document.querySelector("div.math, span.math")) say("maths error", "MathJax is not loaded");
  run();
}
""".replace("__TOL__", str(TOLERANCE_PX))


class ChromiumMissing(RuntimeError):
    pass


def make_driver(width=WIDTH, height=1000, offline=True):
    """Headless Debian Chromium through Debian's chromedriver, network switched off, console logged.

    offline=False lets the browser reach servers on 127.0.0.1 only: every host name fails to resolve."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not Path(path).exists():
            raise ChromiumMissing(f"{path} not found: run `bash tools/setup-env.sh browser`, or install Debian's "
                                  f"browser with `apt-get install -y chromium chromium-driver` ({package} is missing)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="cevns-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
                 "--allow-file-access-from-files", f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        opts.add_argument(flag)
    if not offline:
        opts.add_argument("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    os.environ.setdefault("SE_OFFLINE", "true")          # never let selenium look for a driver online
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_script_timeout(60)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Network.enable", {})
    if offline:
        driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                               {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    driver._cevns_profile = profile
    return driver


def close_driver(driver):
    try:
        driver.quit()
    finally:
        shutil.rmtree(getattr(driver, "_cevns_profile", ""), ignore_errors=True)


def set_width(driver, width, height=1000):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def check_page(driver, path, width=WIDTH, screenshot=None):
    """Open one HTML file; return the list of problems as strings. Optionally save a full-page screenshot.

    At desktop widths (from DESKTOP_PX) every display equation, table and output must fit the text column; at
    phone widths they may scroll inside their boxes, but must be reachable and must not widen the page.
    """
    set_width(driver, width)
    driver.get_log("browser")                             # drop what earlier pages logged
    driver.get(Path(path).resolve().as_uri())
    opts = {"fitColumn": width >= DESKTOP_PX}
    problems = [f"{p['kind']}: {p['what']}" for p in driver.execute_async_script(CHECK_JS, opts)]
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE":
            problems.append(f"console error: {entry.get('message', '')[:200]}")
    if screenshot is not None:
        save_screenshot(driver, screenshot, width)
    return problems


@contextlib.contextmanager
def http_server(directory):
    """Serve ``directory`` on 127.0.0.1 at a free port, in a thread. Yields (base URL, requests), requests being
    the (path, HTTP status) of every request so far."""
    requests = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_request(self, code="-", size="-"):
            requests.append((self.path, int(getattr(code, "value", code))))

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


FAVICON_WAIT_S = 10


def served_page_problems(driver, base, path, requests, icon_request=True):
    """Open ``base/path`` over HTTP; the failed requests and console errors, as strings. With ``icon_request``, wait
    (at most FAVICON_WAIT_S) for the browser to ask for the page's icon, and report it when it never does."""
    driver.get_log("browser")
    before = len(requests)
    driver.get(f"{base}/{path}")
    deadline = time.monotonic() + FAVICON_WAIT_S
    asked = lambda: any("favicon" in p for p, _ in requests[before:])      # noqa: E731
    while icon_request and not asked() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)                                       # what the icon request logs arrives just after it
    problems = [f"request failed: {p} (HTTP {code})" for p, code in requests[before:] if code >= 400]
    problems += [f"console error: {e.get('message', '')[:200]}" for e in driver.get_log("browser")
                 if e.get("level") == "SEVERE"]
    if icon_request and not asked():
        problems.append(f"no favicon request within {FAVICON_WAIT_S} s")
    return problems


PAGE_HEIGHT_JS = "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)"
MAX_SHOT_PX = 16000


def save_screenshot(driver, path, width):
    """A full-page screenshot that shows the page as a reader sees it.

    The viewport is made as tall as the page (device-metrics override) and the page is captured inside its
    viewport; then the viewport is restored. ``Page.captureScreenshot`` with ``captureBeyondViewport`` is not
    used: for it Chromium re-renders the page beyond the viewport, and the book theme's ``position: sticky``
    sidebars (sized in ``vh``) then come out wrong: both sidebars vanish and the article is drawn shifted to
    the left, its first few hundred pixels cut off (what the earlier screenshots showed), while the layout
    that scripts see, and the reader sees, is unchanged. With the sidebars made static the same capture is
    correct, and a plain page without sticky elements is unaffected.
    """
    import base64

    driver.execute_script("window.scrollTo(0, 0)")
    height = 0
    for _ in range(3):                  # a taller viewport can change the page height (vh units): settle it
        new = min(max(int(driver.execute_script(PAGE_HEIGHT_JS)), 600), MAX_SHOT_PX)
        if new == height:
            break
        height = new
        set_width(driver, width, height)
    try:
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})
    finally:
        set_width(driver, width)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(base64.b64decode(shot["data"]))


def build_book(out_dir):
    """Build the book with stored outputs (no execution) into out_dir; return the html directory."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    local = config.get("sphinx", {}).get("local_extensions", {})
    for name, path in local.items():                      # relative to the config file's folder
        local[name] = str(ROOT / path)
    cfg = Path(out_dir) / "_config.yml"
    cfg.write_text(yaml.safe_dump(config, sort_keys=False))
    cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "--config", str(cfg),
           "--path-output", str(out_dir), "-W", "-n", "--keep-going", "--all"]
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    html = Path(out_dir) / "_build" / "html"
    assert run.returncode == 0 and (html / "index.html").exists(), f"book build failed:\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"
    return html


def book_pages(html):
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return [html / (f + ".html") for f in files]


# ---------------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def driver():
    try:
        drv = make_driver()
    except ChromiumMissing as exc:
        pytest.fail(str(exc))
    yield drv
    close_driver(drv)


@pytest.fixture(scope="module")
def http_driver():
    """A browser that reaches 127.0.0.1 only (host names do not resolve), for the book served over HTTP."""
    try:
        drv = make_driver(offline=False)
    except ChromiumMissing as exc:
        pytest.fail(str(exc))
    yield drv
    close_driver(drv)


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    return build_book(tmp_path_factory.mktemp("book"))


# ---------------------------------------------------------------------------------------------- tests

def synthetic_page(name, tmp_path):
    """A page of tests/browser_pages with the MathJax of the book's pinned package."""
    import importlib.util

    spec = importlib.util.find_spec("mathjax")
    tex = Path(spec.submodule_search_locations[0]) / "static" / "mathjax" / "es5" / "tex-chtml.js"
    page = tmp_path / name
    page.write_text((PAGES / name).read_text().replace("__MATHJAX__", tex.as_uri()))
    return page


def test_checks_catch_a_broken_page(driver, tmp_path):
    """The checks report each defect of the synthetic page (so a pass on the book means something)."""
    problems = check_page(driver, synthetic_page("broken.html", tmp_path))
    text = "\n".join(problems)
    assert "maths error" in text, text
    assert "display equation wider than the column" in text, text
    assert "figure without a numbered caption" in text, text
    assert "table wider than the column" in text, text
    assert "output or code block wider than the column" in text, text
    assert "console error" in text, text
    assert "image distorted" in text, text


def test_checks_catch_a_broken_page_on_a_phone(driver, tmp_path):
    """At phone width the column rule is off, but unreachable content and a page wider than the screen are not."""
    text = "\n".join(check_page(driver, synthetic_page("broken.html", tmp_path), PHONE_WIDTH))
    assert "cut off on the left" in text, text
    assert "page wider than the screen" in text, text
    assert "maths error" in text and "figure without a numbered caption" in text, text
    assert "table wider than the column" not in text, text


def test_checks_pass_a_clean_page(driver, tmp_path):
    assert check_page(driver, synthetic_page("clean.html", tmp_path)) == []
    assert check_page(driver, synthetic_page("clean.html", tmp_path), PHONE_WIDTH) == []


def check_book(driver, built_book, width, suffix):
    pages = book_pages(built_book)
    assert len(pages) >= 10 and all(p.exists() for p in pages), pages
    report = {}
    for page in pages:
        name = page.stem
        problems = check_page(driver, page, width, screenshot=SHOTS / f"{name}{suffix}.png")
        if problems:
            report[name] = problems
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"report{suffix}.json").write_text(json.dumps(report, indent=1))
    assert not report, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in report.items())


def test_every_page_of_the_book(driver, built_book):
    check_book(driver, built_book, WIDTH, "")


def test_every_page_of_the_book_on_a_phone(driver, built_book):
    check_book(driver, built_book, PHONE_WIDTH, "-phone")


def test_maths_is_served_by_the_book(built_book):
    """No page loads MathJax (or anything else) from a content-delivery network."""
    for page in book_pages(built_book):
        import re

        remote = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', page.read_text())
        assert not remote, (page, remote)



def test_every_page_links_the_book_icon(built_book):
    """Each page, the root redirect page included, names the icon, and the file is there (a page without one makes
    the browser ask for /favicon.ico; on the redirect page it depends on timing, so it is checked here)."""
    import re

    for page in [built_book / "index.html", *book_pages(built_book)]:
        links = re.findall(r'<link rel="icon" href="([^"]+)"', page.read_text())
        assert len(links) == 1 and links[0].endswith("_static/favicon.svg"), (page, links)
        assert (page.parent / links[0]).resolve() == (built_book / "_static" / "favicon.svg").resolve(), (page, links)
        assert (built_book / "_static" / "favicon.svg").is_file()

def test_served_checks_catch_a_page_without_an_icon(http_driver, tmp_path):
    """A page with no icon makes the browser ask the server for /favicon.ico: the 404 is reported."""
    (tmp_path / "page.html").write_text("<!DOCTYPE html><html><head><title>no icon</title></head>"
                                        "<body><p>A page without an icon.</p></body></html>")
    with http_server(tmp_path) as (base, requests):
        text = "\n".join(served_page_problems(http_driver, base, "page.html", requests))
    assert "request failed: /favicon.ico (HTTP 404)" in text, text
    assert "console error" in text and "favicon.ico" in text, text


def test_the_served_book_has_its_icon_and_no_failed_request(http_driver, built_book):
    """Served over HTTP, the book's pages load without a failed request or a console error, and the browser's
    icon request gets the book's SVG favicon."""
    with http_server(built_book) as (base, requests):
        problems = served_page_problems(http_driver, base, "index.html", requests)
        icons = sorted({(p, code) for p, code in requests if "favicon" in p})
        problems += served_page_problems(http_driver, base, "book/coherent_csi2017.html", requests, icon_request=False)
        with urllib.request.urlopen(f"{base}/_static/favicon.svg", timeout=10) as reply:
            kind, icon = reply.headers.get_content_type(), reply.read()
    assert not problems, "\n".join(problems)
    assert icons == [("/_static/favicon.svg", 200)], icons
    assert kind == "image/svg+xml" and icon.lstrip().startswith(b"<svg"), (kind, icon[:80])
    assert (ROOT / "book" / "_static" / "favicon.svg").read_bytes() == icon

# ---------------------------------------------------------------------------------------------- by hand

def main(argv=None):
    import argparse

    ap = argparse.ArgumentParser(description="check the rendered book in headless Chromium")
    ap.add_argument("--width", type=int, default=WIDTH)
    ap.add_argument("--html", help="an already built _build/html directory (default: build now)")
    ap.add_argument("--shots", default=str(SHOTS))
    ap.add_argument("pages", nargs="*")
    args = ap.parse_args(argv)
    html = Path(args.html) if args.html else build_book(tempfile.mkdtemp(prefix="cevns-book-"))
    pages = [Path(p) for p in args.pages] or book_pages(html)
    drv = make_driver(args.width)
    bad = 0
    try:
        for page in pages:
            problems = check_page(drv, page, args.width, Path(args.shots) / f"{page.stem}-{args.width}.png")
            bad += bool(problems)
            print(f"{page.stem}: {'ok' if not problems else ''}")
            for p in problems:
                print("   ", p)
    finally:
        close_driver(drv)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
