"""What a snippet is once read: titled cells, options, and its record key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from .. import references
from ..config import SnippetOptions


@dataclass(frozen=True)
class Cell:
    index: int  # position among the notebook's cells
    title: str | None
    source: str  # exactly as executed
    first_line: int  # line in the .py file where ``source`` starts (1-based)
    tags: tuple[str, ...]
    imports: tuple[str, ...] = ()  # top-level names of the modules it imports

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
        raise references.no_cell(self.name, title, [c.title for c in self.cells])

    def line_of(self, cell: Cell, line_in_cell: int) -> int:
        return cell.first_line + line_in_cell - 1
