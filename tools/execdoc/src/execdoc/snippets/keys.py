"""A snippet's record key: everything that can change what it prints.

The key hashes each cell's code (line endings and trailing blanks ignored),
the local modules it imports (followed transitively), its data files, the
options that reach the kernel, and the versions of Python, execdoc and the
packages the configuration names (``key_packages``).
"""

from __future__ import annotations

import hashlib
import json
import platform
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .. import ExecdocError, __version__
from ..config import Config
from ..files import read_text
from .model import Snippet
from .names import is_snippet, shadows
from .parse import imported_names, parse

def normalise(source: str) -> str:
    """What of a cell's code the key sees: line endings, trailing blanks ignored."""
    lines = [line.rstrip() for line in source.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def local_modules(names, folder: Path, own: str) -> dict[str, str]:
    """Hashes of the local modules among the imported ``names``, followed transitively."""
    found: dict[str, str] = {}
    pending = list(names)
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
        if Path(rel).is_absolute() or not file.resolve().is_relative_to(config.snippets.resolve()):
            raise ExecdocError(f"{name}.py declares data file '{rel}', which is outside {config.snippets.name}/")
        if not file.is_file():
            raise ExecdocError(f"{name}.py declares data file '{rel}', "
                               f"which does not exist under {config.snippets.name}/")
        data[rel] = sha256(file.read_bytes())
    parts = {
        "cells": [[c.title, list(c.tags), normalise(c.source)] for c in cells],
        "modules": local_modules(sorted({n for c in cells for n in c.imports}), config.snippets, name),
        "data": dict(sorted(data.items())),
        "options": options.key_options(),
        "environment": environment(config.key_packages),
    }
    # Left out at their defaults: records made before the setting stay fresh.
    if config.kernel != "python3":
        parts["kernel"] = config.kernel
    for option in ("max_output_bytes", "max_snippet_output_bytes"):
        if getattr(config, option) != getattr(type(config), option):
            parts[option] = getattr(config, option)
    key = sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode())[:32]
    return Snippet(name, path, notebook, cells, options, key, parts)
