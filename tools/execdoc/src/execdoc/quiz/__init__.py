"""Quizzes: chapter question banks in YAML, answered from records.

The fences (:mod:`execdoc.markdown.fences`) use :func:`load_bank`,
:func:`find_banks`, :func:`render_bank` and :func:`render_review`;
``execdoc quiz export`` uses :mod:`export`.
"""

from __future__ import annotations

from pathlib import Path

from .bank import Bank, QuizError, find_banks, load
from .html import render_bank, render_review


def load_bank(docs: Path, path: str, library) -> Bank:
    """Validate and resolve ``docs/<path>`` against the library's records."""
    return load(docs, path, library, library.config.root)


__all__ = ["Bank", "QuizError", "find_banks", "load_bank", "render_bank", "render_review"]
