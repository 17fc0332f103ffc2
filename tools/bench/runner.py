"""The run: the pristine copy and every case's folder, an untimed warm-up,
then rounds of all cases, A B A B (the order reversed every other round; the
cases that execute nothing ``--repeat-cheap`` times a round), or, with
``--profile``, one build of each named case under pyinstrument."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from . import result as result_mod
from .cases import code_edit, make_cold, make_variant, prose_edit
from .common import CASE_IDS, CASES, CHEAP, say, version
from .count import executions, measure
from .pages import page_references
from .pristine import make_pristine


def _cases(asked: str | None) -> list[tuple]:
    have_mdexec = version("markdown-exec") is not None
    cases = [c for c in CASES if have_mdexec or c[0] != "markdown-exec"]
    if asked:
        wanted = {"floor", *asked.split(",")}  # every ratio is against the floor
        unknown = wanted - set(CASE_IDS)
        if unknown:
            raise SystemExit(f"bench: unknown case(s) {', '.join(sorted(unknown))}; known: {', '.join(CASE_IDS)}")
        cases = [c for c in cases if c[0] in wanted]
    return cases


def _line(r: int, rounds: int, case: str, run: dict) -> str:
    return (f"round {r + 1}/{rounds} {case}: {run['wall_s']:.2f} s, {run['executions']} executions, "
            f"peak {run['peak_rss_kib'] / 1024:.0f} MiB (tree {run['tree_peak_kib'] / 1024:.0f} MiB)"
            + ("" if run["rc"] == 0 else f", FAILED (exit {run['rc']}; {run['log']})"))


def run_bench(args) -> dict:
    """Every round of every case; the result (``{}`` after ``--profile``)."""
    started = time.monotonic()
    smoke = args.smoke
    rounds = 1 if smoke else args.rounds
    chosen = [s.strip().removesuffix(".py") for s in args.snippets.split(",")] if args.snippets else None
    tmp = Path(tempfile.mkdtemp(prefix="execdoc-bench-"))
    info = result_mod.machine_info(shared=not args.not_shared)
    try:
        setup = make_pristine(tmp, chosen, smoke, args.keep_i18n)
        names, report = setup["snippets"], setup["report"]
        say(f"snippets: {', '.join(names)}; pages: {', '.join(setup['pages']) or 'none'}; rounds: {rounds}; "
            f"temporary folder {tmp}")
        cases = _cases(args.cases)
        folders = {case: make_variant(setup, tmp, case) for case, _, _ in cases}

        edit_snippet = min(names, key=lambda n: setup["record_seconds"][n])
        docs = setup["root"] / "docs"
        users = [p for p in setup["pages"] if edit_snippet in page_references((docs / p).read_text("utf-8"))]
        prose_page = (users or setup["pages"] or [None])[0]

        # Warm-up, untimed: records and caches as a working author has them.
        # A smoke run times nothing that matters: only the cache that defines a case is warmed.
        warmups = ["mkj-cache"] if smoke else ["floor", "floor-md", "warm", "prose", "snippet", "mkj-cache"]
        warmups = [c for c in warmups if c in folders]
        if args.profile:
            warmups = [c for c in warmups if c in args.profile.split(",")]
        for case in warmups:
            say(f"warm-up build: {case}")
            run = measure(folders[case], case, report)
            if run["rc"] != 0:
                raise SystemExit(f"bench: warm-up build of {case} failed; see {run['log']}")

        def prepare(case: str, round_no: int) -> None:
            folder = folders[case]
            if case == "prose":
                if prose_page is None:
                    raise SystemExit("bench: no page to edit for the prose case")
                prose_edit(folder, setup["root"], prose_page, edit_snippet, round_no)
            elif case == "snippet":
                code_edit(folder, setup["root"], edit_snippet, round_no)
            elif case == "cold":
                make_cold(folder, names)

        if args.profile:
            for case in args.profile.split(","):
                prepare(case, 1)
                target = args.out.parent / f"bench-profile-{case}.txt"
                target.parent.mkdir(parents=True, exist_ok=True)
                run = measure(folders[case], case, report, profile=target)
                say(f"profiled {case}: {run['wall_s']:.2f} s under pyinstrument -> {target}")
            return {}

        runs: dict[str, list[dict]] = {case: [] for case, _, _ in cases}
        order = [case for case, _, _ in cases]
        # The cases that execute nothing take seconds and carry the finest target
        # (warm against the floor): they run `repeat` times a round, interleaved.
        repeat = 1 if smoke else max(1, args.repeat_cheap)
        cheap = [case for case in order if case in CHEAP]
        edits = 0
        for r in range(rounds):
            sequence = cheap * (repeat - 1) + order
            for case in (sequence if r % 2 == 0 else sequence[::-1]):
                folder = folders[case]
                edits += 1
                prepare(case, edits)
                run = measure(folder, case, report)
                run["executions"] = executions(case, run, folder)
                runs[case].append(run)
                say(_line(r, rounds, case, run))
        info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        return result_mod.result(args, info, setup, runs, edit_snippet, prose_page, time.monotonic() - started)
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
