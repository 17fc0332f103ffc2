"""The read API over a project's records: what pages, quizzes and the
benchmark read, each record parsed once per change of its files.

Nothing here executes: records come from ``execdoc build``. Every problem is
an :class:`~execdoc.ExecdocError` that says what is missing and what exists.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from .. import ExecdocError, config as config_mod, references, snippets
from . import store

_cache: dict[tuple, object] = {}


class Library:
    """Records and snippets of one project. Each record is checked against its
    files once per Library (a host makes one per page), parsed once per change."""

    def __init__(self, config: config_mod.Config | None = None, root: str | Path | None = None):
        self.config = config or config_mod.load(Path(root) if root else None)
        self._checked: dict[str, object] = {}

    def _signature(self, name: str) -> tuple:
        files = [self.config.snippets / f"{name}.py", store.path(self.config, name)]
        files += sorted(self.config.snippets.glob("*.py"))
        stats = []
        for file in files:
            try:
                st = file.stat()
                stats.append((str(file), st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                stats.append((str(file), None, None))
        return (str(self.config.root), name, tuple(stats))

    def record(self, name: str) -> nbformat.NotebookNode:
        """The fresh record of snippet ``name``, or an ExecdocError saying why not."""
        if name not in self._checked:
            self._checked[name] = self._record(name)
        found = self._checked[name]
        if isinstance(found, ExecdocError):
            raise found
        return found

    def _record(self, name: str) -> nbformat.NotebookNode | ExecdocError:
        signature = self._signature(name)
        if signature not in _cache:
            try:
                snippet = snippets.load_snippet(self.config, name)
                loaded = store.load_fresh(self.config, snippet)
                if loaded.problem:
                    raise ExecdocError(f"{name}.py: {loaded.problem}; run `execdoc build`")
                _cache[signature] = loaded.notebook
            except ExecdocError as exc:
                _cache[signature] = exc
        return _cache[signature]

    def cells(self, name: str, title: str | None = None) -> list:
        """The recorded code cells of ``name`` (the one titled ``title``, if given)."""
        notebook = self.record(name)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        if title is None:
            return code
        chosen = [c for c in code if c.metadata.get("title") == title]
        if not chosen:
            raise references.no_cell(name, title, [c.metadata.get("title") for c in code])
        return chosen

    def cell(self, reference: str):
        """The recorded cell ``name.py#title``."""
        match = references.CELL.match(str(reference).strip())
        if not match or match.group(2) is None:
            raise ExecdocError(f"write a cell as name.py#title, got '{reference}'")
        return self.cells(*match.groups())[0]

    def values(self, name: str) -> dict:
        """Every value ``name`` recorded, with ``_seconds``, ``_lines`` and ``_cells``."""
        notebook = self.record(name)
        return {**store.meta_values(notebook), **notebook.metadata.execdoc["values"]}

    def value(self, name: str, key: str, index: int | None = None) -> tuple[object, float | None]:
        """A value and its calibrated tolerance (None where it does not move
        beyond the floor); ``index`` takes an item of a list."""
        values = self.values(name)
        if key not in values:
            raise ExecdocError(f"{name}.py recorded no value '{key}' (values: {', '.join(sorted(values)) or 'none'})")
        value = values[key]
        measured = (self.record(name).metadata.execdoc.get("calibration") or {}).get("tolerance", {})
        tolerance = ([measured.get(f"values/{key}/{i}") for i in range(len(value))] if isinstance(value, list)
                     else measured.get(f"values/{key}"))
        if index is not None:
            if not isinstance(value, list) or not -len(value) <= index < len(value):
                raise ExecdocError(f"'{key}' = {value!r} has no item [{index}]")
            value, tolerance = value[index], tolerance[index]
        return value, tolerance
