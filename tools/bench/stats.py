"""Medians, ratios and the targets: the runs of every case summarised."""

from __future__ import annotations

import statistics

from .common import CASES, OURS
from .count import report_problems


def stats(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "runs": [round(v, 3) for v in values]}


def _case(case: str, case_runs: list[dict]) -> dict:
    nonzero = [r for r in case_runs if r["rc"] != 0]
    exec_errors = [w for r in case_runs for w in r["exec_errors"]]
    reported = list(dict.fromkeys(p for r in case_runs for p in report_problems(case, r)))
    status = "failed" if nonzero or exec_errors or reported else "ok"
    execs = [r["executions"] for r in case_runs]
    entry = {
        "status": status,
        "wall_s": stats([r["wall_s"] for r in case_runs]),
        "executions": {"median": statistics.median(execs) if None not in execs else None, "runs": execs},
        "peak_rss_mib": stats([r["peak_rss_kib"] / 1024 for r in case_runs]),
        "tree_peak_mib": stats([r["tree_peak_kib"] / 1024 for r in case_runs]),
        "cpu_s": stats([r["cpu_s"] for r in case_runs]),
        "kernels": [r["counts"].get("kernels") for r in case_runs],
    }
    if case == "markdown-exec":
        entry["exec_cells"] = [r["counts"].get("exec_cells") for r in case_runs]
    if case in OURS:
        entry["executed"] = [r.get("ours", {}).get("names") for r in case_runs]
        entry["passes"] = [r.get("ours", {}).get("passes") for r in case_runs]
        entry["exec_report_summary"] = [r.get("ours", {}).get("report") for r in case_runs]
    if status == "failed":
        entry["note"] = "; ".join(filter(None, [
            f"{len(nonzero)} run(s) exited non-zero" if nonzero else "",
            f"{len(exec_errors)} execution error(s): {exec_errors[0][:200]}" if exec_errors else "",
            *reported]))
    return entry


def summarise_cases(runs: dict[str, list[dict]], asked: str | None) -> tuple[list[dict], dict[str, float]]:
    """Every case in the fixed order (skipped ones too), with ratios; and the median wall times."""
    out, medians = [], {}
    for case, label, label_zh in CASES:
        entry = {"id": case, "label": label, "label_zh": label_zh}
        if case not in runs:
            note = ("not asked for (--cases)" if asked and case not in asked.split(",")
                    else "markdown-exec is not installed (make bench installs it)")
            entry.update({"status": "skipped", "note": note})
        else:
            entry.update(_case(case, runs[case]))
            medians[case] = entry["wall_s"]["median"]
        out.append(entry)
    floor, warm = medians.get("floor"), medians.get("warm")
    for entry in out:
        if entry["id"] in medians:
            entry["ratio_floor"] = round(medians[entry["id"]] / floor, 2) if floor else None
            entry["ratio_warm"] = round(medians[entry["id"]] / warm, 2) if warm else None
    return out, medians


def cold_ideal(runs: dict[str, list[dict]], cores: int) -> dict:
    """Σ of the seconds of the snippets each cold build executed, against the cold wall time."""
    cold_runs = runs.get("cold", [])
    sums = [sum(v or 0 for v in r["ours"]["seconds"].values()) for r in cold_runs if r.get("ours")]
    sum_seconds = round(statistics.median(sums), 3) if sums else None
    per_round = [round(r["wall_s"] / (total / cores), 2) for r, total in zip(cold_runs, sums) if total]
    return {"sum_seconds": sum_seconds, "sums": sums, "per_round": per_round,
            "ideal": sum_seconds / cores if sum_seconds else None}


def targets(cases: list[dict], medians: dict[str, float], ideal: float | None) -> list[dict]:
    by_id = {e["id"]: e for e in cases}
    floor, warm, cold = medians.get("floor"), medians.get("warm"), medians.get("cold")
    out = []

    def all_equal(case, value):
        runs_ = by_id.get(case, {}).get("executions", {}).get("runs")
        return bool(runs_) and all(x == value for x in runs_)

    def target(tid, text, text_zh, value, limit, met):
        out.append({"id": tid, "text": text, "text_zh": text_zh, "value": value, "limit": limit, "met": met})

    if floor and warm:
        target("warm_floor", "Warm ≤ 1.2× the floor, with 0 executions", "热构建 ≤ 1.2 × 下限，且执行 0 次",
               round(warm / floor, 2), 1.2, warm / floor <= 1.2 and all_equal("warm", 0))
    if "prose" in medians:
        target("prose_zero", "Prose edit: 0 executions", "改文字：执行 0 次",
               by_id["prose"]["executions"]["runs"], 0, all_equal("prose", 0))
    if "snippet" in medians:
        target("snippet_one", "One-snippet edit: exactly 1 execution", "改一个 snippet：恰好执行 1 次",
               by_id["snippet"]["executions"]["runs"], 1, all_equal("snippet", 1))
    if warm and medians.get("markdown-exec"):
        speedup = medians["markdown-exec"] / warm
        target("warm_mdexec", "Warm ≥ 5× faster than markdown-exec", "热构建比 markdown-exec 快 ≥ 5 倍",
               round(speedup, 2), 5, speedup >= 5 and by_id["markdown-exec"]["status"] == "ok")
    if cold and ideal is not None and floor:
        bound = 1.3 * ideal + floor
        target("cold_ideal", "Cold ≤ 1.3× (Σ snippet seconds ÷ cores) + the floor",
               "冷构建 ≤ 1.3 × (Σ snippet 秒数 ÷ 核数) + 下限", round(cold, 2), round(bound, 2), cold <= bound)
    return out
