"""The quiz stage: chapter question banks in YAML, validated, answered from records.

A bank (``docs/algorithms/quiz.yml``) holds one chapter's questions, Chinese and
English side by side, so that the answer key exists once::

    title: {zh: 算法原理与数学, en: Algorithms and mathematics}
    questions:
      - id: chain-rule                      # stable: progress is keyed by it
        type: single                        # single | multi | numeric | text | output
        prompt: {zh: ..., en: ...}          # Markdown: code and $math$
        options:
          - {text: {zh: ..., en: ...}, correct: true, feedback: {zh: ..., en: ...}}
          - {text: ..., feedback: ...}
        explanation: {zh: ..., en: ...}

Answers that code computes come from the snippet records, never from running
anything here: ``output`` questions name a cell (``code: conv.py#output_size``,
its recorded output is the answer; a recorded error means "raises") or a value
(``value: conv.conv_params``); ``numeric`` questions may take their answer from a
value; ``generate: quizgen_shapes.py#conv_shape`` takes the variants a generator
snippet printed as JSON (answer, parameters, and wrong answers each computed by
executing a labelled mistake). ``{{ snippet.value }}`` in any text is the recorded
value, ``{{ param }}`` a generator's parameter.

:func:`load` validates a bank and resolves it into :class:`Bank`; every problem
raises :class:`QuizError` naming the bank file and line.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import ExecdocError, references
from ..render.values import format_value

LANGS = ("zh", "en")
TYPES = ("single", "multi", "numeric", "text", "output")
ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
VALUE = references.VALUE
PARAM = references.PARAM
REF_VALUE = references.VALUE_NAME
SHAPE = re.compile(r"(?:torch\.Size\()?\s*[(\[]\s*(-?\d+(?:\s*,\s*-?\d+)*)?\s*,?\s*[)\]]\s*\)?\Z")
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\Z")

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


class QuizError(ExecdocError):
    """A bank that cannot be used; the message starts with ``file:line``."""


# --- YAML that remembers lines ------------------------------------------------

class Map(dict):
    """A YAML mapping with the line of the mapping and of each key (1-based), and each
    scalar value as written (``raw``), for text that YAML would read as a number."""
    line = 0
    lines: dict
    raw: dict


class Seq(list):
    """A YAML sequence with the line of the sequence and of each item."""
    line = 0
    lines: list


class _Duplicate(Exception):
    def __init__(self, key, line, first):
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


class _BadKey(Exception):
    def __init__(self, key, line):
        super().__init__(key)
        self.key, self.line = key, line


class _Loader(yaml.SafeLoader):
    pass


def _construct_map(loader, node):
    loader.flatten_mapping(node)
    out = Map()
    out.line, out.lines, out.raw = node.start_mark.line + 1, {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise _BadKey(key, line)
        if key in out.lines:
            raise _Duplicate(key, line, out.lines[key])
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = line
        if isinstance(value_node, yaml.ScalarNode):
            out.raw[key] = value_node.value  # as written: `0.50` stays text where text is meant
    return out


def _construct_seq(loader, node):
    out = Seq(loader.construct_object(item, deep=True) for item in node.value)
    out.line, out.lines = node.start_mark.line + 1, [item.start_mark.line + 1 for item in node.value]
    return out


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


# --- the resolved model -------------------------------------------------------

@dataclass
class Variant:
    """One concrete form of a question: generated questions have several."""
    prompt: dict
    explanation: dict
    options: list = field(default_factory=list)   # [{"text", "correct", "feedback"}]
    answer: object = None          # numeric: number; text: {lang: [...]}; output: {"kind", "value", "display"}
    display: str | None = None     # how the answer is shown (numeric)
    tolerance: dict | None = None  # {"abs": x, "rel": y}
    unit: dict | None = None
    mistakes: list = field(default_factory=list)  # [{"answer", "feedback"}]
    feedback: dict | None = None   # shown with a right answer
    code: str | None = None        # output questions: the cell's code
    params: dict | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [], {})}


@dataclass
class Question:
    id: str
    type: str
    line: int
    variants: list[Variant]
    source: dict  # where answers came from: {"generate"|"code"|"value": reference}

    def to_dict(self) -> dict:
        return {"id": self.id, "type": self.type, **({"source": self.source} if self.source else {}),
                "variants": [v.to_dict() for v in self.variants]}

    @property
    def hash(self) -> str:
        """Content hash: what the reader sees and what counts as right, in every language."""
        text = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    @property
    def generated(self) -> bool:
        return "generate" in self.source


@dataclass
class Bank:
    path: str      # relative to docs/, as a page names it
    file: str      # relative to the project root, for messages
    title: dict
    questions: list[Question]

    def to_dict(self) -> dict:
        return {"bank": self.path, "title": self.title,
                "questions": [{**q.to_dict(), "hash": q.hash} for q in self.questions]}


# --- helpers shared with the widget's rules -------------------------------------

def normalise_text(text: str) -> str:
    """What text answers are compared by (quiz.js does the same): NFKC, lower case,
    single spaces, no surrounding quotes, no trailing punctuation."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text)).lower()).strip()
    text = re.sub(r"[.。!?,，;；:：]+$", "", text).strip().strip("\"'`“”‘’「」")
    return re.sub(r"[.。!?,，;；:：]+$", "", text).strip()


def parse_number(text) -> float | None:
    """``0.5``, ``.5``, ``5e-1``, ``1,347``; None if it is not a number."""
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return text if math.isfinite(text) else None  # nan and inf answer nothing
    s = unicodedata.normalize("NFKC", str(text)).strip().replace("−", "-").replace("_", "").replace(" ", "")
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    if not NUMBER.match(s):
        return None
    number = float(s)
    return int(number) if re.fullmatch(r"[-+]?\d+", s) else number


def close(a: float, b: float, tolerance: dict | None) -> bool:
    tolerance = tolerance or {}
    return abs(a - b) <= max(tolerance.get("abs", 0.0), tolerance.get("rel", 0.0) * abs(b)) + 1e-12 * max(1.0, abs(b))


def expected_output(text: str) -> dict:
    """Classify recorded output: a shape, a number or text, as the widget compares them."""
    text = text.strip()
    shape = SHAPE.match(text)
    if shape:
        dims = [int(d) for d in re.findall(r"-?\d+", shape.group(1) or "")]
        return {"kind": "shape", "value": dims, "display": text}
    number = parse_number(text)
    if number is not None and NUMBER.match(text):
        mantissa = re.split(r"[eE]", text)[0]
        exponent = int(re.split(r"[eE]", text)[1]) if re.search(r"[eE]", text) else 0
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        tolerance = 0.5 * 10 ** (exponent - decimals) if "." in mantissa or exponent else 0
        return {"kind": "number", "value": number, "display": text, "tolerance": {"abs": tolerance}}
    return {"kind": "text", "value": normalise_text(text), "display": text}


def _shape_text(value: list) -> str:
    return "(" + ", ".join(map(str, value)) + ("," if len(value) == 1 else "") + ")"


def format_answer(value, spec: str | None) -> str:
    if isinstance(value, float) and not spec:
        return f"{value:.6g}"
    return format_value(value, spec or "")


# --- loading ------------------------------------------------------------------

class _Context:
    """Where we are, for messages; and the records, read once."""

    def __init__(self, file: str, library):
        self.file, self.library = file, library
        self.question = None

    def fail(self, line: int, problem: str) -> QuizError:
        where = f"question '{self.question}': " if self.question else ""
        return QuizError(f"{self.file}:{line}: {where}{problem}")

    def value(self, name: str, key: str, line: int, what: str):
        try:
            return self.library.value(name, key)[0]
        except ExecdocError as exc:
            raise self.fail(line, f"{what}: {exc}") from None

    def cell(self, reference: str, line: int, key: str):
        match = references.CELL.match(str(reference))
        if not match or match.group(2) is None:
            raise self.fail(line, f"'{key}' must be written as name.py#cell, got '{reference}'")
        try:
            return self.library.cells(*match.groups())[0]
        except ExecdocError as exc:
            raise self.fail(line, str(exc)) from None


def _check_keys(ctx: _Context, mapping: Map, known: set, what: str) -> None:
    for key in mapping:
        if key not in known:
            raise ctx.fail(mapping.lines[key], f"{what}unknown key '{key}' (known: {', '.join(sorted(known))})")


def _lang_text(ctx: _Context, parent: Map, key: str, what: str = "", plain_ok: bool = False) -> dict:
    """``{zh: ..., en: ...}``; a plain string for both where ``plain_ok`` (option texts, units)."""
    line = parent.lines.get(key, parent.line)
    value = parent.get(key)
    if not isinstance(value, Map):
        if plain_ok and value is not None and not isinstance(value, (Map, Seq)):
            text = str(parent.raw.get(key, value))
            if text.strip():
                return {lang: text for lang in LANGS}
        raise ctx.fail(line, f"{what}'{key}' needs Chinese and English text: {{zh: ..., en: ...}}")
    for lang in value:
        if lang not in LANGS:
            raise ctx.fail(value.lines[lang], f"{what}'{key}' has unknown language '{lang}' (known: zh, en)")
    out = {}
    for lang in LANGS:
        if lang not in value:
            raise ctx.fail(line, f"{what}'{key}' has no '{lang}' text")
        text = value[lang]
        if isinstance(text, (Map, Seq)) or text is None or not str(value.raw.get(lang, text)).strip():
            raise ctx.fail(value.lines[lang], f"{what}'{key}' '{lang}' text is empty or not text")
        out[lang] = str(value.raw.get(lang, text)) if not isinstance(text, str) else text
    return out


def _require(ctx: _Context, mapping: Map, key: str, what: str = "") -> None:
    if key not in mapping:
        raise ctx.fail(mapping.line, f"{what}missing '{key}'")


def _fill(ctx: _Context, texts: dict, line: int, key: str, params: dict | None, generator: str | None) -> dict:
    """Replace ``{{ snippet.value | spec }}`` and ``{{ param | spec }}`` in every language."""
    def value(match):
        name, name_key, index, spec = match.groups()
        found = ctx.value(name, name_key, line, f"'{match.group(0)}' in '{key}'")
        if index is not None:
            if not isinstance(found, list) or not -len(found) <= int(index) < len(found):
                raise ctx.fail(line, f"'{match.group(0)}' in '{key}': '{name_key}' = {found!r} has no item [{index}]")
            found = found[int(index)]
        return _format(ctx, found, spec, match.group(0), line, key)

    def param(match):
        name, spec = match.groups()
        if params is None or name not in params:
            known = f"parameters of {generator}: {', '.join(sorted(params))}" if params is not None \
                else "only generated questions have parameters"
            raise ctx.fail(line, f"'{match.group(0)}' in '{key}' is not a parameter ({known})")
        return _format(ctx, params[name], spec, match.group(0), line, key)

    return {lang: PARAM.sub(param, VALUE.sub(value, text)) for lang, text in texts.items()}


def _format(ctx: _Context, value, spec, reference, line, key) -> str:
    try:
        return format_value(value, (spec or "").strip())
    except (ValueError, TypeError) as exc:
        raise ctx.fail(line, f"'{reference}' in '{key}': cannot format {value!r} with '{spec}': {exc}") from None


def _tolerance(ctx: _Context, q: Map) -> dict | None:
    if "tolerance" not in q:
        return None
    tol, line = q["tolerance"], q.lines["tolerance"]
    problem = "'tolerance' must be {abs: number} or {rel: number} (or both), not negative"
    if not isinstance(tol, Map) or not tol or set(tol) - {"abs", "rel"}:
        raise ctx.fail(line, problem)
    out = {}
    for key, value in tol.items():
        number = parse_number(value)
        if number is None or number < 0:
            raise ctx.fail(line, problem)
        out[key] = float(number)
    return out


def _mistakes_list(ctx: _Context, q: Map, parse) -> list:
    """``mistakes: [{answer, feedback}]``: wrong answers a reader may give, with feedback."""
    if "mistakes" not in q:
        return []
    items = q["mistakes"]
    if not isinstance(items, Seq):
        raise ctx.fail(q.lines["mistakes"], "'mistakes' must be a list of {answer, feedback}")
    out = []
    for n, item in enumerate(items, 1):
        what = f"mistake {n}: "
        if not isinstance(item, Map):
            raise ctx.fail(items.lines[n - 1], f"{what}must be a mapping with 'answer' and 'feedback'")
        _check_keys(ctx, item, {"answer", "feedback"}, what)
        _require(ctx, item, "answer", what)
        _require(ctx, item, "feedback", what)
        out.append({"answer": parse(item, what), "feedback": _lang_text(ctx, item, "feedback", what),
                    "line": item.line})
    return out


def _options(ctx: _Context, q: Map) -> list:
    options = q["options"]
    if not isinstance(options, Seq) or len(options) < 2:
        raise ctx.fail(q.lines["options"], "'options' must be a list of at least 2 options")
    out = []
    for n, option in enumerate(options, 1):
        what = f"option {n}: "
        if not isinstance(option, Map):
            raise ctx.fail(options.lines[n - 1], f"{what}must be a mapping with 'text', 'feedback' and 'correct'")
        _check_keys(ctx, option, {"text", "correct", "feedback"}, what)
        _require(ctx, option, "text", what)
        _require(ctx, option, "feedback", what)
        correct = option.get("correct", False)
        if not isinstance(correct, bool):
            raise ctx.fail(option.lines["correct"], f"{what}'correct' must be true or false")
        out.append({"text": _lang_text(ctx, option, "text", what, plain_ok=True), "correct": correct,
                    "feedback": _lang_text(ctx, option, "feedback", what), "line": option.line})
    return out


def shown(text: str) -> str:
    """An option as the reader sees it: compatibility forms and runs of spaces do not count."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _check_choices(ctx: _Context, q: Map, options: list, label: str = "") -> None:
    right = [n for n, o in enumerate(options, 1) if o["correct"]]
    if q["type"] == "single" and len(right) != 1:
        listed = f" (options {', '.join(map(str, right))})" if right else ""
        raise ctx.fail(q.lines.get("options", q.line),
                       f"{label}a single-choice question needs exactly one correct option, found {len(right)}{listed}")
    if q["type"] == "multi" and not right:
        raise ctx.fail(q.lines["options"], f"{label}a multiple-choice question needs at least one correct option")
    _check_distinct(ctx, options, label, q.line)


def _check_distinct(ctx: _Context, options: list, label: str, line: int) -> None:
    """No two options may look the same to the reader, in either language."""
    for lang in LANGS:
        seen = {}
        for n, option in enumerate(options, 1):
            key = shown(option["text"][lang])
            if key in seen:
                raise ctx.fail(option.get("line", line), f"{label}options {seen[key]} and {n} render the same "
                                                         f"in {lang}: '{option['text'][lang]}'")
            seen[key] = n


def _generated(ctx: _Context, q: Map) -> list[dict]:
    """The variants a generator snippet printed: ``{"variants": [{"params", "answer", "distractors"}]}``."""
    reference, line = q["generate"], q.lines["generate"]
    cell = ctx.cell(reference, line, "generate")
    if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
        raise ctx.fail(line, f"{reference} raised; a generator must print its variants")
    printed = "".join(o.get("text", "") for o in cell.get("outputs", [])
                      if o.get("output_type") == "stream" and o.get("name") == "stdout")
    try:
        data = json.loads(printed)
        variants = data["variants"]
        assert isinstance(variants, list) and variants, "no variants"
        for n, variant in enumerate(variants, 1):
            assert isinstance(variant.get("params"), dict), f"variant {n} has no 'params' mapping"
            assert "answer" in variant, f"variant {n} has no 'answer'"
            for d in variant.get("distractors", []):
                assert isinstance(d, dict) and {"value", "mistake"} <= set(d), \
                    f"variant {n}: each distractor needs 'value' and 'mistake'"
    except (ValueError, KeyError, TypeError, AssertionError) as exc:
        raise ctx.fail(line, f"{reference} did not print JSON variants ({type(exc).__name__}: {exc})") from None
    return variants


def _question(ctx: _Context, q: Map) -> Question:
    kind = q["type"]
    generated = "generate" in q
    if generated and kind not in GENERATED_KEYS:
        raise ctx.fail(q.lines["generate"], f"'generate' works with single and numeric questions, not {kind}")
    _check_keys(ctx, q, (GENERATED_KEYS if generated else KEYS)[kind], "")
    for key in ("prompt", "explanation"):
        _require(ctx, q, key)
    prompt = _lang_text(ctx, q, "prompt")
    explanation = _lang_text(ctx, q, "explanation")
    feedback = _lang_text(ctx, q, "feedback") if "feedback" in q else None
    tolerance = _tolerance(ctx, q)
    unit = _lang_text(ctx, q, "unit", plain_ok=True) if "unit" in q else None
    spec = str(q["format"]) if "format" in q else None
    if generated:
        return _generated_question(ctx, q, prompt, explanation, feedback, tolerance, unit, spec)

    fill = lambda texts, key: _fill(ctx, texts, q.lines.get(key, q.line), key, None, None)  # noqa: E731
    variant = Variant(prompt=fill(prompt, "prompt"), explanation=fill(explanation, "explanation"),
                      feedback=fill(feedback, "feedback") if feedback else None)
    source = {}
    if kind in ("single", "multi"):
        _require(ctx, q, "options")
        options = _options(ctx, q)
        _check_choices(ctx, q, options)
        variant.options = [{"text": fill(o["text"], "options"), "correct": o["correct"],
                            "feedback": fill(o["feedback"], "options")} for o in options]
    elif kind == "numeric":
        if ("answer" in q) == ("value" in q):
            raise ctx.fail(q.line, "a numeric question needs one of 'answer', 'value' or 'generate'")
        if "value" in q:
            match = REF_VALUE.match(str(q["value"]))
            if not match:
                raise ctx.fail(q.lines["value"], f"'value' must be written as snippet.name, got '{q['value']}'")
            answer = ctx.value(*match.groups(), q.lines["value"], f"value '{q['value']}'")
            source = {"value": q["value"]}
        else:
            answer = q["answer"]
        number = parse_number(answer)
        if number is None:
            kind = "a finite number" if isinstance(answer, float) else "a number"
            raise ctx.fail(q.lines.get("answer", q.lines.get("value")), f"'answer' must be {kind}, got {answer!r}")
        if not isinstance(number, int) and tolerance is None:
            raise ctx.fail(q.line, f"a non-integer answer ({number:g}) needs a 'tolerance' (abs or rel)")
        mistakes = _mistakes_list(ctx, q, lambda item, what: _number(ctx, item, what))
        for m in mistakes:
            if close(m["answer"], number, tolerance):
                raise ctx.fail(m["line"], f"mistake {mistakes.index(m) + 1} ({m['answer']:g}) is accepted as the answer")
        variant.answer, variant.display, variant.tolerance, variant.unit = number, format_answer(number, spec), tolerance, unit
        variant.mistakes = [{"answer": m["answer"], "feedback": fill(m["feedback"], "mistakes")} for m in mistakes]
    elif kind == "text":
        _require(ctx, q, "answers")
        variant.answer = _answers(ctx, q)
        accepted = {normalise_text(a) for texts in variant.answer.values() for a in texts}
        mistakes = _mistakes_list(ctx, q, lambda item, what: str(item.raw.get("answer", item["answer"])))
        for m in mistakes:
            if normalise_text(m["answer"]) in accepted:
                raise ctx.fail(m["line"], f"mistake {mistakes.index(m) + 1} ('{m['answer']}') is an accepted answer")
        variant.mistakes = [{"answer": m["answer"], "feedback": fill(m["feedback"], "mistakes")} for m in mistakes]
    else:
        source = _output(ctx, q, variant, tolerance)
    return Question(q["id"], kind, q.line, [variant], source)


def _number(ctx: _Context, item: Map, what: str) -> float:
    number = parse_number(item["answer"])
    if number is None:
        kind = "a finite number" if isinstance(item["answer"], float) else "a number"
        raise ctx.fail(item.lines["answer"], f"{what}'answer' must be {kind}, got {item['answer']!r}")
    return number


def _answers(ctx: _Context, q: Map) -> dict:
    answers, line = q["answers"], q.lines["answers"]
    problem = "'answers' must be a non-empty list of accepted answers, or {zh: [...], en: [...]}"
    if isinstance(answers, Seq):
        answers = {lang: answers for lang in LANGS}
    elif isinstance(answers, Map) and set(answers) == set(LANGS):
        answers = {lang: answers[lang] for lang in LANGS}
    else:
        raise ctx.fail(line, problem)
    out = {}
    for lang, items in answers.items():
        if not isinstance(items, Seq) or not items or any(isinstance(i, (Map, Seq)) or i is None for i in items):
            raise ctx.fail(line, problem)
        out[lang] = [str(i) for i in items]
    return out


def _output(ctx: _Context, q: Map, variant: Variant, tolerance: dict | None) -> dict:
    if "code" not in q and "value" not in q:
        raise ctx.fail(q.line, "an output question needs 'code' (name.py#cell) or 'value' (snippet.name)")
    raises = q.get("raises", False)
    if not isinstance(raises, bool):
        raise ctx.fail(q.lines["raises"], "'raises' must be true or false")
    source = {}
    if "code" in q:
        reference, line = q["code"], q.lines["code"]
        cell = ctx.cell(reference, line, "code")
        variant.code = cell.source
        source["code"] = reference
        outputs = cell.get("outputs", [])
        errors = [o for o in outputs if o.get("output_type") == "error"]
        if errors and not raises:
            raise ctx.fail(line, f"{reference} raised {errors[0].get('ename')}: {errors[0].get('evalue')}; "
                                 "add 'raises: true' if the reader should predict the error")
        if raises and not errors:
            raise ctx.fail(q.lines["raises"], f"'raises: true' but {reference} raised nothing")
        if errors:
            name = errors[0].get("ename")
            variant.answer = {"kind": "raises", "value": name, "display": f"{name}: {errors[0].get('evalue')}"}
        elif "value" not in q:
            results = [o for o in outputs if o.get("output_type") == "execute_result"]
            text = (results[-1].get("data", {}).get("text/plain", "") if results else
                    "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream"
                            and o.get("name") == "stdout"))
            if not text.strip():
                raise ctx.fail(line, f"{reference} printed nothing to predict")
            variant.answer = expected_output(text)
    elif raises:
        raise ctx.fail(q.lines["raises"], "'raises' needs 'code': a value cannot raise")
    if "value" in q and not raises:
        match = REF_VALUE.match(str(q["value"]))
        if not match:
            raise ctx.fail(q.lines["value"], f"'value' must be written as snippet.name, got '{q['value']}'")
        found = ctx.value(*match.groups(), q.lines["value"], f"value '{q['value']}'")
        source["value"] = q["value"]
        if isinstance(found, list):
            text = _shape_text(found)
        else:
            text = repr(found) if isinstance(found, float) else str(found)
        variant.answer = expected_output(text)
    if tolerance is not None:
        if variant.answer["kind"] != "number":
            raise ctx.fail(q.lines["tolerance"], f"'tolerance' applies to numbers; the output is {variant.answer['kind']}")
        variant.answer["tolerance"] = tolerance
    return source


def _generated_question(ctx, q, prompt, explanation, feedback, tolerance, unit, spec) -> Question:
    reference = q["generate"]
    kind = q["type"]
    if feedback is None:
        raise ctx.fail(q.line, "missing 'feedback' (shown with the right answer of a generated question)")
    _require(ctx, q, "mistakes")
    labels = q["mistakes"]
    if not isinstance(labels, Map) or not labels:
        raise ctx.fail(q.lines["mistakes"], "'mistakes' of a generated question maps each mistake label "
                                            "to its feedback: {label: {zh: ..., en: ...}}")
    explained = {label: _lang_text(ctx, labels, label, f"mistake '{label}': ") for label in labels}
    used = set()
    variants = []
    for n, raw in enumerate(_generated(ctx, q), 1):
        params = {**raw["params"], "answer": raw["answer"]}
        line = q.lines["generate"]
        label = f"variant {n}: "
        fill = lambda texts, key: _fill(ctx, texts, q.lines.get(key, q.line), key, params, reference)  # noqa: E731
        mistakes = []
        for d in raw.get("distractors", []):
            if d["mistake"] not in explained:
                raise ctx.fail(line, f"{reference} variant {n} has mistake '{d['mistake']}', which 'mistakes' "
                                     f"does not explain (explained: {', '.join(sorted(explained))})")
            used.add(d["mistake"])
            mistakes.append((d["value"], fill(explained[d["mistake"]], "mistakes")))
        variant = Variant(prompt=fill(prompt, "prompt"), explanation=fill(explanation, "explanation"),
                          feedback=fill(feedback, "feedback"), params=raw["params"])
        if kind == "single":
            as_text = lambda v: f"`{_shape_text(v) if isinstance(v, list) else v}`" \
                if isinstance(v, (str, list)) else format_answer(v, spec)  # noqa: E731
            options = [{"text": {lang: as_text(raw["answer"]) for lang in LANGS}, "correct": True,
                        "feedback": variant.feedback}]
            options += [{"text": {lang: as_text(value) for lang in LANGS}, "correct": False, "feedback": text}
                        for value, text in mistakes]
            random.Random(f"{q['id']}/{n}").shuffle(options)
            _check_distinct(ctx, options, label, line)
            variant.options = options
        else:
            answer = parse_number(raw["answer"])
            if answer is None:
                raise ctx.fail(line, f"{reference} variant {n}: the answer {raw['answer']!r} is not a number")
            if not isinstance(answer, int) and tolerance is None:
                raise ctx.fail(q.line, f"a non-integer answer ({answer:g}) needs a 'tolerance' (abs or rel)")
            for value, _ in mistakes:
                if parse_number(value) is None or close(parse_number(value), answer, tolerance):
                    raise ctx.fail(line, f"{label}a mistake gives {value!r}, which is accepted as the answer "
                                         f"{format_answer(answer, spec)}")
            variant.answer, variant.display, variant.tolerance, variant.unit = \
                answer, format_answer(answer, spec), tolerance, unit
            variant.mistakes = [{"answer": parse_number(v), "feedback": text} for v, text in mistakes]
        variants.append(variant)
    unused = sorted(set(explained) - used)
    if unused:
        raise ctx.fail(q.lines["mistakes"], f"mistake '{unused[0]}' is never produced by {reference}")
    return Question(q["id"], kind, q.line, variants, {"generate": reference})


def load(docs: Path, path: str, library, root: Path | None = None) -> Bank:
    """Validate and resolve the bank ``docs/<path>``; records come from ``library.record(name)``."""
    docs = Path(docs)
    file = docs / path
    try:
        where = file.resolve().relative_to((root or docs.parent).resolve()).as_posix()
    except ValueError:
        where = file.as_posix()
    ctx = _Context(where, library)
    if not file.is_file():
        raise QuizError(f"{where}: no such question bank")
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ctx.fail(raw[:exc.start].count(b"\n") + 1,
                       f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save the bank as UTF-8") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except _BadKey as exc:
        raise ctx.fail(exc.line, f"a key must be text, got {list(exc.key) if isinstance(exc.key, list) else exc.key!r}") from None
    except _Duplicate as exc:
        raise ctx.fail(exc.line, f"key '{exc.key}' appears twice in one mapping (first on line {exc.first})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ctx.fail(mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, Map):
        raise ctx.fail(1, "a bank is a mapping with 'title' and 'questions'")
    _check_keys(ctx, data, {"title", "questions"}, "")
    _require(ctx, data, "title")
    _require(ctx, data, "questions")
    title = _lang_text(ctx, data, "title")
    items = data["questions"]
    if not isinstance(items, Seq) or not items:
        raise ctx.fail(data.lines["questions"], "'questions' must be a non-empty list of questions")
    questions, seen = [], {}
    for n, q in enumerate(items, 1):
        ctx.question = None
        if not isinstance(q, Map):
            raise ctx.fail(items.lines[n - 1], f"question {n} must be a mapping")
        _require(ctx, q, "id", f"question {n}: ")
        qid = q["id"]
        if not isinstance(qid, str) or not ID.match(qid):
            raise ctx.fail(q.lines["id"], f"question {n}: id '{qid}' must be lower-case letters, digits, '-' or '_'")
        if qid in seen:
            raise ctx.fail(q.lines["id"], f"duplicate id '{qid}' (first used on line {seen[qid]})")
        seen[qid] = q.lines["id"]
        ctx.question = qid
        _require(ctx, q, "type")
        if q["type"] not in TYPES:
            raise ctx.fail(q.lines["type"], f"type '{q['type']}' is not one of {', '.join(TYPES)}")
        questions.append(_question(ctx, q))
    return Bank(path, where, title, questions)


def find_banks(docs: Path) -> list[str]:
    """Every bank under ``docs``: ``quiz.yml`` in a chapter folder, ``NAME.quiz.yml`` beside a page."""
    docs = Path(docs)
    found = {p for p in docs.rglob("quiz.yml")} | {p for p in docs.rglob("*.quiz.yml")}
    return sorted(p.relative_to(docs).as_posix() for p in found if not any(part.startswith(".") for part in p.parts))
