"""A bank as written, checked without the records: structure, keys, ids, types,
languages, tolerances, options, literal answers and mistakes.

Every text is ``{lang: ...}`` with exactly the project's languages (``[tool.execdoc]
languages``); option texts and units may be one plain string for all of them,
and where the project has one language every text may. :meth:`Checker.bank`
gives a :class:`~execdoc.quiz.model.Draft` per question, which :mod:`resolve`
answers from the records.
"""

from __future__ import annotations

import re

from .. import references
from .loader import Map, Seq, Where
from .model import GENERATED, TYPES, Draft
from .rules import close, normalise_text, parse_number, shown

ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
BASE_KEYS = {"id", "type", "prompt", "explanation"}
KEYS = {
    "single": BASE_KEYS | {"options"},
    "multi": BASE_KEYS | {"options"},
    "numeric": BASE_KEYS | {"answer", "value", "tolerance", "unit", "mistakes", "feedback", "format"},
    "text": BASE_KEYS | {"answers", "mistakes", "feedback"},
    "output": BASE_KEYS | {"code", "value", "raises", "tolerance", "feedback"},
}
GENERATED_KEYS = {
    "single": BASE_KEYS | {"generate", "mistakes", "feedback", "format"},
    "numeric": BASE_KEYS | {"generate", "mistakes", "feedback", "format", "tolerance", "unit"},
}
TOLERANCE = "'tolerance' must be {abs: number} or {rel: number} (or both), not negative"


class Checker:
    """Checks one bank against the project's languages; every problem names file:line."""

    def __init__(self, where: Where, languages: tuple[str, ...]):
        self.where, self.languages = where, tuple(languages)
        self.fail = where.fail

    def keys(self, mapping: Map, known: set, what: str = "") -> None:
        for key in mapping:
            if key not in known:
                raise self.fail(mapping.lines[key], f"{what}unknown key '{key}' (known: {', '.join(sorted(known))})")

    def require(self, mapping: Map, key: str, what: str = "") -> None:
        if key not in mapping:
            raise self.fail(mapping.line, f"{what}missing '{key}'")

    def text(self, parent: Map, key: str, what: str = "", plain_ok: bool = False) -> dict:
        """``{lang: text}`` for every language; a plain string where ``plain_ok`` or the project has one."""
        line, value = parent.line_of(key), parent.get(key)
        if not isinstance(value, Map):
            if (plain_ok or len(self.languages) == 1) and value is not None and not isinstance(value, Seq):
                text = str(parent.raw.get(key, value))
                if text.strip():
                    return {lang: text for lang in self.languages}
            shape = "{" + ", ".join(f"{lang}: ..." for lang in self.languages) + "}"
            needs = f"text in each language: {shape}" if len(self.languages) > 1 else f"text: a string or {shape}"
            raise self.fail(line, f"{what}'{key}' needs {needs}")
        self.languages_of(value, line, f"{what}'{key}'", "text")
        out = {}
        for lang in self.languages:
            text = value[lang]
            if isinstance(text, (Map, Seq)) or text is None or not str(value.raw.get(lang, text)).strip():
                raise self.fail(value.lines[lang], f"{what}'{key}' '{lang}' text is empty or not text")
            out[lang] = str(value.raw.get(lang, text)) if not isinstance(text, str) else text
        return out

    def languages_of(self, value: Map, line: int, what: str, noun: str) -> None:
        """``value`` has exactly the project's languages as keys."""
        for lang in value:
            if lang not in self.languages:
                raise self.fail(value.lines[lang], f"{what} has unknown language '{lang}' "
                                                   f"(known: {', '.join(self.languages)})")
        for lang in self.languages:
            if lang not in value:
                raise self.fail(line, f"{what} has no '{lang}' {noun}")

    def reference(self, q: Map, key: str, pattern: re.Pattern, form: str) -> re.Match:
        """A reference to a record, written as ``form``."""
        match = pattern.match(str(q[key]))
        if not match or None in match.groups():
            raise self.fail(q.lines[key], f"'{key}' must be written as {form}, got '{q[key]}'")
        return match

    # --- the bank ---------------------------------------------------------------

    def bank(self, data) -> tuple[dict, list[Draft]]:
        """The title and every question, each checked."""
        if not isinstance(data, Map):
            raise self.fail(1, "a bank is a mapping with 'title' and 'questions'")
        self.keys(data, {"title", "questions"})
        self.require(data, "title")
        self.require(data, "questions")
        title = self.text(data, "title")
        items = data["questions"]
        if not isinstance(items, Seq) or not items:
            raise self.fail(data.lines["questions"], "'questions' must be a non-empty list of questions")
        drafts, seen = [], {}
        for n, q in enumerate(items, 1):
            self.where.question = None
            if not isinstance(q, Map):
                raise self.fail(items.lines[n - 1], f"question {n} must be a mapping")
            self.require(q, "id", f"question {n}: ")
            qid = q["id"]
            if not isinstance(qid, str) or not ID.match(qid):
                raise self.fail(q.lines["id"],
                                f"question {n}: id '{qid}' must be lower-case letters, digits, '-' or '_'")
            if qid in seen:
                raise self.fail(q.lines["id"], f"duplicate id '{qid}' (first used on line {seen[qid]})")
            seen[qid] = q.lines["id"]
            self.where.question = qid
            self.require(q, "type")
            if q["type"] not in TYPES:
                raise self.fail(q.lines["type"], f"type '{q['type']}' is not one of {', '.join(TYPES)}")
            drafts.append(self.question(q))
        self.where.question = None
        return title, drafts

    def question(self, q: Map) -> Draft:
        kind, generated = q["type"], "generate" in q
        if generated and kind not in GENERATED:
            raise self.fail(q.lines["generate"], f"'generate' works with single and numeric questions, not {kind}")
        self.keys(q, (GENERATED_KEYS if generated else KEYS)[kind])
        self.require(q, "prompt")
        self.require(q, "explanation")
        d = Draft(q, q["id"], kind, self.text(q, "prompt"), self.text(q, "explanation"),
                  feedback=self.text(q, "feedback") if "feedback" in q else None, tolerance=self.tolerance(q),
                  unit=self.text(q, "unit", plain_ok=True) if "unit" in q else None,
                  spec=str(q["format"]) if "format" in q else None)
        if generated:
            self.generated(q, d)
        elif kind in ("single", "multi"):
            self.require(q, "options")
            d.options = self.options(q)
            self.choices(q, d.options)
        elif kind == "numeric":
            self.numeric(q, d)
        elif kind == "text":
            self.require(q, "answers")
            d.answers = self.answers(q)
            accepted = {normalise_text(a) for texts in d.answers.values() for a in texts}
            d.mistakes = self.mistakes(q, lambda item, what: str(item.raw.get("answer", item["answer"])))
            for n, m in enumerate(d.mistakes, 1):
                if normalise_text(m["answer"]) in accepted:
                    raise self.fail(m["line"], f"mistake {n} ('{m['answer']}') is an accepted answer")
        else:
            self.output(q, d)
        return d

    def tolerance(self, q: Map) -> dict | None:
        if "tolerance" not in q:
            return None
        tol, line = q["tolerance"], q.lines["tolerance"]
        if not isinstance(tol, Map) or not tol or set(tol) - {"abs", "rel"}:
            raise self.fail(line, TOLERANCE)
        out = {}
        for key, value in tol.items():
            number = parse_number(value)
            if number is None or number < 0:
                raise self.fail(line, TOLERANCE)
            out[key] = float(number)
        return out

    def options(self, q: Map) -> list:
        options = q["options"]
        if not isinstance(options, Seq) or len(options) < 2:
            raise self.fail(q.lines["options"], "'options' must be a list of at least 2 options")
        out = []
        for n, option in enumerate(options, 1):
            what = f"option {n}: "
            if not isinstance(option, Map):
                raise self.fail(options.lines[n - 1], f"{what}must be a mapping with 'text', 'feedback' and 'correct'")
            self.keys(option, {"text", "correct", "feedback"}, what)
            self.require(option, "text", what)
            self.require(option, "feedback", what)
            correct = option.get("correct", False)
            if not isinstance(correct, bool):
                raise self.fail(option.lines["correct"], f"{what}'correct' must be true or false")
            out.append({"text": self.text(option, "text", what, plain_ok=True), "correct": correct,
                        "feedback": self.text(option, "feedback", what), "line": option.line})
        return out

    def choices(self, q: Map, options: list) -> None:
        right = [n for n, o in enumerate(options, 1) if o["correct"]]
        if q["type"] == "single" and len(right) != 1:
            listed = f" (options {', '.join(map(str, right))})" if right else ""
            raise self.fail(q.line_of("options"), "a single-choice question needs exactly one correct option, "
                                                  f"found {len(right)}{listed}")
        if q["type"] == "multi" and not right:
            raise self.fail(q.lines["options"], "a multiple-choice question needs at least one correct option")
        self.distinct(options, "", q.line)

    def distinct(self, options: list, label: str, line: int) -> None:
        """No two options may look the same to the reader, in any language."""
        for lang in self.languages:
            seen = {}
            for n, option in enumerate(options, 1):
                key = shown(option["text"][lang])
                if key in seen:
                    raise self.fail(option.get("line", line), f"{label}options {seen[key]} and {n} render the same "
                                                              f"in {lang}: '{option['text'][lang]}'")
                seen[key] = n

    def mistakes(self, q: Map, parse) -> list:
        """``mistakes: [{answer, feedback}]``: wrong answers a reader may give, with feedback."""
        if "mistakes" not in q:
            return []
        items = q["mistakes"]
        if not isinstance(items, Seq):
            raise self.fail(q.lines["mistakes"], "'mistakes' must be a list of {answer, feedback}")
        out = []
        for n, item in enumerate(items, 1):
            what = f"mistake {n}: "
            if not isinstance(item, Map):
                raise self.fail(items.lines[n - 1], f"{what}must be a mapping with 'answer' and 'feedback'")
            self.keys(item, {"answer", "feedback"}, what)
            self.require(item, "answer", what)
            self.require(item, "feedback", what)
            out.append({"answer": parse(item, what), "feedback": self.text(item, "feedback", what), "line": item.line})
        return out

    def number(self, value, line: int, what: str = "") -> float:
        number = parse_number(value)
        if number is None:
            kind = "a finite number" if isinstance(value, float) else "a number"
            raise self.fail(line, f"{what}'answer' must be {kind}, got {value!r}")
        return number

    def numeric(self, q: Map, d: Draft) -> None:
        if ("answer" in q) == ("value" in q):
            raise self.fail(q.line, "a numeric question needs one of 'answer', 'value' or 'generate'")
        if "value" in q:
            d.value = self.reference(q, "value", references.VALUE_NAME, "snippet.name").groups()
        else:
            d.answer = self.number(q["answer"], q.lines["answer"])
            self.numeric_answer(q, d.answer, d.tolerance)
        d.mistakes = self.mistakes(q, lambda item, what: self.number(item["answer"], item.lines["answer"], what))
        if d.answer is not None:
            self.mistakes_differ(d.mistakes, d.answer, d.tolerance)

    def numeric_answer(self, q: Map, number: float, tolerance: dict | None) -> None:
        if not isinstance(number, int) and tolerance is None:
            raise self.fail(q.line, f"a non-integer answer ({number:g}) needs a 'tolerance' (abs or rel)")

    def mistakes_differ(self, mistakes: list, answer: float, tolerance: dict | None) -> None:
        for n, m in enumerate(mistakes, 1):
            if close(m["answer"], answer, tolerance):
                raise self.fail(m["line"], f"mistake {n} ({m['answer']:g}) is accepted as the answer")

    def answers(self, q: Map) -> dict:
        answers, line = q["answers"], q.lines["answers"]
        shape = ", ".join(f"{lang}: [...]" for lang in self.languages)
        problem = f"'answers' must be a non-empty list of accepted answers, or {{{shape}}}"
        if isinstance(answers, Seq):
            answers = {lang: answers for lang in self.languages}
        elif isinstance(answers, Map):
            self.languages_of(answers, line, "'answers'", "answers")
            answers = {lang: answers[lang] for lang in self.languages}
        else:
            raise self.fail(line, problem)
        out = {}
        for lang, items in answers.items():
            if not isinstance(items, Seq) or not items or any(isinstance(i, (Map, Seq)) or i is None for i in items):
                raise self.fail(line, problem)
            out[lang] = [str(i) for i in items]
        return out

    def output(self, q: Map, d: Draft) -> None:
        if "code" not in q and "value" not in q:
            raise self.fail(q.line, "an output question needs 'code' (name.py#cell) or 'value' (snippet.name)")
        d.raises = q.get("raises", False)
        if not isinstance(d.raises, bool):
            raise self.fail(q.lines["raises"], "'raises' must be true or false")
        if d.raises and "code" not in q:
            raise self.fail(q.lines["raises"], "'raises' needs 'code': a value cannot raise")
        if "code" in q:
            d.code = self.reference(q, "code", references.CELL, "name.py#cell").group(0)
        if "value" in q and not d.raises:  # with 'raises', the cell's error is the answer
            d.value = self.reference(q, "value", references.VALUE_NAME, "snippet.name").groups()

    def generated(self, q: Map, d: Draft) -> None:
        d.generate = self.reference(q, "generate", references.CELL, "name.py#cell").group(0)
        if d.feedback is None:
            raise self.fail(q.line, "missing 'feedback' (shown with the right answer of a generated question)")
        self.require(q, "mistakes")
        labels = q["mistakes"]
        if not isinstance(labels, Map) or not labels:
            shape = ", ".join(f"{lang}: ..." for lang in self.languages)
            raise self.fail(q.lines["mistakes"], "'mistakes' of a generated question maps each mistake label "
                                                 f"to its feedback: {{label: {{{shape}}}}}")
        d.labels = {label: self.text(labels, label, f"mistake '{label}': ") for label in labels}
