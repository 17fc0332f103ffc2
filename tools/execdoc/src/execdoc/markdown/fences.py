"""The two fences, for pymdownx.superfences (the extension registers them)::

    ```snippet show="both" fold="20"
    backprop.py#train
    ```

shows that cell's code and its recorded output (``backprop.py`` alone: every
code cell; ``show`` is both, code or output; ``fold`` folds longer output;
``caption`` describes the one figure the fence shows, under it and as its alt
text: a PNG figure without one fails the build).

    ```quiz
    algorithms/quiz.yml
    ```

renders that bank (relative to the docs folder) as a quiz; ``mode="review"``
with no path (every bank) or several holds every question for review.

Any failure inside becomes a :class:`~execdoc.page.PageError`
naming page and reference: nothing is ever left on the page as plain code.
"""

from __future__ import annotations

from .. import ExecdocError, quiz, references, snippets
from ..render import outputs
from ..page import current_lang, guarded

SNIPPET_OPTIONS = {"show", "fold", "caption"}
QUIZ_OPTIONS = {"mode"}


def validator(language, inputs, options, attrs, md) -> bool:
    """Keep every option; unknown ones fail at format time, naming the fence."""
    options.update(inputs)
    return True


def _state(md):
    return md.execdoc  # set by ExecdocExtension


def language(md) -> str:
    return current_lang.get() or _state(md).library().config.languages[0]


def snippet_format(src, language_, class_name, options, md, **kwargs) -> str:
    reference = src.strip()
    return guarded("snippet reference", reference, lambda: _snippet(reference, options, md))


def _snippet(reference: str, options: dict, md) -> str:
    unknown = set(options) - SNIPPET_OPTIONS
    if unknown:
        raise ExecdocError(f"unknown option(s) {', '.join(sorted(unknown))} (known: show, fold, caption)")
    show = options.get("show", "both")
    if show not in outputs.SHOW:
        raise ExecdocError(f"show=\"{show}\" is not one of {', '.join(outputs.SHOW)}")
    try:
        fold = int(options["fold"]) if "fold" in options else None
    except ValueError:
        raise ExecdocError(f"fold=\"{options['fold']}\" is not a number of lines") from None
    match = references.CELL.match(reference)
    if not match:
        raise ExecdocError("write it as name.py#cell-title or name.py")
    name, title = match.groups()
    caption = options.get("caption")
    state = _state(md)
    cells = state.library().cells(name, title)
    state.used.add("snippet")
    highlighter = md.preprocessors["fenced_code_block"]
    lang = language(md)
    parts = []
    for cell in cells:
        label = cell.metadata.get("title") or "cell"
        part = f'<div class="execdoc-cell" data-snippet="{name}.py" data-cell="{label}">'
        if show in ("both", "code"):
            part += highlighter.highlight(src=snippets.normalise(cell.source), language="python", options={}, md=md,
                                          classes=[], id_value="", attrs={})
        if show in ("both", "output"):
            part += outputs.outputs_html(cell.get("outputs", []), fold, lang, caption)
        parts.append(part + "</div>")
    outputs.check_caption([o for c in cells for o in c.get("outputs", [])] if show != "code" else [], caption)
    return "".join(parts)


def quiz_format(src, language_, class_name, options, md, **kwargs) -> str:
    return guarded("quiz", " ".join(src.split()) or "(every bank)", lambda: _quiz(src, options, md))


def _quiz(src: str, options: dict, md) -> str:
    unknown = set(options) - QUIZ_OPTIONS
    if unknown:
        raise ExecdocError(f"unknown option(s) {', '.join(sorted(unknown))} (known: mode)")
    mode = options.get("mode", "chapter")
    state = _state(md)
    library = state.library()
    docs = library.config.docs
    paths = src.split()
    lang = language(md)
    if mode == "review":
        banks = [quiz.load_bank(docs, p, library) for p in paths or quiz.find_banks(docs)]
        html = quiz.render_review(banks, lang)
    elif mode != "chapter":
        raise ExecdocError(f'mode="{mode}" is not one of chapter, review')
    elif len(paths) != 1:
        raise ExecdocError(f"name one bank, relative to {docs.name}/, e.g. chapter/quiz.yml")
    else:
        html = quiz.render_bank(quiz.load_bank(docs, paths[0], library), lang)
    state.used.add("quiz")
    return html
