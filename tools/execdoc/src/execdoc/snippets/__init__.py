"""Snippets: ``<snippets>/<name>.py`` files in jupytext's percent format.

:mod:`names` finds them (and the local modules beside them) and parses the
names a command line gives; :mod:`parse` splits one into titled cells;
:mod:`keys` computes its record key; :mod:`model` holds the two classes.
"""

from __future__ import annotations

from ..config import Config
from .keys import environment, load_snippet, local_modules, normalise, sha256
from .model import Cell, Snippet
from .names import is_snippet, local_module_files, name_of, resolve, shadows, snippet_paths

__all__ = ["Cell", "Snippet", "environment", "is_snippet", "load_all", "load_snippet", "local_module_files", "sha256",
           "local_modules", "name_of", "normalise", "resolve", "shadows", "snippet_paths"]


def load_all(config: Config, names: list[str] | None = None) -> list[Snippet]:
    return [load_snippet(config, name) for name in resolve(config, names)]
