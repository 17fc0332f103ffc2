"""What a failed snippet check tells GitHub Actions: a workflow command that
annotates the snippet's file and line, a row of the job summary's table, and
the recorded and fresh figures side by side, in a folder a workflow uploads.

Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path

from ..check.compare import cell_label
from ..files import write_atomic

# A difference starts with where it is: "cnn.py:75, cell 'train': ..." (see check.compare); an error
# raised in a local module says so next: "conv.py:145 (cell 'digit', line 3), through digits.py:32: ..."
# (see kernel.run.where).
WHERE = re.compile(r"^[\w.-]+\.py:(\d+)\b")
THROUGH = re.compile(r"^[\w.-]+\.py:\d+ \(cell '[^']*'(?:, line \d+)?\), through ([\w./-]+\.py):(\d+): ")


@dataclass
class Outcome:
    """One snippet item's result, as the controller process sees it."""

    name: str
    profile: str
    file: str  # relative to the repository root, with forward slashes
    status: str  # "passed" | "failed" | "skipped"
    seconds: float
    error: str = ""

    @property
    def first_line(self) -> str:
        return next((line for line in self.error.splitlines() if line.strip()), "")

    @property
    def line(self) -> int | None:
        found = WHERE.match(self.first_line)
        return int(found.group(1)) if found else None

    @property
    def through(self) -> tuple[str, int] | None:
        """The local module's file (beside the snippet's) and line that an error was raised through."""
        found = THROUGH.match(self.first_line)
        if not found:
            return None
        folder = self.file.rpartition("/")[0]
        return (f"{folder}/" if folder else "") + found.group(1), int(found.group(2))


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(outcome: Outcome) -> str:
    """``::error file=snippets/cnn.py,line=75,title=...::first difference line``; when the error
    was raised through a local module, a second one on that module's line."""
    where = f"file={_property(outcome.file)}"
    if outcome.line is not None:
        where += f",line={outcome.line}"
    title = f"{outcome.name} differs from its record [{outcome.profile}]"
    text = _data(outcome.first_line or "failed")
    lines = [f"::error {where},title={_property(title)}::{text}"]
    if outcome.through:
        module, line = outcome.through
        title = f"{outcome.name} failed in {module.rpartition('/')[2]} [{outcome.profile}]"
        lines.append(f"::error file={_property(module)},line={line},title={_property(title)}::{text}")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def summary(outcomes: list[Outcome]) -> str:
    """A Markdown table for ``$GITHUB_STEP_SUMMARY``: failures first, then by name."""
    failed = sum(o.status == "failed" for o in outcomes)
    lines = [f"### execdoc: {len(outcomes)} snippet check(s), {failed} failed", "",
             "| Snippet | Profile | Status | Seconds | First difference |",
             "| --- | --- | --- | ---: | --- |"]
    for o in sorted(outcomes, key=lambda o: (o.status != "failed", o.name, o.profile)):
        mark = {"passed": "✅ passed", "failed": "❌ failed"}.get(o.status, o.status)
        where = f"`{o.file}:{o.line}`" if o.line is not None else f"`{o.file}`"
        lines.append(f"| {where} | {o.profile} | {mark} | {o.seconds:.1f} | {_cell(o.first_line)} |")
    return "\n".join(lines) + "\n\n"


def changed_figures(record, fresh) -> list[tuple[str, int, int, str, str]]:
    """(cell label, cell number, output number, recorded PNG, fresh PNG) in base64,
    for each figure whose bytes differ, matching cells by label as the check does."""
    fresh_cells = {cell_label(c, n): c for n, c in enumerate(fresh.cells, start=1) if c.cell_type == "code"}
    found = []
    for n, cell in enumerate(record.cells, start=1):
        other = fresh_cells.get(cell_label(cell, n)) if cell.cell_type == "code" else None
        if other is None:
            continue
        for k, (a, b) in enumerate(zip(cell.get("outputs", []), other.get("outputs", [])), start=1):
            old, new = a.get("data", {}).get("image/png"), b.get("data", {}).get("image/png")
            if old and new and old.replace("\n", "") != new.replace("\n", ""):
                found.append((cell_label(cell, n), n, k, old, new))
    return found


def write_figures(folder: Path, stem: str, figures: list[tuple[str, int, int, str, str]]) -> list[Path]:
    """For each changed figure: ``STEM-cell-N-output-K.html`` showing both, beside the two PNGs."""
    pages = []
    for label, n, k, old, new in figures:
        base = f"{stem}-cell-{n}-output-{k}"
        write_atomic(folder / f"{base}.recorded.png", base64.b64decode(old))
        write_atomic(folder / f"{base}.fresh.png", base64.b64decode(new))
        page = (f"<!doctype html><meta charset='utf-8'><title>{html.escape(base)}</title>"
                f"<h1>{html.escape(stem)}, cell {n} ({html.escape(label)}), output {k}</h1>"
                "<div style='display:flex;gap:1em'>"
                f"<figure><figcaption>recorded</figcaption><img src='{base}.recorded.png'></figure>"
                f"<figure><figcaption>fresh</figcaption><img src='{base}.fresh.png'></figure></div>\n")
        pages.append(write_atomic(folder / f"{base}.html", page))
    return pages
