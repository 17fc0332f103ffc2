"""The model: a bank, its questions (one class per kind), their variants; and
the :class:`Draft` of a question between checking and resolving.

A question has one variant, or several where a generator snippet made them
(:class:`GeneratedSingle`, :class:`GeneratedNumeric`). Every text is a mapping
``{language: text}`` with exactly the project's languages. Each variant knows
what the widget needs to judge an answer (:meth:`Variant.key`); each question
its content hash (:attr:`Question.hash`), which readers' browsers store with
their progress: it covers what the reader sees and what counts as right, in
every language, and nothing else (not the question's place in the file).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import ClassVar

from .rules import normalise_text

# The order of a variant's fields in exports (hashes sort their keys).
ORDER = ("prompt", "explanation", "options", "answer", "display", "tolerance", "unit", "mistakes", "feedback",
         "code", "params")


@dataclass(kw_only=True)
class Variant:
    """One concrete form of a question: what every kind has."""
    prompt: dict
    explanation: dict
    feedback: dict | None = None   # shown with a right answer
    params: dict | None = None     # generated variants: the generator's parameters

    def to_dict(self) -> dict:
        """The variant as data, empty fields left out."""
        return {k: getattr(self, k) for k in ORDER if getattr(self, k, None) not in (None, [], {})}

    def key(self) -> dict:
        """What the widget needs to judge an answer (no HTML)."""
        raise NotImplementedError


@dataclass(kw_only=True)
class ChoiceVariant(Variant):
    """Single or multiple choice: ``options`` are ``{"text", "correct", "feedback"}``."""
    options: list = field(default_factory=list)

    def key(self) -> dict:
        return {"c": [n for n, option in enumerate(self.options) if option["correct"]]}


@dataclass(kw_only=True)
class AnswerVariant(Variant):
    """A typed answer; ``mistakes`` are wrong answers a reader may give, ``{"answer", "feedback"}``."""
    mistakes: list = field(default_factory=list)


@dataclass(kw_only=True)
class NumericVariant(AnswerVariant):
    answer: int | float
    display: str                   # the answer as shown
    tolerance: dict | None = None  # {"abs": x, "rel": y}
    unit: dict | None = None

    def key(self) -> dict:
        return {"a": self.answer, "t": self.tolerance or {}, "m": [m["answer"] for m in self.mistakes]}


@dataclass(kw_only=True)
class TextVariant(AnswerVariant):
    answer: dict                   # {language: [accepted answers]}

    def accepted(self) -> list[str]:
        """Every accepted answer in every language, normalised."""
        return sorted({normalise_text(a) for texts in self.answer.values() for a in texts})

    def key(self) -> dict:
        return {"a": self.accepted(), "m": [normalise_text(m["answer"]) for m in self.mistakes]}


@dataclass(kw_only=True)
class OutputVariant(AnswerVariant):
    """Predict a cell's output or a value: ``answer`` is ``{"kind", "value", "display"[, "tolerance"]}``,
    kind one of shape, number, text, raises."""
    answer: dict
    code: str | None = None        # the cell's code, shown with the prompt

    def key(self) -> dict:
        return {"k": self.answer["kind"], "a": self.answer["value"], "t": self.answer.get("tolerance", {})}


@dataclass
class Question:
    type: ClassVar[str]            # as the widget and exports name the kind
    generated: ClassVar[bool] = False
    id: str
    line: int
    variants: list
    source: dict = field(default_factory=dict)  # where answers came from: {"generate"|"code"|"value": reference}

    def to_dict(self) -> dict:
        return {"id": self.id, "type": self.type, **({"source": self.source} if self.source else {}),
                "variants": [v.to_dict() for v in self.variants]}

    def key(self) -> dict:
        """The answer key the page carries for the widget."""
        return {"type": self.type, "v": [v.key() for v in self.variants]}

    @property
    def hash(self) -> str:
        """Content hash: what the reader sees and what counts as right, in every language."""
        text = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


class Single(Question):
    type = "single"


class Multi(Question):
    type = "multi"


class Numeric(Question):
    type = "numeric"


class Text(Question):
    type = "text"


class Output(Question):
    type = "output"


class GeneratedSingle(Single):
    """Variants a generator printed: the answer and each labelled mistake become the options."""
    generated = True


class GeneratedNumeric(Numeric):
    """Variants a generator printed: the answer, and each labelled mistake as a known wrong answer."""
    generated = True


KINDS: dict[str, type[Question]] = {cls.type: cls for cls in (Single, Multi, Numeric, Text, Output)}
GENERATED: dict[str, type[Question]] = {cls.type: cls for cls in (GeneratedSingle, GeneratedNumeric)}
TYPES = tuple(KINDS)


@dataclass
class Draft:
    """One question as written and checked (:mod:`validate`), not yet answered from the
    records (:mod:`resolve`); texts may still hold ``{{ references }}``."""
    q: dict                         # the mapping itself (a loader.Map), for lines
    id: str
    type: str
    prompt: dict
    explanation: dict
    feedback: dict | None = None
    tolerance: dict | None = None
    unit: dict | None = None
    spec: str | None = None         # format of a numeric answer
    options: list = field(default_factory=list)   # [{"text", "correct", "feedback", "line"}]
    mistakes: list = field(default_factory=list)  # [{"answer", "feedback", "line"}]
    labels: dict = field(default_factory=dict)    # generated: {mistake label: texts}
    answers: dict | None = None     # text: {lang: [accepted]}
    answer: float | None = None     # numeric, written in the bank
    value: tuple | None = None      # (snippet, value) the answer comes from
    code: str | None = None         # output: name.py#cell
    raises: bool = False
    generate: str | None = None     # name.py#cell of a generator


@dataclass
class Bank:
    path: str        # relative to docs/, as a page names it
    file: str        # relative to the project root, for messages
    title: dict
    questions: list[Question]
    languages: tuple[str, ...] = ()  # the languages every text has, the project's

    def to_dict(self) -> dict:
        return {"bank": self.path, "title": self.title,
                "questions": [{**q.to_dict(), "hash": q.hash} for q in self.questions]}
