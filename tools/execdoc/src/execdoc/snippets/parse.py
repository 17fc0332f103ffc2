"""A snippet file into titled cells, through jupytext's percent format.

Plain Python with ``# %% title`` headers; code before the first header forms
a cell of its own. Each cell keeps the line where it starts in the ``.py``
file, so every message can point there.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import nbformat

from .. import ExecdocError
from ..files import read_text
from .model import Cell

HEADER = re.compile(r"^# %%(?!%)")

# Parsed snippets by content: the MkDocs adapter and the Markdown extension
# share one parse per process (jupytext is the slow part of a warm build).
_parsed: dict[tuple[str, str], tuple[nbformat.NotebookNode, tuple[Cell, ...]]] = {}


def parse(path: Path) -> tuple[nbformat.NotebookNode, tuple[Cell, ...]]:
    text = read_text(path)
    cache_key = (str(path), hashlib.sha256(text.encode()).hexdigest())
    if cache_key not in _parsed:
        _parsed[cache_key] = parse_text(path, text)
    return _parsed[cache_key]


def parse_text(path: Path, text: str) -> tuple[nbformat.NotebookNode, tuple[Cell, ...]]:
    import jupytext  # imported on first use: a warm build may need no parse at all

    try:
        notebook = jupytext.reads(text, fmt="py:percent")
    except Exception as exc:  # jupytext raises many kinds on bad input
        raise ExecdocError(f"{path.name}: cannot be read as a percent-format notebook: {exc}") from exc
    headers = [n + 1 for n, line in enumerate(text.split("\n")) if HEADER.match(line)]
    starts = ([0] if len(notebook.cells) == len(headers) + 1 else []) + headers
    if len(starts) != len(notebook.cells):
        raise ExecdocError(f"{path.name}: could not map cells to lines ({len(notebook.cells)} cells, "
                           f"{len(headers)} '# %%' headers)")
    cells, seen = [], {}
    for index, (nb_cell, header_line) in enumerate(zip(notebook.cells, starts)):
        if nb_cell.cell_type != "code":
            continue
        title = nb_cell.metadata.get("title")
        if title in seen:
            raise ExecdocError(f"{path.name}:{header_line}: cell title '{title}' is already used on line {seen[title]}")
        if title:
            seen[title] = header_line
        cells.append(Cell(index, title, nb_cell.source, header_line + 1, tuple(nb_cell.metadata.get("tags", ()))))
    return notebook, tuple(cells)
