"""What the tests share besides fixtures: a throwaway execdoc project and a snippet that works.

Import it as ``from helpers import Project, OK_SNIPPET, shared``; fixtures stay in conftest.py.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from importlib import metadata
from pathlib import Path
from typing import Callable

from filelock import FileLock

from execdoc import config as config_mod

# What a copy of the course needs to build (the course_build fixture and tests that break a copy).
SITE_SOURCES = ("mkdocs.yml", "pyproject.toml", "docs", "snippets", "tools/theme", "tools/coursekit")

PYPROJECT = """\
[tool.execdoc]
snippets = "snippets"
records = "docs/notebooks"
report = "build/exec-report.json"
timeout = 60
"""


class Project:
    def __init__(self, root: Path):
        self.root = root
        (root / "snippets").mkdir(parents=True)
        (root / "docs").mkdir()
        self.extra = ""
        self._write_pyproject()

    def _write_pyproject(self):
        (self.root / "pyproject.toml").write_text(PYPROJECT + self.extra, "utf-8")

    def options(self, text: str) -> None:
        self.extra += "\n" + textwrap.dedent(text)
        self._write_pyproject()

    def snippet(self, name: str, source: str) -> Path:
        path = self.root / "snippets" / f"{name}.py"
        path.write_text(textwrap.dedent(source).lstrip("\n"), "utf-8")
        return path

    def page(self, rel: str, text: str) -> Path:
        path = self.root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
        return path

    @classmethod
    def copy_of(cls, template: Path, root: Path) -> "Project":
        """A project copied from ``template`` (records, build folder and all) into ``root``."""
        shutil.copytree(template, root)
        project = cls.__new__(cls)
        project.root = root
        project.extra = (root / "pyproject.toml").read_text("utf-8").removeprefix(PYPROJECT)
        return project

    @property
    def config(self):
        return config_mod.load(self.root)

    def record(self, name: str) -> Path:
        return self.root / "docs" / "notebooks" / f"{name}.ipynb"


OK_SNIPPET = """
# %% [markdown]
# # A tiny snippet

# %% setup
import math
answer = 6 * 7
ratio = math.pi / 4

# %% show
print(f"answer {answer}, ratio {ratio:.6f}")
shape = (8, 16, 15, 15)
answer + 1
"""


def shared(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """``make(folder)`` once per pytest run, however many xdist workers ask: the first
    builds under a lock in the workers' common temporary folder, the others wait and reuse."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / name
    with FileLock(str(folder) + ".lock"):
        done = folder / ".made"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            done.touch()
    return folder


# ---------------------------------------------------------------- notebook pages make site converted

JUPYTER_CACHE = ".cache/mkdocs-jupyter"  # mkdocs-jupyter's cache_dir (its default; mkdocs.yml keeps it)


def installed_with_dependencies(name: str) -> list[metadata.Distribution]:
    """The distribution ``name`` and every one it needs here: no extra, no requirement whose marker
    leaves it out of this Python on this platform."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found, todo = {}, [name]
    while todo:
        key = canonicalize_name(todo.pop())
        if key in found:
            continue
        try:
            found[key] = dist = metadata.distribution(key)
        except metadata.PackageNotFoundError:
            continue
        needed = map(Requirement, dist.requires or ())
        todo += [r.name for r in needed if r.marker is None or r.marker.evaluate({"extra": ""})]
    return list(found.values())


def converted_since_install(repo: Path) -> list[Path]:
    """The notebook pages in ``repo``'s mkdocs-jupyter cache converted after mkdocs-jupyter and all it
    uses were installed. The cache keys a page by the notebook's bytes and the plugin's options, not by
    the converter's version: a page converted before an upgrade may not be what a conversion gives now."""
    cache = repo / JUPYTER_CACHE
    if not cache.is_dir():
        return []
    installed = last_installed("mkdocs-jupyter")
    return [entry for entry in sorted(cache.glob("*.json")) if entry.stat().st_mtime > installed]


def last_installed(name: str) -> float:
    """When ``name`` or any distribution it needs was last installed (its RECORD file is written then)."""
    return max(dist.locate_file(file).stat().st_mtime for dist in installed_with_dependencies(name)
               for file in dist.files or () if file.name == "RECORD")
