"""Quizzes: chapter question banks in YAML, answered from records.

A bank (``docs/algorithms/quiz.yml``) holds one chapter's questions, every
language side by side (the project's ``languages``), so that the answer key
exists once::

    title: {zh: 算法原理与数学, en: Algorithms and mathematics}
    questions:
      - id: chain-rule                      # stable: progress is keyed by it
        type: single                        # single | multi | numeric | text | output
        prompt: {zh: ..., en: ...}          # Markdown: code and $math$
        options:
          - {text: {zh: ..., en: ...}, correct: true, feedback: {zh: ..., en: ...}}
          - {text: ..., feedback: ...}
        explanation: {zh: ..., en: ...}

The stages, each its own module: :mod:`loader` (YAML that remembers lines),
:mod:`validate` (the bank as written), :mod:`resolve` (answers from the
records), :mod:`model` (one class per kind of question), :mod:`rules` (how
answers are compared, shared with ``assets/quiz.js``), :mod:`html` and
:mod:`safe` (the fence's HTML), :mod:`export` (``execdoc quiz export``).
The fences (:mod:`execdoc.markdown.fences`) use :func:`load_bank`,
:func:`find_banks`, :func:`render_bank` and :func:`render_review`.
"""

from __future__ import annotations

from pathlib import Path

from .html import render_bank, render_review
from .loader import QuizError, find_banks
from .model import Bank
from .resolve import load


def load_bank(docs: Path, path: str, library) -> Bank:
    """Validate and resolve ``docs/<path>`` against the library's records and languages."""
    return load(docs, path, library, library.config.root)


__all__ = ["Bank", "QuizError", "find_banks", "load_bank", "render_bank", "render_review"]
