"""The benchmark's approved result as a table, from its JSON: nothing typed.

A page writes a custom fence (registered through pymdownx.superfences)::

    ```bench
    performance/bench.json
    ```

and gets the machine line, the table of cases (median wall time, executions,
peak memory, ratios against the floor and against ours warm) and the targets,
read from that file (written by ``python -m tools.bench``, approved with
``python -m tools.bench --approve``). The path is relative to the docs folder
(``docs/`` under the working folder) or to the working folder itself. A missing
or malformed file fails the build, naming the file.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

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


def machine_line(data: dict) -> str:
    m, s = data["machine"], data["settings"]
    parts = [
        f"{m['cpu']}，{m['cores']} 核 cores，{m.get('memory_gib') or '?'} GiB",
        f"Python {m['python']}，torch {m['torch']}，MkDocs {m.get('mkdocs')}，"
        f"mkdocs-jupyter {m.get('mkdocs_jupyter')}，markdown-exec {m.get('markdown_exec') or '—'}",
        f"{m['date']}",
        f"{s['rounds']} 轮 rounds（A B A B，取中位数 median；不执行代码的情形每轮 {s.get('repeat_cheap', 1)} 次 "
        f"cases that execute nothing: {s.get('repeat_cheap', 1)}× a round）",
    ]
    line = "机器 Machine：" + "；".join(html.escape(str(p)) for p in parts) + "。"
    if m.get("shared"):
        load = m.get("load_average_start")
        line += (" <strong>共享机器 shared machine</strong>：测量时有其他任务在运行"
                 f"（load average {html.escape(str(load))}），秒数有噪声，请看比值。")
    return f'<p class="bench-machine">{line}</p>'


def cases_table(data: dict) -> str:
    head = ("<thead><tr><th>情形 Case</th><th>墙钟时间 wall, s<br><small>中位数 median（min–max）</small></th>"
            "<th>CPU, s</th><th>执行 executions</th>"
            "<th>峰值内存 peak, MiB<br><small>最大进程 / 进程树 largest / tree</small></th>"
            "<th>÷ 下限 floor</th><th>÷ 热构建 warm</th></tr></thead>")
    rows = []
    for case in data["cases"]:
        label = f"{html.escape(case['label_zh'])}<br><small>{html.escape(case['label'])}</small>"
        if case["status"] == "skipped":
            note = html.escape(case.get("note", ""))
            rows.append(f'<tr><td>{label}</td><td colspan="6">未运行 skipped：{note}</td></tr>')
            continue
        wall = case["wall_s"]
        failed = "" if case["status"] == "ok" else f' <strong>失败 FAILED</strong>：{html.escape(case.get("note", ""))}'
        rows.append(
            f"<tr><td>{label}{failed}</td>"
            f"<td><strong>{_num(wall['median'])}</strong> "
            f"<small>（{_num(wall['min'], 1)}–{_num(wall['max'], 1)}）</small></td>"
            f"<td>{_num(case['cpu_s']['median'], 1)}</td><td>{_executions(case['executions']['runs'])}</td>"
            f"<td>{_num(case['peak_rss_mib']['median'], 0)} / {_num(case['tree_peak_mib']['median'], 0)}</td>"
            f"<td>{_num(case.get('ratio_floor'))}</td><td>{_num(case.get('ratio_warm'))}</td></tr>")
    return f"<table>{head}<tbody>{''.join(rows)}</tbody></table>"


def targets_list(data: dict) -> str:
    items = []
    for t in data["targets"]:
        mark = "✓ 达到 met" if t["met"] else "✗ <strong>未达到 missed</strong>"
        value = t["value"]
        shown = _executions(value) if isinstance(value, list) else html.escape(str(value))
        items.append(f"<li>{mark}：{html.escape(t['text_zh'])} · {html.escape(t['text'])} — "
                     f"测得 measured {shown}，界限 limit {html.escape(str(t['limit']))}</li>")
    ideal = ""
    if data.get("sum_snippet_seconds") is not None:
        ideal = (f"<p>冷构建中各 snippet 的秒数之和 Σ snippet seconds = {_num(data['sum_snippet_seconds'], 1)} s，"
                 f"÷ {data['cores']} 核 = {_num(data.get('ideal_parallel_s'), 1)} s；"
                 f"冷构建 ÷ 该值 cold ÷ (Σ ÷ cores) = {_num(data.get('cold_over_ideal'))}。</p>")
    return ideal + f'<ul class="bench-targets">{"".join(items)}</ul>'


def subset_line(data: dict) -> str:
    s = data["settings"]
    snippets = "、".join(f"<code>{html.escape(n)}.py</code>" for n in s["snippets"])
    pages = "、".join(f"<code>{html.escape(p)}</code>" for p in s["pages"])
    listed, folded = f"{snippets}；页面 pages：{pages}", ""
    if data.get("subset") is False:  # the whole course: counts in the line, the lists folded below
        folded = f"<details><summary>snippet 与页面列表 · list</summary><p>{listed}</p></details>"
        listed = f"整门课 the whole course，{len(s['snippets'])} 个 snippet，{len(s['pages'])} 个页面 pages"
    prose_page, edited = html.escape(str(s["prose_page"])), html.escape(s["edit_snippet"])
    return (f'<div class="bench-content"><p>内容 Content：{listed}。改文字 prose edit：<code>{prose_page}</code>'
            f" 和 <code>{edited}.py</code> 的第一个 Markdown cell；"
            f"改代码 snippet edit：<code>{edited}.py</code>。"
            + ("只构建默认语言（中文）：基准里去掉了 i18n 插件 · default language only (i18n plugin removed)。"
               if s.get("i18n_removed") else "")
            + f"</p>{folded}</div>")


def render(data: dict) -> str:
    if data.get("schema") != 1:
        raise BenchError(f"bench fence: unknown schema {data.get('schema')!r} (expected 1)")
    return (f'<div class="bench">{machine_line(data)}{subset_line(data)}'
            f"{cases_table(data)}{targets_list(data)}</div>")


def fence_format(src, language, class_name, options, md, **kwargs) -> str:
    """superfences formatter for ```bench fences."""
    path = _find(src.strip())
    try:
        data = json.loads(path.read_text("utf-8"))
        return render(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise BenchError(f"bench fence: {path}: not a benchmark result ({type(exc).__name__}: {exc})") from None
