"""Math as MathML, rendered at build time: no script, no CDN, no web font.

``$...$`` inline and ``$$ ... $$`` blocks are converted by latex2mathml and
rendered natively by the browser (MathML Core). LaTeX that latex2mathml does
not understand fails the build with the page and the formula, instead of
showing raw commands to readers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from latex2mathml.converter import convert
from markdown import Extension
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor

INLINE = r"(?<![\\$\w])\$(?=\S)((?:\\.|[^$\\\n])+?)(?<=\S)\$(?![\w$])"
# Raw commands, a bare '&' or an unknown environment left in the output mean it was not understood.
UNDERSTOOD_NOT = re.compile(r"<m[io]>\\[A-Za-z]+|<mi>&</mi>|<mi>&amp;</mi>|\\begin|\\end")
REWRITES = [(re.compile(r"\\(begin|end)\{aligned\}"), r"\\\1{align*}")]


class MathError(Exception):
    pass


def to_mathml(tex: str, display: str) -> str:
    source = tex.strip()
    for pattern, replacement in REWRITES:
        source = pattern.sub(replacement, source)
    try:
        out = convert(source, display=display)
    except Exception as exc:  # latex2mathml raises many kinds on bad input
        raise MathError(f"cannot convert ${tex}$: {type(exc).__name__}: {exc}") from None
    bad = UNDERSTOOD_NOT.search(out)
    if bad:
        raise MathError(f"unsupported LaTeX in ${tex}$ (left as {bad.group(0)!r})")
    return out


def _page() -> str:
    try:
        from execdoc.markdown import current_page
        return current_page.get() or "page"
    except ImportError:  # pragma: no cover - execdoc is part of this project
        return "page"


class InlineMath(InlineProcessor):
    def handleMatch(self, m, data):
        try:
            html = to_mathml(m.group(1), "inline")
        except MathError as exc:
            raise MathError(f"{_page()}: {exc}") from None
        return self.md.htmlStash.store(html), m.start(0), m.end(0)


class BlockMath(BlockProcessor):
    START = re.compile(r"^\s*\$\$")
    END = re.compile(r"\$\$\s*$")

    def test(self, parent, block):
        return bool(self.START.match(block))

    def run(self, parent, blocks):
        text = blocks.pop(0)
        while not self.END.search(text.strip()[2:]) and blocks:
            text += "\n\n" + blocks.pop(0)
        body = text.strip()
        if not (body.startswith("$$") and body.endswith("$$") and len(body) >= 4):
            raise MathError(f"{_page()}: unclosed $$ block starting {body[:40]!r}")
        try:
            html = to_mathml(body[2:-2], "block")
        except MathError as exc:
            raise MathError(f"{_page()}: {exc}") from None
        div = etree.SubElement(parent, "div")
        div.set("class", "math-display")
        div.text = self.parser.md.htmlStash.store(html)


class MathMLExtension(Extension):
    def extendMarkdown(self, md):
        md.inlinePatterns.register(InlineMath(INLINE, md), "mathml-inline", 185)
        md.parser.blockprocessors.register(BlockMath(md.parser), "mathml-block", 180)


def makeExtension(**kwargs):
    return MathMLExtension(**kwargs)
