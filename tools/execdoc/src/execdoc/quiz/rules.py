"""The answer rules, shared with ``assets/quiz.js``: how typed answers are read
and compared. Change one side and the other must follow.

- text is compared after :func:`normalise_text`;
- a number is read by :func:`parse_number` (``0.5``, ``.5``, ``5e-1``, ``1,347``); the keyboard
  offered for it (:func:`keypad`) has what the question's numbers need;
- a number is right when :func:`close` to the answer: within ``max(abs, rel·|answer|)``
  (the bank's ``tolerance: {abs, rel}``, either or both), plus a hair for binary
  rounding. This is the quiz's own rule, not ``check``'s floor (``atol + rtol·|x|``):
  readers see it in banks as "either limit will do", and quiz.js judges by it;
- recorded output is classified by :func:`expected_output` (a shape, a number
  good to half a unit of its last printed digit, or text).
"""

from __future__ import annotations

import math
import re
import unicodedata

from ..check.compare import print_unit
from ..render.values import format_value

SHAPE = re.compile(r"(?:torch\.Size\()?\s*[(\[]\s*(-?\d+(?:\s*,\s*-?\d+)*)?\s*,?\s*[)\]]\s*\)?\Z")
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\Z")
END_PUNCTUATION = re.compile(r"[.。!?,，;；:：]+$")
QUOTES = "\"'`“”‘’「」"


def normalise_text(text: str) -> str:
    """What text answers are compared by (quiz.js does the same): NFKC, lower case,
    single spaces, no surrounding quotes, no trailing punctuation."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text)).lower()).strip()
    text = END_PUNCTUATION.sub("", text).strip().strip(QUOTES)
    return END_PUNCTUATION.sub("", text).strip()


def shown(text: str) -> str:
    """An option as the reader sees it: compatibility forms and runs of spaces do not count."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


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


def keypad(numbers: list[str]) -> str:
    """The ``inputmode`` for typing ``numbers`` as shown: ``decimal`` (digits and a point) unless one
    is written with a sign or an exponent (``-0.5``, ``3.15e+23``), which only ``text`` offers."""
    return "text" if any(re.search(r"[-+−eE]", text) for text in numbers) else "decimal"


def limit(answer: float, tolerance: dict | None) -> float:
    """How far from ``answer`` a number may be: ``max(abs, rel·|answer|)``."""
    tolerance = tolerance or {}
    return max(tolerance.get("abs", 0.0), tolerance.get("rel", 0.0) * abs(answer))


def close(got: float, answer: float, tolerance: dict | None) -> bool:
    """Whether ``got`` counts as ``answer`` (quiz.js: ``near``)."""
    return abs(got - answer) <= limit(answer, tolerance) + 1e-12 * max(1.0, abs(answer))


def expected_output(text: str) -> dict:
    """Classify recorded output: a shape, a number or text, as the widget compares them."""
    text = text.strip()
    shape = SHAPE.match(text)
    if shape:
        dims = [int(d) for d in re.findall(r"-?\d+", shape.group(1) or "")]
        return {"kind": "shape", "value": dims, "display": text}
    number = parse_number(text)
    if number is not None and NUMBER.match(text):
        unit = print_unit(text)  # check's rule for a printed decimal; rounding leaves half of it
        return {"kind": "number", "value": number, "display": text, "tolerance": {"abs": 0.5 * unit if unit else 0}}
    return {"kind": "text", "value": normalise_text(text), "display": text}


def shape_text(value: list) -> str:
    """A shape as Python prints a tuple: ``(8, 16)``, ``(16,)``."""
    return "(" + ", ".join(map(str, value)) + ("," if len(value) == 1 else "") + ")"


def format_answer(value, spec: str | None) -> str:
    """A numeric answer as the reader is shown it (``format:`` in the bank, else 6 digits)."""
    if isinstance(value, float) and not spec:
        return f"{value:.6g}"
    return format_value(value, spec or "")
