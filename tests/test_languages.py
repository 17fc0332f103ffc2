"""One language per page: on the built course, the English site shows no
Chinese outside what is marked as Chinese, the Chinese pages are Chinese,
notebook pages (title, prose, figures) follow their language, each language
has its 404 page, the repository is linked and nothing is a placeholder; a
figure without a caption fails the build in one line."""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
import sys
import threading
import types
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from execdoc import ExecdocError
from execdoc.records import localise, store
from execdoc.snippets.parse import parse_text
from helpers import SITE_SOURCES

REPO = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
HIDDEN = ["script", "style", "code", "pre", "math", "svg", "textarea", "kbd", "samp"]
# The language switcher names each language in itself; the downloads line lists file names.
ALLOWED = ".md-select, .clipboard-copy-txt, .execdoc-downloads"
NO_ALT = "No description has been provided for this image"
PLACEHOLDERS = re.compile(r"‹|›|<本|本仓库地址|<repository|TODO|FIXME|\bTBD\b|lorem ipsum", re.I)


def soup_of(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_text("utf-8"), "html.parser")


def visible(soup: BeautifulSoup, other_lang: str) -> BeautifulSoup:
    """The page without code, math, scripts, the switcher, and what is marked as the other language."""
    for element in soup.find_all(HIDDEN) + soup.select(f"{ALLOWED}, [lang='{other_lang}']"):
        element.decompose()
    return soup


def html_pages(site: Path, english: bool) -> list[Path]:
    return [f for f in sorted(site.rglob("*.html")) if f.relative_to(site).parts[0] != "assets"
            and (f.relative_to(site).parts[0] == "en") == english]


def test_english_site_shows_no_chinese_outside_what_is_marked_chinese(real_site):
    found = {}
    for file in html_pages(real_site, english=True):
        soup = soup_of(file)
        assert soup.html["lang"] == "en", file
        page = visible(soup, "zh")
        texts = [page.get_text(" ")] + [img.get("alt", "") for img in page.find_all("img")]
        runs = sorted({run for text in texts for run in re.findall(CJK.pattern + "+", text)})
        if runs:
            found[file.relative_to(real_site).as_posix()] = runs
    assert found == {}
    english_pages = len(list((REPO / "docs").rglob("*.en.md"))) + len(NOTEBOOKS) + 1  # and en/404.html
    assert len(html_pages(real_site, english=True)) == english_pages


BLOCKS = ["p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "summary",
          "caption", "label", "div", "nav", "header", "footer", "article", "main", "body"]


def english_sentences(element) -> list[str]:
    """The blocks (their own text, inline elements included) of three or more English
    words and no Chinese at all."""
    out = []
    for block in element.find_all(BLOCKS):
        own = "".join(t for t in block.strings if t.find_parent(BLOCKS) is block)  # comments are not text
        text = " ".join(own.split())
        if len(re.findall(r"\b[A-Za-z]{3,}\b", text)) >= 3 and not CJK.search(text):
            out.append(text)
    return out


def test_every_chinese_page_is_marked_chinese_and_its_prose_is_chinese(real_site):
    found = {}
    for file in html_pages(real_site, english=False):
        if file.name != "index.html" and file.name != "404.html":
            continue  # search/, a generated download preview: no page
        soup = soup_of(file)
        assert soup.html["lang"] == "zh", file
        page = visible(soup, "en")
        english = english_sentences(page.body)
        if english:
            found[file.relative_to(real_site).as_posix()] = english[:3]
    assert found == {}


NOTEBOOKS = sorted(p.stem for p in (REPO / "docs" / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_page_title_and_first_paragraph_are_in_the_page_language(real_site, name):
    for prefix, lang in (("", "zh"), ("en/", "en")):
        soup = soup_of(real_site / f"{prefix}notebooks/{name}/index.html")
        h1 = soup.select_one("article h1").get_text("").rstrip("¶")
        first = soup.select_one("article .jp-MarkdownCell p").get_text("")
        title = soup.title.get_text()
        if lang == "zh":
            assert len(CJK.findall(h1)) >= 4 and title.startswith(h1) and title.endswith("深度学习：原理与 Python 实战")
            assert len(CJK.findall(first)) >= 30, first
        else:
            assert not CJK.search(h1 + title + first) and title == f"{h1} - Deep Learning: Principles and Python Practice"
            assert len(re.findall(r"\b[A-Za-z]{3,}\b", first)) >= 12, first
        # the navigation's entry for this page carries the same title
        assert soup.select_one(".md-nav__link--active").get_text(" ").split() == h1.split()


def test_every_figure_has_a_description_in_its_language_not_a_file_name(real_site):
    bad, count = [], 0
    for english in (False, True):
        for file in html_pages(real_site, english):
            for img in soup_of(file).select("article img"):
                alt, count = (img.get("alt") or "").strip(), count + 1
                if (not alt or alt == NO_ALT or re.search(r"\.(py|ipynb|png)\b|#\w|^(图|Figure) \d", alt)
                        or bool(CJK.search(alt)) == english or len(alt) < 12):
                    bad.append(f"{file.relative_to(real_site)}: {alt!r}")
    assert bad == [] and count >= 2 * (32 + 30)


def test_repository_linked_on_every_page_and_cloned_on_the_home_pages(real_site):
    from coursekit import repo

    assert repo.URL.startswith("https://") and repo.NAME in repo.URL
    for english in (False, True):
        for file in html_pages(real_site, english):
            if file.name != "index.html" or "search" in file.parts:
                continue
            links = soup_of(file).select("a.md-source")  # in the header and in the drawer
            assert links and {a["href"] for a in links} == {repo.URL}, file
            assert not soup_of(file).select('[data-md-component="source"]'), file  # no GitHub API request
    for home in ("index.html", "en/index.html"):
        text = " ".join(soup_of(real_site / home).get_text(" ").split())
        assert f"git clone {repo.URL} dl-course && cd dl-course" in text


def test_no_placeholder_on_any_page_in_either_language(real_site):
    found = []
    for file in sorted(real_site.rglob("*.html")):
        soup = soup_of(file)
        for element in soup.find_all(["script", "style"]):  # the theme's own code, not the site's text
            element.decompose()
        attributes = [v for tag in soup.find_all(True) for k, v in tag.attrs.items() if k != "src"]
        text = soup.get_text(" ") + " ".join(map(str, attributes))
        found += [f"{file.relative_to(real_site)}: {m.group(0)}" for m in PLACEHOLDERS.finditer(text)]
    assert found == []


def test_each_language_has_its_own_404_page(real_site):
    zh, en = soup_of(real_site / "404.html"), soup_of(real_site / "en" / "404.html")
    assert (zh.html["lang"], zh.select_one("article h1").get_text()) == ("zh", "404 - 找不到页面")
    assert (en.html["lang"], en.select_one("article h1").get_text()) == ("en", "404 - Page not found")
    assert "Not found" not in zh.get_text() and not CJK.search(visible(en, "zh").get_text())


class PagesHandler(SimpleHTTPRequestHandler):
    """As GitHub Pages: a missing path is answered with /404.html, status 404."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.exists() and (path.is_file() or (path / "index.html").exists()):
            return super().send_head()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@pytest.mark.parametrize("missing, url, heading", [
    ("/no/such/page/", "/no/such/page/", "404 - 找不到页面"),
    ("/en/no/such/page/", "/en/404.html", "404 - Page not found"),
])
def test_a_missing_page_answers_in_the_language_of_its_address(browser, real_site, missing, url, heading):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PagesHandler, directory=str(real_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = browser.new_page()
        page.goto(base + missing)
        page.wait_for_url(base + url)
        assert page.locator("article h1").inner_text() == heading
        page.close()
    finally:
        server.shutdown()
        server.server_close()


# --- a figure without a caption fails the build, in one line ------------------------------



@pytest.fixture
def course_copy(tmp_path) -> Path:
    for rel in SITE_SOURCES:
        source, target = REPO / rel, tmp_path / rel
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    return tmp_path


def build_errors(root: Path) -> list[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "EXECDOC_EXECUTE": "false"}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")],
                         cwd=root, capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 1, run.stderr[-2000:]
    return [line for line in run.stderr.splitlines() if line.startswith("ERROR")]


def test_a_page_figure_without_a_caption_fails_the_build_naming_page_and_reference(course_copy):
    page = course_copy / "docs" / "code" / "cnn.md"
    text = page.read_text("utf-8")
    page.write_text(re.sub(r'```snippet caption="[^"]*"\ncnn\.py#confusion', "```snippet\ncnn.py#confusion", text),
                    "utf-8")
    assert build_errors(course_copy) == [
        "ERROR   -  Error reading page 'code/cnn.md':",
        "ERROR   -  code/cnn.md: snippet reference 'cnn.py#confusion': its figure has no caption: describe it "
        "on the fence, caption=\"…\" (shown under the figure, read as its alt text)"]


def test_a_notebook_figure_without_a_caption_fails_the_build_naming_page_snippet_and_cell(course_copy):
    record = course_copy / "docs" / "notebooks" / "lstm.ipynb"
    notebook = nbformat.read(record, as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get("title") == "forecast":
            del cell.metadata["caption"]["en"]  # metadata is outside the digest: the record stays valid
    nbformat.write(notebook, record)
    assert build_errors(course_copy) == [
        "ERROR   -  execdoc: notebooks/lstm.ipynb: lstm.py, cell 'forecast': its figure has no caption in 'en'; "
        'describe it in the cell\'s header: # %% forecast caption={"zh": "…", "en": "…"}']


# --- the record in one language, and prose refreshed without executing --------------------

LANGS = ("zh", "en")


def record(*cells: dict) -> dict:
    return {"cells": list(cells), "metadata": {}}


def md(lang: str | None, text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {"lang": lang} if lang else {}, "source": text}


FIGURE = {"cell_type": "code", "metadata": {"title": "plot", "caption": {"zh": "一条线", "en": "A line"}},
          "source": "", "outputs": [{"output_type": "display_data", "data": {"image/png": "iVBOR"}}]}


def test_a_record_in_one_language_keeps_that_language_s_prose_and_its_captions():
    copy, captions = localise.localise(record(md("zh", "# 标题"), md("en", "# Title"), FIGURE), "en", LANGS)
    assert [c["source"] for c in copy["cells"]] == ["# Title", ""] and captions == ["A line"]


@pytest.mark.parametrize("cells, message", [
    ([md(None, "# Title")], "Markdown cell 1 names no language: in a site in zh, en each Markdown cell says which "
                            "it is in, e.g. '# %% [markdown] lang=\"zh\"'"),
    ([md("fr", "# Titre")], 'Markdown cell 1 has lang="fr", not one of the site\'s languages (zh, en)'),
    ([md("zh", "# 标题")], 'prose in zh but none in \'en\': add a Markdown cell with lang="en"'),
    ([md("en", "# T"), {**FIGURE, "metadata": {"title": "plot", "caption": "A line"}}],
     "cell 'plot': its figure has no caption in 'en'; describe it in the cell's header: "
     '# %% plot caption={"zh": "…", "en": "…"}'),
])
def test_a_record_that_is_not_in_every_language_fails_naming_the_cell(cells, message):
    with pytest.raises(ExecdocError) as error:
        localise.localise(record(*cells), "en", LANGS)
    assert str(error.value) == message


def test_prose_refresh_follows_markdown_cells_added_and_removed_keeping_every_output():
    kept = nbformat.read(REPO / "docs" / "notebooks" / "backprop.ipynb", as_version=4)
    text = (REPO / "snippets" / "backprop.py").read_text("utf-8")
    one = re.sub(r'# %% \[markdown\] lang="en"\n(#.*\n)+\n', "", text)  # the English cell taken out
    code = [(c.source, c.outputs) for c in kept.cells if c.cell_type == "code"]
    for source, cells in ((one, 1), (text, 2)):
        snippet = types.SimpleNamespace(notebook=parse_text(Path("backprop.py"), source)[0])
        assert store.refresh_prose(kept, snippet)
        assert [c.metadata.get("lang") for c in kept.cells if c.cell_type == "markdown"] == ["zh", "en"][:cells]
        assert [(c.source, c.outputs) for c in kept.cells if c.cell_type == "code"] == code
        assert [c.id for c in kept.cells] == [f"c{n:02d}" for n in range(len(kept.cells))]
        assert kept.metadata.execdoc.digest == store.digest(kept) and not store.refresh_prose(kept, snippet)
    assert kept == nbformat.read(REPO / "docs" / "notebooks" / "backprop.ipynb", as_version=4)
