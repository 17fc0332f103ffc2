"""``execdoc quiz export``: every bank, generated variants included, for teachers.

``--format gift`` writes Moodle GIFT (one question per variant, in one
language): the characters ``~ = # { } :`` are escaped with a backslash, a
backslash is doubled, newlines become ``\\n``, ``$math$`` becomes ``\\(math\\)``
for MathJax, and numeric answers are ``{#answer:tolerance}``. ``--format json``
writes the resolved banks, every language, with each question's content hash.
``--lang`` is one of the project's languages (``[tool.execdoc] languages``),
the first by default; words execdoc adds (such as "raises an error") come
from :mod:`execdoc.i18n`.
"""

from __future__ import annotations

import json
import re
import sys
from functools import singledispatch
from pathlib import Path

from .. import ExecdocError
from ..i18n import strings
from ..records.library import Library
from ..render.mathml import INLINE
from .html import language
from .loader import find_banks
from .model import Bank, Multi, Numeric, NumericVariant, Output, OutputVariant, Question, Single, Text
from .resolve import load
from .rules import limit

SPECIAL = "~=#{}:"
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATH = re.compile(INLINE)


def escape(text: str) -> str:
    """GIFT text: backslash first, then each special character, then newlines."""
    text = str(text).replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _markdown(text: str) -> str:
    """Markdown with MathJax delimiters, escaped for GIFT."""
    text = DISPLAY_MATH.sub(lambda m: f"\\[{m.group(1)}\\]", text)
    return escape(INLINE_MATH.sub(lambda m: f"\\({m.group(1)}\\)", text))


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else f"{float(value):.12g}"


def _weight(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _numeric(answer: float, tolerance: dict | None, mistakes: list, right: str, general: str, lang: str) -> str:
    key = f"{number(answer)}:{number(limit(answer, tolerance))}"
    if not mistakes:
        return "{#" + key + general + "}"
    parts = [f"={key}{right}"] + [f"=%0%{number(m['answer'])}:{number(limit(m['answer'], tolerance))}"
                                  f"#{_markdown(m['feedback'][lang])}" for m in mistakes]
    return "{#\n\t" + "\n\t".join(parts) + "\n" + general + "\n}"


@singledispatch
def _answers(q: Question, v, lang: str, right: str, general: str) -> str:
    """The answer part of one variant in GIFT, ``{...}``."""
    raise TypeError(f"no GIFT form for {type(q).__name__}")


@_answers.register
def _(q: Single, v, lang, right, general):
    return _block([("=" if o["correct"] else "~") + _markdown(o["text"][lang]) + "#" + _markdown(o["feedback"][lang])
                   for o in v.options], general)


@_answers.register
def _(q: Multi, v, lang, right, general):
    right_n = sum(o["correct"] for o in v.options)
    wrong_n = len(v.options) - right_n
    return _block([f"~%{_weight(100 / right_n) if o['correct'] else '-' + _weight(100 / max(wrong_n, 1))}%"
                   + _markdown(o["text"][lang]) + "#" + _markdown(o["feedback"][lang]) for o in v.options], general)


@_answers.register
def _(q: Numeric, v, lang, right, general):
    return _numeric(v.answer, v.tolerance, v.mistakes, right, general, lang)


@_answers.register
def _(q: Text, v, lang, right, general):
    accepted = list(dict.fromkeys(v.answer[lang] + [a for texts in v.answer.values() for a in texts]))
    parts = [f"={escape(a)}{right}" for a in accepted]
    parts += [f"=%0%{escape(m['answer'])}#{_markdown(m['feedback'][lang])}" for m in v.mistakes]
    return _block(parts, general)


@_answers.register
def _(q: Output, v, lang, right, general):
    """A number as a numeric answer; a shape, text or an error as short answers in the forms the widget takes."""
    answer = v.answer
    if answer["kind"] == "number":
        return _numeric(answer["value"], answer.get("tolerance"), [], right, general, lang)
    if answer["kind"] == "shape":
        dims = [str(d) for d in answer["value"]]
        forms = [answer["display"], f"({', '.join(dims)})", f"[{', '.join(dims)}]", "×".join(dims), "x".join(dims)]
    elif answer["kind"] == "raises":
        forms = [answer["value"], strings(lang)["raises_answer"], "error"]
    else:
        forms = [answer["display"]]
    return _block([f"={escape(f)}{right}" for f in dict.fromkeys(forms)], general)


def _block(parts: list[str], general: str) -> str:
    return "{\n\t" + "\n\t".join(parts) + "\n" + general + "\n}"


def gift(banks: list[Bank], lang: str | None = None) -> str:
    """Moodle GIFT for every question and every generated variant, in ``lang`` (default: each bank's first language)."""
    out = ["// execdoc quiz export (GIFT). Generated from the banks and the snippet records; do not edit."]
    for bank in banks:
        code = language(bank, lang or (bank.languages or tuple(bank.title))[0])
        out.append(f"\n$CATEGORY: $course$/top/{bank.title[code]}\n")
        for q in bank.questions:
            for n, v in enumerate(q.variants, 1):
                out.append(_question(bank, q, n, v, code))
    return "\n".join(out)


def _question(bank: Bank, q: Question, n: int, v, lang: str) -> str:
    title = q.id if len(q.variants) == 1 else f"{q.id} ({n}/{len(q.variants)})"
    prompt = v.prompt[lang]
    if isinstance(v, OutputVariant) and v.code:
        prompt += f"\n\n```python\n{v.code}\n```"
    if isinstance(v, OutputVariant) and v.answer["kind"] == "raises":
        prompt += "\n\n" + strings(lang)["name_exception"]
    if isinstance(v, NumericVariant) and v.unit:
        prompt += f" ({v.unit[lang]})"
    general = f"####{_markdown(v.explanation[lang])}"
    right = f"#{_markdown(v.feedback[lang])}" if v.feedback else ""
    return (f"// {bank.path} {q.hash}\n::{escape(title)}::[markdown]{_markdown(prompt)}"
            f"{_answers(q, v, lang, right, general)}\n")


def to_json(banks: list[Bank]) -> str:
    return json.dumps({"format": "execdoc-quiz-banks", "version": 1, "banks": [b.to_dict() for b in banks]},
                      ensure_ascii=False, indent=1) + "\n"


def add_parser(sub) -> None:
    """The ``quiz`` command of the CLI."""
    cmd = sub.add_parser("quiz", help="work with the quiz banks", description="Work with the quiz banks.")
    actions = cmd.add_subparsers(dest="quiz_command", required=True)
    export = actions.add_parser("export", help="export every bank as Moodle GIFT or JSON",
                                description="Export every bank (generated variants included) as Moodle GIFT or JSON.")
    export.add_argument("--format", choices=["gift", "json"], required=True)
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    export.add_argument("--lang", help="GIFT language, one of the project's languages (default: the first of them)")
    export.add_argument("--docs", type=Path, help="docs folder (default: <project>/docs)")
    export.add_argument("banks", nargs="*", help="banks relative to docs/ (default: all)")


def run(config, args) -> int:
    library = Library(config)
    docs = args.docs or config.root / "docs"
    lang = args.lang or config.languages[0]
    if lang not in config.languages:
        raise ExecdocError(f"--lang {lang}: not one of the project's languages ({', '.join(config.languages)})")
    banks = [load(docs, path, library, config.root) for path in args.banks or find_banks(docs)]
    text = gift(banks, lang) if args.format == "gift" else to_json(banks)
    if args.out:
        args.out.write_text(text, "utf-8")
        count = sum(len(q.variants) for b in banks for q in b.questions)
        print(f"execdoc: wrote {len(banks)} banks, {count} questions with variants, to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
