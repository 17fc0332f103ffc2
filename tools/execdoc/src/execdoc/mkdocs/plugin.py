"""The MkDocs plugin ``execdoc``: a thin adapter, all real work is elsewhere.

``plugins: [execdoc]`` is a whole configuration: the plugin loads the
Markdown extension (and pymdownx.superfences) when the site has not, runs
stale snippets before a build, publishes the stylesheet (and the quiz script,
linked only from pages that hold a quiz), notebook pages and downloads, tells
the extension which page and language it renders, and watches the snippets
when serving.
"""

from __future__ import annotations

import logging
import posixpath
import traceback
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config as MkConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from .. import ExecdocError, config as config_mod, pipeline
from ..i18n import base
from ..page import current_lang, current_page
from ..markdown.extension import ASSETS
from ..render import rawtex
from ..records import store
from . import language, lighten, notebooks, prerender, serve

log = logging.getLogger("mkdocs.plugins.execdoc")
CSS = "execdoc/execdoc.css"
QUIZ_ASSETS = ("quiz.css", "quiz.js")  # served from execdoc/, linked only from pages that hold a quiz
EXTENSION = "execdoc.markdown"


class PluginConfig(MkConfig):
    execute = config_options.Type(bool, default=True)
    """Run stale snippets before building. False: run nothing; a page that uses
    a stale or missing record still fails the build."""
    downloads = config_options.Type(bool, default=True)
    """Publish ``downloads/<name>.py`` and ``.ipynb`` and link both from the notebook page."""


class ExecdocPlugin(BasePlugin[PluginConfig]):
    def on_startup(self, *, command, dirty):
        # Defining on_startup keeps this instance across ``mkdocs serve``'s rebuilds,
        # so the watcher set up in on_serve sees every build.
        self.own_writes = None
        self.failures: dict = {}  # name -> its failed report entry: not run again until it changes

    def on_config(self, config):
        self.head_start = prerender.Prerender(None)  # nothing under way before the first build
        self.own_writes = getattr(self, "own_writes", None)
        self.rewritten: list[Path] = []
        self.captions: dict[str, list[str]] = {}  # notebook page -> its figures' captions
        root = Path(config.config_file_path).parent
        try:
            self.project = config_mod.load(root, docs_dir=Path(config.docs_dir).resolve().relative_to(root.resolve()),
                                           language=config.theme.get("language"))
        except (ExecdocError, ValueError) as exc:
            raise PluginError(f"execdoc: {exc}") from None
        # As markdown-exec does: the extension and superfences, unless the site lists them itself.
        for name in ("pymdownx.superfences", EXTENSION):
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        options = config.mdx_configs.setdefault(EXTENSION, {})
        options.setdefault("root", str(root))
        options.setdefault("assets", "linked")  # this plugin publishes and links them
        if options["assets"] == "linked":
            config.extra_css.append(CSS)
        return config

    def on_pre_build(self, config):
        if not self.config.execute:
            return  # A page that uses a stale record still fails, in the Markdown extension.
        i18n = config.plugins.get("i18n")
        if i18n is not None and getattr(i18n, "current_language", None) != getattr(i18n, "default_language", None):
            return  # mkdocs-static-i18n builds each further language in the same run: records are fresh already
        # Records are converted to HTML for mkdocs-jupyter while the other snippets run
        # and while the other pages render; a notebook page waits for its own (on_page_markdown).
        self.head_start.close()
        self.head_start = prerender.Prerender(config.plugins.get("mkdocs-jupyter"))
        if self.own_writes:
            self.own_writes.build_started()
        try:
            report = pipeline.build(self.project, on_record=self._on_record,
                                    failed_before=getattr(self, "failures", None))
        except BaseException:
            self.head_start.close(cancel=True)
            raise
        if hasattr(self, "failures"):  # serving: remembered until the snippet changes
            self.failures = {e.name: e for e in report.snippets if e.status == "failed" and e.key}
        if not report.ok:
            self.head_start.close(cancel=True)
            failed = ", ".join(e.name for e in report.snippets if e.status == "failed")
            raise PluginError(f"execdoc: snippet(s) failed: {failed} (details above)")
        self.rewritten = [store.path(self.project, e.name) for e in report.snippets if e.status == "executed"]

    def _on_record(self, path: Path) -> None:
        if self.own_writes:
            self.own_writes.wrote(path)
        for source in language.page_sources(self.project, path):  # each language's notebook
            self.head_start.submit(source)

    # After mkdocs-static-i18n (-100), which cannot handle files made in memory.
    @event_priority(-110)
    def on_files(self, files, config):
        files = notebooks.wrap_pages(files, config)
        if config.plugins.get("mkdocs-jupyter") is not None:
            files.append(lighten.notebook_css_file(config))
        try:  # each notebook page, and each download, in this pass's language
            self.captions = language.localise_pages(files, config, self.project)
            downloads = notebooks.download_files(config, self.project) if self.config.downloads else []
            downloads = language.localise_downloads(downloads, config, self.project)
        except ExecdocError as exc:
            raise PluginError(f"execdoc: {exc}") from None
        if config.mdx_configs[EXTENSION].get("assets") == "linked":
            for name in ("execdoc.css", *QUIZ_ASSETS):
                files.append(File.generated(config, f"execdoc/{name}", abs_src_path=str(ASSETS / name)))
        for file in downloads:
            files.append(file)
        return files

    def on_page_markdown(self, markdown, page, config, files):
        self.head_start.wait_for(page.file.abs_src_path)  # a notebook page: its conversion, if under way
        current_page.set(page.file.src_uri)
        # mkdocs-static-i18n gives each file its locale; else the theme's language.
        current_lang.set(base(getattr(page.file, "locale", None) or config.theme.get("language")
                              or self.project.languages[0]))
        return markdown

    def on_page_content(self, content, page, config, files):
        if page.file.src_uri.endswith(".ipynb"):  # mkdocs-jupyter renders these, not the Markdown extension
            rawtex.check(content)
        try:  # a notebook page's figures get their captions as alt text, its headings their ids
            content = language.finish(content, page, self.captions)
        except ExecdocError as exc:
            raise PluginError(f"execdoc: {exc}") from None
        content = lighten.lighten(content, page, config)  # figures as files, one notebook stylesheet
        if self.config.downloads:
            content = notebooks.download_links(content, page, config, self.project)
        return content

    def on_post_page(self, output, page, config):
        if 'class="execdoc-quiz' not in output or config.mdx_configs[EXTENSION].get("assets") != "linked":
            return output
        here = posixpath.relpath("execdoc", posixpath.dirname(page.file.dest_uri) or ".")
        output = output.replace("</head>", f'<link rel="stylesheet" href="{here}/quiz.css"></head>', 1)
        return output.replace("</body>", f'<script src="{here}/quiz.js" defer></script></body>', 1)

    def on_serve(self, server, config, builder):
        server.watch(str(self.project.snippets))
        watched = list(getattr(server, "_watched_paths", None) or [config.docs_dir, str(self.project.snippets)])
        self.own_writes = serve.OwnWrites(server, watched)
        return server

    def on_post_build(self, config):
        self.head_start.close()
        if self.own_writes:
            self.own_writes.build_done(self.rewritten)
        self.rewritten = []

    def on_build_error(self, error):
        self.head_start.close(cancel=True)
        if self.own_writes:  # a page failed after its records were written: they rebuild nothing either
            self.own_writes.build_done(self.rewritten)
        self.rewritten = []
        # MkDocs prints a BuildError (every execdoc failure is one) as one line; the rest with -v.
        log.debug("execdoc: %s", "".join(traceback.format_exception(error)))
