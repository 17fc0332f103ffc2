"""The Python-Markdown extension ``execdoc.markdown``: everything a page needs
from execdoc, with no plugin and no MkDocs (Zensical and plain
Python-Markdown load it as it is).

It registers the ``snippet`` and ``quiz`` fences with pymdownx.superfences
(loading superfences if the site has not), the value references in prose,
``$...$`` math as MathML (a page with TeX left outside math and code fails),
and the stylesheet and script the fences need:
``assets: inline`` (the default) puts them into the pages that use them;
``linked`` leaves that to a host that publishes the files (the MkDocs plugin
does, and links them); ``none`` to nobody.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as etree
from pathlib import Path

from markdown import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx import superfences

from .. import ExecdocError
from ..records.library import Library
from ..render import mathml, rawtex
from . import fences
from .values import ValuePreprocessor

ASSETS = Path(__file__).resolve().parent.parent / "assets"
FENCES = {"snippet": fences.snippet_format, "quiz": fences.quiz_format}
ASSET_MODES = ("inline", "linked", "none")


class State:
    """Per Markdown instance: the project's records, and which fences a page used."""

    def __init__(self, root: str | None):
        self.root = root or None
        self._library: Library | None = None
        self.used: set[str] = set()

    def library(self) -> Library:
        if self._library is None:
            self._library = Library(root=self.root)
        return self._library


class RegisterFences(Preprocessor):
    """Add the fences to whichever superfences is active when a page is
    converted: extensions may be listed in any order, and a site may load
    superfences itself with fences of its own (those win)."""

    def run(self, lines):
        self.md.execdoc.used = set()  # per conversion: a host may convert headings alone with this instance
        fenced = self.md.preprocessors["fenced_code_block"] if "fenced_code_block" in self.md.preprocessors else None
        extension = getattr(fenced, "extension", None)
        if not isinstance(extension, superfences.SuperFencesCodeExtension):
            raise ExecdocError("execdoc.markdown needs pymdownx.superfences, and another fenced-code "
                               "extension replaced it; remove that one")
        present = {entry["name"] for entry in extension.superfences}
        for name, formatter in FENCES.items():
            if name not in present:
                extension.extend_super_fences(
                    name,
                    functools.partial(superfences._formatter, class_name=name, _fmt=formatter),
                    functools.partial(superfences._validator, validator=fences.validator),
                    functools.partial(superfences._reset, _reset=superfences.default_reset))
        return lines


class InlineAssets(Treeprocessor):
    """The stylesheet (and, on a page with a quiz, the script) inside the page
    itself: elements of the document, not text added to the output, because
    Python-Markdown's toc runs every postprocessor on each heading as well."""

    def run(self, root):
        used = self.md.execdoc.used
        if not used:
            return
        css = (ASSETS / "execdoc.css").read_text("utf-8")
        if "quiz" in used:
            css += (ASSETS / "quiz.css").read_text("utf-8")
        style = etree.Element("style", {"data-execdoc": ""})
        style.text = css  # the serializer writes style and script text as it is
        root.insert(0, style)
        if "quiz" in used:
            script = etree.SubElement(root, "script", {"data-execdoc": ""})
            script.text = (ASSETS / "quiz.js").read_text("utf-8").replace("</", "<\\/")


class ExecdocExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "root": ["", "Project folder; default: found from the working folder"],
            "math": [True, "Render $...$ and $$...$$ as MathML; fail on TeX left outside math and code"],
            "assets": ["inline", "inline | linked | none: who brings the fences' CSS and script"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        if self.getConfig("assets") not in ASSET_MODES:
            raise ExecdocError(f"execdoc.markdown: assets: '{self.getConfig('assets')}' is not one of "
                               f"{', '.join(ASSET_MODES)}")
        md.registerExtension(self)
        self.md = md
        md.execdoc = State(self.getConfig("root"))
        if not any(isinstance(e, superfences.SuperFencesCodeExtension) for e in md.registeredExtensions):
            md.registerExtensions(["pymdownx.superfences"], {})
        md.preprocessors.register(ValuePreprocessor(md, md.execdoc.library), "execdoc-values", 40)
        md.preprocessors.register(RegisterFences(md), "execdoc-fences", 39)
        if self.getConfig("math"):
            mathml.register(md)
            md.postprocessors.register(rawtex.RawTexCheck(md), "execdoc-rawtex", rawtex.RawTexCheck.PRIORITY)
        if self.getConfig("assets") == "inline":
            md.treeprocessors.register(InlineAssets(md), "execdoc-assets", 0)

    def reset(self):
        self.md.execdoc = State(self.getConfig("root"))  # records may have changed since


def makeExtension(**kwargs):
    return ExecdocExtension(**kwargs)
