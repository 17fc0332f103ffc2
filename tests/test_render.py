"""The Markdown extension: snippet fences and values in prose, exact HTML."""

from __future__ import annotations

import html
import re

import markdown
import pytest

from helpers import OK_SNIPPET, Project
from execdoc import ExecdocError, pipeline
from execdoc.markdown import current_lang, current_page


def md_for(project):
    return markdown.Markdown(extensions=["pymdownx.highlight", "execdoc.markdown"],
                             extension_configs={"execdoc.markdown": {"root": str(project.root), "assets": "none"}})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("render") / "proj")
    project.options('languages = ["zh", "en"]')  # a Chinese-first site: output labels in Chinese
    project.snippet("tiny", OK_SNIPPET)
    project.snippet("fig", """
        # %% plot
        import matplotlib.pyplot as plt
        plt.figure(figsize=(2, 1))
        plt.plot([0, 1], [1, 0])
        plt.show()

        # %% many
        for i in range(5):
            print(i)
    """)
    assert pipeline.build(project.config).ok
    return project


def test_output_only_fence_renders_exact_html(built):
    out = md_for(built).convert('```snippet show="output"\ntiny.py#show\n```')
    assert out == (
        '<div class="execdoc-cell" data-snippet="tiny.py" data-cell="show">'
        '<div class="execdoc-output" aria-label="输出">'
        '<pre class="execdoc-stdout"><code>answer 42, ratio 0.785398\n</code></pre>'
        '<pre class="execdoc-result"><code>43</code></pre>'
        '</div></div>')


def test_code_and_output_fence_shows_the_cell_code_highlighted(built):
    out = md_for(built).convert("```snippet\ntiny.py#show\n```")
    assert out.startswith('<div class="execdoc-cell" data-snippet="tiny.py" data-cell="show"><div class="highlight">')
    code = html.unescape(re.sub(r"<[^>]+>", "", out.split('<div class="execdoc-output"')[0]))
    assert code.strip() == 'print(f"answer {answer}, ratio {ratio:.6f}")\nshape = (8, 16, 15, 15)\nanswer + 1'
    assert out.endswith('<pre class="execdoc-result"><code>43</code></pre></div></div>')


def test_code_only_fence_has_no_output(built):
    out = md_for(built).convert('```snippet show="code"\ntiny.py#show\n```')
    assert "execdoc-output" not in out and "answer + 1" in html.unescape(re.sub(r"<[^>]+>", "", out))


def test_figure_is_embedded_with_its_size_and_its_caption_as_alt_text(built):
    out = md_for(built).convert('```snippet show="output" caption="一条从左上到右下的直线"\nfig.py#plot\n```')
    img = re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" width="(\d+)" height="(\d+)" '
                    r'alt="一条从左上到右下的直线" loading="lazy"><figcaption>一条从左上到右下的直线</figcaption></figure>', out)
    assert img and 150 <= int(img.group(1)) <= 260 and 60 <= int(img.group(2)) <= 140


def test_long_output_folds(built):
    out = md_for(built).convert('```snippet show="output" fold="3"\nfig.py#many\n```')
    assert out.startswith('<div class="execdoc-cell" data-snippet="fig.py" data-cell="many">'
                          '<details class="execdoc-output execdoc-fold"><summary>输出 (5 行)</summary>')


def test_values_in_prose_tables_and_math_but_not_code(built):
    out = md_for(built).convert(
        "答案 {{ tiny.answer }}，比值 {{ tiny.ratio | .3f }}，形状 {{ tiny.shape }}、第二维 {{ tiny.shape[1] }}；"
        "`{{ tiny.answer }}`\n\n$x = {{ tiny.answer }}$")
    assert out.startswith("<p>答案 42，比值 0.785，形状 8, 16, 15, 15、第二维 16；<code>{{ tiny.answer }}</code></p>")
    assert "<mi>x</mi><mo>&#x0003D;</mo><mn>42</mn>" in out


def test_meta_values_lines_and_cells(built):
    assert md_for(built).convert("{{ tiny._lines }} {{ tiny._cells }}") == "<p>6 2</p>"


@pytest.mark.parametrize("source, message", [
    ("```snippet\nnosuch.py#a\n```",
     "docs/x.md: snippet reference 'nosuch.py#a': no snippet 'nosuch' (snippets/nosuch.py does not exist)"),
    ("```snippet\ntiny.py#nope\n```",
     "docs/x.md: snippet reference 'tiny.py#nope': tiny.py has no cell 'nope' (cells: setup, show)"),
    ("```snippet colour=\"red\"\ntiny.py#show\n```",
     "docs/x.md: snippet reference 'tiny.py#show': unknown option(s) colour (known: show, fold, caption)"),
    ("{{ tiny.missing }}",
     "docs/x.md: value reference '{{ tiny.missing }}': tiny.py recorded no value 'missing' "
     "(values: _cells, _lines, _seconds, answer, ratio, shape)"),
    ("{{ tiny.answer | .2q }}",
     "docs/x.md: value reference '{{ tiny.answer | .2q }}': cannot format 42 with '.2q': "
     "Unknown format code 'q' for object of type 'int'"),
])
def test_missing_snippet_cell_or_value_fails_naming_page_and_reference(built, source, message):
    token, lang = current_page.set("docs/x.md"), current_lang.set("zh")  # a Chinese page
    try:
        with pytest.raises(ExecdocError) as info:
            md_for(built).convert(source)
    finally:
        current_page.reset(token)
        current_lang.reset(lang)
    assert str(info.value) == message


def test_stale_record_fails_rendering(built):
    path = built.root / "snippets" / "tiny.py"
    original = path.read_text()
    path.write_text(original.replace("6 * 7", "6 * 9"))
    try:
        with pytest.raises(ExecdocError, match=r"tiny.py: record is stale: .*; run `execdoc build`"):
            md_for(built).convert("{{ tiny.answer }}")
    finally:
        path.write_text(original)
