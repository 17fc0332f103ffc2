"""A snippet file into titled cells, through jupytext's percent format.

Plain Python with ``# %% title`` headers; code before the first header forms
a cell of its own. Each cell keeps the line where it starts in the ``.py``
file, so every message can point there.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

import nbformat

from .. import ExecdocError, __version__
from ..files import read_text, write_atomic
from .model import Cell

HEADER = re.compile(r"^# %%(?!%)")
# Magic lines (``%time``, ``!pip``) are not Python; imports are found line by line then.
IMPORT_LINE = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w., ]+))", re.M)

# Parsed snippets by content: the MkDocs adapter and the Markdown extension
# share one parse per process (jupytext is the slow part of a warm build).
_parsed: dict[tuple[str, str], tuple[nbformat.NotebookNode, tuple[Cell, ...]]] = {}


def parse(path: Path, cache: Path | None = None) -> tuple[nbformat.NotebookNode, tuple[Cell, ...]]:
    """The snippet's notebook and cells. ``cache``: a folder where parses are
    kept by content across processes (a warm build then imports no jupytext)."""
    text = read_text(path)
    digest = hashlib.sha256(text.encode()).hexdigest()
    cache_key = (str(path), digest)
    if cache_key not in _parsed:
        _parsed[cache_key] = _from_disk(cache, path, text, digest) if cache else parse_text(path, text)
    return _parsed[cache_key]


def _parser_version() -> str:
    from importlib.metadata import version  # no jupytext import: its version names the parser

    return f"execdoc {__version__} (cells with imports), jupytext {version('jupytext')}"


def _from_disk(cache: Path, path: Path, text: str, digest: str) -> tuple[nbformat.NotebookNode, tuple[Cell, ...]]:
    file = cache / f"{path.stem}-{digest[:24]}.json"
    try:
        kept = json.loads(file.read_text("utf-8"))
        if kept["parser"] == _parser_version():
            cells = tuple(Cell(i, title, source, line, tuple(tags), tuple(imports))
                          for i, title, source, line, tags, imports in kept["cells"])
            return nbformat.from_dict(kept["notebook"]), cells
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing, or written by another version: parse again
    notebook, cells = parse_text(path, text)
    data = {"parser": _parser_version(), "notebook": notebook,
            "cells": [[c.index, c.title, c.source, c.first_line, list(c.tags), list(c.imports)] for c in cells]}
    try:
        write_atomic(file, json.dumps(data, ensure_ascii=False))
        for old in cache.glob(f"{path.stem}-*.json"):
            if old != file:
                old.unlink(missing_ok=True)  # an earlier version of the same snippet
    except OSError:
        pass  # a read-only checkout still builds
    return notebook, cells


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
        cells.append(Cell(index, title, nb_cell.source, header_line + 1, tuple(nb_cell.metadata.get("tags", ())),
                          tuple(sorted(imported_names(nb_cell.source)))))
    return notebook, tuple(cells)


@lru_cache(maxsize=4096)
def imported_names(source: str) -> frozenset[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        names = set()
        for match in IMPORT_LINE.finditer(source):
            if match.group(1):
                names.add(match.group(1).split(".")[0])
            else:
                names.update(part.strip().split(".")[0].split(" ")[0] for part in match.group(2).split(","))
        return frozenset(names)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return frozenset(names)
