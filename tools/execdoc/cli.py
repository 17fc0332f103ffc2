"""``execdoc build | check | approve | status | quiz export`` — a thin command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import ExecdocError, config as config_mod, pipeline, quizexport

COMMANDS = {
    "build": "execute stale snippets and write their records; reuse the rest",
    "check": "re-execute every snippet, ignoring records, and compare with the records",
    "approve": "make the outputs the last check saw (or a fresh run) the record",
    "status": "list snippets whose record is missing, corrupt or stale",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="execdoc", description=__doc__)
    parser.add_argument("--root", type=Path, help="project folder (default: found from the working folder)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.add_argument("snippets", nargs="*", help="snippet names (default: all)")
    quizexport.add_parser(sub)
    args = parser.parse_args(argv)
    try:
        config = config_mod.load(args.root)
        if args.command == "quiz":
            return quizexport.run(config, args)
        if args.command == "status":
            stale = pipeline.stale(config, args.snippets or None)
            for name in stale:
                print(name)
            print(f"{len(stale)} stale", file=sys.stderr)
            return 1 if stale else 0
        report = getattr(pipeline, args.command)(config, args.snippets or None)
    except ExecdocError as exc:
        print(f"execdoc: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("execdoc: interrupted; records already written are whole, nothing half-written was kept",
              file=sys.stderr)
        return 130
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
