"""The result: the machine, the JSON (schema 1, what the Performance page
reads), the table printed after a run, and ``--approve``."""

from __future__ import annotations

import datetime
import json
import os
import platform
import shutil
import sys
from pathlib import Path

from .common import APPROVED, ROOT, SCHEMA, version
from .pristine import snippet_names
from .stats import cold_ideal, summarise_cases, targets


def machine_info(shared: bool) -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count() or 1,
        "memory_gib": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "torch": version("torch"),
        "numpy": version("numpy"),
        "mkdocs": version("mkdocs"),
        "mkdocs_material": version("mkdocs-material"),
        "mkdocs_jupyter": version("mkdocs-jupyter"),
        "markdown_exec": version("markdown-exec"),
        "execdoc": version("execdoc"),
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "shared": shared,
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


EXECUTIONS = ("ours: execdoc's structured report (build/exec-report.json: one entry per snippet, status executed, "
              "reused or failed; with i18n execdoc runs in the default language's pass only, so one build writes it "
              "once), cross-checked with ipykernel launches and the report's writes (audit hook on subprocess.Popen "
              "and os.rename); mkdocs-jupyter: ipykernel launches (audit hook on subprocess.Popen); markdown-exec: "
              "runs of each session, one per page and snippet and rendering (audit hook on exec of "
              "'<code block: session …>' ÷ the session's blocks)")


def result(args, info: dict, setup: dict, runs: dict, edit_snippet: str, prose_page: str | None,
           total_s: float) -> dict:
    names = setup["snippets"]
    cores = info["cores"]
    cases, medians = summarise_cases(runs, args.cases)
    cold = cold_ideal(runs, cores)
    ideal, cold_s = cold["ideal"], medians.get("cold")
    repeat = 1 if args.smoke else args.repeat_cheap
    return {
        "schema": SCHEMA,
        "smoke": bool(args.smoke),
        "partial": bool(args.cases),
        "subset": sorted(names) != snippet_names(ROOT / "snippets"),
        "machine": info,
        "settings": {
            "rounds": len(runs["cold"]) if runs.get("cold") else 0,
            "order": "A B A B: every case once per round (the cases that execute nothing "
                     f"{repeat} times), order reversed every other round; medians",
            "repeat_cheap": repeat,
            "snippets": names,
            "pages": setup["pages"] + setup["notebook_pages"],
            "dropped_pages": setup["dropped_pages"],
            "record_seconds": setup["record_seconds"],
            "records_executed_before_timing": setup["refreshed"],
            "languages": setup["languages"],
            "i18n_removed": setup["i18n_removed"],
            "edit_snippet": edit_snippet,
            "prose_page": prose_page,
            "cpu": "cpu_s: user + system CPU seconds of the build and every process it waited for (getrusage "
                   "RUSAGE_CHILDREN in the meter); steadier than wall time on a shared machine",
            "memory": "peak_rss_mib: largest single process of the build (getrusage RUSAGE_CHILDREN in a fresh "
                      "meter process); tree_peak_mib: sampled sum over the build's process tree every 0.1 s",
            "executions": EXECUTIONS,
            "total_s": round(total_s, 1),
        },
        "cases": cases,
        "sum_snippet_seconds": cold["sum_seconds"],
        "cores": cores,
        "ideal_parallel_s": round(ideal, 3) if ideal else None,
        "cold_over_ideal": round(cold_s / ideal, 2) if cold_s and ideal else None,
        "sum_snippet_seconds_runs": [round(x, 3) for x in cold["sums"]],
        "cold_over_ideal_runs": cold["per_round"],
        "targets": targets(cases, medians, ideal),
    }


def table(result: dict) -> str:
    head = (f"{'case':<46} {'wall s (median)':>16} {'min–max':>13} {'CPU s':>6} {'exec':>6} {'peak MiB':>9} "
            f"{'tree MiB':>9} {'÷floor':>7} {'÷warm':>7}")
    lines = [head, "-" * len(head)]
    for e in result["cases"]:
        if e["status"] == "skipped":
            lines.append(f"{e['label']:<46} skipped: {e['note']}")
            continue
        w = e["wall_s"]
        execs = e["executions"]["runs"]
        ex = str(execs[0]) if len(set(execs)) == 1 else "/".join(map(str, execs))
        lines.append(f"{e['label']:<46} {w['median']:>16.2f} {w['min']:>6.1f}–{w['max']:<6.1f} "
                     f"{e['cpu_s']['median']:>6.1f} {ex:>6} "
                     f"{e['peak_rss_mib']['median']:>9.0f} {e['tree_peak_mib']['median']:>9.0f} "
                     f"{e.get('ratio_floor') or 0:>7.2f} {e.get('ratio_warm') or 0:>7.2f}"
                     + ("" if e["status"] == "ok" else f"  FAILED: {e.get('note', '')}"))
    m = result["machine"]
    lines.append("")
    if result["sum_snippet_seconds"]:
        lines.append(f"Σ snippet seconds (cold runs) {result['sum_snippet_seconds']:.1f} s ÷ {result['cores']} cores "
                     f"= {result['ideal_parallel_s']:.1f} s; cold ÷ that = {result['cold_over_ideal']} "
                     f"(per round: {result['cold_over_ideal_runs']})")
    for t in result["targets"]:
        lines.append(f"[{'met' if t['met'] else 'MISSED'}] {t['text']}: {t['value']} (limit {t['limit']})")
    lines.append(f"machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, torch {m['torch']}, {m['date']}; "
                 f"load average {m['load_average_start']} → {m.get('load_average_end')}")
    if m["shared"]:
        lines.append("NOTE: the machine was shared with other jobs while this ran: timings are noisy; "
                     "compare the ratios, not the seconds.")
    return "\n".join(lines)


def write(result: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")


def approve(out: Path) -> int:
    if not out.exists():
        print(f"bench: {out} does not exist; run `python -m tools.bench` first", file=sys.stderr)
        return 1
    data = json.loads(out.read_text())
    if data.get("smoke") or data.get("partial") or data.get("subset"):
        print("bench: refusing to approve a --smoke, --cases or --snippets run: the page shows every case "
              "on the whole course", file=sys.stderr)
        return 1
    APPROVED.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(out, APPROVED)
    print(f"bench: approved {out} as {APPROVED.relative_to(ROOT)}")
    return 0
