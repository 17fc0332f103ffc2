"""Math becomes MathML at build time; what the converter cannot read fails."""

from __future__ import annotations

import markdown
import pytest

from execdoc.markdown import PageError as MathError


def convert(text: str) -> str:
    return markdown.Markdown(extensions=["execdoc.markdown", "admonition"]).convert(text)


def test_inline_math_and_dollars_that_are_not_math():
    assert convert("设 $y=1$，价格 $5 和 $6。`$x$`") == (
        '<p>设 <math><mrow><mi>y</mi>'
        '<mo>&#x0003D;</mo><mn>1</mn></mrow></math>，价格 $5 和 $6。<code>$x$</code></p>')


def test_display_math_inside_a_paragraph_and_an_admonition():
    out = convert('!!! note "n"\n    Before.\n    $$\n    a = b\n    $$\n    After.\n\nOutside.\n')
    assert out == ('<div class="admonition note">\n<p class="admonition-title">n</p>\n<p>Before.</p>\n'
                   '<div class="math-display" tabindex="0"><math display="block"><mrow><mi>a</mi><mo>&#x0003D;</mo><mi>b</mi></mrow></math></div>\n'
                   '<p>After.</p>\n</div>\n<p>Outside.</p>')


def test_aligned_is_rendered_as_a_table():
    out = convert("$$\n\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}\n$$")
    assert out.count("<mtr>") == 2 and "&amp;" not in out and "\\begin" not in out


@pytest.mark.parametrize("source, message", [
    ("$\\foo{x}$", "unsupported LaTeX in $\\foo{x}$ (left as '<mi>\\\\foo')"),
    ("$$\na = b\n", "unclosed $$ block starting '$$'"),
])
def test_unsupported_or_unclosed_math_fails(source, message):
    with pytest.raises(MathError) as info:
        convert(source)
    assert message in str(info.value)
