"""Notebook pages: the records, published by mkdocs-jupyter, kept as pages
under mkdocs-static-i18n, with download links beside them."""

from __future__ import annotations

import html
import os
import posixpath
from pathlib import Path

from ..records import sanitise, store
from ..snippets import snippet_paths
from . import language

DOWNLOADS = "downloads"  # site folder of <name>.py and <name>.ipynb


def wrap_pages(files, config):
    """Keep records as notebook pages under mkdocs-static-i18n.

    mkdocs-jupyter wraps each record in a NotebookFile; i18n (running later)
    rebuilds the file list from plain files, and a bare .ipynb would be
    copied as is. Wrap again whatever mkdocs-jupyter would include.
    """
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is None:
        return files
    from mkdocs_jupyter.plugin import NotebookFile

    # Records are shared by all languages; another language's copy goes under its prefix ("en/").
    i18n = config.plugins.get("i18n")
    prefix = ""
    if i18n is not None and getattr(i18n, "current_language", None) != getattr(i18n, "default_language", None):
        prefix = f"{i18n.current_language}/"

    for file in list(files):
        if file.src_uri.endswith(".ipynb") and not isinstance(file, NotebookFile) \
                and jupyter.should_include(file):
            page = NotebookFile(file, **config)
            if prefix:
                page.dest_path = prefix + page.dest_path
                page.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, page.dest_path))
                page.url = prefix + page.url
            files.remove(file)
            files.append(page)
    return files


def download_files(config, project) -> list:
    """Snippets, their records, and the local modules they import (a
    downloaded snippet needs those beside it to run), as generated files."""
    from mkdocs.structure.files import File

    sources = sorted(project.snippets.glob("*.py"))
    sources += [r for r in (store.path(project, p.stem) for p in snippet_paths(project)) if r.exists()]
    # By content, not by path: mkdocs-jupyter would take a record's path for a page.
    return [File.generated(config, f"{DOWNLOADS}/{s.name}", content=sanitise.for_download(s.read_bytes())
                           if s.suffix == ".ipynb" else s.read_bytes()) for s in sources]


def download_links(content: str, page, config, project) -> str:
    """On a notebook page: links to its ``.ipynb``, ``.py`` and the local modules it imports."""
    src = page.file.src_uri
    records = project.records.resolve().relative_to(Path(config.docs_dir).resolve()).as_posix()
    if not (src.endswith(".ipynb") and posixpath.dirname(src) == records):
        return content
    name = posixpath.basename(src)[: -len(".ipynb")]
    base = posixpath.relpath(language.prefix(config) + DOWNLOADS, posixpath.dirname(page.file.dest_uri))
    loaded = store.load(project, name)
    modules = list(loaded.notebook.metadata.execdoc["key_parts"]["modules"]) if loaded.notebook else []
    links = " · ".join(f'<a href="{html.escape(posixpath.join(base, f))}" download>{f}</a>'
                       for f in (f"{name}.ipynb", f"{name}.py", *modules))
    return f'<p class="execdoc-downloads">⬇ {links}</p>' + content
