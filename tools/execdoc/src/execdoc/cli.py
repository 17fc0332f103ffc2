"""execdoc: run a site's code snippets, keep their outputs as records, check
them on any machine, and start new sites. A thin command line over the
pipeline, the scaffold and the quiz export."""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import sys
import traceback
from pathlib import Path

from . import ExecdocError, Interrupted, config as config_mod, pipeline, scaffold
from .check import machine
from .quiz import export as quizexport

COMMANDS = {
    "build": "execute stale snippets and write their records; reuse the rest",
    "check": "re-execute every snippet, ignoring records, and compare with the records",
    "approve": "make the outputs the last check saw (or a fresh run) the record, then calibrate it",
    "calibrate": "run snippets under every machine profile and store a tolerance per number in their records",
    "status": "list snippets whose record is missing, corrupt or stale",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="execdoc", description=__doc__)
    parser.add_argument("--root", type=Path, help="project folder (default: found from the working folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print a traceback with an error")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.add_argument("snippets", nargs="*", help="snippet names (default: all)")
        if name == "check":
            cmd.add_argument("--profile", default=os.environ.get("EXECDOC_CHECK_PROFILE") or None,
                             help="run the kernels as another machine would: a profile name, a comma list, "
                                  "or 'all' (the configured profiles); default native or $EXECDOC_CHECK_PROFILE")
        if name == "approve":
            cmd.add_argument("--no-calibrate", action="store_true", help="keep the record's old calibration")
    sub.add_parser("profiles", help="list the machine profiles and whether this machine can run each",
                   description="list the machine profiles and whether this machine can run each")
    conf = sub.add_parser("config", help="print the project's configuration, or its reference",
                          description="Print the configuration in effect, or (--reference) every key documented.")
    conf.add_argument("--reference", action="store_true", help="the reference of every key, as Markdown")
    new = sub.add_parser("new", help="write a small site that builds as it is into a new or empty folder",
                         description="Write a small execdoc site (MkDocs and Zensical configurations, one snippet, "
                                     "a page, a quiz) into DIR, which must be new or empty.")
    new.add_argument("dir", type=Path, help="the folder to create")
    quizexport.add_parser(sub)
    args = parser.parse_args(argv)
    try:
        signal.signal(signal.SIGTERM, _terminated)  # like Ctrl-C: finally blocks run, nothing is left half-done
    except ValueError:
        pass  # not the main thread
    try:
        if args.command == "config" and args.reference:
            sys.stdout.write(config_mod.reference())
            return 0
        if args.command == "new":  # before any configuration: the folder is not a project yet
            written = scaffold.new(args.dir)
            print(f"wrote {len(written)} files into {args.dir}: {', '.join(p.as_posix() for p in written)}")
            print(f"next: cd {args.dir} && mkdocs serve   (or: execdoc build && zensical build)")
            return 0
        config = config_mod.load(args.root)
        if args.command == "config":
            for field in dataclasses.fields(config):
                value = getattr(config, field.name)
                if isinstance(value, Path):
                    value = value.relative_to(config.root).as_posix() if value != config.root else str(value)
                print(f"{field.name} = {value!r}")
            return 0
        if args.command == "quiz":
            return quizexport.run(config, args)
        if args.command == "profiles":
            for profile in machine.PROFILES.values():
                why = machine.unavailable(profile)
                knobs = " ".join(f"{k}={v}" for k, v in profile.env.items())
                threads = f" threads={profile.threads}" if profile.threads else ""
                print(f"{profile.name:9} {'yes' if why is None else 'no '} {profile.description}"
                      + (f" [{(knobs + threads).strip()}]" if knobs or threads else "") + (f" ({why})" if why else ""))
            return 0
        if args.command == "check":
            report = pipeline.check(config, args.snippets or None, args.profile)
            return 0 if report.ok else 1
        if args.command == "approve":
            report = pipeline.approve(config, args.snippets or None, calibrate_too=not args.no_calibrate)
            return 0 if report.ok else 1
        if args.command == "status":
            stale = pipeline.stale(config, args.snippets or None)
            for name in stale:
                print(name)
            print(f"{len(stale)} stale", file=sys.stderr)
            return 1 if stale else 0
        report = getattr(pipeline, args.command)(config, args.snippets or None)
    except ExecdocError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"execdoc: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        print(f"execdoc: interrupted ({signal.Signals(signum).name}); records already written are whole, "
              "nothing half-written was kept", file=sys.stderr)
        return 128 + signum
    except Exception as exc:  # a bug of execdoc's: one line, the traceback on request
        if args.verbose:
            traceback.print_exc()
        print(f"execdoc: internal error: {type(exc).__name__}: {exc} (run with --verbose for the traceback)",
              file=sys.stderr)
        return 3
    return 0 if report.ok else 1


def _terminated(signum, frame):
    raise Interrupted(signum)


if __name__ == "__main__":
    sys.exit(main())
