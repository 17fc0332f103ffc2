"""Find snippets, split them into titled cells, and compute their record keys.

A snippet is ``snippets/<name>.py`` in jupytext's percent format: plain Python
with ``# %% title`` headers. A ``.py`` file in that folder without any
``# %%`` header is a local module that snippets may import; its content is part
of the key of every snippet that imports it.
"""

from __future__ import annotations

import ast
import hashlib
import json
import platform
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import nbformat

from . import ExecdocError, __version__
from .config import Config, SnippetOptions

HEADER = re.compile(r"^# %%(?!%)")
# Magic lines (``%time``, ``!pip``) are not Python; imports are found line by line then.
IMPORT_LINE = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w., ]+))", re.M)


@dataclass(frozen=True)
class Cell:
    index: int  # position among the notebook's cells
    title: str | None
    source: str  # exactly as executed
    first_line: int  # line in the .py file where ``source`` starts (1-based)
    tags: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.title or f"cell {self.index + 1}"

    @property
    def expects_error(self) -> bool:
        return "raises-exception" in self.tags


@dataclass(frozen=True)
class Snippet:
    name: str
    path: Path
    notebook: nbformat.NotebookNode
    cells: tuple[Cell, ...]  # code cells only
    options: SnippetOptions
    key: str
    key_parts: dict

    def cell(self, title: str) -> Cell:
        for cell in self.cells:
            if cell.title == title:
                return cell
        known = ", ".join(c.title for c in self.cells if c.title) or "none"
        raise ExecdocError(f"{self.name}.py has no cell '{title}' (cells: {known})")

    def line_of(self, cell: Cell, line_in_cell: int) -> int:
        return cell.first_line + line_in_cell - 1


def is_snippet(path: Path) -> bool:
    # Bytes: a file that is not UTF-8 is still found, and then fails alone, by name.
    with path.open("rb") as handle:
        return any(line.startswith(b"# %%") and not line.startswith(b"# %%%") for line in handle)


def snippet_paths(config: Config) -> list[Path]:
    if not config.snippets.is_dir():
        return []
    return sorted(p for p in config.snippets.glob("*.py") if is_snippet(p))


def read_text(path: Path) -> str:
    """A snippet or module's text; one that is not UTF-8 is an error naming the file."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ExecdocError(f"{path.name}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None


@lru_cache(maxsize=None)
def shadows(name: str) -> str | None:
    """The sentence for a snippet or local module whose name hides
    a module Python would otherwise import (every kernel imports the standard
    library while it starts), or None."""
    import importlib.machinery
    import sys

    if name in sys.stdlib_module_names:
        return f"its name shadows the standard module '{name}'; rename the file"
    # Installed: found in this interpreter's site-packages (not wherever the
    # host process happens to have put on sys.path, the snippets folder included).
    installed = [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]
    try:
        found = importlib.machinery.PathFinder.find_spec(name, installed)
    except (ImportError, ValueError):
        found = None
    if found is not None:
        return f"its name shadows the installed module '{name}'; rename the file"
    return None


def local_module_files(config: Config) -> list[Path]:
    """What kernels may import from the snippets folder: modules (``.py`` files
    without cells) and packages, except those whose names shadow other modules."""
    if not config.snippets.is_dir():
        return []
    found = [p for p in sorted(config.snippets.glob("*.py")) if not is_snippet(p)]
    found += [p for p in sorted(config.snippets.iterdir()) if (p / "__init__.py").is_file()]
    return [p for p in found if shadows(p.stem) is None]


def normalise(source: str) -> str:
    """What of a cell's code the key sees: line endings, trailing blanks ignored."""
    lines = [line.rstrip() for line in source.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=4096)
def _imported_names(source: str) -> frozenset[str]:
    return frozenset(_scan_imports(source))


def _scan_imports(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        names = set()
        for match in IMPORT_LINE.finditer(source):
            if match.group(1):
                names.add(match.group(1).split(".")[0])
            else:
                names.update(part.strip().split(".")[0].split(" ")[0] for part in match.group(2).split(","))
        return names
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def local_modules(sources: list[str], folder: Path, own: str) -> dict[str, str]:
    """Hashes of the local modules the sources import, followed transitively."""
    found: dict[str, str] = {}
    pending = [name for src in sources for name in _imported_names(src)]
    while pending:
        name = pending.pop()
        if name == own:
            continue
        files = []
        if (folder / f"{name}.py").is_file() and shadows(name) and not is_snippet(folder / f"{name}.py"):
            raise ExecdocError(f"{own}.py imports '{name}', and snippets/{name}.py {shadows(name)}: "
                               "kernels never see that file")
        if (folder / f"{name}.py").is_file():
            files = [folder / f"{name}.py"]
        elif (folder / name / "__init__.py").is_file():
            files = sorted((folder / name).rglob("*.py"))
        for file in files:
            rel = file.relative_to(folder).as_posix()
            if rel in found:
                continue
            text = read_text(file)
            found[rel] = _sha256(text.encode())
            pending.extend(_imported_names(text))
    return dict(sorted(found.items()))


@lru_cache(maxsize=None)
def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def environment() -> dict:
    """Versions that can change outputs. Python by minor version only."""
    return {
        "python": ".".join(platform.python_version_tuple()[:2]),
        "numpy": _version("numpy"),
        "torch": _version("torch"),
        "execdoc": __version__,
    }


# Parsed snippets by content: the MkDocs adapter and the Markdown extension
# share one parse per process (jupytext is the slow part of a warm build).
_parsed: dict[tuple[str, str], tuple[nbformat.NotebookNode, tuple[Cell, ...]]] = {}


def _parse(path: Path) -> tuple[nbformat.NotebookNode, tuple[Cell, ...]]:
    text = read_text(path)
    cache_key = (str(path), hashlib.sha256(text.encode()).hexdigest())
    if cache_key not in _parsed:
        _parsed[cache_key] = _parse_text(path, text)
    return _parsed[cache_key]


def _parse_text(path: Path, text: str) -> tuple[nbformat.NotebookNode, tuple[Cell, ...]]:
    import jupytext  # imported on first use: a warm build may need no parse at all

    try:
        notebook = jupytext.reads(text, fmt="py:percent")
    except Exception as exc:  # jupytext raises many kinds on bad input
        raise ExecdocError(f"{path.name}: cannot be read as a percent-format notebook: {exc}") from exc
    headers = [n + 1 for n, line in enumerate(text.split("\n")) if HEADER.match(line)]
    # Code before the first header forms a cell of its own, starting on line 1.
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


def load_snippet(config: Config, name: str) -> Snippet:
    path = config.snippets / f"{name}.py"
    if not path.is_file():
        raise ExecdocError(f"no snippet '{name}' ({path.relative_to(config.root)} does not exist)")
    why = shadows(name)
    if why:
        raise ExecdocError(f"{path.name}: {why}")
    notebook, cells = _parse(path)
    if not cells:
        raise ExecdocError(f"{path.name}: has no code cells")
    options = config.options(name)
    data = {}
    for rel in options.data:
        file = config.snippets / rel
        if not file.is_file():
            raise ExecdocError(f"{name}.py declares data file '{rel}', which does not exist under {config.snippets.name}/")
        data[rel] = _sha256(file.read_bytes())
    parts = {
        "cells": [[c.title, list(c.tags), normalise(c.source)] for c in cells],
        "modules": local_modules([c.source for c in cells], config.snippets, name),
        "data": dict(sorted(data.items())),
        "options": options.key_options(),
        "environment": environment(),
    }
    key = _sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode())[:32]
    return Snippet(name, path, notebook, cells, options, key, parts)


def resolve(config: Config, names: list[str] | None = None) -> list[str]:
    """Snippet names from the command line (``t``, ``t.py`` or ``snippets/t.py``),
    or every snippet; an ExecdocError names any that is not a snippet."""
    available = [p.stem for p in snippet_paths(config)]
    if not names:
        return available
    wanted = [Path(n).stem if n.endswith(".py") else n for n in names]
    missing = [n for n in wanted if n not in available]
    if missing:
        raise ExecdocError("no such snippet: " + ", ".join(missing) + f" (snippets: {', '.join(available) or 'none'})")
    return list(dict.fromkeys(wanted))


def load_all(config: Config, names: list[str] | None = None) -> list[Snippet]:
    return [load_snippet(config, name) for name in resolve(config, names)]
