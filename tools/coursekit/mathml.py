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
    """``$$`` on a line of its own opens and closes display math, also in the
    middle of a paragraph and inside admonitions or tabs (after dedenting)."""

    OPEN = re.compile(r"^ {0,3}\$\$")

    def test(self, parent, block):
        return any(self.OPEN.match(line) for line in block.split("\n"))

    def run(self, parent, blocks):
        lines = blocks.pop(0).split("\n")
        first = next(i for i, line in enumerate(lines) if self.OPEN.match(line))
        if first:
            self.parser.parseBlocks(parent, ["\n".join(lines[:first])])
        opening = lines[first].strip()[2:]
        body, rest = [], None
        if opening.rstrip().endswith("$$"):  # $$ ... $$ on one line
            body, rest = [opening.rstrip()[:-2]], lines[first + 1:]
        else:
            body = [opening]
            pending = lines[first + 1:]
            while rest is None:
                for i, line in enumerate(pending):
                    if line.rstrip().endswith("$$"):
                        body.append(line.rstrip()[:-2])
                        rest = pending[i + 1:]
                        break
                    body.append(line)
                else:
                    if not blocks:
                        raise MathError(f"{_page()}: unclosed $$ block starting {lines[first]!r}")
                    body.append("")
                    pending = blocks.pop(0).split("\n")
        try:
            html = to_mathml("\n".join(body), "block")
        except MathError as exc:
            raise MathError(f"{_page()}: {exc}") from None
        div = etree.SubElement(parent, "div")
        div.set("class", "math-display")
        div.set("tabindex", "0")  # it may scroll sideways: keyboard users must reach it
        div.text = self.parser.md.htmlStash.store(html)
        if rest and any(line.strip() for line in rest):
            blocks.insert(0, "\n".join(rest))


class MathMLExtension(Extension):
    def extendMarkdown(self, md):
        md.inlinePatterns.register(InlineMath(INLINE, md), "mathml-inline", 185)
        md.parser.blockprocessors.register(BlockMath(md.parser), "mathml-block", 180)


def makeExtension(**kwargs):
    return MathMLExtension(**kwargs)
