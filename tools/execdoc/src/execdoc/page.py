"""The page being rendered: what a host says about it, and the one error
every failure on a page becomes (fences, values, formulas, quizzes).

A host sets :data:`current_page` and :data:`current_lang` around each page
(the MkDocs plugin does); without them messages say "page" and the
configuration's first language is used.
"""

from __future__ import annotations

import contextvars

from pymdownx.superfences import SuperFencesException

from . import ExecdocError

try:  # MkDocs prints a BuildError as one line; anything else with a traceback.
    from mkdocs.exceptions import BuildError as _HostError
except ImportError:  # another host (Zensical, plain Python-Markdown)
    class _HostError(Exception):  # type: ignore[no-redef]
        pass

current_page: contextvars.ContextVar[str | None] = contextvars.ContextVar("execdoc_page", default=None)
current_lang: contextvars.ContextVar[str | None] = contextvars.ContextVar("execdoc_lang", default=None)


class PageError(ExecdocError, SuperFencesException, _HostError):
    """A page that cannot be rendered: it names page and reference. It is a
    SuperFencesException because superfences lets only that kind through (it
    shows the fence as plain code for anything else, and the build passes)."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{current_page.get() or 'page'}: {where}: {problem}")
        self.where, self.problem = where, problem


def fail(reference: str, problem: str) -> PageError:
    return PageError(reference, problem)


def guarded(what: str, reference: str, work):
    """``work()``, with any failure turned into a PageError naming ``what`` and ``reference``."""
    try:
        return work()
    except PageError as exc:  # from inside (a formula in a quiz): both places named
        raise fail(f"{what} '{reference}'", f"{exc.where}: {exc.problem}") from None
    except ExecdocError as exc:
        raise fail(f"{what} '{reference}'", str(exc)) from None
    except Exception as exc:  # fail closed: never a page that silently lost its content
        raise fail(f"{what} '{reference}'", f"{type(exc).__name__}: {exc}") from exc
