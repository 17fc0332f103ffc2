"""Each case's folder, made from the pristine copy, and the edits between runs.

Ours builds the copy as it is. The floor and the peers drop execdoc (plugin,
extension, fences) and get pages from :mod:`pages`: ``floor`` static blocks
with mkdocs-jupyter rendering the records (``execute: false``), ``floor-md``
the same with the notebook pages as Markdown, ``markdown-exec`` exec blocks,
``mkj-cache``/``mkj-nocache`` the floor's pages with the snippet files
themselves as notebook pages, executed by mkdocs-jupyter.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from . import mkdocs_yml
from .common import OURS
from .pages import notebook_page, static_values, transform_page

# Where a case's notebook pages come from: the record, a Markdown page, or the snippet file.
NOTEBOOK_EXT = {"floor": "ipynb", "floor-md": "md", "markdown-exec": "md", "mkj-cache": "py", "mkj-nocache": "py"}


def make_variant(setup: dict, tmp: Path, case: str) -> Path:
    from execdoc.snippets import load_snippet

    pristine: Path = setup["root"]
    folder = tmp / case
    shutil.copytree(pristine, folder)
    if case in OURS:
        return folder
    cfg = mkdocs_yml.read(folder / "mkdocs.yml")
    mkdocs_yml.drop_execdoc(cfg)
    snippets = {n: load_snippet(setup["config"], n) for n in setup["snippets"]}
    docs = folder / "docs"
    mode = "exec" if case == "markdown-exec" else "floor"
    ext = NOTEBOOK_EXT[case]
    for rel in setup["pages"]:
        page = docs / rel
        text = static_values(page.read_text("utf-8"), setup["library"])
        prefix = re.sub(r"\W+", "-", rel.removesuffix(".md"))
        text = transform_page(text, snippets, mode, prefix)
        # Links to a notebook page follow it to its new file.
        text = re.sub(r"(notebooks/[\w-]+)\.ipynb\b", rf"\1.{ext}", text)
        page.write_text(text, "utf-8")
    if case in ("markdown-exec", "floor-md"):
        mkdocs_yml.set_plugin(cfg, "mkdocs-jupyter", None)
        if case == "markdown-exec":
            mkdocs_yml.set_plugin(cfg, "markdown-exec", {})
        for name, snippet in snippets.items():
            (docs / "notebooks" / f"{name}.ipynb").unlink()
            (docs / "notebooks" / f"{name}.md").write_text(notebook_page(snippet, mode), "utf-8")
    elif case.startswith("mkj-"):
        options = mkdocs_yml.plugin_options(cfg, "mkdocs-jupyter") or {}
        options.update({"include": ["notebooks/*.py"], "execute": True, "cache": case == "mkj-cache"})
        mkdocs_yml.set_plugin(cfg, "mkdocs-jupyter", options)
        for name in snippets:
            (docs / "notebooks" / f"{name}.ipynb").unlink()
            shutil.copy2(folder / "snippets" / f"{name}.py", docs / "notebooks" / f"{name}.py")

    def rename(path: str) -> str:
        return re.sub(r"^(notebooks/[\w-]+)\.ipynb$", rf"\1.{ext}", path)

    cfg["nav"] = mkdocs_yml.filter_nav(cfg.get("nav"), lambda p: (docs / p).exists(), rename)
    mkdocs_yml.write(folder / "mkdocs.yml", cfg)
    return folder


# --- edits between runs --------------------------------------------------------

def prose_edit(folder: Path, pristine: Path, page: str, snippet: str, round_no: int) -> None:
    """Append a sentence to ``page`` and to the first Markdown cell of ``snippet``."""
    text = (pristine / "docs" / page).read_text("utf-8")
    edit = f"\n\n基准测试改动的一句话 · bench prose edit {round_no}.\n"
    (folder / "docs" / page).write_text(text.rstrip("\n") + edit, "utf-8")
    source = (pristine / "snippets" / f"{snippet}.py").read_text("utf-8").split("\n")
    for n, line in enumerate(source):
        if line.startswith("# %% [markdown]"):
            end = n + 1
            while end < len(source) and source[end].startswith("#") and not source[end].startswith("# %%"):
                end += 1
            source[end:end] = ["#", f"# Bench prose edit {round_no}."]
            break
    (folder / "snippets" / f"{snippet}.py").write_text("\n".join(source), "utf-8")


def code_edit(folder: Path, pristine: Path, snippet: str, round_no: int) -> None:
    """A comment line new every round in the first code cell: the code changed."""
    source = (pristine / "snippets" / f"{snippet}.py").read_text("utf-8").split("\n")
    for n, line in enumerate(source):
        if line.startswith("# %%") and not line.startswith("# %% [markdown]"):
            source.insert(n + 1, f"# bench edit {round_no}")
            break
    (folder / "snippets" / f"{snippet}.py").write_text("\n".join(source), "utf-8")


def make_cold(folder: Path, names: list[str]) -> None:
    """No records, no build/, no mkdocs-jupyter cache."""
    for name in names:
        (folder / "docs" / "notebooks" / f"{name}.ipynb").unlink(missing_ok=True)
    for leftover in ("build", ".cache"):
        shutil.rmtree(folder / leftover, ignore_errors=True)
