"""The site `execdoc new` writes, built by Zensical (the Markdown extension
alone, snippets executed first by `execdoc build`) and by MkDocs (the plugin):
the same cell HTML from both, and under Zensical the stylesheet and the quiz
script inside the pages that need them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from execdoc.markdown.extension import ASSETS

CELL_START = re.compile(r'<div class="execdoc-cell"[^>]*>')
DIV = re.compile(r"<div\b|</div>")


def cells(page: str) -> list[str]:
    """Every `<div class="execdoc-cell" …>…</div>` element of a page, whitespace normalised."""
    out = []
    for start in CELL_START.finditer(page):
        depth, end = 0, start.start()
        for tag in DIV.finditer(page, start.start()):
            depth += 1 if tag.group(0) == "<div" else -1
            if depth == 0:
                end = tag.end()
                break
        assert depth == 0, f"unbalanced cell at {start.start()}"
        out.append(" ".join(page[start.start():end].split()))
    return out


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("EXECDOC_EXECUTE", None)
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The scaffold built by Zensical (after `execdoc build`) and, from a copy, by MkDocs."""
    base = tmp_path_factory.mktemp("hosts")
    new = run(["execdoc", "new", "zensical-site"], base)
    assert new.returncode == 0, new.stderr
    zensical, mkdocs = base / "zensical-site", base / "mkdocs-site"
    with (zensical / "docs" / "index.md").open("a", encoding="utf-8") as page:
        page.write("\n## A second section\n\nHeadings go into the table of contents.\n")
    shutil.copytree(zensical, mkdocs)

    built = run(["execdoc", "build"], zensical)
    assert built.returncode == 0, built.stderr
    assert "execdoc: 1 executed, 0 reused, 0 failed" in built.stderr
    # Zensical picks zensical.toml over mkdocs.yml in the working folder and writes site/.
    z = run(["zensical", "build", "--strict"], zensical)
    assert z.returncode == 0, z.stdout + z.stderr
    m = run(["mkdocs", "build", "--strict"], mkdocs)
    assert m.returncode == 0, m.stderr
    return zensical / "site", mkdocs / "site"


def test_zensical_build(both):
    # Scenario: one site, two hosts; the snippet fences must come out the same.
    zensical, mkdocs = both
    z_page, m_page = (zensical / "index.html").read_text(), (mkdocs / "index.html").read_text()
    z_cells, m_cells = cells(z_page), cells(m_page)
    assert len(z_cells) == 2 and 'data-cell="fit"' in z_cells[0]
    assert z_cells == m_cells

    # Values and math are rendered by the extension under Zensical as well.
    for page in (z_page, m_page):
        assert "{{" not in page and "<math><mrow>" in page
        assert re.search(r"<strong>\d\.\d{3}</strong>", page)  # {{ hello.slope | .3f }}

    # Zensical runs no plugin: the stylesheet is inline in each page using a fence, and the
    # quiz's style and script only in the page with the quiz.
    css, quiz_css = (ASSETS / "execdoc.css").read_text(), (ASSETS / "quiz.css").read_text()
    script = (ASSETS / "quiz.js").read_text().replace("</", "<\\/")
    z_quiz = (zensical / "quiz" / "index.html").read_text()
    assert 'class="execdoc-quiz' in z_quiz
    assert f'<style data-execdoc="">{css}{quiz_css}</style>' in z_quiz
    assert f'<script data-execdoc="">{script}</script>' in z_quiz
    assert f'<style data-execdoc="">{css}</style>' in z_page
    assert '<script data-execdoc="">' not in z_page
    # Once a page, not again in each heading Zensical converts for the table of contents.
    assert (z_page.count('<style data-execdoc="">'), z_quiz.count('<script data-execdoc="">')) == (1, 1)
    assert not (zensical / "execdoc").exists()
    # MkDocs links the same files instead.
    assert "<style data-execdoc" not in m_page and 'execdoc/execdoc.css' in m_page
    assert (mkdocs / "execdoc" / "quiz.js").read_text() == (ASSETS / "quiz.js").read_text()


def test_zensical_fails_on_a_stale_record(tmp_path):
    # Scenario: a Zensical site is built, then its snippet changes and `execdoc build`
    # is forgotten. Zensical's cache would keep the old page; zensical.toml watches
    # snippets/ and docs/notebooks/, so the page is rebuilt, and it fails.
    assert run(["execdoc", "new", "site"], tmp_path).returncode == 0
    site = tmp_path / "site"
    assert run(["execdoc", "build"], site).returncode == 0
    first = run(["zensical", "build"], site)
    assert first.returncode == 0, first.stdout + first.stderr
    hello = site / "snippets" / "hello.py"
    hello.write_text(hello.read_text().replace("random.seed(1)", "random.seed(2)"))
    os.utime(hello, (time.time() + 2, time.time() + 2))  # Zensical compares whole seconds
    z = run(["zensical", "build"], site)
    assert z.returncode != 0
    assert "record is stale" in z.stdout + z.stderr and "run `execdoc build`" in z.stdout + z.stderr
