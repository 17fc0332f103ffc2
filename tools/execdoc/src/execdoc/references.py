"""How pages and banks refer to records, each form defined once.

- a cell: ``name.py#title`` (``name.py`` alone: every code cell);
- a value: ``snippet.value``, in prose ``{{ snippet.value[i] | spec }}``;
- a generator's parameter in a bank: ``{{ param | spec }}``.
"""

from __future__ import annotations

import re

from . import ExecdocError

CELL = re.compile(r"([\w-]+)\.py(?:#([\w-]+))?\Z")
VALUE_NAME = re.compile(r"([\w-]+)\.([A-Za-z_]\w*)\Z")
VALUE = re.compile(r"\{\{\s*([A-Za-z_]\w*)\.([A-Za-z_]\w*)(?:\[(-?\d+)\])?\s*(?:\|\s*([^}]*?))?\s*\}\}")
PARAM = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*(?:\|\s*([^}]*?))?\s*\}\}")
# Text that starts like a value reference; whatever of it VALUE did not take is malformed.
LOOKS_LIKE_VALUE = re.compile(r"\{\{\s*(?:[A-Za-z_][^}\n]*|\}\})(?:\}\}?)?")


def no_cell(name: str, title: str, titles) -> ExecdocError:
    """The one message for a cell title a snippet does not have."""
    known = ", ".join(t for t in titles if t) or "none"
    return ExecdocError(f"{name}.py has no cell '{title}' (cells: {known})")


def malformed(text: str) -> str | None:
    """The part of ``text`` that looks like a value reference but does not parse, or None."""
    left = LOOKS_LIKE_VALUE.search(VALUE.sub("", text))
    return left.group(0) if left else None
