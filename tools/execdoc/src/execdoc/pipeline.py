"""build, check, calibrate and approve: the stages put together.

``build`` executes only snippets whose record is missing, corrupt or stale and
reuses the rest. ``check`` re-executes everything (under one or more machine
profiles), ignoring records, and compares. ``calibrate`` runs every profile
and stores a tolerance per number in each record. ``approve`` turns what
``check`` saw into the record, on purpose, and calibrates it.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import nbformat

from . import ExecdocError
from .check import calibrate as calibrate_mod, compare, machine
from .config import Config
from .records import store
from .report import Entry, Report, reporting, say
from .snippets import Snippet, load_snippet, resolve

if TYPE_CHECKING:
    from .kernel import run as execute


def _load(config: Config, names: list[str] | None, report: Report) -> list[Snippet]:
    """Snippets that parse; the others go into the report as failed."""
    snippets = []
    for name in resolve(config, names):
        try:
            snippets.append(load_snippet(config, name))
        except ExecdocError as exc:
            report.snippets.append(Entry(name, "failed", error=str(exc)))
            say(f"{name}: FAILED: {exc}")
    return snippets


def _execute(config: Config, snippets: list[Snippet], report: Report,
             finish: Callable[["execute.Result"], Entry],
             profiles: list[machine.Profile] | None = None) -> None:
    """Run snippets (under each profile) in parallel, turning each result into a report entry.

    Ctrl-C (SIGINT) cancels every run, shuts the kernels down, writes nothing
    more and raises KeyboardInterrupt; records already written are whole.
    """
    from .kernel import confine, run as execute, schedule  # Jupyter's client stack loads only when something runs.

    profiles = profiles or [machine.PROFILES["native"]]
    runs = [(s, p) for s in snippets for p in profiles]
    total, done = len(runs), 0
    stop = schedule.Stop()
    watch = confine.Watch(config)

    async def work(snippet: Snippet, profile: machine.Profile) -> None:
        nonlocal done
        watch.began(f"{snippet.name}/{profile.name}")
        result = await execute.run_snippet(config, snippet, profile)
        if stop.requested:
            return
        touched = watch.ended(f"{snippet.name}/{profile.name}")
        if touched:  # fails closed: the record is not written, the build fails
            result.status, result.error = "failed", watch.message(snippet.name, touched)
        try:
            entry = await asyncio.to_thread(finish, result)
        except Exception as exc:  # the engine's own failure fails this snippet alone, and says so
            entry = Entry(snippet.name, "failed", result.seconds, snippet.key,
                          f"{snippet.name}.py: execdoc failed while handling this snippet's results "
                          f"({type(exc).__name__}: {exc}); the other snippets are not affected")
        entry.profile = profile.name
        report.snippets.append(entry)
        done += 1
        state = entry.status if entry.status != "failed" else "FAILED"
        under = f" [{profile.name}]" if len(profiles) > 1 or profile.name != "native" else ""
        say(f"[{done}/{total}] {snippet.name}{under}: {state} ({result.seconds:.1f} s)")
        if entry.error:
            print(entry.error, file=sys.stderr, flush=True)
        if result.withheld and profile.name == "native":
            say(f"{snippet.name}: not kept as values (a credential's name, or a string from the environment): "
                 + ", ".join(result.withheld))

    expected = store.expected_seconds(config, [s.name for s in snippets])
    schedule.run_all(runs, config.job_count, expected, work, stop)


def stale(config: Config, names: list[str] | None = None) -> list[str]:
    """Names of the snippets a build would execute (cheap: no kernel)."""
    out = []
    for name in resolve(config, names):
        try:
            snippet = load_snippet(config, name)
        except ExecdocError:
            out.append(name)
            continue
        if store.load_fresh(config, snippet).problem:
            out.append(name)
    return out


def build(config: Config, names: list[str] | None = None,
          on_record: Callable[[Path], None] | None = None,
          failed_before: dict[str, Entry] | None = None) -> Report:
    """``on_record(path)`` is called with each record that is reused or newly
    written, as soon as it is (from a worker thread); it must return quickly.
    ``failed_before`` (a live preview's memory: name to the failed entry) is
    not run again while its key is unchanged; it fails again with its error."""
    report = Report("build")
    with reporting(config, report):
        todo = []
        for snippet in _load(config, names, report):
            loaded = store.load_fresh(config, snippet)
            if loaded.problem is None:
                if store.refresh_prose(loaded.notebook, snippet):
                    with store.lock(config, snippet.name):
                        store.write(config, snippet.name, loaded.notebook)
                    say(f"{snippet.name}: prose cells updated in the record, nothing executed")
                report.snippets.append(Entry(snippet.name, "reused", 0.0, snippet.key))
                if on_record:
                    on_record(store.path(config, snippet.name))
            elif failed_before and getattr(failed_before.get(snippet.name), "key", None) == snippet.key:
                say(f"{snippet.name}: failed at its last run and unchanged since; not run again")
                report.snippets.append(failed_before[snippet.name])
                print(failed_before[snippet.name].error, file=sys.stderr, flush=True)
            else:
                say(f"{snippet.name}: {loaded.problem}; executing")
                todo.append(snippet)

        # Another build may be running at once: records are written under a lock
        # through a temporary file and a rename, so a reader sees old or new, whole.
        def finish(result: "execute.Result") -> Entry:
            snippet = result.snippet
            if result.status != "ok":
                return Entry(snippet.name, "failed", result.seconds, snippet.key, result.error)
            with store.lock(config, snippet.name):
                store.write(config, snippet.name, store.build(result))
            if on_record:
                on_record(store.path(config, snippet.name))
            return Entry(snippet.name, "executed", result.seconds, snippet.key)

        if todo:
            _execute(config, todo, report, finish)
    say(report.summary())
    return report


def _check_dir(config: Config) -> Path:
    return config.report.parent / "check"


def fresh_path(config: Config, name: str, profile: str) -> Path:
    """Where ``check`` keeps a snippet's fresh outputs (``approve`` takes them from there)."""
    return _check_dir(config) / (f"{name}.ipynb" if profile == "native" else f"{name}.{profile}.ipynb")


def _cell_lines(snippet: Snippet) -> dict[str, int]:
    return {cell.label: cell.first_line for cell in snippet.cells}


def check(config: Config, names: list[str] | None = None, profiles: str | None = None) -> Report:
    """Re-execute fresh under each profile and compare with the record, each
    number within its own calibrated tolerance."""
    report = Report("check")
    # Written beside the fresh outputs too: what the last check saw, kept until the next check.
    with reporting(config, report, _check_dir(config) / "report.json"):
        chosen, skipped = machine.resolve(profiles, config.profiles)
        for line in skipped:
            say(line)
        report.notes += skipped
        snippets = _load(config, names, report)
        _check_dir(config).mkdir(parents=True, exist_ok=True)

        def finish(result: "execute.Result") -> Entry:
            snippet = result.snippet
            if result.status != "ok":
                return Entry(snippet.name, "failed", result.seconds, snippet.key, result.error)
            fresh = store.build(result)
            store.write_to(fresh_path(config, snippet.name, result.profile), fresh)
            loaded = store.load(config, snippet.name)
            if loaded.notebook is None:
                return Entry(snippet.name, "failed", result.seconds, snippet.key,
                             f"{snippet.name}.py: {loaded.problem}; "
                             f"run `execdoc build` or `execdoc approve {snippet.name}`")
            meta = loaded.notebook.metadata.execdoc
            tol = compare.tolerance_of(loaded.notebook, snippet.options.rtol, snippet.options.atol)
            diff = compare.compare(snippet.name, loaded.notebook, fresh, tol, config.normalisers, _cell_lines(snippet))
            if diff is None and meta.key != snippet.key:
                diff = (f"{snippet.name}.py: outputs match but the record's key is stale; "
                        f"run `execdoc approve {snippet.name}` to refresh it")
            differs = machine.differences(meta.get("machine"), result.fingerprint)
            if diff:
                if differs:
                    diff += (f"\n  (this machine differs from the one that made the record: {'; '.join(differs)})")
                if not meta.get("calibration"):
                    diff += (f"\n  (the record is not calibrated: "
                             f"`execdoc calibrate {snippet.name}` measures its tolerances)")
                kept = fresh_path(config, snippet.name, result.profile).relative_to(config.root)
                diff += f"\n  (fresh outputs kept in {kept}; `execdoc approve {snippet.name}` accepts them)"
            return Entry(snippet.name, "failed" if diff else "executed", result.seconds, snippet.key, diff,
                         machine=differs)

        _execute(config, snippets, report, finish, chosen)
    say(report.summary())
    return report


def calibrate(config: Config, names: list[str] | None = None, report: Report | None = None) -> Report:
    """Run each snippet under every configured profile and store, in its record,
    a tolerance per number: the spread across profiles times the safety factor."""
    report = report or Report("calibrate")
    chosen, skipped = machine.resolve(list(config.profiles))
    for line in skipped:
        say(line)
    report.notes += skipped
    snippets = []
    for snippet in _load(config, names, report):
        problem = store.load_fresh(config, snippet).problem
        if problem:
            report.snippets.append(Entry(snippet.name, "failed", key=snippet.key,
                                         error=f"{snippet.name}.py: {problem}; run `execdoc build` first"))
        else:
            snippets.append(snippet)
    runs: dict[str, dict[str, nbformat.NotebookNode]] = {s.name: {} for s in snippets}
    failed: set[str] = set()  # under some profile: nothing to calibrate from

    def finish(result: "execute.Result") -> Entry:
        if result.status != "ok":
            failed.add(result.snippet.name)
            return Entry(result.snippet.name, "failed", result.seconds, result.snippet.key, result.error)
        runs[result.snippet.name][result.profile] = store.build(result)
        return Entry(result.snippet.name, "executed", result.seconds, result.snippet.key)

    if snippets:
        _execute(config, snippets, report, finish, chosen)
    for snippet in snippets:
        if snippet.name in failed:
            continue
        with store.lock(config, snippet.name):
            notebook = store.load(config, snippet.name).notebook
            floor = compare.Tolerance(snippet.options.rtol, snippet.options.atol)
            result = calibrate_mod.calibrate(snippet.name, notebook, runs[snippet.name], floor,
                                             config.safety_factor, config.normalisers)
            lines = calibrate_mod.describe(result, config.volatile_spread)
            for line in lines:
                say(line)
            report.notes += lines
            if result.broken:
                report.snippets.append(Entry(snippet.name, "failed", key=snippet.key, profile="calibration",
                                             error="\n".join(lines)))
                continue
            notebook.metadata.execdoc["calibration"] = result.metadata(config.safety_factor)
            store.write(config, snippet.name, store.seal(notebook))
    report.write(config)
    say(report.summary())
    return report


def approve(config: Config, names: list[str] | None = None, calibrate_too: bool = True) -> Report:
    """Make what the last ``check`` saw (or a fresh run) the record, then calibrate it."""
    report = Report("approve")
    todo = []
    kept = {}  # --no-calibrate: each record's calibration, carried into its new version
    def write(name: str, notebook: nbformat.NotebookNode) -> None:
        if kept.get(name):
            notebook.metadata.execdoc["calibration"] = kept[name]
            store.seal(notebook)
        with store.lock(config, name):
            store.write(config, name, notebook)

    for snippet in _load(config, names, report):
        if not calibrate_too and (old := store.load(config, snippet.name).notebook) is not None:
            kept[snippet.name] = old.metadata.execdoc.get("calibration")
        seen = fresh_path(config, snippet.name, "native")
        if seen.exists():
            notebook = nbformat.reads(seen.read_text("utf-8"), as_version=4)
            if notebook.metadata.execdoc.key == snippet.key:
                write(snippet.name, notebook)
                seen.unlink()
                say(f"{snippet.name}: approved the outputs the last check saw")
                report.snippets.append(Entry(snippet.name, "reused", 0.0, snippet.key))
                continue
        todo.append(snippet)

    def finish(result: "execute.Result") -> Entry:
        if result.status != "ok":
            return Entry(result.snippet.name, "failed", result.seconds, result.snippet.key, result.error)
        write(result.snippet.name, store.build(result))
        return Entry(result.snippet.name, "executed", result.seconds, result.snippet.key)

    if todo:
        _execute(config, todo, report, finish)
    approved = [e.name for e in report.snippets if e.status != "failed"]
    if calibrate_too and approved:
        calibrate(config, approved, report)
        return report
    report.write(config)
    say(report.summary())
    return report
