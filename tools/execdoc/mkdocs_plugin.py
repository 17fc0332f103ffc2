"""The MkDocs adapter: run stale snippets before a build, watch snippets when
serving, publish each snippet's ``.py`` beside its notebook page, and tell the
Markdown extension which page it renders. All real work is elsewhere.
"""

from __future__ import annotations

import html
import os
import posixpath
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config as MkConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from . import ExecdocError, collect, config as config_mod, jupyter_cache, pipeline, quizrender, record
from .markdown import current_lang, current_page

ASSET = "assets/execdoc.css"
QUIZ_ASSETS = ("quiz.css", "quiz.js")  # served from execdoc/, linked only from pages that hold a quiz
DOWNLOADS = "downloads"  # site folder of <name>.py and <name>.ipynb


class PluginConfig(MkConfig):
    execute = config_options.Type(bool, default=True)
    """Run stale snippets before building. False: run nothing; a page that uses
    a stale or missing record still fails the build."""
    downloads = config_options.Type(bool, default=True)
    """Publish ``downloads/<name>.py`` and ``.ipynb`` and link both from the notebook page."""


class ExecdocPlugin(BasePlugin[PluginConfig]):
    def on_config(self, config):
        try:
            self.project = config_mod.load(Path(config.config_file_path).parent)
        except ExecdocError as exc:
            raise PluginError(f"execdoc: {exc}") from None
        config.extra_css.append(f"execdoc/{ASSET.split('/')[-1]}")
        quizrender.docs_dir.set(config.docs_dir)
        return config

    def on_pre_build(self, config):
        if not self.config.execute:
            return  # A page that uses a stale record still fails, in the Markdown extension.
        i18n = config.plugins.get("i18n")
        if i18n is not None and getattr(i18n, "current_language", None) != getattr(i18n, "default_language", None):
            return  # mkdocs-static-i18n builds each further language in the same run: records are fresh already
        # Records are converted to HTML for mkdocs-jupyter while the other snippets run.
        with jupyter_cache.Prerender(config.plugins.get("mkdocs-jupyter")) as prerender:
            report = pipeline.build(self.project, on_record=prerender.submit)
        if not report.ok:
            failed = ", ".join(e.name for e in report.snippets if e.status == "failed")
            raise PluginError(f"execdoc: snippet(s) failed: {failed} (details above)")

    # After mkdocs-static-i18n (-100), which cannot handle files made in memory.
    @event_priority(-110)
    def on_files(self, files, config):
        files = self._notebook_pages(files, config)
        css = Path(__file__).parent / ASSET
        files.append(File.generated(config, f"execdoc/{css.name}", abs_src_path=str(css)))
        for name in QUIZ_ASSETS:
            files.append(File.generated(config, f"execdoc/{name}", abs_src_path=str(css.parent / name)))
        if self.config.downloads:
            # Snippets, their records, and the local modules they import (a
            # downloaded snippet needs those beside it to run).
            sources = sorted(self.project.snippets.glob("*.py"))
            sources += [r for r in (record.path(self.project, p.stem) for p in collect.snippet_paths(self.project))
                        if r.exists()]
            for source in sources:
                # By content, not by path: mkdocs-jupyter would take a record's path for a page.
                files.append(File.generated(config, f"{DOWNLOADS}/{source.name}", content=source.read_bytes()))
        return files

    @staticmethod
    def _notebook_pages(files, config):
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

        for index, file in enumerate(list(files)):
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

    def on_page_markdown(self, markdown, page, config, files):
        current_page.set(page.file.src_uri)
        # mkdocs-static-i18n gives each file its locale; else the theme's language.
        locale = getattr(page.file, "locale", None) or config.theme.get("language") or "zh"
        current_lang.set(str(locale).split("_")[0].split("-")[0])
        return markdown

    def on_page_content(self, content, page, config, files):
        src = page.file.src_uri
        records = self.project.records.relative_to(Path(config.docs_dir).resolve()).as_posix()
        if self.config.downloads and src.endswith(".ipynb") and posixpath.dirname(src) == records:
            name = posixpath.basename(src)[: -len(".ipynb")]
            base = posixpath.relpath(DOWNLOADS, posixpath.dirname(page.file.dest_uri))
            loaded = record.load(self.project, name)
            modules = list(loaded.notebook.metadata.execdoc["key_parts"]["modules"]) if loaded.notebook else []
            links = " · ".join(
                f'<a href="{html.escape(posixpath.join(base, f))}" download>{f}</a>'
                for f in (f"{name}.ipynb", f"{name}.py", *modules))
            content = f'<p class="execdoc-downloads">⬇ {links}</p>' + content
        return content

    def on_post_page(self, output, page, config):
        if 'class="execdoc-quiz' not in output:
            return output
        base = posixpath.relpath("execdoc", posixpath.dirname(page.file.dest_uri) or ".")
        output = output.replace("</head>", f'<link rel="stylesheet" href="{base}/quiz.css"></head>', 1)
        return output.replace("</body>", f'<script src="{base}/quiz.js" defer></script></body>', 1)

    def on_serve(self, server, config, builder):
        server.watch(str(self.project.snippets))
        return server
