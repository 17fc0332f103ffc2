"""The quiz fence: a bank as accessible HTML for ``assets/quiz.js``.

A page writes a custom fence (registered through pymdownx.superfences)::

    ```quiz
    algorithms/quiz.yml
    ```

(the path is relative to ``docs/``) and gets that chapter's quiz. The review
page writes ``mode="review"`` with no path (every bank under ``docs/``) or with
several; it holds every question, and the widget shows only those the reader
got wrong, in spaced-repetition order. Each bank's questions there stand between
two comments (:data:`BANK_START`, :data:`BANK_END`; bank text cannot hold a
comment): the MkDocs adapter moves them into a script file per bank that the
widget loads only when the reader has one of them due (``mkdocs/lighten.py``).

Text goes through :class:`~execdoc.quiz.safe.SafeMarkdown` (nothing in a bank
can run as script) and answers into the page as JSON that cannot close its
``<script>`` element. Words of the interface come from :mod:`execdoc.i18n` in
the page's language (English, with a warning, where execdoc has no table).
Nothing here executes code: answers come from the records, through
:mod:`execdoc.quiz.resolve`.

Without MkDocs: convert pages with this fence (as the tests do), copy
``assets/quiz.js`` and ``assets/quiz.css`` next to them and include both (the
MkDocs adapter does that on pages that hold a quiz).
"""

from __future__ import annotations

import html
import re
from functools import singledispatch

from ..i18n import base, strings
from .loader import QuizError
from .model import Bank, ChoiceVariant, Multi, Numeric, NumericVariant, OutputVariant, Question, TextVariant, Variant
from .rules import format_answer, keypad
from .safe import SafeMarkdown, embed_json


def language(bank: Bank, lang: str | None) -> str:
    """``lang`` as the bank names it (``zh_CN`` is ``zh``); an error where the bank has no such text."""
    known = bank.languages or tuple(bank.title)
    for code in (lang, base(lang)):
        if code in known:
            return code
    raise QuizError(f"{bank.file}: no '{lang}' text for this page (the project's languages: {', '.join(known)})")


# Around each bank's questions on the review page: its language and path (escaped), then the questions.
BANK_START, BANK_END = "<!-- execdoc-bank {lang} {path} -->", "<!-- /execdoc-bank -->"

# The phrases with a count in them: plural forms in the tables.
COUNTED = ("count", "partial", "later", "imported")


def counted(forms: dict, n: int) -> str:
    """A phrase with a count, ``{"one": ..., "other": ...}`` in the tables (a language with one form has
    "other" only). quiz.js chooses by ``Intl.PluralRules``; here, for counts of questions in the shipped
    tables, "one" is exactly 1."""
    return (forms["one"] if n == 1 and "one" in forms else forms["other"]).format(n=n)


def input_mode(question: Question) -> str:
    """A numeric question's keyboard, from every number it knows: its answers and known mistakes."""
    return keypad([text for v in question.variants
                   for text in (v.display, *(format_answer(m["answer"], None) for m in v.mistakes))])


def slug(path: str) -> str:
    """A bank's path as a name for ids and files: ``algorithms/quiz.yml`` is ``algorithms-quiz``."""
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"\.ya?ml$", "", path.lower())).strip("-")


def _code_block(code: str) -> str:
    fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", code)), default=0) + 1)
    return f"\n\n{fence}python\n{code}\n{fence}\n"


@singledispatch
def _answer(v: Variant, md: SafeMarkdown, lang: str) -> str:
    """The right answer, as shown after a wrong one."""
    raise TypeError(f"no answer shown for {type(v).__name__}")


@_answer.register
def _(v: NumericVariant, md: SafeMarkdown, lang: str) -> str:
    unit = f" {md.inline(v.unit[lang])}" if v.unit else ""
    return f"<code>{html.escape(v.display)}</code>{unit}"


@_answer.register
def _(v: TextVariant, md: SafeMarkdown, lang: str) -> str:
    return f"<code>{html.escape(v.answer[lang][0])}</code>"


@_answer.register
def _(v: OutputVariant, md: SafeMarkdown, lang: str) -> str:
    shown = f"<code>{html.escape(v.answer['display'])}</code>"
    if v.answer["kind"] == "raises":
        return html.escape(strings(lang)["raised"].format(e="")) + shown
    return shown


def _choices(md: SafeMarkdown, question: Question, v: ChoiceVariant, vid: str, lang: str) -> tuple[list, list]:
    kind = "checkbox" if isinstance(question, Multi) else "radio"
    parts, feedback = [f'<fieldset class="quiz-choices" aria-labelledby="{vid}-p">'], []
    for i, option in enumerate(v.options):
        parts.append(f'<label class="quiz-opt"><input type="{kind}" name="{vid}" value="{i}"> '
                     f'<span>{md.inline(option["text"][lang])}</span></label>')
        feedback.append((f"o{i}", md.block(option["feedback"][lang])))
    parts.append("</fieldset>")
    return parts, feedback


def _typed(md: SafeMarkdown, question: Question, v, vid: str, lang: str) -> tuple[list, list]:
    ui = strings(lang)
    mode = f' inputmode="{input_mode(question)}"' if isinstance(question, Numeric) else ""
    unit = f' <span class="quiz-unit">{md.inline(v.unit[lang])}</span>' if getattr(v, "unit", None) else ""
    parts = [f'<div class="quiz-input" role="group" aria-labelledby="{vid}-p">'
             f'<label for="{vid}-in" data-ui="answer">{ui["answer"]}</label> '
             f'<input id="{vid}-in" type="text" autocomplete="off" spellcheck="false"{mode}>{unit}']
    if isinstance(v, OutputVariant):
        parts.append(f' <label class="quiz-raises"><input type="checkbox" name="{vid}-raises"> '
                     f'<span data-ui="raises">{ui["raises"]}</span></label>')
    parts.append("</div>")
    feedback = [(f"m{i}", md.block(m["feedback"][lang])) for i, m in enumerate(v.mistakes)]
    feedback.append(("answer", _answer(v, md, lang)))
    if v.feedback:
        feedback.append(("right", md.block(v.feedback[lang])))
    return parts, feedback


def _variant(md: SafeMarkdown, question: Question, v: Variant, n: int, base: str, lang: str) -> str:
    vid = f"{base}-v{n}"
    code = v.code if isinstance(v, OutputVariant) else None
    prompt = md.block(v.prompt[lang] + (_code_block(code) if code else ""))
    if isinstance(v, ChoiceVariant):
        controls, feedback = _choices(md, question, v, vid, lang)
    else:
        controls, feedback = _typed(md, question, v, vid, lang)
    feedback.append(("explain", md.block(v.explanation[lang])))
    return "".join([f'<div class="quiz-v" data-v="{n}"{" hidden" if n else ""}>',
                    f'<div class="quiz-prompt" id="{vid}-p">{prompt}</div>', *controls,
                    '<div class="quiz-fbs" hidden>', *(f'<div data-fb="{key}">{body}</div>' for key, body in feedback),
                    "</div></div>"])


def _question(md: SafeMarkdown, bank: Bank, question: Question, lang: str) -> str:
    ui = strings(lang)
    base = f"q-{slug(bank.path)}-{question.id}"
    variants = "".join(_variant(md, question, v, n, base, lang) for n, v in enumerate(question.variants))
    return (f'<li class="quiz-q" id="{base}" data-key="{html.escape(bank.path)}#{question.id}" '
            f'data-hash="{question.hash}" data-type="{question.type}" '
            f'data-chapter="{html.escape(bank.title[lang], quote=True)}">'
            f'<form class="quiz-form" novalidate>{variants}'
            f'<div class="quiz-feedback" tabindex="-1" hidden></div>'
            f'<div class="quiz-actions">'
            f'<button type="submit" class="quiz-check" data-ui="check">{ui["check"]}</button> '
            f'<button type="button" class="quiz-retry" data-ui="retry" hidden>{ui["retry"]}</button></div></form>'
            f'<script type="application/json" class="quiz-key">{embed_json(question.key())}</script></li>')


def _words(ui: dict) -> str:
    """The page language's words for quiz.js: one table per language, in execdoc/i18n."""
    for key in COUNTED:
        if not isinstance(ui[key], dict) or "other" not in ui[key]:
            raise QuizError(f"execdoc's i18n table '{ui['lang']}': '{key}' needs plural forms, "
                            '{"one": ..., "other": ...} ("other" alone where the language has one form)')
    return f'<script type="application/json" class="quiz-ui">{embed_json(ui)}</script>'


def render_bank(bank: Bank, lang: str) -> str:
    """One chapter's quiz, in ``lang`` (one of the project's languages)."""
    lang = language(bank, lang)
    md, ui = SafeMarkdown(), strings(lang)
    items = "".join(_question(md, bank, q, lang) for q in bank.questions)
    return (f'<section class="execdoc-quiz" data-bank="{html.escape(bank.path)}" '
            f'aria-label="{html.escape(bank.title[lang], quote=True)}">'
            f'<div class="quiz-bar"><p class="quiz-score">{counted(ui["count"], len(bank.questions))}</p>'
            f'<button type="button" class="quiz-reset" data-ui="reset">{ui["reset"]}</button></div>'
            f'<ol class="quiz-list">{items}</ol>'
            f'<p class="quiz-live" role="status" aria-live="polite"></p>'
            f'<noscript><p>{ui["needs_js"]}</p></noscript>{_words(ui)}</section>')


def render_review(banks: list[Bank], lang: str) -> str:
    """Every question of ``banks``, for the review page, in ``lang``: each bank's between BANK_START and BANK_END."""
    langs = [language(bank, lang) for bank in banks]
    md, ui = SafeMarkdown(), strings(langs[0] if langs else lang)
    items = "".join(BANK_START.format(lang=code, path=html.escape(bank.path))
                    + "".join(_question(md, bank, q, code) for q in bank.questions) + BANK_END
                    for bank, code in zip(banks, langs))
    return (f'<section class="execdoc-quiz quiz-review" data-review data-search-exclude aria-label="{ui["review"]}">'
            f'<div class="quiz-bar"><p class="quiz-score"></p>'
            f'<button type="button" class="quiz-export" data-ui="export">{ui["export"]}</button> '
            f'<label class="quiz-import"><span data-ui="import">{ui["import"]}</span> '
            f'<input type="file" accept="application/json,.json"></label></div>'
            f'<ol class="quiz-list">{items}</ol>'
            f'<p class="quiz-live" role="status" aria-live="polite"></p>'
            f'<noscript><p>{ui["needs_js"]}</p></noscript>{_words(ui)}</section>')
