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
from lxml import etree, html

from execdoc import ExecdocError
from execdoc.records import localise, store
from execdoc.snippets.parse import parse_text
from helpers import SITE_SOURCES

REPO = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
HIDDEN = ["script", "style", "code", "pre", "math", "svg", "textarea", "kbd", "samp"]
NO_ALT = "No description has been provided for this image"
PLACEHOLDERS = re.compile(r"‹|›|<本|本仓库地址|<repository|TODO|FIXME|\bTBD\b|lorem ipsum", re.I)


UTF8 = html.HTMLParser(encoding="utf-8")


def page_of(file: Path) -> html.HtmlElement:
    return html.document_fromstring(file.read_bytes(), parser=UTF8)


def having(css_class: str) -> str:
    """An XPath test for an element with ``css_class`` among its classes."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {css_class} ')"


def first(page: html.HtmlElement, xpath: str) -> html.HtmlElement | None:
    return next(iter(page.xpath(xpath)), None)


def text(element: html.HtmlElement, separator: str = " ") -> str:
    """Its text as a reader sees it in the source, comments left out, each run of it joined by ``separator``."""
    return separator.join(element.itertext())


# The language switcher names each language in itself; the downloads line lists file names.
ALLOWED = " or ".join(having(c) for c in ("md-select", "clipboard-copy-txt", "execdoc-downloads"))


def visible(page: html.HtmlElement, other_lang: str) -> html.HtmlElement:
    """The page without code, math, scripts, the switcher, and what is marked as the other language."""
    tags = " or ".join(f"self::{tag}" for tag in HIDDEN)
    for element in page.xpath(f"//*[{tags} or {ALLOWED} or @lang='{other_lang}']"):
        if element.getparent() is not None:
            element.drop_tree()  # its tail, the text after it, stays
    return page


def html_pages(site: Path, english: bool) -> list[Path]:
    return [f for f in sorted(site.rglob("*.html")) if f.relative_to(site).parts[0] != "assets"
            and (f.relative_to(site).parts[0] == "en") == english]


BLOCKS = {"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "summary",
          "caption", "label", "div", "nav", "header", "footer", "article", "main", "body"}


def english_sentences(element: html.HtmlElement) -> list[str]:
    """The blocks (their own text, inline elements included) of three or more English
    words and no Chinese at all."""
    out = []

    def own_text(block) -> str:  # its text, and that of its inline children, not of nested blocks
        parts = [block.text or ""] if isinstance(block.tag, str) else []  # a comment's text is no text
        for child in block:
            if not isinstance(child.tag, str) or child.tag not in BLOCKS:
                parts.append(own_text(child))
            parts.append(child.tail or "")
        return "".join(parts)

    for block in element.iterdescendants(*BLOCKS):
        words = " ".join(own_text(block).split())
        if len(re.findall(r"\b[A-Za-z]{3,}\b", words)) >= 3 and not CJK.search(words):
            out.append(words)
    return out


def page_facts(site: Path, file: Path) -> dict:
    """What the tests below read from one page, parsed once: its language, the figures' alt
    texts, the repository links, placeholders, then (without code, math and what is marked
    as the other language) its visible Chinese runs and its English-only blocks."""
    page = page_of(file)
    english = file.relative_to(site).parts[0] == "en"
    facts = {
        "lang": page.get("lang"),
        "alts": [(img.get("alt") or "").strip() for img in page.xpath("//article//img")],
        "sources": [a.get("href") for a in page.xpath(f"//a[{having('md-source')}]")],
        "source_component": bool(page.xpath("//*[@data-md-component='source']")),
        "title": page.findtext(".//title") or "",
    }
    h1, lead, active = (first(page, x) for x in
                        ("//article//h1", f"//article//*[{having('jp-MarkdownCell')}]//p",
                         f"//*[{having('md-nav__link--active')}]"))
    facts["notebook"] = [text(h1, "").rstrip("¶") if h1 is not None else None,
                         text(lead, "") if lead is not None else None,
                         text(active) if active is not None else None]
    for element in page.xpath("//script | //style"):  # the theme's own code, not the site's text
        element.drop_tree()
    attributes = [v for tag in page.iter(etree.Element) for k, v in tag.attrib.items() if k != "src"]
    whole = text(page)
    facts["placeholders"] = [m.group(0) for m in PLACEHOLDERS.finditer(whole + " ".join(attributes))]
    facts["text"] = " ".join(whole.split())
    shown = visible(page, "zh" if english else "en")
    if english:
        texts = [text(shown)] + [img.get("alt", "") for img in shown.iter("img")]
        facts["chinese"] = sorted({run for t in texts for run in re.findall(CJK.pattern + "+", t)})
    else:
        body = shown.find("body")
        facts["english"] = english_sentences(body) if body is not None else []
    return facts


@pytest.fixture(scope="module")
def facts(real_site) -> dict[str, dict]:
    """Every HTML page's facts, by path relative to the site: each page parsed once for the module."""
    return {file.relative_to(real_site).as_posix(): page_facts(real_site, file)
            for file in sorted(real_site.rglob("*.html")) if file.relative_to(real_site).parts[0] != "assets"}


def in_language(facts: dict, english: bool) -> dict[str, dict]:
    return {rel: f for rel, f in facts.items() if (rel.split("/")[0] == "en") == english}


def test_english_site_shows_no_chinese_outside_what_is_marked_chinese(facts):
    english = in_language(facts, english=True)
    assert {rel: f["lang"] for rel, f in english.items() if f["lang"] != "en"} == {}
    assert {rel: f["chinese"] for rel, f in english.items() if f["chinese"]} == {}
    english_pages = len(list((REPO / "docs").rglob("*.en.md"))) + len(NOTEBOOKS) + 1  # and en/404.html
    assert len(english) == english_pages


def test_every_chinese_page_is_marked_chinese_and_its_prose_is_chinese(facts):
    chinese = {rel: f for rel, f in in_language(facts, english=False).items()
               if rel.endswith(("index.html", "404.html"))}  # search/, a generated download preview: no page
    assert {rel: f["lang"] for rel, f in chinese.items() if f["lang"] != "zh"} == {}
    assert {rel: f["english"][:3] for rel, f in chinese.items() if f["english"]} == {}


NOTEBOOKS = sorted(p.stem for p in (REPO / "docs" / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_page_title_and_first_paragraph_are_in_the_page_language(facts, name):
    for prefix, lang in (("", "zh"), ("en/", "en")):
        page = facts[f"{prefix}notebooks/{name}/index.html"]
        (h1, first, active), title = page["notebook"], page["title"]
        if lang == "zh":
            assert len(CJK.findall(h1)) >= 4 and title.startswith(h1) and title.endswith("深度学习：原理与 Python 实战")
            assert len(CJK.findall(first)) >= 30, first
        else:
            assert not CJK.search(h1 + title + first) and title == f"{h1} - Deep Learning: Principles and Python Practice"
            assert len(re.findall(r"\b[A-Za-z]{3,}\b", first)) >= 12, first
        # the navigation's entry for this page carries the same title
        assert active.split() == h1.split()


def test_every_figure_has_a_description_in_its_language_not_a_file_name(facts):
    bad, count = [], 0
    for english in (False, True):
        for rel, page in in_language(facts, english).items():
            for alt in page["alts"]:
                count += 1
                if (not alt or alt == NO_ALT or re.search(r"\.(py|ipynb|png)\b|#\w|^(图|Figure) \d", alt)
                        or bool(CJK.search(alt)) == english or len(alt) < 12):
                    bad.append(f"{rel}: {alt!r}")
    assert bad == [] and count >= 2 * (32 + 30)


def test_repository_linked_on_every_page_and_cloned_on_the_home_pages(facts):
    from coursekit import repo

    assert repo.URL.startswith("https://") and repo.NAME in repo.URL
    for rel, page in facts.items():
        if not rel.endswith("index.html") or rel.split("/")[-2:-1] == ["search"]:
            continue
        assert page["sources"] and set(page["sources"]) == {repo.URL}, rel  # in the header and in the drawer
        assert not page["source_component"], rel  # no GitHub API request
    for home in ("index.html", "en/index.html"):
        assert f"git clone {repo.URL} dl-course && cd dl-course" in facts[home]["text"]


def test_no_placeholder_on_any_page_in_either_language(facts):
    assert [f"{rel}: {found}" for rel, page in facts.items() for found in page["placeholders"]] == []


def test_each_language_has_its_own_404_page(real_site):
    zh, en = page_of(real_site / "404.html"), page_of(real_site / "en" / "404.html")
    assert (zh.get("lang"), text(first(zh, "//article//h1"), "")) == ("zh", "404 - 找不到页面")
    assert (en.get("lang"), text(first(en, "//article//h1"), "")) == ("en", "404 - Page not found")
    assert "Not found" not in text(zh) and not CJK.search(text(visible(en, "zh")))


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
