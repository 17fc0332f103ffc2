"""LaTeX as MathML, at build time: no script, no CDN, no web font.

latex2mathml converts; the browser renders MathML Core natively. LaTeX that
latex2mathml does not understand raises :class:`MathError` naming the
formula, instead of showing raw commands to readers. ``$...$`` and ``$$ ... $$``
in Markdown become MathML through the two processors below (:func:`register`);
on their own they are also an extension, ``execdoc.render.mathml``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from latex2mathml.converter import convert
from markdown import Extension
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor

from .. import ExecdocError
from ..page import guarded

# ``$...$`` inline math: the one definition (pages, banks and quiz export use it).
INLINE = r"(?<![\\$\w])\$(?=\S)((?:\\.|[^$\\\n])+?)(?<=\S)\$(?![\w$])"
# Raw commands, a bare '&' or an unknown environment left in the output mean it was not understood.
UNDERSTOOD_NOT = re.compile(r"<m[io]>\\[A-Za-z]+|<mi>&</mi>|<mi>&amp;</mi>|\\begin|\\end")
REWRITES = [(re.compile(r"\\(begin|end)\{aligned\}"), r"\\\1{align*}")]


class MathError(ExecdocError):
    """LaTeX that cannot be shown as MathML."""


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


class InlineMath(InlineProcessor):
    def handleMatch(self, m, data):
        html = guarded("formula", f"${m.group(1)}$", lambda: to_mathml(m.group(1), "inline"))
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
                        guarded("formula", lines[first].strip(), lambda: _unclosed(lines[first]))
                    body.append("")
                    pending = blocks.pop(0).split("\n")
        tex = "\n".join(body)
        html = guarded("formula", f"$${tex.strip()}$$", lambda: to_mathml(tex, "block"))
        div = etree.SubElement(parent, "div")
        div.set("class", "math-display")
        div.set("tabindex", "0")  # it may scroll sideways: keyboard users must reach it
        div.text = self.parser.md.htmlStash.store(html)
        if rest and any(line.strip() for line in rest):
            blocks.insert(0, "\n".join(rest))


def _unclosed(line: str):
    raise MathError(f"unclosed $$ block starting {line!r}")


def register(md) -> None:
    """The two processors, on a Markdown instance (the extension and quiz text use it)."""
    md.inlinePatterns.register(InlineMath(INLINE, md), "mathml-inline", 185)
    md.parser.blockprocessors.register(BlockMath(md.parser), "mathml-block", 180)


class MathExtension(Extension):
    def extendMarkdown(self, md):
        register(md)


def makeExtension(**kwargs):
    return MathExtension(**kwargs)
