"""Shared by the quiz generator snippets (quizgen_*.py): how a generated
question's variants are drawn and printed.

A local module, not a snippet (no ``# %%`` cells): editing it re-executes the
snippets that import it.
"""

from __future__ import annotations

import inspect
import json

NUM_VARIANTS = 4


def count(module):
    """Number of trainable parameters, as torch counts them."""
    return sum(p.numel() for p in module.parameters())


def variant(params, answer, mistakes):
    """One variant; a mistake whose result equals the answer or an earlier mistake is left out."""
    distractors, seen = [], {answer}
    for label, value in mistakes.items():
        if value not in seen:
            distractors.append({"value": value, "mistake": label})
            seen.add(value)
    return {"params": params, "answer": answer, "distractors": distractors}


def generate(make, rng, n=NUM_VARIANTS, distinct=2):
    """Draw variants until ``n`` differ, each with at least ``distinct`` wrong answers.

    ``make(rng)`` draws one; a ``make(rng, i)`` also gets how many were kept so far.
    """
    indexed = len(inspect.signature(make).parameters) == 2
    found = []
    while len(found) < n:
        v = make(rng, len(found)) if indexed else make(rng)
        if v is not None and len(v["distractors"]) >= distinct and v["params"] not in [f["params"] for f in found]:
            found.append(v)
    return found


def emit(variants):
    """The quiz reads exactly this JSON from the cell's output."""
    lines = ",\n".join(json.dumps(v, ensure_ascii=False) for v in variants)
    print('{"variants": [\n' + lines + "\n]}")
