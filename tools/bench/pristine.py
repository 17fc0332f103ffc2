"""The pristine copy every case starts from: the project's content in a
temporary folder, cut to the chosen snippets and the pages that use nothing
else, with fresh records (stale ones executed here, untimed)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from . import mkdocs_yml
from .common import DEFAULT_SNIPPETS, ROOT, run_env, say
from .pages import page_fences, page_references

# The smoke run's own snippet: tiny, no torch, so one round takes seconds.
SMOKE = "bench_smoke"
SMOKE_SNIPPET = '''\
# %% [markdown] lang="zh"
# # 基准冒烟测试
#
# 由 tools/bench --smoke 生成的一个极小的代码片段。

# %% [markdown] lang="en"
# # Bench smoke
#
# A tiny snippet made by tools/bench --smoke.

# %% setup
import math

side = 7

# %% area
area = side * side
print(f"area {area}, diagonal {math.sqrt(2) * side:.4f}")
area
'''
SMOKE_PAGE = '''\
# Bench smoke

The area is {{ bench_smoke.area }} and $a = s^2$.

```snippet
bench_smoke.py#area
```
'''


def snippet_names(folder: Path) -> list[str]:
    from execdoc.snippets import is_snippet
    return sorted(p.stem for p in folder.glob("*.py") if is_snippet(p))


def drop_snippet_tables(pyproject: Path, names: set[str]) -> None:
    """Remove ``[tool.execdoc.snippet.NAME]`` tables of snippets the copy no longer
    has: the configuration names no snippet that does not exist."""
    kept, skipping = [], False
    for line in pyproject.read_text("utf-8").splitlines(keepends=True):
        header = re.match(r"\s*\[([^\]]+)\]\s*$", line)
        if header:
            skipping = header.group(1).strip() in {f"tool.execdoc.snippet.{n}" for n in names}
        if not skipping:
            kept.append(line)
    pyproject.write_text("".join(kept), "utf-8")


def _copy_content(pristine: Path) -> None:
    pristine.mkdir()
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(ROOT / name, pristine / name)
    shutil.copytree(ROOT / "docs", pristine / "docs")
    shutil.copytree(ROOT / "snippets", pristine / "snippets")
    # Files the configuration names outside docs/: theme overrides, hooks.
    cfg = mkdocs_yml.read(ROOT / "mkdocs.yml")
    theme = cfg.get("theme") if isinstance(cfg.get("theme"), dict) else {}
    for rel in [theme.get("custom_dir"), *(cfg.get("hooks") or [])]:
        if isinstance(rel, str) and (ROOT / rel).exists() and not Path(rel).is_absolute():
            target = pristine / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if (ROOT / rel).is_dir() else shutil.copy2)(ROOT / rel, target)
    for path in (pristine / "docs").glob("performance*"):  # this benchmark's own page: not course content
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def _choose(pristine: Path, chosen: list[str] | None, smoke: bool) -> list[str]:
    """Keep the chosen snippets (and their notebook pages); remove the others."""
    available = snippet_names(pristine / "snippets")
    if not chosen:
        chosen = [SMOKE] if smoke else [DEFAULT_SNIPPETS]
    if chosen == ["all"]:
        chosen = list(available)
    if SMOKE in chosen:
        (pristine / "snippets" / f"{SMOKE}.py").write_text(SMOKE_SNIPPET, "utf-8")
        (pristine / "docs" / f"{SMOKE}.md").write_text(SMOKE_PAGE, "utf-8")
        available.append(SMOKE)
    missing = sorted(set(chosen) - set(available))
    if missing:
        raise SystemExit(f"bench: no such snippet(s): {', '.join(missing)} (snippets: {', '.join(available)})")
    for name in set(available) - set(chosen):
        (pristine / "snippets" / f"{name}.py").unlink()
        (pristine / "docs" / "notebooks" / f"{name}.ipynb").unlink(missing_ok=True)
    drop_snippet_tables(pristine / "pyproject.toml", set(available) - set(chosen))
    return chosen


def _refresh(pristine: Path, config, chosen: list[str]) -> list[str]:
    """Reuse the project's records; execute any that are stale or missing (untimed).
    What ran is read from the build's report."""
    refresh = subprocess.run([sys.executable, "-m", "execdoc", "build", *chosen], cwd=pristine, env=run_env(),
                             capture_output=True, text=True)
    if refresh.returncode != 0:
        raise SystemExit(f"bench: the chosen snippets do not build:\n{refresh.stderr[-4000:]}")
    report = json.loads(config.report.read_text("utf-8"))
    refreshed = [e["name"] for e in report["snippets"] if e["status"] == "executed"]
    if refreshed:
        say(f"records executed before timing (stale or missing in the project): {', '.join(refreshed)}")
    shutil.rmtree(pristine / "build")
    return refreshed


def make_pristine(tmp: Path, chosen: list[str] | None, smoke: bool, keep_i18n: bool = False) -> dict:
    """Copy the content, keep the chosen snippets and the pages that use only them,
    and make sure their records are fresh (executing stale ones, untimed)."""
    from execdoc import config as config_mod
    from execdoc.records.library import Library

    pristine = tmp / "pristine"
    _copy_content(pristine)
    chosen = _choose(pristine, chosen, smoke)
    config = config_mod.load(pristine)
    refreshed = _refresh(pristine, config, chosen)

    # Pages that use only the chosen snippets; not those with execdoc's other
    # fences (the quiz), a feature the peers do not have.
    cfg = mkdocs_yml.read(pristine / "mkdocs.yml")
    others = mkdocs_yml.execdoc_fences(cfg) - {"snippet"}
    pages, dropped = [], []
    for page in sorted((pristine / "docs").rglob("*.md")):
        rel = page.relative_to(pristine / "docs").as_posix()
        text = page.read_text("utf-8")
        if page_references(text) <= set(chosen) and not page_fences(text) & others:
            pages.append(rel)
        else:
            page.unlink()
            dropped.append(rel)
    library = Library(config=config)
    seconds = {name: library.record(name).metadata.execdoc["seconds"] for name in chosen}

    languages, i18n_removed = 1, False
    i18n = mkdocs_yml.plugin_options(cfg, "i18n")
    if i18n:
        languages = sum(1 for lang in i18n.get("languages", []) if lang.get("build", True)) or 1
    if languages > 1 and not keep_i18n:
        # One language: under mkdocs-static-i18n without execdoc's plugin (the floor,
        # the peers), mkdocs-jupyter's notebook pages are copied raw instead of
        # converted, so the floor would skip them and the notebook peers run nothing.
        # --keep-i18n builds every language.
        mkdocs_yml.set_plugin(cfg, "i18n", None)
        languages, i18n_removed = 1, True
        for page in list(pages):
            if re.search(r"\.[a-z]{2}\.md$", page):
                (pristine / "docs" / page).unlink()
                pages.remove(page)
                dropped.append(page)
    cfg["strict"] = False  # kept pages may link to pages outside the subset; each build's exit code is checked
    cfg["nav"] = mkdocs_yml.filter_nav(cfg.get("nav"), lambda p: (pristine / "docs" / p).exists(), lambda p: p)
    if SMOKE in chosen:
        cfg["nav"] += [{"Bench smoke": f"{SMOKE}.md"}, {"Bench notebook": f"notebooks/{SMOKE}.ipynb"}]
    mkdocs_yml.write(pristine / "mkdocs.yml", cfg)
    return {"root": pristine, "snippets": chosen, "pages": pages, "dropped_pages": dropped,
            "notebook_pages": [f"notebooks/{n}.ipynb" for n in chosen], "record_seconds": seconds,
            "refreshed": refreshed, "library": library, "config": config, "languages": languages,
            "i18n_removed": i18n_removed,
            "report": config.report.relative_to(config.root)}
