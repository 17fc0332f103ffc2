"""Bank text as HTML that cannot carry script.

Bank text is Markdown with code and ``$math$`` but never raw HTML: tags are
shown as text, and everything rendered passes a whitelist (tags, attributes,
link schemes), so nothing in a bank can run as script. Answers go into the
page as JSON that cannot close its ``<script>`` element (:func:`embed_json`).
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import markdown
from markdown.treeprocessors import Treeprocessor

from ..render import mathml

SAFE_TAGS = {
    "p", "br", "em", "strong", "b", "i", "code", "pre", "span", "div", "a", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "hr", "sub", "sup", "del", "kbd", "small",
    "math", "semantics", "annotation", "mrow", "mi", "mo", "mn", "ms", "mtext", "mspace", "msup", "msub",
    "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle",
    "mpadded", "mphantom", "menclose", "merror",
}
SAFE_ATTRS = {
    "class", "href", "title", "colspan", "rowspan", "align", "lang", "xmlns", "display", "mathvariant",
    "stretchy", "fence", "separator", "lspace", "rspace", "columnalign", "rowalign", "columnspacing",
    "rowspacing", "accent", "accentunder", "linethickness", "width", "height", "depth", "movablelimits",
    "scriptlevel", "displaystyle", "minsize", "maxsize", "symmetric", "form", "largeop", "notation",
    "encoding",
}
SAFE_URL = re.compile(r"(?:https?:|mailto:|#|\.{0,2}/|[\w.-]+(?:/|\.html|\.md|$))", re.I)
VOID = {"br", "hr", "mspace"}


class _Sanitiser(HTMLParser):
    """Re-serialise HTML keeping only whitelisted tags and attributes; anything
    else comes out as visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def _tag(self, tag, attrs, close=""):
        kept = []
        for name, value in attrs:
            value = value or ""
            if name not in SAFE_ATTRS or (name == "href" and not SAFE_URL.match(value.strip())):
                continue
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        return f"<{tag}{''.join(kept)}{close}>"

    def handle_starttag(self, tag, attrs):
        if tag in SAFE_TAGS:
            self.out.append(self._tag(tag, attrs))
        else:
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}>"))

    def handle_startendtag(self, tag, attrs):
        if tag in SAFE_TAGS:
            self.out.append(self._tag(tag, attrs, "/" if tag in VOID else f"></{tag}"))
        else:
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}/>"))

    def handle_endtag(self, tag):
        if tag not in SAFE_TAGS:
            self.out.append(html.escape(f"</{tag}>"))
        elif tag not in VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(html.escape(data, quote=False))


def sanitise(fragment: str) -> str:
    parser = _Sanitiser()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


class _Links(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            for name in list(element.attrib):
                if name.startswith("on") or (name in ("href", "src") and not SAFE_URL.match(element.get(name).strip())):
                    del element.attrib[name]


class SafeMarkdown:
    """Bank text to HTML: Markdown, code, math; raw HTML shown as text."""

    def __init__(self):
        self.md = markdown.Markdown(extensions=["pymdownx.highlight", "pymdownx.superfences", "tables"])
        mathml.register(self.md)
        self.md.preprocessors.deregister("html_block")
        self.md.inlinePatterns.deregister("html")
        self.md.treeprocessors.register(_Links(self.md), "quiz-links", 0)

    def block(self, text: str) -> str:
        return sanitise(self.md.reset().convert(text))

    def inline(self, text: str) -> str:
        out = self.block(text)
        if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            return out[3:-4]
        return out


def embed_json(data) -> str:
    """JSON that is safe inside <script type="application/json">: no '<', '>' or '&' as such."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text
