"""The Python-Markdown extension: snippet cells in fences, values in prose.

A page writes a custom fence (registered through pymdownx.superfences)::

    ```snippet show="both" fold="20"
    backprop.py#train
    ```

and gets that cell's code and its recorded output. ``backprop.py`` alone
shows every code cell. In prose, ``{{ backprop.final_loss | .4f }}`` becomes
the recorded value, formatted with a Python format spec (``{{ x.y[0] }}``
takes an item of a list). ``{{ x.y | ~.4f }}`` writes "≈" before a value that
moves between machines (its calibrated tolerance exceeds the floor) and
``{{ x.y | ±.4f }}`` appends "± tolerance"; a value that does not move is
written plainly. Every record also offers ``_seconds`` (the whole
run), ``_lines`` (non-blank code lines) and ``_cells`` (code cells). Inside inline code and code fences nothing is
replaced, so the syntax can be shown.

It never executes anything: records come from ``execdoc build`` (the MkDocs
adapter runs it first). A missing or stale record, cell or value raises, naming
the page and the reference. Nothing here touches MkDocs, so any
Python-Markdown host (Zensical included) can load it.
"""

from __future__ import annotations

import contextvars
import html
import re
from pathlib import Path

from markdown import Extension
from markdown.preprocessors import Preprocessor
from pymdownx.superfences import SuperFencesException

from . import ExecdocError, collect, config as config_mod, record, render

# Set by a host (the MkDocs adapter) around each page, for error messages and labels.
current_page: contextvars.ContextVar[str | None] = contextvars.ContextVar("execdoc_page", default=None)
current_lang: contextvars.ContextVar[str] = contextvars.ContextVar("execdoc_lang", default="zh")

# Text that starts like a value reference; whatever of it VALUE did not take is malformed.
LOOKS_LIKE_VALUE = re.compile(r"\{\{\s*(?:[A-Za-z_][^}\n]*|\}\})(?:\}\}?)?")
VALUE = re.compile(r"\{\{\s*([A-Za-z_]\w*)\.([A-Za-z_]\w*)(?:\[(-?\d+)\])?\s*(?:\|\s*([^}]*?))?\s*\}\}")
FENCE = re.compile(r"^\s*(?:[>]\s*)*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
OPTIONS = {"show", "fold"}

_cache: dict[tuple, object] = {}


class Library:
    """Records and snippets of one project, read once per change."""

    def __init__(self, root: str | None = None):
        self.config = config_mod.load(Path(root) if root else None)

    def _signature(self, name: str) -> tuple:
        files = [self.config.snippets / f"{name}.py", record.path(self.config, name)]
        files += sorted(self.config.snippets.glob("*.py"))
        stats = []
        for file in files:
            try:
                st = file.stat()
                stats.append((str(file), st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                stats.append((str(file), None, None))
        return (str(self.config.root), name, tuple(stats))

    def record(self, name: str):
        """The fresh record of snippet ``name``, or an ExecdocError saying why not."""
        signature = self._signature(name)
        if signature not in _cache:
            try:
                snippet = collect.load_snippet(self.config, name)
                loaded = record.load_fresh(self.config, snippet)
                if loaded.problem:
                    raise ExecdocError(f"{name}.py: {loaded.problem}; run `execdoc build`")
                _cache[signature] = loaded.notebook
            except ExecdocError as exc:
                _cache[signature] = exc
        found = _cache[signature]
        if isinstance(found, ExecdocError):
            raise found
        return found


class SnippetReferenceError(ExecdocError, SuperFencesException):
    """A reference that cannot be rendered; superfences lets only its own kind through."""


def _fail(reference: str, problem: str) -> ExecdocError:
    page = current_page.get()
    return SnippetReferenceError(f"{page or 'page'}: snippet reference '{reference}': {problem}")


def _library(md) -> Library:
    if getattr(md, "execdoc", None) is None:
        md.execdoc = Library()
    return md.execdoc


def fence_validator(language, inputs, options, attrs, md) -> bool:
    """superfences validator: keep ``show``/``fold``; unknown ones fail at format time."""
    for key, value in inputs.items():
        options[key] = value
    return True


def fence_format(src, language, class_name, options, md, **kwargs) -> str:
    """superfences formatter for ```snippet fences. Any failure inside becomes
    a build failure naming page and reference: superfences would otherwise
    show the fence as plain code and let the build pass."""
    try:
        return _fence_format(src, options, md)
    except SnippetReferenceError:
        raise
    except Exception as exc:  # fail closed: a record that cannot be rendered fails the page
        raise _fail(src.strip(), f"{type(exc).__name__}: {exc}") from exc


def _fence_format(src, options, md) -> str:
    reference = src.strip()
    unknown = set(options) - OPTIONS
    if unknown:
        raise _fail(reference, f"unknown option(s) {', '.join(sorted(unknown))} (known: show, fold)")
    show = options.get("show", "both")
    if show not in render.SHOW:
        raise _fail(reference, f"show=\"{show}\" is not one of {', '.join(render.SHOW)}")
    try:
        fold = int(options["fold"]) if "fold" in options else None
    except ValueError:
        raise _fail(reference, f"fold=\"{options['fold']}\" is not a number of lines") from None
    match = re.fullmatch(r"([\w-]+)\.py(?:#([\w-]+))?", reference)
    if not match:
        raise _fail(reference, "write it as name.py#cell-title or name.py")
    name, title = match.groups()
    try:
        notebook = _library(md).record(name)
    except ExecdocError as exc:
        raise _fail(reference, str(exc)) from None
    cells = [c for c in notebook.cells if c.cell_type == "code" and (title is None or c.metadata.get("title") == title)]
    if not cells:
        titles = ", ".join(c.metadata.get("title") for c in notebook.cells if c.metadata.get("title"))
        raise _fail(reference, f"{name}.py has no cell '{title}' (cells: {titles or 'none'})")
    highlighter = md.preprocessors["fenced_code_block"]
    parts = []
    for cell in cells:
        label = cell.metadata.get("title") or "cell"
        part = f'<div class="execdoc-cell" data-snippet="{name}.py" data-cell="{label}">'
        if show in ("both", "code"):
            part += highlighter.highlight(src=collect.normalise(cell.source), language="python", options={}, md=md,
                                          classes=[], id_value="", attrs={})
        if show in ("both", "output"):
            part += render.outputs_html(cell.get("outputs", []), f"{name}.py#{label}", fold, current_lang.get())
        parts.append(part + "</div>")
    return "".join(parts)


class ValuePreprocessor(Preprocessor):
    """Replace ``{{ snippet.value | spec }}`` outside code with the recorded value."""

    def run(self, lines: list[str]) -> list[str]:
        out, fence = [], None
        for line in lines:
            match = FENCE.match(line)
            if fence is None and match:
                fence = match.group(1)
            elif fence is not None:
                if match and match.group(1).startswith(fence[0]) and len(match.group(1)) >= len(fence):
                    fence = None
            else:
                line = self._line(line)
            out.append(line)
        return out

    def _line(self, line: str) -> str:
        pieces, last = [], 0
        for span in CODE_SPAN.finditer(line):
            pieces.append(self._text(line[last:span.start()]))
            pieces.append(span.group(0))
            last = span.end()
        pieces.append(self._text(line[last:]))
        return "".join(pieces)

    def _text(self, text: str) -> str:
        """Values replaced; anything left that starts like one fails the page."""
        left = LOOKS_LIKE_VALUE.search(VALUE.sub("", text))
        if left:
            raise _fail(left.group(0), "looks like a value reference but does not parse "
                                       "(write {{ snippet.value }} or {{ snippet.value | format }})")
        return VALUE.sub(self._value, text)

    def _value(self, match: re.Match) -> str:
        name, key, index, spec = match.groups()
        reference = match.group(0)
        try:
            notebook = _library(self.md).record(name)
        except ExecdocError as exc:
            raise _fail(reference, str(exc)) from None
        values = {**record.meta_values(notebook), **notebook.metadata.execdoc["values"]}
        if key not in values:
            raise _fail(reference, f"{name}.py recorded no value '{key}' (values: {', '.join(sorted(values)) or 'none'})")
        value = values[key]
        measured = (notebook.metadata.execdoc.get("calibration") or {}).get("tolerance", {})
        tolerance = ([measured.get(f"values/{key}/{i}") for i in range(len(value))] if isinstance(value, list)
                     else measured.get(f"values/{key}"))
        if index is not None:
            if not isinstance(value, list) or not -len(value) <= int(index) < len(value):
                raise _fail(reference, f"'{key}' = {value!r} has no item [{index}]")
            value, tolerance = value[int(index)], tolerance[int(index)]
        try:
            # Escaped: a string value is text on the page, never markup (or script).
            return html.escape(render.format_value(value, (spec or "").strip(), tolerance), quote=False)
        except (ValueError, TypeError) as exc:
            raise _fail(reference, f"cannot format {value!r} with '{spec}': {exc}") from None


class ExecdocExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"root": ["", "Project folder holding pyproject.toml; default: found from the working folder"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.execdoc = Library(self.getConfig("root") or None)
        md.preprocessors.register(ValuePreprocessor(md), "execdoc-values", 40)


def makeExtension(**kwargs):
    return ExecdocExtension(**kwargs)
