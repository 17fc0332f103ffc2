"""The record: one committed, executed notebook per snippet.

``docs/notebooks/<name>.ipynb`` is the cache (a build whose key matches reuses
it), the golden copy (``check`` compares fresh runs with it) and the notebook
page readers see and download. Its ``metadata.execdoc`` holds the key, the
versions, seconds per cell, the snippet's simple values, the fingerprint of
the machine that ran it, the calibration (a tolerance per number, measured
across machine profiles), and a digest over cells, key, values and
calibration that detects a truncated or hand-edited record.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from pathlib import Path

import nbformat
from filelock import FileLock

from ..config import Config
from ..files import write_atomic
from ..snippets import Snippet, sha256
from . import sanitise

if TYPE_CHECKING:
    from ..kernel.run import Result


@dataclass
class Loaded:
    notebook: nbformat.NotebookNode | None
    problem: str | None  # why it cannot be used: missing, corrupt, stale


def path(config: Config, name: str) -> Path:
    return config.records / f"{name}.ipynb"


def lock(config: Config, name: str) -> FileLock:
    folder = config.report.parent / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return FileLock(str(folder / f"{name}.lock"))


# What of ``metadata.execdoc`` the digest covers: all that the check or a page reads.
DIGESTED = ("key", "values", "calibration")


def digest(notebook: nbformat.NotebookNode) -> str:
    cells = [[c.cell_type, c.source, c.get("outputs", []), list(c.metadata.get("tags", []))] for c in notebook.cells]
    meta = notebook.metadata.get("execdoc", {})
    covered = {name: meta.get(name) for name in DIGESTED}
    if "imported" in meta:  # only where present: records made before it keep their digest
        covered["imported"] = meta["imported"]
    return hashlib.sha256(json.dumps([cells, covered], sort_keys=True).encode()).hexdigest()[:32]


def seal(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Recompute the digest after a deliberate change (prose, calibration)."""
    notebook.metadata.execdoc["digest"] = digest(notebook)
    return notebook


def build(result: "Result") -> nbformat.NotebookNode:
    """The record of a successful run."""
    snippet = result.snippet
    notebook = result.notebook
    notebook.metadata = nbformat.from_dict({
        "kernelspec": {"name": snippet.key_parts.get("kernel", "python3"), "display_name": "Python 3",
                       "language": "python"},
        "language_info": {"name": "python"},
        "execdoc": {
            "snippet": f"{snippet.name}.py",
            "key": snippet.key,
            "key_parts": snippet.key_parts,
            "seconds": result.seconds,
            "values": result.values,
            "machine": result.fingerprint,
        },
    })
    if result.imported:  # local modules the snippet imported at run time, and their hashes
        notebook.metadata.execdoc["imported"] = result.imported
    for n, cell in enumerate(notebook.cells):
        cell.id = f"c{n:02d}"
        sanitise.clean_outputs(cell)
        title, tags = cell.metadata.get("title"), list(cell.metadata.get("tags", []))
        shown = presentation(cell)
        cell.metadata = nbformat.from_dict({"title": title} if title else {})
        if tags:
            cell.metadata["tags"] = tags
        cell.metadata.update(shown)
        if cell.cell_type == "code":
            if title in result.cell_seconds:
                cell.metadata["execdoc"] = {"seconds": result.cell_seconds[title]}
            elif f"cell {n + 1}" in result.cell_seconds:
                cell.metadata["execdoc"] = {"seconds": result.cell_seconds[f"cell {n + 1}"]}
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    return seal(notebook)


# Cell metadata that changes how a record is shown, never what it computes: a
# Markdown cell's language, a figure cell's caption. Kept in the record, out of the key.
PRESENTATION = ("lang", "caption")


def presentation(cell) -> dict:
    return {k: cell.metadata[k] for k in PRESENTATION if k in cell.metadata}


def refresh_prose(notebook: nbformat.NotebookNode, snippet: Snippet) -> bool:
    """Copy the snippet's Markdown cells (added, removed or edited) and its
    presentation metadata into a record whose key still matches.

    Prose is not part of the key, so editing it executes nothing; the notebook
    page should still show the new text. The recorded code cells are kept, in
    order; an untitled one whose position (its label) would move keeps the record
    as it is. Returns whether anything changed.
    """
    code = [c for c in notebook.cells if c.cell_type == "code"]
    current_code = [c for c in snippet.notebook.cells if c.cell_type == "code"]
    if len(code) != len(current_code):
        return False
    kept = iter(code)
    cells = []
    for n, current in enumerate(snippet.notebook.cells):
        if current.cell_type == "code":
            cell = copy.deepcopy(next(kept))
            if not cell.metadata.get("title") and cell.id != f"c{n:02d}":
                return False  # its label, "cell N", names its place among all cells
            for name in PRESENTATION:
                cell.metadata.pop(name, None)
        else:
            cell = nbformat.from_dict({"cell_type": current.cell_type, "metadata": {}, "source": current.source})
        cell.id = f"c{n:02d}"
        cell.metadata.update(presentation(current))
        cells.append(cell)
    if cells == notebook.cells:
        return False
    notebook.cells = cells
    seal(notebook)
    return True


def meta_values(notebook: nbformat.NotebookNode) -> dict:
    """Values every record offers besides the snippet's own: ``_seconds``,
    ``_lines`` (non-blank code lines) and ``_cells`` (code cells)."""
    code = [c for c in notebook.cells if c.cell_type == "code"]
    return {
        "_seconds": notebook.metadata.execdoc.get("seconds", 0.0),
        "_lines": sum(1 for c in code for line in c.source.split("\n") if line.strip()),
        "_cells": len(code),
    }


def load(config: Config, name: str) -> Loaded:
    file = path(config, name)
    if not file.exists():
        return Loaded(None, "no record yet")
    try:
        notebook = nbformat.reads(file.read_text("utf-8"), as_version=4)
        meta = notebook.metadata["execdoc"]
        if meta["digest"] != digest(notebook):
            return Loaded(None, "record is corrupt: its cells, key, values or calibration do not match its digest")
        meta["key"], meta["values"]
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        return Loaded(None, f"record is corrupt or truncated ({type(exc).__name__}: {exc})")
    return Loaded(notebook, None)


def load_fresh(config: Config, snippet: Snippet) -> Loaded:
    loaded = load(config, snippet.name)
    if loaded.notebook is not None and loaded.notebook.metadata.execdoc.key != snippet.key:
        return Loaded(loaded.notebook, "record is stale: the snippet, a module it imports, its data, "
                                       "options or versions changed")
    for rel, sha in (loaded.notebook.metadata.execdoc.get("imported", {}) if loaded.notebook else {}).items():
        file = config.snippets / rel
        if not file.is_file() or sha256(file.read_bytes()) != sha:
            return Loaded(loaded.notebook, f"record is stale: {config.snippets.name}/{rel}, which it imported "
                                           "at run time, changed")
    return loaded


def write(config: Config, name: str, notebook: nbformat.NotebookNode) -> Path:
    return write_to(path(config, name), notebook)


def write_to(file: Path, notebook: nbformat.NotebookNode) -> Path:
    return write_atomic(file, nbformat.writes(notebook) + "\n", durable=True)


def expected_seconds(config: Config, names: list[str]) -> dict[str, float]:
    """Durations from the existing records, to start the longest first."""
    found = {}
    for name in names:
        loaded = load(config, name)
        if loaded.notebook is not None:
            found[name] = float(loaded.notebook.metadata.execdoc.get("seconds", 0))
    return found
