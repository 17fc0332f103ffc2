"""execdoc in Python-Markdown: load it as ``execdoc.markdown``.

:mod:`extension` registers everything; :mod:`fences` renders the snippet and
quiz fences, :mod:`values` the value references in prose; formulas come from
:mod:`execdoc.render.mathml`, and what a host tells about the page (and the one
error every failure becomes) from :mod:`execdoc.page`.
"""

from ..page import PageError, current_lang, current_page
from .extension import ExecdocExtension, makeExtension
from .fences import quiz_format, snippet_format, validator

__all__ = ["ExecdocExtension", "PageError", "current_lang", "current_page", "makeExtension", "quiz_format",
           "snippet_format", "validator"]
