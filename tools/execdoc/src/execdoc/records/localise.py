"""One record in one language: the notebook a reader of that language sees
and downloads.

In a site with several ``languages``, a snippet writes its prose once per
language, each Markdown cell naming its own, and gives each figure a caption
in every language, in its cell's header::

    # %% [markdown] lang="zh"
    # # 卷积神经网络识别手写数字
    # %% [markdown] lang="en"
    # # A CNN for handwritten digits
    # %% curves caption={"zh": "训练损失与测试准确率", "en": "Training loss and test accuracy"}

Both are cell metadata: neither enters the record's key, so editing them
executes nothing (``execdoc build`` copies them into the record). The copy in
language L keeps L's Markdown cells and every code cell; its title is then the
first heading of L. A site in one language may leave ``lang`` out and write a
caption as one string. Pure functions of the record: nothing here reads files.
"""

from __future__ import annotations

import json

from .. import ExecdocError

IMAGES = ("image/png", "image/jpeg")  # rendered as <img>: each needs a caption for its alt text


def figures(cell: dict) -> int:
    return sum(1 for o in cell.get("outputs", []) if any(k in o.get("data", {}) for k in IMAGES))


def _label(cell: dict, n: int) -> str:
    return cell.get("metadata", {}).get("title") or f"cell {n}"


def _prose_lang(cell: dict, n: int, languages: tuple[str, ...]) -> str | None:
    lang = cell.get("metadata", {}).get("lang")
    if lang is None and len(languages) > 1:
        raise ExecdocError(f"Markdown cell {n} names no language: in a site in {', '.join(languages)} each "
                           f"Markdown cell says which it is in, e.g. '# %% [markdown] lang=\"{languages[0]}\"'")
    if lang is not None and lang not in languages:
        raise ExecdocError(f"Markdown cell {n} has lang={json.dumps(lang)}, not one of the site's languages "
                           f"({', '.join(languages)})")
    return lang


def captions_of(cell: dict, n: int, lang: str, languages: tuple[str, ...]) -> list[str]:
    """The captions of a code cell's figures in ``lang``, one per figure, in order."""
    count = figures(cell)
    if not count:
        return []
    label = _label(cell, n)
    given = cell.get("metadata", {}).get("caption")
    if isinstance(given, dict):
        given = given.get(lang)
    elif len(languages) > 1:
        given = None  # one string cannot be in every language
    texts = [given] if isinstance(given, str) else given
    example = ", ".join(f'"{code}": "…"' for code in languages)
    if not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts):
        raise ExecdocError(f"cell '{label}': its figure has no caption in '{lang}'; describe it in the cell's "
                           f"header: # %% {label} caption={{{example}}}")
    if len(texts) != count:
        raise ExecdocError(f"cell '{label}': {count} figures, {len(texts)} caption(s) in '{lang}': "
                           "give a list, one caption per figure")
    return [t.strip() for t in texts]


def localise(record: dict, lang: str, languages: tuple[str, ...]) -> tuple[dict, list[str]]:
    """``record`` with the prose of ``lang`` only, and its figures' captions in ``lang``, in order.

    An ExecdocError names the cell: a Markdown cell without a language (or with
    one the site does not have), a figure without a caption, a language with no
    prose where another has some.
    """
    cells, captions, prose = [], [], set()
    for n, cell in enumerate(record["cells"], start=1):
        if cell["cell_type"] == "code":
            cells.append(cell)
            captions += captions_of(cell, n, lang, languages)
            continue
        cell_lang = _prose_lang(cell, n, languages)
        prose.add(cell_lang)
        if cell_lang in (None, lang):
            cells.append(cell)
    if prose and not prose & {lang, None}:
        raise ExecdocError(f"prose in {', '.join(sorted(prose))} but none in '{lang}': add a Markdown cell "
                           f"with lang=\"{lang}\"")
    return {**record, "cells": cells}, captions
