"""Shared by the site tests: build a site, serve it on 127.0.0.1,
and drive Debian's Chromium through Playwright; crawl every page of a site
at a desktop and a phone width with one probe (crawl_fixtures keeps it).

In CI (CI=true) a missing browser is a failure; elsewhere those tests skip.
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Debian's Chromium, as a reader runs it. Where a page's weight depends on the browser's own
# policy (which lazy figures it fetches early), the tests read it in this one.
READER = "/usr/bin/chromium"
# The browser every other test drives: Debian's chromium-headless-shell, Chromium's headless mode
# without a window (the one Playwright runs for headless=True). It is the same Blink; a page costs a
# third less CPU there, a new context a quarter of what it costs in READER. Without it (GitHub's Ubuntu
# has no such package), READER.
SHELL = "/usr/bin/chromium-headless-shell"
CHROMIUM = SHELL if Path(SHELL).exists() else READER
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def build_site(root: Path, dest: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of the site in ``root``, as `make site` runs it: execdoc may execute
    stale snippets (the build's report, ``root/build/exec-report.json``, says whether any ran)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("EXECDOC_EXECUTE", None)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
                          cwd=root, capture_output=True, text=True, env=env, timeout=900)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def require_browser(path: str = CHROMIUM):
    if Path(path).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{path} is missing: CI must install Debian's chromium (see .ci/run)")
    pytest.skip(f"{path} is not installed")


def pages(site: Path) -> list[str]:
    """Every HTML page of the site, as URL paths ('/', '/en/algorithms/backprop/')."""
    out = []
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        if rel in ("404.html", "en/404.html"):
            continue
        out.append("/" + rel.removesuffix("index.html"))
    return out


# ---------------------------------------------------------------- the crawl: each width's pages, once

VIEWPORTS = {1280: {"width": 1280, "height": 800}, 390: {"width": 390, "height": 844}}
# Pages whose layout test_weight_layout reads at every width (a chapter, a code page, a notebook, the homes...).
HOME_ZH, HOME_EN, CHAPTER, CODE, NOTEBOOK = "/", "/en/", "/algorithms/backprop/", "/code/vae/", "/notebooks/cnn/"
LAID_OUT = [HOME_ZH, HOME_EN, CHAPTER, CODE, NOTEBOOK, "/faq/", "/performance/", "/trends/",
            "/en/notebooks/gan_seed/", "/en/notebooks/concepts/"]
AT_ONCE = 1  # pages loading at once in one crawl: two xdist workers crawl at once, and a second tab
# each costs a fifth more CPU (pages compete for the same two cores) for no shorter wall time
SETTLE_MS = 30_000  # the longest a page's figures and fonts may take to load

# The page at rest: every figure loaded (lazy ones too) and the fonts ready; false if not within SETTLE_MS.
SETTLE = """async () => {
  document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; });
  const loaded = i => i.complete || new Promise(done => ['load', 'error'].forEach(e => i.addEventListener(e, done)));
  const late = new Promise(done => setTimeout(() => done(false), %d));
  const settled = await Promise.race([Promise.all([...document.images].map(loaded)).then(() => true), late]);
  await Promise.race([document.fonts.ready, late]);
  return settled && document.fonts.status === 'loaded';
}""" % SETTLE_MS

# Each run of text outside code and math (what rawtex.HIDDEN leaves out), after the page's
# scripts ran, one per block; and the text of each formula.
TEXTS = """() => {
  const hidden = 'code, pre, math, script, style, textarea, kbd, samp, template, .clipboard-copy-txt';
  const block = 'p, li, td, th, dt, dd, h1, h2, h3, h4, h5, h6, summary, figcaption, blockquote, label, div';
  const runs = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(hidden)) continue;
    const key = parent.closest(block) || document.body;
    runs.set(key, (runs.get(key) || '') + node.data);
  }
  return {prose: [...runs.values()], math: [...document.querySelectorAll('math')].map(m => m.textContent)};
}"""

# Each display formula: how wide its content is and how it sits in its box and its column.
BOXES = """() => [...document.querySelectorAll('.math-display')].map((box, index) => {
  const math = box.querySelector('math'), r = box.getBoundingClientRect();
  const kids = [...math.children].map(k => k.getBoundingClientRect());
  const left = Math.min(...kids.map(k => k.left)), right = Math.max(...kids.map(k => k.right));
  return {index, width: right - left, cutLeft: r.left - left, client: box.clientWidth, scroll: box.scrollWidth,
          hidden: right - (r.left + box.clientLeft + box.clientWidth),
          overflow: getComputedStyle(box).overflowX, right: r.right, column: box.parentElement.clientWidth,
          boxWidth: r.width, viewport: document.documentElement.clientWidth};
})"""

# Elements of the article that reach past the window, or past an ancestor that clips them,
# outside any block that scrolls; and blocks that scroll sideways without the cue.
OVERFLOW = """() => {
  const W = document.documentElement.clientWidth, out = {wide: [], cut: [], uncued: []};
  const name = e => e.tagName.toLowerCase() + [...e.classList].slice(0, 2).map(c => '.' + c).join('');
  const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  for (const e of document.querySelectorAll('article *')) {
    const s = getComputedStyle(e);
    if (scrolls(e) && e.scrollWidth > e.clientWidth + 1
        && !(s.backgroundAttachment.includes('local') && s.backgroundImage.includes('gradient')))
      out.uncued.push(name(e));
    const r = e.getBoundingClientRect();
    if (!r.width) continue;
    let box = e.parentElement;
    while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
    const clip = box && box !== document.body ? box.getBoundingClientRect() : {left: 0, right: W};
    if (r.right > clip.right + 1 || r.left < clip.left - 1) {
      if (!box || box === document.body) out.wide.push(name(e));
      else if (!scrolls(box)) out.cut.push(name(e) + ' in ' + name(box));
    }
  }
  out.pageWidth = document.documentElement.scrollWidth;
  return out;
}"""

# Figures of the article: shown below 75 % of their natural width and not a link to their own file.
SMALL_FIGURES = """() => [...document.querySelectorAll('article img')].flatMap(img => {
  const shown = img.getBoundingClientRect().width, link = img.closest('a[href]');
  if (!img.naturalWidth) return [`${img.alt}: not loaded`];
  if (shown >= 0.75 * img.naturalWidth || (link && link.href === img.src)) return [];
  return [`${img.alt}: ${Math.round(shown)} of ${img.naturalWidth} px, no link to the full size`];
})"""

# Code blocks with a copy button (Material's, and the notebook pages'): the first line's
# visible text boxes that the button overlaps.
COVERED = """() => {
  const blocks = [...document.querySelectorAll('article pre')]
    .filter(p => p.querySelector(':scope > .md-code__nav'))
    .map(p => [p.querySelector(':scope > code'), p.querySelector(':scope > .md-code__nav')]);
  for (const e of document.querySelectorAll('.jupyter-wrapper .jp-InputArea-editor'))
    blocks.push([e.querySelector('.highlight-ipynb pre'), e.querySelector('.zeroclipboard-container')]);
  const covered = [];
  for (const [code, button] of blocks) {
    const walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT), line = document.createRange();
    let node, started = false;
    while ((node = walk.nextNode())) {
      if (!started) { line.setStart(node, 0); started = true; }
      const end = node.data.indexOf('\\n');
      line.setEnd(node, end < 0 ? node.data.length : end);
      if (end >= 0) break;
    }
    const b = button.getBoundingClientRect(), view = code.getBoundingClientRect();
    for (const r of line.getClientRects()) {
      const left = Math.max(r.left, view.left), right = Math.min(r.right, view.right);
      if (right > left && left < b.right && right > b.left && r.top < b.bottom && r.bottom > b.top) {
        covered.push(code.textContent.split('\\n')[0].slice(0, 40)); break;
      }
    }
  }
  return {blocks: blocks.length, covered};
}"""


# The one probe each page runs at each width, once at rest; the text (TEXTS) only where asked for.
PROBE = (f"async withTexts => {{ const settled = await ({SETTLE})(); return {{settled, "
         f"texts: withTexts ? ({TEXTS})() : null, boxes: ({BOXES})(), overflow: ({OVERFLOW})(), "
         f"figures: ({SMALL_FIGURES})(), covered: ({COVERED})()}}; }}")
TEXTS_AT = 1280  # the page's text is the same at every width: it is gathered at this one
HIDE_MATH = ".math-display math { visibility: hidden; }"  # the cue is drawn behind the formula


def math_pages(site: Path) -> list[str]:
    """The pages with a display formula (test_math_render reads each one's formulas at every width)."""
    return [p for p in pages(site) if 'class="math-display"' in (site / p.lstrip("/") / "index.html").read_text("utf-8")]


def crawled(site: Path, width: int) -> list[str]:
    """The pages the crawl visits at ``width``: at TEXTS_AT every page (its text, its figures, what it asks for
    and logs); at another width what the tests read there, the layout sample and every page with a formula."""
    every = pages(site)
    if width == TEXTS_AT:
        return every
    wanted = set(LAID_OUT) | set(math_pages(site))
    return [p for p in every if p in wanted]


def out_of_sight(box: dict) -> bool:
    """A display formula (a BOXES entry) with a part past its box's visible right edge."""
    return box["hidden"] > 1


def darkest(png: bytes, side: str, strip: int = 6) -> int:
    """The darkest grey level of the ``strip`` pixels at the ``side`` ('left', 'right') of a screenshot."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    box = (width - strip, 0, width, height) if side == "right" else (0, 0, strip, height)
    return min(image.crop(box).tobytes())


def edges(png: bytes) -> dict[str, int]:
    return {side: darkest(png, side) for side in ("left", "right")}


def record_cues(tab, boxes: list[dict]) -> None:
    """Into each formula out of sight, ``cue``: its box's edges scrolled to the start and to the end,
    the formula hidden (only pages with such a formula pay for the screenshots)."""
    wide = [b for b in boxes if out_of_sight(b)]
    if wide:
        tab.add_style_tag(content=HIDE_MATH)
    for b in wide:
        box = tab.locator(".math-display").nth(b["index"])
        start = box.screenshot()
        box.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
        end = box.screenshot()
        box.evaluate("box => { box.scrollLeft = 0; }")
        b["cue"] = {"start": edges(start), "end": edges(end)}


def crawl_width(browser, origin: str, paths: list[str], width: int) -> dict:
    """Every page in ``paths`` at ``width``, AT_ONCE tabs at a time: what PROBE found on each, the
    pages whose `load` fired, every request to another origin and every console or page error.
    Each tab has a context (a window) of its own: Chromium draws a screenshot of a tab that shares
    its window with others only after seconds."""
    out = {"loaded": [], "external": [], "errors": [], "pages": {}}
    local = lambda url: url[len(origin):] if url.startswith(origin) else url  # noqa: E731
    contexts = [browser.new_context(viewport=VIEWPORTS[width]) for _ in range(min(AT_ONCE, len(paths)))]
    tabs = []
    for context in contexts:
        # A request is seen when it starts, so what a page asks for until it is left is recorded.
        context.on("request", lambda r: out["external"].append(r.url)
                   if not r.url.startswith((origin, "data:", "blob:")) else None)
        tab = context.new_page()
        tab.on("console", lambda m, tab=tab: out["errors"].append(f"{local(tab.url)}: {m.text}")
               if m.type == "error" else None)
        tab.on("pageerror", lambda e, tab=tab: out["errors"].append(f"{local(tab.url)}: {e}"))
        tab.on("load", lambda tab=tab: out["loaded"].append(local(tab.url)))
        tabs.append(tab)
    todo, going = deque(paths), deque()

    def start(tab):  # the navigation starts; the tab loads while the others are probed
        if todo:
            path = todo.popleft()
            tab.evaluate("url => { window.location.href = url; }", origin + path)
            going.append((tab, path))

    for tab in tabs:
        start(tab)
    while going:
        tab, path = going.popleft()
        tab.wait_for_url(origin + path, wait_until="load")
        found = tab.evaluate(PROBE, width == TEXTS_AT)
        if not found["settled"]:
            raise AssertionError(f"{path} at {width} px: figures or fonts still loading after {SETTLE_MS} ms")
        record_cues(tab, found["boxes"])
        out["pages"][path] = found
        start(tab)
    for tab in tabs:  # what the last pages ask for after `load` is recorded too
        tab.wait_for_load_state("networkidle")
    for context in contexts:
        context.close()
    return out


def crawl(site: Path, width: int, paths: list[str]) -> dict:
    """The site served on 127.0.0.1 and the pages at ``paths`` visited in Chromium at ``width``
    (crawl_width), in a thread of its own: a test module may hold Playwright open in this one."""
    def run() -> dict:
        from playwright.sync_api import sync_playwright

        server = serve(site)
        try:
            with sync_playwright() as p:
                chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                return crawl_width(chromium, f"http://127.0.0.1:{server.server_address[1]}", paths, width)
        finally:
            server.shutdown()
            server.server_close()

    with ThreadPoolExecutor(1) as thread:
        return thread.submit(run).result()
