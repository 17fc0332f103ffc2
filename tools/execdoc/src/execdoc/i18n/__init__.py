"""The words execdoc puts on a page, one table per language (``<lang>.json``
beside this file). A language without a table gets English, with a warning
once; a table missing a word is an error when it is loaded."""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent
FALLBACK = "en"
log = logging.getLogger("execdoc")


def shipped() -> list[str]:
    """The languages that have a table."""
    return sorted(p.stem for p in HERE.glob("*.json"))


@lru_cache(maxsize=None)
def _table(lang: str) -> dict[str, str]:
    table = json.loads((HERE / f"{lang}.json").read_text("utf-8"))
    missing = sorted(set(_table(FALLBACK)) - set(table)) if lang != FALLBACK else []
    if missing:
        raise KeyError(f"execdoc's {lang}.json lacks {', '.join(missing)}")
    return table


def base(lang: str | None) -> str:
    """``zh_CN``, ``zh-Hans`` and ``zh`` are all ``zh``."""
    return str(lang or FALLBACK).replace("-", "_").split("_")[0].lower()


@lru_cache(maxsize=None)
def strings(lang: str | None) -> dict[str, str | dict[str, str]]:
    """The table for ``lang``; English, with a warning once, where execdoc has none."""
    code = base(lang)
    if code in shipped():
        return _table(code)
    log.warning("execdoc: no interface strings for language '%s'; using English (shipped: %s)",
                code, ", ".join(shipped()))
    return _table(FALLBACK)
