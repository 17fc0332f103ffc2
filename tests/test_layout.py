"""The generator's house: short modules, no import cycle between its parts,
and each shared rule defined in one place.

Parts are execdoc's top-level modules and sub-packages (``config``,
``snippets``, ``kernel``, ``records``, ...). An import inside ``if
TYPE_CHECKING:`` is for annotations only and does not count; an import inside
a function does: it is a dependency all the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tools" / "execdoc" / "src" / "execdoc"
MAX_LINES = 300


def modules() -> dict[str, Path]:
    return {p.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", "."): p
            for p in sorted(PACKAGE.rglob("*.py")) if "template" not in p.parts}


def part(module: str) -> str:
    return module.split(".")[0]


def imported(module: str, path: Path) -> set[str]:
    """execdoc modules that ``module`` imports, TYPE_CHECKING blocks left out."""
    tree = ast.parse(path.read_text("utf-8"))
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
            and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").startswith("execdoc."):
                target = node.module[len("execdoc."):]
            else:
                continue
            if not node.module or target in ("", *package):  # `from . import x`: x is a module
                found.update(".".join(filter(None, [target, a.name])) for a in node.names)
            else:
                found.add(target)
        elif isinstance(node, ast.Import):
            found.update(a.name[len("execdoc."):] for a in node.names if a.name.startswith("execdoc."))
    return {f for f in found if f}


def graph() -> dict[str, set[str]]:
    known = modules()
    parts = {part(m) for m in known}
    edges: dict[str, set[str]] = {}
    for module, path in known.items():
        here = part(module)
        for target in imported(module, path):
            there = part(target)
            if there in parts and there not in (here, "__init__"):  # `from . import ExecdocError` is the root
                edges.setdefault(here, set()).add(there)
    return edges


def test_no_module_is_longer_than_about_300_lines():
    long = {m: n for m, p in modules().items() if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_no_import_cycle_between_parts():
    edges = graph()
    cycles = []

    def visit(node, trail):
        for nxt in sorted(edges.get(node, ())):
            if nxt in trail:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif len(trail) < 12:
                visit(nxt, trail + [nxt])

    for start in sorted(edges):
        visit(start, [start])
    assert sorted(set(cycles)) == []


def test_the_import_graph_sees_relative_absolute_and_lazy_imports():
    """The cycle test is not vacuous: edges of every kind of import are seen."""
    edges = graph()
    assert {"config", "files"} <= edges["snippets"]  # `from ..config import`, `from ..files import`
    assert "check" in edges["config"]  # an import inside a function
    assert "kernel" in edges["pipeline"]


@pytest.mark.parametrize("rule, text", [
    ("colour codes", r"\x1b\[[0-9;]*[A-Za-z]"),
    ("site-packages", r"[/\\]site-packages[/\\]"),
    ("value reference", r"\{\{\s*([A-Za-z_]\w*)\.([A-Za-z_]\w*)"),
    ("inline math", r"(?<![\\$\w])\$(?=\S)"),
    ("atomic rename", "os.replace("),
    ("no-such-cell message", "has no cell '"),
])
def test_each_rule_is_defined_once(rule, text):
    places = [f"{m}:{n}" for m, p in modules().items()
              for n, line in enumerate(p.read_text("utf-8").splitlines(), 1) if text in line]
    assert len(places) == 1, f"{rule}: {places}"
