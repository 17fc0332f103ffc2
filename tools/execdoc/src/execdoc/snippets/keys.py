"""A snippet's record key: everything that can change what it prints.

The key hashes each cell's code (line endings and trailing blanks ignored),
the local modules it imports (followed transitively), its data files, the
options that reach the kernel, and the versions of Python, execdoc and the
packages the configuration names (``key_packages``).
"""

from __future__ import annotations

import ast
import hashlib
import json
import platform
import re
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .. import ExecdocError, __version__
from ..config import Config
from ..files import read_text
from .model import Snippet
from .names import is_snippet, shadows
from .parse import parse

# Magic lines (``%time``, ``!pip``) are not Python; imports are found line by line then.
IMPORT_LINE = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w., ]+))", re.M)


def normalise(source: str) -> str:
    """What of a cell's code the key sees: line endings, trailing blanks ignored."""
    lines = [line.rstrip() for line in source.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def local_modules(sources: list[str], folder: Path, own: str) -> dict[str, str]:
    """Hashes of the local modules the sources import, followed transitively."""
    found: dict[str, str] = {}
    pending = [name for src in sources for name in imported_names(src)]
    while pending:
        name = pending.pop()
        if name == own:
            continue
        files = []
        if (folder / f"{name}.py").is_file() and shadows(name) and not is_snippet(folder / f"{name}.py"):
            raise ExecdocError(f"{own}.py imports '{name}', and {folder.name}/{name}.py {shadows(name)}: "
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
            found[rel] = sha256(text.encode())
            pending.extend(imported_names(text))
    return dict(sorted(found.items()))


@lru_cache(maxsize=None)
def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def environment(packages: tuple[str, ...] = ()) -> dict:
    """Versions that can change outputs: Python by minor version, execdoc, and
    each named package (None where it is not installed)."""
    return {
        "python": ".".join(platform.python_version_tuple()[:2]),
        **{name: _version(name) for name in packages},
        "execdoc": __version__,
    }


def load_snippet(config: Config, name: str) -> Snippet:
    path = config.snippets / f"{name}.py"
    if not path.is_file():
        raise ExecdocError(f"no snippet '{name}' ({path.relative_to(config.root)} does not exist)")
    why = shadows(name)
    if why:
        raise ExecdocError(f"{path.name}: {why}")
    notebook, cells = parse(path, config.report.parent / "cache" / "snippets")
    if not cells:
        raise ExecdocError(f"{path.name}: has no code cells")
    options = config.options(name)
    data = {}
    for rel in options.data:
        file = config.snippets / rel
        if not file.is_file():
            raise ExecdocError(f"{name}.py declares data file '{rel}', which does not exist under {config.snippets.name}/")
        data[rel] = sha256(file.read_bytes())
    parts = {
        "cells": [[c.title, list(c.tags), normalise(c.source)] for c in cells],
        "modules": local_modules([c.source for c in cells], config.snippets, name),
        "data": dict(sorted(data.items())),
        "options": options.key_options(),
        "environment": environment(config.key_packages),
    }
    if config.kernel != "python3":
        parts["kernel"] = config.kernel  # the default is left out: records made before the setting stay fresh
    key = sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode())[:32]
    return Snippet(name, path, notebook, cells, options, key, parts)
