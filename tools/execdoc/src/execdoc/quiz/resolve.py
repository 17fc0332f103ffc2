"""A checked bank answered from the records: values, cells, generator output.

Nothing here runs code: ``output`` questions take a cell's recorded output (a
recorded error means "raises") or a value; ``numeric`` ones may take a value;
``generate: name.py#cell`` takes the variants a generator snippet printed as
JSON (``{"variants": [{"params", "answer", "distractors": [{"value",
"mistake"}]}]}``). ``{{ snippet.value | spec }}`` in any text is the recorded
value, ``{{ param | spec }}`` a generator's parameter. :func:`load` reads,
checks and resolves a bank; every problem is a QuizError naming file and line.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from .. import ExecdocError, references
from ..render.values import format_value
from .loader import QuizError, Where, read
from .model import (KINDS, Bank, ChoiceVariant, GeneratedNumeric, GeneratedSingle, NumericVariant,
                    OutputVariant, Question, TextVariant)
from .rules import close, expected_output, format_answer, parse_number, shape_text
from .validate import Checker, Draft

__all__ = ["QuizError", "load"]


class Resolver:
    """Answers checked questions from the library's records."""

    def __init__(self, checker: Checker, library):
        self.check, self.library = checker, library
        self.languages, self.fail = checker.languages, checker.fail

    def value(self, name: str, key: str, line: int, what: str):
        try:
            return self.library.value(name, key)[0]
        except ExecdocError as exc:
            raise self.fail(line, f"{what}: {exc}") from None

    def cell(self, reference: str, line: int):
        try:
            return self.library.cells(*references.CELL.match(reference).groups())[0]
        except ExecdocError as exc:
            raise self.fail(line, str(exc)) from None

    def fill(self, texts: dict, line: int, key: str, params: dict | None = None, generator: str | None = None) -> dict:
        """Replace ``{{ snippet.value | spec }}`` and ``{{ param | spec }}`` in every language."""
        def value(match):
            name, name_key, index, spec = match.groups()
            found = self.value(name, name_key, line, f"'{match.group(0)}' in '{key}'")
            if index is not None:
                if not isinstance(found, list) or not -len(found) <= int(index) < len(found):
                    raise self.fail(line, f"'{match.group(0)}' in '{key}': "
                                          f"'{name_key}' = {found!r} has no item [{index}]")
                found = found[int(index)]
            return self.format(found, spec, match.group(0), line, key)

        def param(match):
            name, spec = match.groups()
            if params is None or name not in params:
                known = f"parameters of {generator}: {', '.join(sorted(params))}" if params is not None \
                    else "only generated questions have parameters"
                raise self.fail(line, f"'{match.group(0)}' in '{key}' is not a parameter ({known})")
            return self.format(params[name], spec, match.group(0), line, key)

        return {lang: references.PARAM.sub(param, references.VALUE.sub(value, text)) for lang, text in texts.items()}

    def format(self, value, spec, reference, line, key) -> str:
        try:
            return format_value(value, (spec or "").strip())
        except (ValueError, TypeError) as exc:
            raise self.fail(line, f"'{reference}' in '{key}': cannot format {value!r} with '{spec}': {exc}") from None

    # --- questions --------------------------------------------------------------

    def question(self, d: Draft) -> Question:
        if d.generate:
            return self.generated(d)
        q = d.q
        fill = lambda texts, key: self.fill(texts, q.line_of(key), key)  # noqa: E731
        common = {"prompt": fill(d.prompt, "prompt"), "explanation": fill(d.explanation, "explanation"),
                  "feedback": fill(d.feedback, "feedback") if d.feedback else None}
        mistakes = [{"answer": m["answer"], "feedback": fill(m["feedback"], "mistakes")} for m in d.mistakes]
        kind, source = KINDS[d.type], {}
        if d.type in ("single", "multi"):
            options = [{"text": fill(o["text"], "options"), "correct": o["correct"],
                        "feedback": fill(o["feedback"], "options")} for o in d.options]
            variant = ChoiceVariant(**common, options=options)
        elif d.type == "numeric":
            number = d.answer
            if d.value:
                found = self.value(*d.value, q.lines["value"], f"value '{q['value']}'")
                number = self.check.number(found, q.lines["value"])
                self.check.numeric_answer(q, number, d.tolerance)
                self.check.mistakes_differ(d.mistakes, number, d.tolerance)
                source = {"value": q["value"]}
            variant = NumericVariant(**common, answer=number, display=format_answer(number, d.spec),
                                     tolerance=d.tolerance, unit=d.unit, mistakes=mistakes)
        elif d.type == "text":
            variant = TextVariant(**common, answer=d.answers, mistakes=mistakes)
        else:
            variant, source = self.output(d, common)
        return kind(d.id, q.line, [variant], source)

    def output(self, d: Draft, common: dict) -> tuple[OutputVariant, dict]:
        q, source, answer, code = d.q, {}, None, None
        if d.code:
            line = q.lines["code"]
            cell = self.cell(d.code, line)
            code, source["code"] = cell.source, q["code"]
            outputs = cell.get("outputs", [])
            errors = [o for o in outputs if o.get("output_type") == "error"]
            if errors and not d.raises:
                raise self.fail(line, f"{d.code} raised {errors[0].get('ename')}: {errors[0].get('evalue')}; "
                                      "add 'raises: true' if the reader should predict the error")
            if d.raises and not errors:
                raise self.fail(q.lines["raises"], f"'raises: true' but {d.code} raised nothing")
            if errors:
                name = errors[0].get("ename")
                answer = {"kind": "raises", "value": name, "display": f"{name}: {errors[0].get('evalue')}"}
            elif not d.value:
                answer = expected_output(printed(outputs, line, d.code, self.fail))
        if d.value:
            found = self.value(*d.value, q.lines["value"], f"value '{q['value']}'")
            source["value"] = q["value"]
            answer = expected_output(shape_text(found) if isinstance(found, list) else
                                     repr(found) if isinstance(found, float) else str(found))
        if d.tolerance is not None:
            if answer["kind"] != "number":
                raise self.fail(q.lines["tolerance"], f"'tolerance' applies to numbers; the output is {answer['kind']}")
            answer["tolerance"] = d.tolerance
        return OutputVariant(**common, answer=answer, code=code), source

    def generated(self, d: Draft) -> Question:
        q, reference, line = d.q, d.generate, d.q.lines["generate"]
        used, variants = set(), []
        for n, raw in enumerate(self.generator(reference, line), 1):
            params, label = {**raw["params"], "answer": raw["answer"]}, f"variant {n}: "
            fill = lambda texts, key: self.fill(texts, q.line_of(key), key, params, reference)  # noqa: E731
            mistakes = []
            for wrong in raw.get("distractors", []):
                if wrong["mistake"] not in d.labels:
                    raise self.fail(line, f"{reference} variant {n} has mistake '{wrong['mistake']}', which 'mistakes' "
                                          f"does not explain (explained: {', '.join(sorted(d.labels))})")
                used.add(wrong["mistake"])
                mistakes.append((wrong["value"], fill(d.labels[wrong["mistake"]], "mistakes")))
            common = {"prompt": fill(d.prompt, "prompt"), "explanation": fill(d.explanation, "explanation"),
                      "feedback": fill(d.feedback, "feedback"), "params": raw["params"]}
            if d.type == "single":
                as_text = lambda v: f"`{shape_text(v) if isinstance(v, list) else v}`" \
                    if isinstance(v, (str, list)) else format_answer(v, d.spec)  # noqa: E731
                options = [{"text": {lang: as_text(raw["answer"]) for lang in self.languages}, "correct": True,
                            "feedback": common["feedback"]}]
                options += [{"text": {lang: as_text(value) for lang in self.languages}, "correct": False,
                             "feedback": text} for value, text in mistakes]
                random.Random(f"{d.id}/{n}").shuffle(options)
                self.check.distinct(options, label, line)
                variants.append(ChoiceVariant(**common, options=options))
                continue
            answer = parse_number(raw["answer"])
            if answer is None:
                raise self.fail(line, f"{reference} variant {n}: the answer {raw['answer']!r} is not a number")
            self.check.numeric_answer(q, answer, d.tolerance)
            for value, _ in mistakes:
                if parse_number(value) is None or close(parse_number(value), answer, d.tolerance):
                    raise self.fail(line, f"{label}a mistake gives {value!r}, which is accepted as the answer "
                                          f"{format_answer(answer, d.spec)}")
            variants.append(NumericVariant(**common, answer=answer, display=format_answer(answer, d.spec),
                                           tolerance=d.tolerance, unit=d.unit,
                                           mistakes=[{"answer": parse_number(v), "feedback": t} for v, t in mistakes]))
        unused = sorted(set(d.labels) - used)
        if unused:
            raise self.fail(q.lines["mistakes"], f"mistake '{unused[0]}' is never produced by {reference}")
        kind = GeneratedSingle if d.type == "single" else GeneratedNumeric
        return kind(d.id, q.line, variants, {"generate": reference})

    def generator(self, reference: str, line: int) -> list[dict]:
        """The variants a generator snippet printed, each checked for its parts."""
        cell = self.cell(reference, line)
        outputs = cell.get("outputs", [])
        if any(o.get("output_type") == "error" for o in outputs):
            raise self.fail(line, f"{reference} raised; a generator must print its variants")
        text = stdout(outputs)
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise self.fail(line, f"{reference} did not print JSON variants ({type(exc).__name__}: {exc})") from None
        problem = malformed(data)
        if problem:
            raise self.fail(line, f"{reference} did not print JSON variants ({problem})")
        return data["variants"]


def stdout(outputs: list) -> str:
    """What a cell printed to stdout."""
    return "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stdout")


def malformed(data) -> str | None:
    """What is wrong with a generator's printed JSON, or None."""
    variants = data.get("variants") if isinstance(data, dict) else None
    if not isinstance(variants, list) or not variants:
        return "no variants: print {\"variants\": [...]}"
    for n, variant in enumerate(variants, 1):
        if not isinstance(variant, dict) or not isinstance(variant.get("params"), dict):
            return f"variant {n} has no 'params' mapping"
        if "answer" not in variant:
            return f"variant {n} has no 'answer'"
        distractors = variant.get("distractors", [])
        if not isinstance(distractors, list) or not all(isinstance(d, dict) and {"value", "mistake"} <= set(d)
                                                        for d in distractors):
            return f"variant {n}: each distractor needs 'value' and 'mistake'"
    return None


def printed(outputs: list, line: int, reference: str, fail) -> str:
    """What a cell showed: its last result, else what it printed."""
    results = [o for o in outputs if o.get("output_type") == "execute_result"]
    text = results[-1].get("data", {}).get("text/plain", "") if results else stdout(outputs)
    if not text.strip():
        raise fail(line, f"{reference} printed nothing to predict")
    return text


def load(docs: Path, path: str, library, root: Path | None = None) -> Bank:
    """Read, check and resolve the bank ``docs/<path>`` against ``library`` (its records, its languages)."""
    file = Path(docs) / path
    try:
        name = file.resolve().relative_to(Path(root or Path(docs).parent).resolve()).as_posix()
    except ValueError:
        name = file.as_posix()
    where = Where(name)
    checker = Checker(where, library.config.languages)
    title, drafts = checker.bank(read(file, where))
    resolver = Resolver(checker, library)
    questions = []
    for draft in drafts:
        where.question = draft.id
        questions.append(resolver.question(draft))
    return Bank(path, name, title, questions, checker.languages)
