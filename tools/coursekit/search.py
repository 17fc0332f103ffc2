"""One search index per language, with Chinese cut into the same words at build and at query time.

A MkDocs hook (``hooks:`` in mkdocs.yml). Material's search plugin parses every page into
sections and cuts Chinese with jieba (U+200B between words); mkdocs-static-i18n then stacks both
languages into one ``search/search_index.json`` that every page fetched at load. This hook writes
``search/search_index.LANG.json`` per language instead (and ``.js`` beside it for the offline
plugin, which serves ``file://``), and removes the shared one. The browser fetches its language's
file when the reader opens search (docs/assets/javascripts/search-loader.js).

Chinese: jieba decides the vocabulary, the words it cut that language's text into, each with a
cost from its count. Every run of Chinese characters is then cut again by ``segment`` over that
vocabulary, and the browser's worker (docs/assets/javascripts/search-worker.js) cuts the query with
the same programme over the same words (shipped in the index as ``segmentation``): a string is cut
into the same words whether it is indexed or searched for.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import jieba
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

# Kept equal to HAN in search-worker.js: what counts as a Chinese character on both sides.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
ZWSP = "\u200b"
# A Chinese run as Material's plugin left it: characters, with U+200B between jieba's words.
CUT_RUN = re.compile(f"[{HAN}]+(?:{ZWSP}[{HAN}]+)*")
SCALE = 1000  # costs are integers (thousandths of a nat), so both sides compare them exactly
# Course terms jieba's dictionary lacks and cuts into a common character and a word (过 / 拟合):
# 过拟合 then ranked the pages full of 过 above the ones about overfitting.
COURSE_WORDS = ("过拟合",)


def vocabulary(texts: list[str]) -> tuple[dict[str, int], int]:
    """The words jieba cut these texts into, each with its cost ``-log(count / total)``, and the
    cost of a character that is not a word of its own (half a count)."""
    counts = Counter(word for text in texts for run in CUT_RUN.findall(text) for word in run.split(ZWSP))
    total = sum(counts.values()) or 1
    costs = {word: round(SCALE * math.log(total / count)) for word, count in sorted(counts.items())}
    return costs, round(SCALE * math.log(2 * total))


def segment(run: str, words: dict[str, int], unknown: int, longest: int) -> list[str]:
    """Cut ``run`` into the sequence of words of least total cost (jieba's model, over ``words``,
    none longer than ``longest``); a character outside ``words`` is a word costing ``unknown``. On
    a tie the longer first word wins. Mirrored by ``segment`` in search-worker.js: keep them equal."""
    best, cut = [0] * (len(run) + 1), [0] * len(run)
    for i in range(len(run) - 1, -1, -1):
        best[i] = -1
        for j in range(min(len(run), i + longest), i, -1):
            cost = words.get(run[i:j], unknown if j == i + 1 else None)
            if cost is not None and (best[i] < 0 or cost + best[j] < best[i]):
                best[i], cut[i] = cost + best[j], j
    out, i = [], 0
    while i < len(run):
        out.append(run[i:cut[i]])
        i = cut[i]
    return out


def resegment(text: str, words: dict[str, int], unknown: int) -> str:
    """``text`` with every Chinese run cut by ``segment``, U+200B between the words (Material's
    plugin has put one around each run already)."""
    longest = max(map(len, words), default=1)

    def cut(match: re.Match) -> str:
        return ZWSP.join(segment(match.group(0).replace(ZWSP, ""), words, unknown, longest))
    return CUT_RUN.sub(cut, text)


def language_index(base: dict, docs: list[dict]) -> dict:
    """Material's index (``config``, ``docs``) for one language, plus the segmentation data."""
    words, unknown = vocabulary([doc[field] for doc in docs for field in ("title", "text")])
    docs = [{**doc, "title": resegment(doc["title"], words, unknown), "text": resegment(doc["text"], words, unknown)}
            for doc in docs]
    return {"config": base["config"], "docs": docs, "segmentation": {"words": words, "unknown": unknown}}


def languages(config) -> tuple[str, list[str]]:
    """The default language and the others (each built under ``LANG/``), from mkdocs-static-i18n."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return config.theme["language"], []
    default = i18n.default_language
    return default, [lang for lang in i18n.build_languages if lang != default]


def split_by_language(docs: list[dict], default: str, others: list[str]) -> dict[str, list[dict]]:
    by_language: dict[str, list[dict]] = {lang: [] for lang in [default, *others]}
    for doc in docs:
        lang = next((lang for lang in others if doc["location"].startswith(f"{lang}/")), default)
        by_language[lang].append(doc)
    return by_language


def on_config(config):
    for word in COURSE_WORDS:  # before Material's plugin cuts the pages (on_page_context)
        jieba.add_word(word)
    return config


@event_priority(-200)  # after i18n (-100) stacked every language's entries and the offline plugin (-100)
def on_post_build(config) -> None:
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "building", False):
        return  # a language built inside i18n's run: the outer build writes every language at its end
    search = config.plugins.get("material/search")
    if search is None or not search.config.enabled:
        raise PluginError("coursekit.search (mkdocs.yml hooks): needs Material's `search` plugin, enabled")
    base = json.loads(search.search_index.generate_search_index(None))
    folder = Path(config.site_dir) / "search"
    offline = config.plugins.get("material/offline")
    for lang, docs in split_by_language(base["docs"], *languages(config)).items():
        if not docs:
            raise PluginError(f"coursekit.search: no page of language '{lang}' in the search index")
        text = json.dumps(language_index(base, docs), ensure_ascii=False, separators=(",", ":"))
        (folder / f"search_index.{lang}.json").write_text(text, "utf-8")
        if offline is not None and offline.config.enabled:  # file:// cannot fetch: a script sets it
            (folder / f"search_index.{lang}.js").write_text(f"var __searchIndex = {text}", "utf-8")
    for shared in ("search_index.json", "search_index.js"):  # both languages at once: nothing reads it
        (folder / shared).unlink(missing_ok=True)
