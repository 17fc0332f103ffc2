"""LaTeX as MathML, at build time: no script, no CDN.

latex2mathml converts; the browser renders MathML Core natively (with the
math font the site serves, if any). A command latex2mathml leaves as text
(a delimiter after ``\\big``, an escape inside ``\\text``) becomes its
symbol; anything else it leaves, or does not understand, raises
:class:`MathError` naming the formula, instead of showing raw commands to
readers. ``$...$`` and ``$$ ... $$`` in Markdown become MathML through the
two processors below (:func:`register`); on their own they are also an
extension, ``execdoc.render.mathml``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from latex2mathml.converter import convert
from latex2mathml.symbols_parser import convert_symbol
from markdown import Extension
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor

from .. import ExecdocError
from ..page import guarded

# ``$...$`` inline math: the one definition (pages, banks and quiz export use it).
INLINE = r"(?<![\\$\w])\$(?=\S)((?:\\.|[^$\\\n])+?)(?<=\S)\$(?![\w$])"
# An element whose text holds a backslash: latex2mathml printed a command instead of translating it.
LEFT_AS_TEXT = re.compile(r"(<(m\w*)\b[^>]*>)([^<]*\\[^<]*)(?=<)")
# A command in such text: a name, one sign, or a space latex2mathml already wrote as an entity ("\ ").
COMMAND = re.compile(r"\\(?:&#x[0-9A-Fa-f]+;|[A-Za-z]+|[^\sA-Za-z0-9])")
FUNCTIONS = {r"\arg"}  # standard function names latex2mathml does not know: upright, as it writes \max
# A bare '&' or an unknown environment left in the output mean it was not understood.
UNDERSTOOD_NOT = re.compile(r"<mi>&</mi>|<mi>&amp;</mi>|\\begin|\\end")
REWRITES = [(re.compile(r"\\(begin|end)\{aligned\}"), r"\\\1{align*}")]
# latex2mathml's MathML, drawn as TeX draws it by a MathML Core browser:
FIXES = [
    # A delimiter outside \left...\right keeps its size (\lVert x \rVert beside a matrix stays one line high).
    (re.compile(r"<m[io]>(&#x(?:02016|0007C|027E8|027E9|0230[89AB]);)</m[io]>"), r'<mo stretchy="false">\1</mo>'),
    # \hat and \widehat: the circumflex accent, not the ASCII caret, which sits high and to one side.
    (re.compile(r"<mo>&#x0005E;</mo></mover>"), "<mo>&#x002C6;</mo></mover>"),
    # f': a prime after its base, as text writes it (fonts draw U+2032 raised already: a
    # superscript prime is raised twice and shrunk to a tick); f'' and f''' alike.
    (re.compile(r"<msup>(<(m[ion])\b[^>]*>[^<]*</\2>)<mi>((?:&#x0203[234];)+)</mi></msup>"),
     r"<mrow>\1<mo>\3</mo></mrow>"),
]


class MathError(ExecdocError):
    """LaTeX that cannot be shown as MathML."""


# Written by latex2mathml on every formula and implied by HTML5 (its parser puts <math> in the MathML
# namespace; inline is the default display): about 60 bytes a formula, dropped. Block keeps display="block".
DEFAULTS = re.compile(r'^<math xmlns="http://www\.w3\.org/1998/Math/MathML"(?: display="inline")?')


def to_mathml(tex: str, display: str) -> str:
    """``tex`` as MathML for an HTML page (``display``: "inline" or "block")."""
    source = tex.strip()
    for pattern, replacement in REWRITES:
        source = pattern.sub(replacement, source)
    try:
        out = convert(source, display=display)
    except Exception as exc:  # latex2mathml raises many kinds on bad input
        raise MathError(f"cannot convert ${tex}$: {type(exc).__name__}: {exc}") from None
    out = LEFT_AS_TEXT.sub(_translate_commands, out)
    for pattern, replacement in FIXES:
        out = pattern.sub(replacement, out)
    left = LEFT_AS_TEXT.search(out)
    if left:
        raise MathError(f"unsupported LaTeX in ${tex}$ (left as {f'<{left.group(2)}>{left.group(3)}'!r})")
    bad = UNDERSTOOD_NOT.search(out)
    if bad:
        raise MathError(f"unsupported LaTeX in ${tex}$ (left as {bad.group(0)!r})")
    return DEFAULTS.sub("<math", out)


def _translate_commands(element: re.Match) -> str:
    """The element with each command in its text replaced by its symbol (\\lVert: ‖, \\_: _),
    its function name (\\arg) or its space; a command with none of them stays, and fails."""
    def translate(command: re.Match) -> str:
        name = command.group(0)
        code = convert_symbol(name)
        if code:
            return f"&#x{code};"
        if name.startswith("\\&#x") or name in FUNCTIONS:
            return name[1:]
        return name
    return element.group(1) + COMMAND.sub(translate, element.group(3))


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
