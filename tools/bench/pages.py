"""Pages rewritten for the cases that are not ours: each ```snippet fence
becomes a static ``python`` block of the cell's code (the floor) or
markdown-exec ``exec="on"`` blocks, each ``{{ name.value }}`` the recorded
value as plain text, and a snippet's notebook page a Markdown page."""

from __future__ import annotations

import re

FENCE_OPEN = re.compile(r"^(?P<indent>\s*(?:>\s*)*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w-]*)(?P<rest>.*)$")
OPTION = re.compile(r'(\w+)="([^"]*)"')
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# markdown-exec's blocks as exec_block writes them; count.py counts a session's blocks with it.
SESSION = re.compile(r'^\s*(?:>\s*)*```python exec="on" session="([^"]+)"', re.M)


def split_fences(text: str):
    """Yield ``("text", line)`` and ``("fence", indent, lang, rest, body_lines, raw_lines)``."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = FENCE_OPEN.match(lines[i])
        if not match:
            yield ("text", lines[i])
            i += 1
            continue
        fence, indent = match.group("fence"), match.group("indent")
        close = re.compile(rf"^\s*(?:>\s*)*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        body = lines[i + 1:j]
        yield ("fence", indent, match.group("lang"), match.group("rest"), body, lines[i:j + 1])
        i = j + 1


def page_fences(text: str) -> set[str]:
    return {part[2] for part in split_fences(text) if part[0] == "fence"}


def page_references(text: str) -> set[str]:
    """Snippet names a page uses, in fences or in ``{{ name.value }}`` outside code."""
    from execdoc.references import VALUE
    names = set()
    for part in split_fences(text):
        if part[0] == "fence":
            if part[2] == "snippet":
                ref = "\n".join(part[4]).strip()
                names.add(ref.split("#")[0].removesuffix(".py"))
        else:
            line = CODE_SPAN.sub("", part[1])
            names.update(m.group(1) for m in VALUE.finditer(line))
    return names


def static_values(text: str, library) -> str:
    """``{{ name.value | spec }}`` replaced by the recorded value, as execdoc would."""
    from execdoc.markdown.values import ValuePreprocessor
    return "\n".join(ValuePreprocessor(None, lambda: library).run(text.split("\n")))


def _indent(indent: str, lines: list[str]) -> list[str]:
    return [indent + line if line else indent.rstrip() for line in lines]


# Run after each cell, what an inline backend does: render open figures to PNG.
# markdown-exec leaves lines marked "markdown-exec: hide" out of the shown source.
FIGURES = "\n".join(line + "  # markdown-exec: hide" for line in """\
import sys as _bench_sys
if "matplotlib.pyplot" in _bench_sys.modules:
    import io as _bench_io
    _bench_plt = _bench_sys.modules["matplotlib.pyplot"]
    for _bench_n in _bench_plt.get_fignums():
        _bench_plt.figure(_bench_n).savefig(_bench_io.BytesIO(), format="png", dpi=100, bbox_inches="tight")
    _bench_plt.close("all")""".split("\n"))


def exec_source(cell) -> str:
    """A cell's code as markdown-exec runs it: an expected error is caught and
    printed (compiled inside the ``try``: the seed's GAN listing does not even
    compile), and figures are rendered to PNG as an inline backend would."""
    code = cell.source.rstrip("\n")
    if cell.expects_error:
        code = (f"try:\n    exec(compile({code!r}, {cell.label!r}, 'exec'), globals())\n"
                "except Exception as _bench_error:\n"
                "    print(f\"{type(_bench_error).__name__}: {_bench_error}\")")
    return code + "\n" + FIGURES


def exec_block(indent: str, session: str, cell, show_source: bool) -> list[str]:
    source = ' source="above"' if show_source else ""
    lines = [f'```python exec="on" session="{session}"{source} result="text"', *exec_source(cell).split("\n"), "```"]
    return _indent(indent, lines)


def static_block(indent: str, cell) -> list[str]:
    from execdoc.snippets import normalise
    return _indent(indent, ["```python", *normalise(cell.source).split("\n"), "```"])


def transform_page(text: str, snippets: dict, mode: str, session_prefix: str) -> str:
    """A page with its snippet fences made static (``floor``) or exec blocks (``exec``)."""
    out: list[str] = []
    ran: dict[str, int] = {}  # exec: per snippet, how many code cells this page's session has run
    for part in split_fences(text):
        if part[0] == "text":
            out.append(part[1])
            continue
        _, indent, lang, rest, body, raw = part
        if lang != "snippet":
            out.extend(raw)
            continue
        reference = "\n".join(body).strip()
        name, _, title = reference.partition("#")
        name = name.removesuffix(".py")
        options = dict(OPTION.findall(rest))
        cells = list(snippets[name].cells)
        wanted = [c for c in cells if not title or c.title == title]
        if not wanted:
            raise SystemExit(f"bench: page references {reference}, which the snippet does not have")
        if mode == "floor":
            if options.get("show") != "output":  # output only: no code to show, nothing without execution
                for cell in wanted:
                    out.extend(static_block(indent, cell))
            continue
        session = f"{session_prefix}-{name}"
        last = cells.index(wanted[-1]) + 1
        for position in range(ran.get(name, 0), last):
            cell = cells[position]
            show_source = cell in wanted and options.get("show") != "output"
            out.extend(exec_block(indent, session, cell, show_source=show_source))
            out.append("")
        for cell in wanted:
            if cells.index(cell) < ran.get(name, 0):  # already ran on this page: shown, not re-run
                out.extend(static_block(indent, cell))
        ran[name] = max(ran.get(name, 0), last)
    return "\n".join(out)


def notebook_page(snippet, mode: str) -> str:
    """A snippet's notebook page as Markdown: its Markdown cells, and its code
    cells as exec blocks (``exec``, for markdown-exec) or static blocks (``floor``)."""
    parts = []
    code = {c.index: c for c in snippet.cells}
    for index, nb_cell in enumerate(snippet.notebook.cells):
        if index in code:
            block = (exec_block("", f"nb-{snippet.name}", code[index], show_source=True) if mode == "exec"
                     else static_block("", code[index]))
            parts.append("\n".join(block))
        elif nb_cell.cell_type == "markdown":
            parts.append(nb_cell.source)
    return "\n\n".join(parts) + "\n"
