"""The site as readers meet it: both languages, offline, search, math, links,
no console errors, screenshots and accessibility, in Chromium on 127.0.0.1."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from crawl_fixtures import crawl_fixture  # noqa: F401 - the fixture `crawl`
from site_fixtures import pages

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


class Links(HTMLParser):
    """hrefs, srcs and ids of one page."""

    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        self.links += [attrs[key] for key in ("href", "src") if attrs.get(key)]


def parse(file: Path) -> Links:
    parser = Links()
    parser.feed(file.read_text("utf-8"))
    return parser


def target_file(site: Path, page: str, link: str) -> tuple[Path, str] | None:
    parts = urlsplit(urljoin("http://x" + page, link))
    if parts.netloc != "x":
        return None
    path = site / unquote(parts.path).lstrip("/")
    if path.is_dir() or parts.path.endswith("/"):
        path = path / "index.html"
    return path, parts.fragment


def test_every_page_exists_in_both_languages():
    zh = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if not p.name.endswith(".en.md")}
    en = {p.relative_to(DOCS).as_posix().replace(".en.md", ".md") for p in DOCS.rglob("*.en.md")}
    assert sorted(zh - en) == [], "pages without an English version"
    assert sorted(en - zh) == [], "English pages without a Chinese original"


def test_no_broken_internal_links_or_anchors(real_site):
    broken = []
    cache: dict[Path, Links] = {}
    for page in pages(real_site):
        file = real_site / page.lstrip("/") / "index.html" if page.endswith("/") else real_site / page.lstrip("/")
        for link in parse(file).links:
            if link.startswith(("data:", "mailto:", "javascript:")):
                continue
            found = target_file(real_site, page, link)
            if found is None:
                continue
            path, fragment = found
            if not path.exists():
                broken.append(f"{page}: {link} (no {path.relative_to(real_site)})")
            elif fragment and path.suffix == ".html":
                if path not in cache:  # each page parsed once, however many links point into it
                    cache[path] = parse(path)
                ids = cache[path].ids
                if unquote(fragment) not in ids:
                    broken.append(f"{page}: {link} (no id '{fragment}')")
    assert broken == []


def test_every_page_is_offline_and_error_free(crawl, real_site):
    """Every page loads in a few tabs at once (the crawl, at 1280 px); every request any page makes
    is recorded from the start, until the crawl leaves it, and so is every console or page error."""
    desktop, visited = crawl[1280], pages(real_site)
    assert len(visited) > 40
    assert sorted(set(desktop["loaded"])) == sorted(visited)
    assert desktop["external"] == []
    assert desktop["errors"] == []


def test_language_switcher_keeps_the_reader_on_the_same_page(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/algorithms/backprop/", wait_until="networkidle")
    english = page.eval_on_selector("a[hreflang='en']", "e => e.getAttribute('href')")
    page.goto(urljoin(site_url + "/algorithms/backprop/", english), wait_until="networkidle")
    assert urlsplit(page.url).path == "/en/algorithms/backprop/"
    assert page.get_attribute("html", "lang") == "en"
    chinese = page.eval_on_selector("a[hreflang='zh']", "e => e.getAttribute('href')")
    page.goto(urljoin(page.url, chinese), wait_until="networkidle")
    assert urlsplit(page.url).path == "/algorithms/backprop/"
    page.close()


def test_code_blocks_have_copy_buttons(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/algorithms/backprop/", wait_until="networkidle")
    blocks = page.locator(".execdoc-cell .highlight pre").count()
    buttons = page.locator(".execdoc-cell .highlight pre button[data-md-type='copy']").count()
    page.close()
    assert blocks > 3 and buttons == blocks


@pytest.mark.parametrize("path, scheme", [
    ("/", "default"), ("/algorithms/backprop/", "default"),
    ("/en/", "default"), ("/en/algorithms/backprop/", "slate"),
])
def test_screenshots_of_home_and_a_chapter_in_both_languages(browser, site_url, path, scheme, tmp_path):
    """The page as a reader first sees it: the header, the navigation and the article's heading
    inside the 1280×900 window, in the colour scheme asked for; the picture goes to tmp_path."""
    page = browser.new_page(viewport={"width": 1280, "height": 900},
                            color_scheme="dark" if scheme == "slate" else "light")
    page.goto(site_url + path, wait_until="load")
    assert page.get_attribute("body", "data-md-color-scheme") == scheme
    shot = tmp_path / ((path.strip("/").replace("/", "_") or "home") + f"_{scheme}.png")
    png = page.screenshot(path=str(shot), full_page=False)
    seen = {name: page.locator(selector).first.bounding_box()
            for name, selector in (("header", "header.md-header"), ("heading", "article h1"))}
    heading = page.inner_text("article h1").strip()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.close()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png_size(png) == (1280, 900) and shot.read_bytes() == png
    assert heading != ""
    for name, box in seen.items():  # visible, and within the window
        assert box is not None and box["width"] > 0 and box["height"] > 0, name
        assert 0 <= box["y"] and box["y"] + box["height"] <= 900, (name, box)
    dark = sum(int(c) for c in re.findall(r"\d+", background)[:3]) < 3 * 128
    assert dark == (scheme == "slate"), background


def png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


@pytest.mark.parametrize("path", ["/", "/concepts/cnn/", "/algorithms/backprop/", "/en/code/cnn/",
                                  "/notebooks/backprop/"])
def test_no_serious_accessibility_violations(browser, site_url, path):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    page.goto(site_url + path, wait_until="networkidle")
    # Material makes a code block that scrolls sideways focusable (tabindex) once
    # it has measured it, after load; on a busy machine axe could run first.
    page.wait_for_function("() => [...document.querySelectorAll('pre > code')]"
                           ".every(c => c.scrollWidth <= c.clientWidth || c.hasAttribute('tabindex'))",
                           timeout=30_000)
    results = Axe().run(page)
    page.close()
    serious = [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
