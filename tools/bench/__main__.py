"""The command line: ``python -m tools.bench`` from the project folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __doc__ as DOC
from .common import DEFAULT_OUT, DEFAULT_REPEAT_CHEAP, DEFAULT_ROUNDS, DEFAULT_SNIPPETS
from .result import approve, table, write


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tools.bench", description=DOC.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="rounds of all cases (default 3)")
    p.add_argument("--repeat-cheap", type=int, default=DEFAULT_REPEAT_CHEAP,
                   help="runs per round of the cases that execute nothing (default 3; --smoke: 1)")
    p.add_argument("--snippets", help=f"comma-separated names, or 'all' (default: {DEFAULT_SNIPPETS})")
    p.add_argument("--cases", help="comma-separated case ids to run (the floor always runs); "
                                   "such a run cannot be approved")
    p.add_argument("--smoke", action="store_true", help="one round on one tiny snippet (a test that it works)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON result (default build/bench.json)")
    p.add_argument("--approve", action="store_true", help="copy --out to docs/performance/bench.json and stop")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--profile", metavar="CASES",
                   help="instead of timing: one build of each case (e.g. warm,floor) under pyinstrument "
                        "(requirements-dev.lock), text report in build/bench-profile-CASE.txt")
    p.add_argument("--keep-i18n", action="store_true",
                   help="build every language of mkdocs-static-i18n (default: the default language only)")
    p.add_argument("--not-shared", action="store_true", help="the machine ran nothing else (default: shared)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.approve:
        return approve(args.out)
    from .runner import run_bench  # execdoc and MkDocs load only for a run
    result = run_bench(args)
    if args.profile:
        return 0
    write(result, args.out)
    print(table(result))
    print(f"\nwrote {args.out}")
    failed = [e["id"] for e in result["cases"] if e["status"] == "failed"]
    if failed:
        print(f"bench: failed case(s): {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
