"""The quiz fence: a bank as accessible HTML for ``assets/quiz.js``.

A page writes a custom fence (registered through pymdownx.superfences)::

    ```quiz
    algorithms/quiz.yml
    ```

(the path is relative to ``docs/``) and gets that chapter's quiz. The review
page writes ``mode="review"`` with no path (every bank under ``docs/``) or with
several; it holds every question, and the widget shows only those the reader
got wrong, in spaced-repetition order.

Bank text is Markdown with code and ``$math$`` but never raw HTML: tags are
shown as text, and everything rendered passes a whitelist (tags, attributes,
link schemes), so nothing in a bank can run as script. Answers go into the page
as JSON that cannot close its ``<script>`` element. Nothing here executes code:
answers come from the records, through :mod:`execdoc.quiz`.

Without MkDocs: convert pages with this fence (as the tests do), copy
``assets/quiz.js`` and ``assets/quiz.css`` next to them and include both (the
MkDocs adapter does that on pages that hold a quiz).
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
from markdown.treeprocessors import Treeprocessor

from ..i18n import strings
from ..markdown import math
from . import bank as quiz

# --- Markdown that cannot carry script -----------------------------------------

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
        math.register(self.md)
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


# --- HTML ------------------------------------------------------------------------

def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"\.ya?ml$", "", path.lower())).strip("-")


def _key(question: quiz.Question) -> dict:
    """What the widget needs to judge an answer, per variant (no HTML)."""
    variants = []
    for v in question.variants:
        if question.type in ("single", "multi"):
            variants.append({"c": [n for n, o in enumerate(v.options) if o["correct"]]})
        elif question.type == "numeric":
            variants.append({"a": v.answer, "t": v.tolerance or {}, "m": [m["answer"] for m in v.mistakes]})
        elif question.type == "text":
            accepted = sorted({quiz.normalise_text(a) for texts in v.answer.values() for a in texts})
            variants.append({"a": accepted, "m": [quiz.normalise_text(m["answer"]) for m in v.mistakes]})
        else:
            variants.append({"k": v.answer["kind"], "a": v.answer["value"], "t": v.answer.get("tolerance", {})})
    return {"type": question.type, "v": variants}


def _code_block(code: str) -> str:
    fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", code)), default=0) + 1)
    return f"\n\n{fence}python\n{code}\n{fence}\n"


def _answer_html(md: SafeMarkdown, question: quiz.Question, v: quiz.Variant, lang: str) -> str:
    if question.type == "numeric":
        unit = f" {md.inline(v.unit[lang])}" if v.unit else ""
        return f"<code>{html.escape(v.display)}</code>{unit}"
    if question.type == "text":
        return f"<code>{html.escape(v.answer[lang][0])}</code>"
    if question.type == "output":
        if v.answer["kind"] == "raises":
            return html.escape(strings(lang)["raised"].format(e="")) + f"<code>{html.escape(v.answer['display'])}</code>"
        return f"<code>{html.escape(v.answer['display'])}</code>"
    return ""


def _variant(md: SafeMarkdown, question: quiz.Question, v: quiz.Variant, n: int, base: str, lang: str) -> str:
    ui = strings(lang)
    vid = f"{base}-v{n}"
    prompt = md.block(v.prompt[lang] + (_code_block(v.code) if v.code else ""))
    parts = [f'<div class="quiz-v" data-v="{n}"{" hidden" if n else ""}>',
             f'<div class="quiz-prompt" id="{vid}-p">{prompt}</div>']
    feedback = []
    if question.type in ("single", "multi"):
        kind = "radio" if question.type == "single" else "checkbox"
        parts.append(f'<fieldset class="quiz-choices" aria-labelledby="{vid}-p">')
        for i, option in enumerate(v.options):
            parts.append(f'<label class="quiz-opt"><input type="{kind}" name="{vid}" value="{i}"> '
                         f'<span>{md.inline(option["text"][lang])}</span></label>')
            feedback.append((f"o{i}", md.block(option["feedback"][lang])))
        parts.append("</fieldset>")
    else:
        mode = ' inputmode="decimal"' if question.type == "numeric" else ""
        unit = f' <span class="quiz-unit">{md.inline(v.unit[lang])}</span>' if v.unit else ""
        parts.append(f'<div class="quiz-input" role="group" aria-labelledby="{vid}-p">'
                     f'<label for="{vid}-in" data-ui="answer">{ui["answer"]}</label> '
                     f'<input id="{vid}-in" type="text" autocomplete="off" spellcheck="false"{mode}>{unit}')
        if question.type == "output":
            parts.append(f' <label class="quiz-raises"><input type="checkbox" name="{vid}-raises"> '
                         f'<span data-ui="raises">{ui["raises"]}</span></label>')
        parts.append("</div>")
        feedback += [(f"m{i}", md.block(m["feedback"][lang])) for i, m in enumerate(v.mistakes)]
        feedback.append(("answer", _answer_html(md, question, v, lang)))
        if v.feedback:
            feedback.append(("right", md.block(v.feedback[lang])))
    feedback.append(("explain", md.block(v.explanation[lang])))
    parts.append('<div class="quiz-fbs" hidden>'
                 + "".join(f'<div data-fb="{key}">{body}</div>' for key, body in feedback) + "</div></div>")
    return "".join(parts)


def _question(md: SafeMarkdown, bank: quiz.Bank, question: quiz.Question, lang: str) -> str:
    ui = strings(lang)
    base = f"q-{_slug(bank.path)}-{question.id}"
    variants = "".join(_variant(md, question, v, n, base, lang) for n, v in enumerate(question.variants))
    return (f'<li class="quiz-q" id="{base}" data-key="{html.escape(bank.path)}#{question.id}" '
            f'data-hash="{question.hash}" data-type="{question.type}" '
            f'data-chapter="{html.escape(bank.title[lang], quote=True)}">'
            f'<form class="quiz-form" novalidate>{variants}'
            f'<div class="quiz-feedback" tabindex="-1" hidden></div>'
            f'<div class="quiz-actions"><button type="submit" class="quiz-check" data-ui="check">{ui["check"]}</button> '
            f'<button type="button" class="quiz-retry" data-ui="retry" hidden>{ui["retry"]}</button></div></form>'
            f'<script type="application/json" class="quiz-key">{embed_json(_key(question))}</script></li>')


def render_bank(bank: quiz.Bank, lang: str) -> str:
    md, ui = SafeMarkdown(), strings(lang)
    items = "".join(_question(md, bank, q, lang) for q in bank.questions)
    return (f'<section class="execdoc-quiz" data-bank="{html.escape(bank.path)}" '
            f'aria-label="{html.escape(bank.title[lang], quote=True)}">'
            f'<div class="quiz-bar"><p class="quiz-score">{ui["count"].format(n=len(bank.questions))}</p>'
            f'<button type="button" class="quiz-reset" data-ui="reset">{ui["reset"]}</button></div>'
            f'<ol class="quiz-list">{items}</ol>'
            f'<p class="quiz-live" role="status" aria-live="polite"></p>'
            f'<noscript><p>{ui["needs_js"]}</p></noscript></section>')


def render_review(banks: list[quiz.Bank], lang: str) -> str:
    md, ui = SafeMarkdown(), strings(lang)
    items = "".join(_question(md, bank, q, lang) for bank in banks for q in bank.questions)
    return (f'<section class="execdoc-quiz quiz-review" data-review aria-label="{ui["review"]}">'
            f'<div class="quiz-bar"><p class="quiz-score"></p>'
            f'<button type="button" class="quiz-export" data-ui="export">{ui["export"]}</button> '
            f'<label class="quiz-import"><span data-ui="import">{ui["import"]}</span> '
            f'<input type="file" accept="application/json,.json"></label></div>'
            f'<ol class="quiz-list">{items}</ol>'
            f'<p class="quiz-live" role="status" aria-live="polite"></p>'
            f'<noscript><p>{ui["needs_js"]}</p></noscript></section>')
