"""Which files are snippets, which are local modules, and the one parser of
snippet names that every command uses."""

from __future__ import annotations

import importlib.machinery
import sys
from functools import lru_cache
from pathlib import Path

from .. import ExecdocError
from ..config import Config


def is_snippet(path: Path) -> bool:
    """A ``.py`` file with a ``# %%`` header. Read as bytes: a file that is not
    UTF-8 is still found, and then fails alone, by name."""
    with path.open("rb") as handle:
        return any(line.startswith(b"# %%") and not line.startswith(b"# %%%") for line in handle)


def snippet_paths(config: Config) -> list[Path]:
    if not config.snippets.is_dir():
        return []
    return sorted(p for p in config.snippets.glob("*.py") if is_snippet(p))


@lru_cache(maxsize=None)
def shadows(name: str) -> str | None:
    """The sentence for a snippet or local module whose name hides a module
    Python would otherwise import (every kernel imports the standard library
    while it starts), or None."""
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


def name_of(argument: str) -> str:
    """``t``, ``t.py`` and ``snippets/t.py`` all name snippet ``t``."""
    return Path(argument).stem if argument.endswith(".py") else argument


def resolve(config: Config, names: list[str] | None = None) -> list[str]:
    """Snippet names from a command line, or every snippet; an ExecdocError
    names any that is not a snippet."""
    available = [p.stem for p in snippet_paths(config)]
    if not names:
        return available
    wanted = [name_of(n) for n in names]
    missing = [n for n in wanted if n not in available]
    if missing:
        raise ExecdocError("no such snippet: " + ", ".join(missing) + f" (snippets: {', '.join(available) or 'none'})")
    return list(dict.fromkeys(wanted))
