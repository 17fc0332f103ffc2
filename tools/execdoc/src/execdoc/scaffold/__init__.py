"""``execdoc new DIR``: a small site that builds strictly on the first try.

The template is a folder of real files (``scaffold/template``), copied as it
is: ``mkdocs.yml`` (the plugin alone), ``zensical.toml`` (the extension, for
Zensical), one snippet, a page quoting its cells, values and math, a quiz bank
and its page, a README and a ``.gitignore``. Files whose name starts with
``dot-`` are written with a leading dot instead (wheels and globs skip dotfiles).
Nothing here reads a configuration: the folder need not be inside a project.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .. import ExecdocError

TEMPLATE = Path(__file__).resolve().parent / "template"
DOT = "dot-"


def files() -> list[Path]:
    """The template's files, relative to it, in a stable order."""
    return sorted(p.relative_to(TEMPLATE) for p in TEMPLATE.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


def target(rel: Path) -> Path:
    return rel.with_name("." + rel.name[len(DOT):]) if rel.name.startswith(DOT) else rel


def new(folder: Path) -> list[Path]:
    """Write the template into ``folder`` (created if missing, refused if not
    empty); the paths written, relative to it."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ExecdocError(f"{folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise ExecdocError(f"{folder} is not empty; execdoc new writes only into a new or empty folder")
    template = files()
    if not template:
        raise ExecdocError(f"execdoc's site template is missing ({TEMPLATE}): the installation is incomplete")
    written = []
    for rel in template:
        dest = folder / target(rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATE / rel, dest)
        written.append(target(rel))
    return written
