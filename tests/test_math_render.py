"""Math as readers see it: no TeX ever reaches a page, formulas are drawn in the
math font the site serves, and a formula wider than its column scrolls in its
own box with a cue.

The build fails on raw TeX (execdoc.render.rawtex on the page's text,
execdoc.render.mathml on what latex2mathml leaves); in Chromium, on the course
site, every page's text is scanned, the math font is measured and every display
formula is checked at a desktop and a phone width.
"""

from __future__ import annotations

import re

import pytest

from execdoc.page import PageError, current_page
from execdoc.render import rawtex
from execdoc.render.mathml import MathError, to_mathml
from crawl_fixtures import crawl_fixture  # noqa: F401 - the fixture `crawl`
from helpers import Project
from site_fixtures import TEXTS_AT, math_pages, out_of_sight, pages
from test_mkdocs import mkdocs

# ---------------------------------------------------------------- the build-time check


@pytest.mark.parametrize("html, tex, around", [
    (r"<p>Norm \lVert x here.</p>", r"\lVert", r"Norm \lVert x here."),
    (r"<p>the input\_dim axis</p>", r"\_", r"the input\_dim axis"),
    (r"<li>the set \{1, 2 of labels</li>", r"\{", r"the set \{1, 2 of labels"),
    (r"<td>grows as x^{2} does</td>", "^{", "grows as x^{2} does"),
    (r"<div>weights <em>w</em>_{ij} here</div>", "_{", "weights w_{ij} here"),
    (r"<div>left $x + 1$ raw</div>", "$x + 1$", "left $x + 1$ raw"),
    (r"<p>$$ a = b</p>", "$$", "$$ a = b"),
    (r"<h2>Bound \(k</h2>", r"\(", r"Bound \(k"),
])
def test_raw_tex_in_a_pages_text_is_found_with_the_text_around_it(html, tex, around):
    assert rawtex.find(html) == [(tex, around)]


def test_tex_where_it_belongs_or_no_tex_at_all_is_not_raw():
    html = (r"<p><code>\lVert x_{1}</code> <kbd>\n</kbd></p><pre><code>h_{t-1} = $a$</code></pre>"
            r"<math><mi>\foo</mi></math><script>s = '\d $x$'</script><style>a::after{content:'\2014'}</style>"
            r"<p>prices $5 and $6, a lone \ backslash, f(x) = x^2, a_1, 50% of C++</p>"
            r"<p>w_</p><p>{ij}</p>")  # two paragraphs: no run of text spans them
    assert rawtex.find(html) == []


def test_text_no_reader_sees_is_not_raw_but_what_follows_it_is():
    """mkdocs-jupyter keeps each cell's source for its copy button in a hidden div; `hidden` hides too."""
    html = (r'<div class="clipboard-copy-txt" id="cell-5">f"||dL/dW_{depth}||"<div>\alpha</div></div>'
            r'<p hidden>\beta</p><p>after: \gamma</p>')
    assert rawtex.find(html) == [("\\gamma", "after: \\gamma")]


@pytest.mark.parametrize("html", [
    r'<p title="<pre>">x</p><p>\alpha</p></pre>',  # a tag's name inside an attribute opens nothing
    r"<div data-x='<math>'>\alpha</div></math>",
    r"<!-- <code> --><p>\alpha</p></code>",  # nor inside a comment
    r'<script>s = "<pre>"</script><p>\alpha</p></pre>',  # nor inside a script
    r"<code/><p>\alpha</p></code>",  # an element with no content hides nothing
    r"<pre>x</pre><p>\alpha</p><code>y</code>",  # a hidden element ends where it ends
])
def test_text_after_what_only_looks_like_a_hidden_element_is_checked(html):
    assert [tex for tex, _ in rawtex.find(html)] == [r"\alpha"]


def test_check_fails_naming_page_text_and_how_many_more():
    token = current_page.set("algorithms/recurrence.md")
    try:
        with pytest.raises(PageError) as info:
            rawtex.check(r"<p>as long as \lVert U \rVert &lt; 1, it decays</p>")
    finally:
        current_page.reset(token)
    assert str(info.value) == (r"algorithms/recurrence.md: text 'as long as \lVert U \rVert < 1, it decays': "
                               r"raw TeX '\lVert' outside math and code: write it as $...$ or in `code` "
                               "(1 more on the page)")


@pytest.mark.parametrize("tex, shown", [
    (r"\Big\lVert x \Big\rVert", '<mo minsize="1.623em" maxsize="1.623em">&#x02016;</mo><mi>x</mi>'
                                 '<mo minsize="1.623em" maxsize="1.623em">&#x02016;</mo>'),
    (r"\bigl\langle x \bigr\rangle", '<mo stretchy="true" fence="true" minsize="1.2em" maxsize="1.2em">&#x027E8;</mo>'),
    (r"(N, \text{timesteps}, \text{input\_dim})", "<mtext>input&#x0005F;dim</mtext>"),
    (r"\text{50\% \& more}", "<mtext>50&#x00025;&#x000A0;&#x00026;&#x000A0;more</mtext>"),
    (r"\arg\max_x f", "<mi>arg</mi><msub><mo>max</mo>"),
])
def test_commands_latex2mathml_leaves_as_text_become_their_symbols(tex, shown):
    out = to_mathml(tex, "inline")
    assert shown in out
    assert "\\" not in out


@pytest.mark.parametrize("tex, shown", [
    # \lVert beside a matrix stays one line high, as in TeX
    (r"\lVert U \rVert", '<mo stretchy="false">&#x02016;</mo><mi>U</mi><mo stretchy="false">&#x02016;</mo>'),
    (r"\hat{y}", '<mover accent="true"><mrow><mi>y</mi></mrow><mo>&#x002C6;</mo></mover>'),
    (r"\tanh'(z)", "<mrow><mi>tanh</mi><mo>&#x02032;</mo></mrow><mo stretchy=\"false\">&#x00028;</mo>"),
    (r"f''", "<mrow><mi>f</mi><mo>&#x02033;</mo></mrow>"),
])
def test_delimiters_accents_and_primes_are_drawn_as_tex_draws_them(tex, shown):
    assert shown in to_mathml(tex, "inline")


@pytest.mark.parametrize("tex, left", [
    (r"a = b \nonumber", r"<mi>\nonumber"),
    (r"\text{a\,b}", r"<mtext>a\,b"),
    (r"\Big\P x", r'<mo>\P'),
])
def test_a_command_with_no_symbol_fails_naming_the_formula(tex, left):
    with pytest.raises(MathError) as info:
        to_mathml(tex, "block")
    assert str(info.value) == f"unsupported LaTeX in ${tex}$ (left as {left!r})"


MKDOCS_YML = "site_name: t\nstrict: true\nplugins: [execdoc]\nmarkdown_extensions: [execdoc.markdown]\n"


@pytest.mark.parametrize("text, message", [
    ("Norm \\lVert x here.\n", r"index.md: text 'Norm \lVert x here.': raw TeX '\lVert' outside math and code"),
    ("<div>weights w_{ij} here</div>\n", "index.md: text 'weights w_{ij} here': raw TeX '_{' outside math"),
    ("<div>left $x + 1$ raw</div>\n", "index.md: text 'left $x + 1$ raw': raw TeX '$x + 1$' outside math"),
    ("A formula $a \\nonumber$.\n", "index.md: formula '$a \\nonumber$': unsupported LaTeX in $a \\nonumber$ "
                                    "(left as '<mi>\\\\nonumber')"),
])
def test_strict_build_fails_on_raw_tex_naming_page_and_text(project: Project, text, message):
    (project.root / "mkdocs.yml").write_text(MKDOCS_YML)
    project.page("index.md", "# T\n\n" + text)
    run = mkdocs(project)
    assert run.returncode == 1
    assert message in run.stderr
    assert len([line for line in run.stderr.splitlines() if "index.md:" in line]) == 1


def test_strict_build_of_the_two_formulas_readers_saw_raw_passes(project: Project):
    (project.root / "mkdocs.yml").write_text(MKDOCS_YML)
    project.page("index.md", r"""
        # T

        $$
        \Big\lVert \frac{\partial L}{\partial h_T} \Big\rVert
        $$

        An array $(N, \text{timesteps}, \text{input\_dim})$.
    """)
    run = mkdocs(project)
    assert run.returncode == 0, run.stderr
    html = (project.root / "site" / "index.html").read_text("utf-8")
    assert html.count('<mo minsize="1.623em" maxsize="1.623em">&#x02016;</mo>') == 2
    assert "<mtext>input&#x0005F;dim</mtext>" in html

# ---------------------------------------------------------------- in Chromium, on the course site


COMMAND = re.compile(r"\\(?:[A-Za-z]+|[^\sA-Za-z0-9])")  # inside a formula: any command is raw


def test_no_page_shows_raw_tex_in_its_text_or_its_formulas(crawl, real_site):
    """Each page's text and formulas as the crawl found them at 1280 px, after the page's scripts ran."""
    raw, formulas = [], 0
    visited = pages(real_site)
    for path in visited:
        texts = crawl[TEXTS_AT]["pages"][path]["texts"]
        formulas += len(texts["math"])
        raw += [f"{path}: {m.group(0)!r} in {' '.join(run.split())[:120]!r}"
                for run in texts["prose"] for m in rawtex.RAW.finditer(run)]
        raw += [f"{path}: formula shows {m.group(0)!r}" for text in texts["math"] for m in COMMAND.finditer(text)]
    assert any(p.startswith("/en/") for p in visited) and len(visited) > 40
    assert formulas > 500
    assert raw == []


def test_math_font_served_by_the_site_stretches_a_bracket_to_its_matrix(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "/en/algorithms/convolution/", wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    family = page.evaluate("getComputedStyle(document.querySelector('math')).fontFamily").split(",")[0].strip('" ')
    faces = page.evaluate("f => [...document.fonts].filter(x => x.family.replace(/\"/g, '') === f)"
                          ".map(x => x.status)", family)
    fonts = page.evaluate("performance.getEntriesByType('resource').map(e => e.name).filter(n => /\\.woff2?$/.test(n))")
    sizes = page.evaluate("""() => {
      const table = document.querySelector('.math-display mtable');
      const open = table.previousElementSibling, close = table.nextElementSibling;
      const height = e => e.getBoundingClientRect().height;
      return {fences: [open, close].map(e => e.localName + e.textContent), open: height(open), close: height(close),
              table: height(table), em: parseFloat(getComputedStyle(table).fontSize)};
    }""")
    page.close()
    assert faces == ["loaded"]
    assert fonts and all(url.startswith(site_url + "/assets/fonts/") for url in fonts)
    assert sizes["fences"] == ["mo(", "mo)"]
    assert sizes["table"] > 2.5 * sizes["em"]  # three rows
    assert sizes["open"] >= 0.9 * sizes["table"] and sizes["close"] >= 0.9 * sizes["table"], sizes


CUE = 4  # grey levels: an edge that has more to show is at least this much darker than one that has not


@pytest.mark.parametrize("width", [1280, 390])
def test_a_formula_wider_than_its_column_scrolls_in_its_box_with_a_cue(crawl, real_site, width):
    """Each display formula as the crawl found it at ``width``, fonts loaded; the cue of one out of
    sight from its box's edges (the formula hidden) scrolled to the start and to the end."""
    problems, wide = [], 0
    with_math = math_pages(real_site)
    for path in with_math:
        for b in filter(out_of_sight, crawl[width]["pages"][path]["boxes"]):
            wide += 1
            where = f"{path} formula {b['index']} ({b['width']:.0f} px in {b['client']} px)"
            if b["overflow"] not in ("auto", "scroll") or b["scroll"] + 1 < b["width"] or b["cutLeft"] > 1:
                problems.append(f"{where}: cut off ({b})")
            if b["boxWidth"] > b["column"] + 1 or b["right"] > b["viewport"]:
                problems.append(f"{where}: wider than its column ({b})")
            start, end = b["cue"]["start"], b["cue"]["end"]
            if not (start["right"] <= end["right"] - CUE and end["left"] <= start["left"] - CUE):
                problems.append(f"{where}: no scroll cue")
    assert len(with_math) > 20 and wide > 0
    assert problems == []
