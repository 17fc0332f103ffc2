"""LaTeX as MathML, at build time: no script, no CDN, no web font.

latex2mathml converts; the browser renders MathML Core natively. LaTeX that
latex2mathml does not understand raises :class:`MathError` naming the
formula, instead of showing raw commands to readers.
"""

from __future__ import annotations

import re

from latex2mathml.converter import convert

from .. import ExecdocError

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
