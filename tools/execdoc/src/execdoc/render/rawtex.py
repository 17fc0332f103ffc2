"""Raw TeX in what a reader sees: a formula that reached the page as source.

A page's HTML text outside code, math, scripts and styles must hold no TeX:
no command (``\\lVert``, ``\\frac``), no escape (``\\_``, ``\\{``), no
sub- or superscript group (``_{``, ``^{``) and no ``$...$`` or ``$$`` left
unconverted. :func:`check` fails on the first one, naming the text around it;
the Markdown extension runs it on every page it renders.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown.postprocessors import Postprocessor

from ..page import fail
from .mathml import INLINE

# Where TeX is what the reader should see, or nothing is seen at all.
HIDDEN = {"code", "pre", "math", "script", "style", "textarea", "kbd", "samp", "template"}
# Elements no reader sees, whatever their tag: the `hidden` attribute, and the copy of a notebook
# cell's source that mkdocs-jupyter keeps for its copy button.
HIDDEN_CLASSES = {"clipboard-copy-txt"}
# Tags that end a run of text: no TeX spans two paragraphs or table cells.
BREAKS = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
          "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
          "nav", "ol", "p", "section", "summary", "table", "td", "th", "tr", "ul"}
RAW = re.compile(r"\\(?:[A-Za-z]+|[^\sA-Za-z0-9])|[\^_]\{|\$\$|" + INLINE)
CONTEXT = 30  # characters shown either side


class _Text(HTMLParser):
    """The visible text, one string per run between block boundaries."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = [""]
        self.hidden = 0
        self.skipping: tuple[str, int] | None = None  # (tag, depth) of a hidden element being skipped

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            name, depth = self.skipping
            self.skipping = (name, depth + (tag == name))
            return
        classes = set((dict(attrs).get("class") or "").split())
        if "hidden" in dict(attrs) or classes & HIDDEN_CLASSES:
            self.skipping = (tag, 1)
        elif tag in HIDDEN:
            self.hidden += 1
        elif tag in BREAKS:
            self.runs.append("")

    def handle_startendtag(self, tag, attrs):
        if tag in BREAKS:
            self.runs.append("")

    def handle_endtag(self, tag):
        if self.skipping:
            name, depth = self.skipping
            if tag == name:
                self.skipping = (name, depth - 1) if depth > 1 else None
            return
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BREAKS:
            self.runs.append("")

    def handle_data(self, data):
        if not self.hidden and not self.skipping:
            self.runs[-1] += data


def find(html: str) -> list[tuple[str, str]]:
    """Each piece of raw TeX in the visible text of ``html``: (the TeX, the text around it)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    found = []
    for run in parser.runs:
        for match in RAW.finditer(run):
            before = run[max(0, match.start() - CONTEXT):match.start()]
            after = run[match.end():match.end() + CONTEXT]
            around = " ".join(f"{before}{match.group(0)}{after}".split())
            found.append((match.group(0), around))
    return found


def check(html: str) -> str:
    """``html`` unchanged, or a PageError naming the first raw TeX and the text around it."""
    found = find(html)
    if found:
        tex, around = found[0]
        more = f" ({len(found) - 1} more on the page)" if len(found) > 1 else ""
        raise fail(f"text '{around}'", f"raw TeX '{tex}' outside math and code: write it as $...$ "
                                        f"or in `code`{more}")
    return html


class RawTexCheck(Postprocessor):
    """:func:`check` on each page a Markdown instance renders, after its stashed HTML is back."""

    PRIORITY = 5  # after raw_html (30) and amp_substitute (20)

    def run(self, text):
        return check(text)
