"""``execdoc quiz export``: every bank, generated variants included, for teachers.

``--format gift`` writes Moodle GIFT (one question per variant, in one
language): the characters ``~ = # { } :`` are escaped with a backslash, a
backslash is doubled, newlines become ``\\n``, ``$math$`` becomes ``\\(math\\)``
for MathJax, and numeric answers are ``{#answer:tolerance}``. ``--format json``
writes the resolved banks, both languages, with each question's content hash.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from ..records.library import Library
from ..render.mathml import INLINE
from . import bank as quiz

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


def _tolerance(answer: float, tolerance: dict | None) -> float:
    tolerance = tolerance or {}
    return max(tolerance.get("abs", 0.0), tolerance.get("rel", 0.0) * abs(answer))


def _answers(q: quiz.Question, v: quiz.Variant, lang: str) -> str:
    general = f"####{_markdown(v.explanation[lang])}"
    right = f"#{_markdown(v.feedback[lang])}" if v.feedback else ""
    if q.type == "single":
        parts = [("=" if o["correct"] else "~") + _markdown(o["text"][lang]) + "#" + _markdown(o["feedback"][lang])
                 for o in v.options]
    elif q.type == "multi":
        right_n = sum(o["correct"] for o in v.options)
        wrong_n = len(v.options) - right_n
        parts = [f"~%{_weight(100 / right_n) if o['correct'] else '-' + _weight(100 / max(wrong_n, 1))}%"
                 + _markdown(o["text"][lang]) + "#" + _markdown(o["feedback"][lang]) for o in v.options]
    elif q.type == "numeric" or (q.type == "output" and v.answer["kind"] == "number"):
        answer = v.answer if q.type == "numeric" else v.answer["value"]
        tolerance = v.tolerance if q.type == "numeric" else v.answer.get("tolerance")
        mistakes = v.mistakes if q.type == "numeric" else []
        key = f"{number(answer)}:{number(_tolerance(answer, tolerance))}"
        if not mistakes:
            return "{#" + key + general + "}"
        parts = [f"={key}{right}"] + [f"=%0%{number(m['answer'])}:{number(_tolerance(m['answer'], tolerance))}"
                                      f"#{_markdown(m['feedback'][lang])}" for m in mistakes]
        return "{#\n\t" + "\n\t".join(parts) + "\n" + general + "\n}"
    elif q.type == "text":
        accepted = list(dict.fromkeys(v.answer[lang] + [a for other in quiz.LANGS for a in v.answer[other]]))
        parts = [f"={escape(a)}{right}" for a in accepted]
        parts += [f"=%0%{escape(m['answer'])}#{_markdown(m['feedback'][lang])}" for m in v.mistakes]
    else:  # output: a shape, text or an error, as short answers in the forms the widget accepts
        answer = v.answer
        if answer["kind"] == "shape":
            dims = [str(d) for d in answer["value"]]
            forms = [answer["display"], f"({', '.join(dims)})", f"[{', '.join(dims)}]", "×".join(dims), "x".join(dims)]
        elif answer["kind"] == "raises":
            forms = [answer["value"], {"zh": "会抛出异常", "en": "raises an error"}[lang], "error"]
        else:
            forms = [answer["display"]]
        parts = [f"={escape(f)}{right}" for f in dict.fromkeys(forms)]
    return "{\n\t" + "\n\t".join(parts) + "\n" + general + "\n}"


def gift(banks: list[quiz.Bank], lang: str = "zh") -> str:
    """Moodle GIFT for every question and every generated variant, in ``lang``."""
    out = ["// execdoc quiz export (GIFT). Generated from the banks and the snippet records; do not edit."]
    for bank in banks:
        out.append(f"\n$CATEGORY: $course$/top/{bank.title[lang]}\n")
        for q in bank.questions:
            for n, v in enumerate(q.variants, 1):
                title = q.id if len(q.variants) == 1 else f"{q.id} ({n}/{len(q.variants)})"
                prompt = v.prompt[lang]
                if v.code:
                    prompt += f"\n\n```python\n{v.code}\n```"
                if q.type == "output" and v.answer["kind"] == "raises":
                    prompt += "\n\n" + {"zh": "（如果会报错，写出异常的类型。）",
                                        "en": "(If it raises, name the exception.)"}[lang]
                if q.type == "numeric" and v.unit:
                    prompt += f" ({v.unit[lang]})"
                out.append(f"// {bank.path} {q.hash}\n::{escape(title)}::[markdown]{_markdown(prompt)}"
                           f"{_answers(q, v, lang)}\n")
    return "\n".join(out)


def to_json(banks: list[quiz.Bank]) -> str:
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
    export.add_argument("--lang", choices=list(quiz.LANGS), default="zh", help="GIFT language (default: zh)")
    export.add_argument("--docs", type=Path, help="docs folder (default: <project>/docs)")
    export.add_argument("banks", nargs="*", help="banks relative to docs/ (default: all)")


def run(config, args) -> int:
    library = Library(config)
    docs = args.docs or config.root / "docs"
    banks = [quiz.load(docs, path, library, config.root) for path in args.banks or quiz.find_banks(docs)]
    text = gift(banks, args.lang) if args.format == "gift" else to_json(banks)
    if args.out:
        args.out.write_text(text, "utf-8")
        count = sum(len(q.variants) for b in banks for q in b.questions)
        print(f"execdoc: wrote {len(banks)} banks, {count} questions with variants, to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
