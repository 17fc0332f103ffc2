"""One measured build, and its executions counted from what really ran.

Ours: execdoc's structured report (``build/exec-report.json``, written by every
``mkdocs build``; under mkdocs-static-i18n execdoc runs its pipeline in the
default language's pass only, so one build writes it once), cross-checked
against the kernel launches the build's audit hook saw and the number of times
the report was written. mkdocs-jupyter: kernel launches. markdown-exec: runs of
each session (blocks executed ÷ the session's blocks in the generated pages).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from . import meter
from .common import OURS, run_env
from .pages import SESSION


def measure(folder: Path, case: str, report: Path, profile: Path | None = None) -> dict:
    """Build ``folder`` in a fresh process under a fresh meter process
    (``profile``: under pyinstrument, writing its text report there);
    ``report`` is execdoc's report, relative to the folder."""
    meter_out = folder / ".bench-meter.json"
    counts = folder / ".bench-counts.json"
    log = folder / ".bench-build.log"
    report = folder / report
    for stale in (meter_out, counts, report):
        stale.unlink(missing_ok=True)
    env = run_env()
    # Local modules (snippets/digits.py) import in-process too (markdown-exec).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder / "snippets"), env.get("PYTHONPATH")]))
    if case == "markdown-exec":
        env["MPLBACKEND"] = "Agg"  # in the MkDocs process: no display
    subprocess.run(meter.commands(counts, meter_out, log, report, profile), cwd=folder, env=env, check=True)
    result = json.loads(meter_out.read_text())
    result["counts"] = json.loads(counts.read_text()) if counts.exists() else {}
    result["log"] = str(log)
    warnings = result["counts"].pop("warnings", [])
    result["warnings"] = [f"{w['level']} -  {w['message']}" for w in warnings]
    result["exec_errors"] = [f"{w['level']} -  {w['message']}" for w in warnings
                             if "markdown_exec" in w["logger"] or "markdown_exec" in w["message"]]
    if report.exists():
        result["ours"] = read_report(report, result["counts"])
    return result


def read_report(report: Path, counts: dict) -> dict:
    """What execdoc says this build did, and whether the build's own counters agree."""
    data = json.loads(report.read_text("utf-8"))
    entries = data["snippets"]
    executed = sorted(e["name"] for e in entries if e["status"] == "executed")
    failed = sorted(e["name"] for e in entries if e["status"] == "failed")
    passes = counts.get("report_writes")
    kernels = counts.get("kernels", 0)
    problems = []
    if passes is not None and passes > 1:
        problems.append(f"execdoc's pipeline ran {passes} times in one build and its report keeps only the last")
    # Every execution is one kernel; a failed snippet may have started one or not (it did not parse).
    if not len(executed) <= kernels <= len(executed) + len(failed):
        problems.append(f"{report.name} lists {len(executed)} executed and {len(failed)} failed, "
                        f"but the build launched {kernels} kernel(s)")
    return {
        "passes": passes,
        "executed": len(executed),
        "failed": len(failed),
        "names": executed,
        # each executed snippet's seconds, as the report (and the fresh record) holds them
        "seconds": {e["name"]: e["seconds"] for e in entries if e["status"] == "executed"},
        "report": data["summary"],
        "mismatch": "; ".join(problems) or None,
    }


def session_blocks(folder: Path) -> dict[str, int]:
    """markdown-exec: exec blocks per session in the generated pages."""
    blocks: dict[str, int] = {}
    for page in (folder / "docs").rglob("*.md"):
        for session in SESSION.findall(page.read_text("utf-8")):
            blocks[session] = blocks.get(session, 0) + 1
    return blocks


def executions(case: str, run: dict, folder: Path) -> int | None:
    """Snippet runs in one build, counted from what really ran."""
    counts = run.get("counts", {})
    if case in OURS:
        return run["ours"]["executed"] if "ours" in run else None
    if case == "markdown-exec":
        # A session is one snippet on one page; it ran once per time its blocks all ran
        # (a page rendered for two languages runs them twice).
        blocks = session_blocks(folder)
        return round(sum(n / blocks[s] for s, n in counts.get("exec_by_session", {}).items() if s in blocks))
    return counts.get("kernels", 0)


def report_problems(case: str, run: dict) -> list[str]:
    """Ours: what the report says went wrong, or where it and the counters disagree."""
    if case not in OURS:
        return []
    ours = run.get("ours")
    if ours is None:
        return ["execdoc wrote no report"]
    found = [f"{ours['failed']} snippet(s) failed ({ours['report']})"] if ours["failed"] else []
    return found + ([ours["mismatch"]] if ours["mismatch"] else [])
