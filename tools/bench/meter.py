"""The two processes around every measured build, run from this file as a
script (standard library only: nothing of the bench is imported into the
build it measures)::

    python meter.py meter OUT LOG -- COMMAND...   run COMMAND, write OUT
    python meter.py build COUNTS REPORT           `mkdocs build`, write COUNTS

The meter is a fresh process per build: wall time from start to exit,
``getrusage(RUSAGE_CHILDREN)`` for the largest single process (MkDocs or a
kernel) and the CPU seconds of all of them, and the whole process tree's
resident memory sampled every 0.1 s (kernels run in parallel, so the sum
matters too). The build carries a ``sys.addaudithook`` that counts what really
ran: ``subprocess.Popen`` events launching ``ipykernel`` (ours, mkdocs-jupyter:
one kernel per snippet run), ``exec`` events of markdown-exec's code blocks
(``<code block: session ...>``, per session), and renames onto execdoc's report
(one per pipeline run); a logging handler keeps MkDocs' warnings and errors.
"""

from __future__ import annotations

import json
import logging
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve()


def commands(counts: Path, meter_out: Path, log: Path, report: Path, profile: Path | None = None) -> list[str]:
    """The meter's command line, which runs the build's (under pyinstrument with ``profile``)."""
    build = [sys.executable, str(SCRIPT), "build", str(counts), str(report)]
    if profile:
        build[1:1] = ["-m", "pyinstrument", "--renderer", "text", "--outfile", str(profile)]
    return [sys.executable, str(SCRIPT), "meter", str(meter_out), str(log), "--", *build]


class _Warnings(logging.Handler):
    def __init__(self, into: list):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.into.append({"level": record.levelname, "logger": record.name, "message": record.getMessage()})
        except Exception:  # a message that does not format is still a warning
            self.into.append({"level": record.levelname, "logger": record.name, "message": str(record.msg)})


def child_build(counts_path: str, report_path: str) -> int:
    """The build process: ``mkdocs build`` with execution counters (audit hooks)."""
    counts = {"kernels": 0, "exec_by_session": {}, "exec_cells": 0, "report_writes": 0, "warnings": []}
    report = os.path.abspath(report_path)

    def hook(event, args):
        if event == "exec":
            name = getattr(args[0], "co_filename", "")
            if name.startswith("<code block: "):
                counts["exec_cells"] += 1
                session = re.match(r"<code block: (?:session ([^;>]+)|)", name)
                key = session.group(1) if session and session.group(1) else name
                counts["exec_by_session"][key] = counts["exec_by_session"].get(key, 0) + 1
        elif event == "subprocess.Popen":
            argv = args[1] or []
            argv = [argv] if isinstance(argv, (str, bytes)) else argv
            if any("ipykernel" in str(a) for a in argv):
                counts["kernels"] += 1
        elif event == "os.rename":  # os.replace too: execdoc writes its report through a rename
            try:
                if os.path.abspath(os.fsdecode(args[1])) == report:
                    counts["report_writes"] += 1
            except (TypeError, ValueError):
                pass

    sys.addaudithook(hook)
    # MkDocs' loggers live under "mkdocs" (plugins': mkdocs.plugins.*), which does not propagate.
    logging.getLogger("mkdocs").addHandler(_Warnings(counts["warnings"]))
    from mkdocs.__main__ import cli
    code = 0
    try:
        cli.main(args=["build", "--site-dir", "site"], prog_name="mkdocs", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    counts["mkdocs_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    counts["kernel_rss_kib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    Path(counts_path).write_text(json.dumps(counts, ensure_ascii=False))
    return code


def tree_rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in KiB."""
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page_kib
            for task in os.listdir(f"/proc/{p}/task"):
                todo.extend(int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def child_meter(out: str, log: str, command: list[str]) -> int:
    """The meter: run one build, time it, and read its peak memory."""
    with open(log, "w") as handle:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
        tree_peak = 0
        while process.poll() is None:
            tree_peak = max(tree_peak, tree_rss_kib(process.pid))
            time.sleep(0.1)
        wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(out).write_text(json.dumps({"rc": process.returncode, "wall_s": wall,
                                     "peak_rss_kib": usage.ru_maxrss, "tree_peak_kib": tree_peak,
                                     "cpu_s": usage.ru_utime + usage.ru_stime}))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["build"] and len(argv) == 3:
        return child_build(argv[1], argv[2])
    if argv[:1] == ["meter"] and "--" in argv:
        return child_meter(argv[1], argv[2], argv[argv.index("--") + 1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    # This folder holds modules with common names (pages, cases, ...): keep them
    # from shadowing anything the build imports.
    here = str(SCRIPT.parent)
    sys.path[:] = [p for p in sys.path if not p or os.path.abspath(p) != here]
    sys.exit(main(sys.argv[1:]))
