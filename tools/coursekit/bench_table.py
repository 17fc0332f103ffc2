"""The benchmark's approved result as a table, from its JSON: nothing typed.

A page writes a custom fence (registered through pymdownx.superfences)::

    ```bench
    performance/bench.json
    ```

and gets the machine line, the table of cases (median wall time, executions,
peak memory, ratios against the floor and against ours warm) and the targets,
read from that file (written by ``python -m tools.bench``, approved with
``python -m tools.bench --approve``), in the page's language (execdoc's
``current_lang``; Chinese by default): every word from ``WORDS``, each case's
label and each target's text from the JSON's ``label_zh``/``label`` and
``text_zh``/``text``. The path is relative to the docs folder
(``docs/`` under the working folder) or to the working folder itself. A missing
or malformed file fails the build, naming the file.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from execdoc.i18n import base
from execdoc.page import current_lang
from pymdownx.superfences import SuperFencesException


class BenchError(SuperFencesException):
    """Raised through superfences, which lets only its own kind through."""


def _find(reference: str) -> Path:
    tried = [Path(reference), Path("docs") / reference]
    for path in tried:
        if path.is_file():
            return path
    raise BenchError(f"bench fence: {reference} not found (tried {', '.join(str(p) for p in tried)}); "
                     "run `python -m tools.bench`, then `python -m tools.bench --approve`")


def _num(value, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _executions(runs: list) -> str:
    if not runs:
        return "—"
    return str(runs[0]) if len(set(runs)) == 1 else " / ".join(str(r) for r in runs)


# The words of the table, one set per language of the site (the page's language picks one).
WORDS = {
    "zh": {
        "cores": "核", "rounds": "{n} 轮（A B A B，取中位数；不执行代码的情形每轮 {k} 次）", "machine": "机器：",
        "sep": "；", "comma": "，", "stop": "。", "gap": "", "colon": "：", "list_sep": "、", "shared": "共享机器",
        "load": "：测量时有其他任务在运行（load average {load}），秒数有噪声，请看比值。",
        "head": ("情形", "墙钟时间，秒<br><small>中位数（最小–最大）</small>", "CPU，秒", "执行次数",
                 "峰值内存，MiB<br><small>最大进程 / 进程树</small>", "÷ 下限", "÷ 热构建"),
        "skipped": "未运行", "failed": "失败", "met": "✓ 达到", "missed": "✗ <strong>未达到</strong>",
        "measured": "测得 {value}，界限 {limit}",
        "ideal": "冷构建中各 snippet 的秒数之和 = {sum} 秒，÷ {cores} 核 = {ideal} 秒；冷构建 ÷ 该值 = {ratio}。",
        "list": "snippet 与页面列表", "whole": "整门课，{s} 个 snippet，{p} 个页面", "pages": "页面",
        "content": "内容", "prose": "改文字", "and_first": " 和 <code>{s}.py</code> 的第一个 Markdown cell",
        "snippet": "改代码", "default_only": "只构建默认语言（中文）：基准里去掉了 i18n 插件。",
    },
    "en": {
        "cores": "cores", "rounds": "{n} rounds (A B A B, medians; cases that execute nothing: {k}× a round)",
        "machine": "Machine: ", "sep": "; ", "comma": ", ", "stop": ".", "gap": " ", "colon": ": ", "list_sep": ", ",
        "shared": "Shared machine",
        "load": ": other jobs ran during the measurement (load average {load}), so seconds are noisy: "
                "read the ratios.",
        "head": ("Case", "Wall time, s<br><small>median (min–max)</small>", "CPU, s", "Executions",
                 "Peak memory, MiB<br><small>largest process / tree</small>", "÷ floor", "÷ warm"),
        "skipped": "skipped", "failed": "FAILED", "met": "✓ met", "missed": "✗ <strong>missed</strong>",
        "measured": "measured {value}, limit {limit}",
        "ideal": "Σ snippet seconds in the cold build = {sum} s, ÷ {cores} cores = {ideal} s; "
                 "cold ÷ that = {ratio}.",
        "list": "snippets and pages", "whole": "the whole course, {s} snippets, {p} pages", "pages": "pages",
        "content": "Content", "prose": "Prose edit",
        "and_first": " and the first Markdown cell of <code>{s}.py</code>",
        "snippet": "snippet edit", "default_only": "Default language only: the benchmark drops the i18n plugin.",
    },
}


def _words(lang: str) -> dict:
    if lang not in WORDS:
        raise BenchError(f"bench fence: no words for language '{lang}' (have: {', '.join(WORDS)})")
    return WORDS[lang]


def _label(item: dict, key: str, lang: str) -> str:
    """A case's label or a target's text in ``lang``: ``key_zh`` for Chinese, ``key`` (English) otherwise."""
    return item[f"{key}_zh"] if lang == "zh" else item[key]


def machine_line(data: dict, lang: str = "zh") -> str:
    w, m, s = _words(lang), data["machine"], data["settings"]
    parts = [
        f"{m['cpu']}{w['comma']}{m['cores']} {w['cores']}{w['comma']}{m.get('memory_gib') or '?'} GiB",
        f"Python {m['python']}{w['comma']}torch {m['torch']}{w['comma']}MkDocs {m.get('mkdocs')}{w['comma']}"
        f"mkdocs-jupyter {m.get('mkdocs_jupyter')}{w['comma']}markdown-exec {m.get('markdown_exec') or '—'}",
        f"{m['date']}",
        w["rounds"].format(n=s["rounds"], k=s.get("repeat_cheap", 1)),
    ]
    line = w["machine"] + w["sep"].join(html.escape(str(p)) for p in parts) + w["stop"]
    if m.get("shared"):
        load = html.escape(str(m.get("load_average_start")))
        line += f"{w['gap']}<strong>{w['shared']}</strong>" + w["load"].format(load=load)
    return f'<p class="bench-machine">{line}</p>'


def cases_table(data: dict, lang: str = "zh") -> str:
    w = _words(lang)
    head = "<thead><tr>" + "".join(f"<th>{h}</th>" for h in w["head"]) + "</tr></thead>"
    rows = []
    for case in data["cases"]:
        label = html.escape(_label(case, "label", lang))
        if case["status"] == "skipped":
            note = html.escape(case.get("note", ""))
            rows.append(f'<tr><td>{label}</td><td colspan="6">{w["skipped"]}{w["colon"]}{note}</td></tr>')
            continue
        wall = case["wall_s"]
        failed = ("" if case["status"] == "ok"
                  else f' <strong>{w["failed"]}</strong>{w["colon"]}{html.escape(case.get("note", ""))}')
        rows.append(
            f"<tr><td>{label}{failed}</td>"
            f"<td><strong>{_num(wall['median'])}</strong> "
            f"<small>({_num(wall['min'], 1)}–{_num(wall['max'], 1)})</small></td>"
            f"<td>{_num(case['cpu_s']['median'], 1)}</td><td>{_executions(case['executions']['runs'])}</td>"
            f"<td>{_num(case['peak_rss_mib']['median'], 0)} / {_num(case['tree_peak_mib']['median'], 0)}</td>"
            f"<td>{_num(case.get('ratio_floor'))}</td><td>{_num(case.get('ratio_warm'))}</td></tr>")
    return f"<table>{head}<tbody>{''.join(rows)}</tbody></table>"


def targets_list(data: dict, lang: str = "zh") -> str:
    w, items = _words(lang), []
    for t in data["targets"]:
        value = t["value"]
        shown = _executions(value) if isinstance(value, list) else html.escape(str(value))
        measured = w["measured"].format(value=shown, limit=html.escape(str(t["limit"])))
        items.append(f"<li>{w['met'] if t['met'] else w['missed']}{w['colon']}"
                     f"{html.escape(_label(t, 'text', lang))} — {measured}</li>")
    ideal = ""
    if data.get("sum_snippet_seconds") is not None:
        ideal = "<p>" + w["ideal"].format(sum=_num(data["sum_snippet_seconds"], 1), cores=data["cores"],
                                          ideal=_num(data.get("ideal_parallel_s"), 1),
                                          ratio=_num(data.get("cold_over_ideal"))) + "</p>"
    return ideal + f'<ul class="bench-targets">{"".join(items)}</ul>'


def subset_line(data: dict, lang: str = "zh") -> str:
    w, s = _words(lang), data["settings"]
    snippets = w["list_sep"].join(f"<code>{html.escape(n)}.py</code>" for n in s["snippets"])
    pages = w["list_sep"].join(f"<code>{html.escape(p)}</code>" for p in s["pages"])
    listed, folded = f"{snippets}{w['sep']}{w['pages']}{w['colon']}{pages}", ""
    if data.get("subset") is False:  # the whole course: counts in the line, the lists folded below
        folded = f"<details><summary>{w['list']}</summary><p>{listed}</p></details>"
        listed = w["whole"].format(s=len(s["snippets"]), p=len(s["pages"]))
    prose_page, edited = html.escape(str(s["prose_page"])), html.escape(s["edit_snippet"])
    return (f'<div class="bench-content"><p>{w["content"]}{w["colon"]}{listed}{w["stop"]}{w["gap"]}'
            f"{w['prose']}{w['colon']}<code>{prose_page}</code>{w['and_first'].format(s=edited)}{w['sep']}"
            f"{w['snippet']}{w['colon']}<code>{edited}.py</code>{w['stop']}"
            + (w["gap"] + w["default_only"] if s.get("i18n_removed") else "")
            + f"</p>{folded}</div>")


def render(data: dict, lang: str = "zh") -> str:
    if data.get("schema") != 1:
        raise BenchError(f"bench fence: unknown schema {data.get('schema')!r} (expected 1)")
    return (f'<div class="bench">{machine_line(data, lang)}{subset_line(data, lang)}'
            f"{cases_table(data, lang)}{targets_list(data, lang)}</div>")


def fence_format(src, language, class_name, options, md, **kwargs) -> str:
    """superfences formatter for ```bench fences, in the language of the page execdoc renders."""
    path = _find(src.strip())
    try:
        data = json.loads(path.read_text("utf-8"))
        return render(data, base(current_lang.get() or "zh"))
    except (ValueError, KeyError, TypeError) as exc:
        raise BenchError(f"bench fence: {path}: not a benchmark result ({type(exc).__name__}: {exc})") from None
