"""Light pages and a layout that works on a desktop (1280 px) and a phone (390 px),
in Chromium on the course site.

Weight: a cold load (a new browser context per page, so nothing is cached, in
Chromium as a reader runs it, whose policy decides which lazy figures load early)
of each representative page stays within its budget, counting every response
to a request made until `load`; the search index is left out (it loads when
search opens). The test server sends no compression, so a body's size is what
crossed the wire (headers aside). No HTML file of the site is over 250 KB, and
notebook pages link one shared stylesheet instead of inlining JupyterLab's.

Layout: nothing is wider than the window or cut off, except inside a block
that scrolls sideways, and such a block shows the cue (a shadow on the side
with more); a copy button covers no text of its code's first line; a figure
is shown at 75 % of its natural width or more, or links to its own file.
Those read the crawl (crawl_fixtures), which visits LAID_OUT at every width.
"""

from __future__ import annotations

import base64
import hashlib
import io
import random
import re
import struct
import zlib
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest
from mkdocs.exceptions import PluginError

from crawl_fixtures import crawl_fixture  # noqa: F401 - the fixture `crawl`
from execdoc.mkdocs import lighten as lighten_module
from execdoc.mkdocs.lighten import PALETTE_ERROR, light_png, lighten
from site_fixtures import CHAPTER, CODE, HOME_EN, HOME_ZH, LAID_OUT, NOTEBOOK, VIEWPORTS

BUDGET = 600_000  # bytes per page on a cold load, search index excluded
HTML_LIMIT = 250_000  # bytes per HTML file
SEARCH_INDEX = "/search/search_index.json"
DESKTOP, PHONE = VIEWPORTS[1280], VIEWPORTS[390]

# The FAQ (its HTML, the math font and, in Chinese, its first figure, within Chromium's lazy-loading
# distance of the first screen; the English page's lies 37 px past it) and the review page (its
# banks' questions load when one is due: test_review_lazy).
WEIGHED = [HOME_ZH, HOME_EN, CHAPTER, CODE, NOTEBOOK, "/en/notebooks/concepts/", "/faq/", "/en/faq/", "/review/"]
WINDOWS = [pytest.param(path, width, id=f"{path}-{width}") for path in LAID_OUT for width in (1280, 390)]


def cold_load(browser, url: str) -> dict[str, int]:
    """Body bytes of the response to each request a fresh page makes until `load`, and the
    figures Chromium's lazy loading fetches anyway (those near the first screen): whether
    they start before `load` is a matter of timing, so they always count."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    sizes = {}
    for request in list(requests):
        response = request.response()
        sizes[request.url] = len(response.body()) if response and response.status < 300 else 0
    context.close()
    return sizes


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def show(browser, site_url: str, path: str, viewport: dict):
    """The page at ``path`` with every figure loaded (lazy ones too) and Material's script done."""
    page = browser.new_page(viewport=viewport)
    page.goto(site_url + path, wait_until="load")
    page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=30_000)
    return page


@pytest.mark.parametrize("path", WEIGHED)
def test_a_cold_load_stays_within_the_page_budget(reader_browser, site_url, path):
    sizes = cold_load(reader_browser, site_url + path)
    counted = {url[len(site_url):]: n for url, n in sizes.items() if not url.endswith(SEARCH_INDEX)}
    total, heaviest = sum(counted.values()), sorted(counted.items(), key=lambda item: -item[1])[:4]
    assert path in counted  # the page itself was counted
    assert total <= BUDGET, f"{path}: {total} bytes; heaviest {heaviest}"


def test_no_html_file_of_the_site_is_over_250_kb(real_site):
    heavy = {p.relative_to(real_site).as_posix(): p.stat().st_size for p in html_files(real_site)
             if p.stat().st_size > HTML_LIMIT}
    assert heavy == {}


def test_notebook_pages_link_one_shared_stylesheet_and_inline_no_jupyter_css(real_site):
    notebooks = sorted((real_site / "notebooks").glob("*/index.html")) + sorted(
        (real_site / "en" / "notebooks").glob("*/index.html"))
    wrong = []
    for file in notebooks:
        page = file.read_text("utf-8")
        href = re.search(r'<link rel="stylesheet" href="([^"]*notebook\.css)">', page)
        target = (file.parent / href.group(1)).resolve() if href else None
        if target != (real_site / "execdoc" / "notebook.css").resolve() or "<style" in page or "jp-" not in page:
            wrong.append(file.relative_to(real_site).as_posix())
    assert len(notebooks) > 20 and wrong == []
    assert (real_site / "execdoc" / "notebook.css").stat().st_size < 20_000


def test_figures_are_files_with_their_size_and_no_page_embeds_a_png(real_site):
    embedded = [p.relative_to(real_site).as_posix() for p in html_files(real_site)
                if "data:image/png;base64," in p.read_text("utf-8")]
    figures = sorted((real_site / "execdoc" / "figures").glob("*.png"))
    page = (real_site / "code" / "vae" / "index.html").read_text("utf-8")
    images = re.findall(r'<a class="execdoc-zoom" href="([^"]+)"><img src="\1" width="\d+" height="\d+" ', page)
    assert embedded == []
    assert len(figures) > 10 and len(images) == 3
    assert all((real_site / "code" / "vae" / src).resolve() in {f.resolve() for f in figures} for src in images)


@pytest.mark.parametrize("path, width", WINDOWS)
def test_nothing_is_wider_than_the_window_and_every_scrolling_block_shows_the_cue(crawl, path, width):
    """The page as the crawl found it at ``width``, every figure loaded (site_fixtures.OVERFLOW)."""
    found = crawl[width]["pages"][path]["overflow"]
    assert (found["pageWidth"], found["wide"], found["cut"], found["uncued"]) == (width, [], [], [])


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", [CHAPTER, CODE, NOTEBOOK, "/en/notebooks/concepts/", "/faq/"])
def test_a_copy_button_covers_no_text_of_the_first_line(crawl, path, width):
    """The page's code blocks as the crawl found them at ``width`` (site_fixtures.COVERED)."""
    found = crawl[width]["pages"][path]["covered"]
    assert found["blocks"] > 3 and found["covered"] == []


def test_on_a_phone_notebook_code_takes_the_whole_column(browser, site_url):
    """No prompt column or margin squeezes a notebook's code: each cell is as wide as the article's text."""
    page = show(browser, site_url, NOTEBOOK, PHONE)
    widths = page.evaluate("""() => {
      const text = document.querySelector('article > p:not([class]), article .jp-RenderedMarkdown p');
      return [text.getBoundingClientRect().width,
              ...[...document.querySelectorAll('.jp-InputArea-editor')].map(e => e.getBoundingClientRect().width)];
    }""")
    page.close()
    column, cells = widths[0], widths[1:]
    assert len(cells) > 5 and column > 340 and [w for w in cells if w < column - 1] == []


def figure_pages(site: Path) -> list[str]:
    """Every page with an image in its article, as a URL path."""
    out = []
    for file in html_files(site):
        text = file.read_text("utf-8")
        article = text[text.find("<article"):text.find("</article>")]
        if "<img" in article:
            out.append("/" + file.relative_to(site).as_posix().removesuffix("index.html"))
    return out


def test_every_figure_is_legible_on_a_desktop_or_opens_at_full_size(crawl, real_site):
    """Each page's figures as the crawl found them at 1280 px, every one loaded (site_fixtures.SMALL_FIGURES)."""
    small, pages = [], figure_pages(real_site)
    for path in pages:
        small += [f"{path} {figure}" for figure in crawl[1280]["pages"][path]["figures"]]
    assert len(pages) > 20 and small == []


def test_the_full_size_link_opens_the_figure_file(browser, site_url):
    page = show(browser, site_url, "/faq/", DESKTOP)
    href = urljoin(page.url, page.locator("article a.execdoc-zoom").first.get_attribute("href"))
    response = page.request.get(href)
    status, kind, head = response.status, response.headers["content-type"], response.body()[:8]
    page.close()
    assert (status, kind, head) == (200, "image/png", b"\x89PNG\r\n\x1a\n")


def tiny_png(width: int, height: int) -> bytes:
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data  # noqa: E731
                                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def a_page(dest_uri: str, src_uri: str = "x.md"):
    return SimpleNamespace(file=SimpleNamespace(dest_uri=dest_uri, src_uri=src_uri))


def test_an_embedded_figure_becomes_a_file_linked_at_full_size(tmp_path):
    png = light_png(tiny_png(2, 1))
    name = f"execdoc/figures/{hashlib.sha256(png).hexdigest()[:16]}.png"
    html = f'<figure><img src="data:image/png;base64,{base64.b64encode(tiny_png(2, 1)).decode()}" alt="a"></figure>'
    out = lighten(html, a_page("en/x/index.html"), SimpleNamespace(site_dir=str(tmp_path)))
    assert out == (f'<figure><a class="execdoc-zoom" href="../../{name}"><img src="../../{name}" alt="a" '
                   f'width="2" height="1" loading="lazy"></a></figure>')
    assert (tmp_path / name).read_bytes() == png


def a_plot(colours: int, alpha: int = 255) -> bytes:
    """A figure of ``colours`` colours scattered on white: close ones (a 30 x 30 grid of red and green)
    up to 900, and far apart ones (a photograph's) beyond."""
    from PIL import Image

    rng = random.Random(0)
    grid = [(i % 30 * 8, i // 30 * 8, 200, alpha) if colours <= 900 else
            (rng.randrange(256), rng.randrange(256), rng.randrange(256), alpha) for i in range(colours)]
    image = Image.new("RGBA", (300, 120), (255, 255, 255, alpha))
    image.putdata([rng.choice(grid) if n % 300 < 250 else (255, 255, 255, alpha) for n in range(300 * 120)])
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pixels(png: bytes):
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGBA")


@pytest.mark.parametrize("colours, alpha, mode", [(200, 255, "P"), (900, 255, "P"), (5000, 255, "RGB"),
                                                  (900, 128, "RGBA")])
def test_a_figure_file_is_smaller_and_looks_the_same(colours, alpha, mode):
    """A palette of its own colours where it has 256 or fewer (exact), of 256 close ones where it has more
    (each channel within PALETTE_ERROR, white stays white), lossless where it is transparent or 256 colours
    would change it more (a photograph's many far-apart colours): always the
    same bytes (the file is named by them)."""
    from PIL import Image, ImageChops

    png = a_plot(colours, alpha)
    light = light_png(png)
    before, after = pixels(png), pixels(light)
    error = max(high for _, high in ImageChops.difference(before, after).getextrema())
    assert Image.open(io.BytesIO(light)).mode == mode and len(light) <= len(png) * (0.7 if mode == "P" else 1)
    assert error <= (PALETTE_ERROR if mode == "P" and colours > 256 else 0)
    assert after.getpixel((299, 119)) == before.getpixel((299, 119))  # the background
    assert lighten_module._reencode(png) == light


def test_a_notebook_page_drops_nbconverts_styles_and_keeps_the_notebooks_own(tmp_path):
    html = ('<script>copy</script><style>.jp-Cell{}</style>'
            '<script type="module">const d = document.querySelectorAll(".jp-Mermaid > pre.mermaid");</script>'
            '<div class="jupyter-wrapper"><style>#T_own{}</style><p>cell</p></div> <!-- jupyter-wrapper -->'
            '\n<style>[pygments]</style>\n')
    out = lighten(html, a_page("notebooks/x/index.html"), SimpleNamespace(site_dir=str(tmp_path)))
    assert out == ('<link rel="stylesheet" href="../../execdoc/notebook.css"><script>copy</script>'
                   '<div class="jupyter-wrapper"><style>#T_own{}</style><p>cell</p></div> <!-- jupyter-wrapper -->\n')


def test_an_embedded_png_that_is_not_one_fails_naming_the_page(tmp_path):
    with pytest.raises(PluginError, match=r"^execdoc: faq\.md: an embedded image/png is not a PNG \(it starts b'not a pn'\)$"):
        lighten('<img src="data:image/png;base64,bm90IGEgcG5n">', a_page("faq/index.html", "faq.md"),
                SimpleNamespace(site_dir=str(tmp_path)))
