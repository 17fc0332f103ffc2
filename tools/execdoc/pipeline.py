"""build, check and approve: the stages put together, with the report.

``build`` executes only snippets whose record is missing, corrupt or stale and
reuses the rest. ``check`` re-executes everything, ignoring records, and
compares. ``approve`` turns what ``check`` saw into the record, on purpose.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import nbformat

from . import ExecdocError, collect, compare, record
from .config import Config

if TYPE_CHECKING:
    from . import execute


@dataclass
class Entry:
    name: str
    status: str  # "executed" | "reused" | "failed"
    seconds: float = 0.0
    key: str | None = None
    error: str | None = None


@dataclass
class Report:
    command: str
    snippets: list[Entry] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(e.status == status for e in self.snippets)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0

    def summary(self) -> str:
        return f"{self.count('executed')} executed, {self.count('reused')} reused, {self.count('failed')} failed"

    def write(self, config: Config) -> None:
        config.report.parent.mkdir(parents=True, exist_ok=True)
        data = {"command": self.command, "summary": self.summary(),
                "snippets": [asdict(e) for e in sorted(self.snippets, key=lambda e: e.name)]}
        temp = config.report.with_name(f".{config.report.name}.tmp-{os.getpid()}")
        temp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
        os.replace(temp, config.report)


def _say(message: str) -> None:
    print(f"execdoc: {message}", file=sys.stderr, flush=True)


def _load(config: Config, names: list[str] | None, report: Report) -> list[collect.Snippet]:
    """Snippets that parse; the others go into the report as failed."""
    snippets = []
    for path in ([config.snippets / f"{n.removesuffix('.py')}.py" for n in names] if names
                 else collect.snippet_paths(config)):
        try:
            snippets.append(collect.load_snippet(config, path.stem))
        except ExecdocError as exc:
            report.snippets.append(Entry(path.stem, "failed", error=str(exc)))
            _say(f"{path.stem}: FAILED: {exc}")
    return snippets


def _execute(config: Config, snippets: list[collect.Snippet], report: Report,
             finish: Callable[["execute.Result"], Entry]) -> None:
    """Run snippets in parallel, turning each result into a report entry.

    Ctrl-C (SIGINT) cancels every run, shuts the kernels down, writes nothing
    more and raises KeyboardInterrupt; records already written are whole.
    """
    from . import execute  # Jupyter's client stack loads only when something runs.

    total, done = len(snippets), 0
    interrupted = False

    async def work(snippet: collect.Snippet) -> None:
        nonlocal done
        result = await execute.run_snippet(config, snippet)
        if interrupted:
            return
        entry = await asyncio.to_thread(finish, result)
        report.snippets.append(entry)
        done += 1
        state = entry.status if entry.status != "failed" else "FAILED"
        _say(f"[{done}/{total}] {snippet.name}: {state} ({result.seconds:.1f} s)")
        if entry.error:
            print(entry.error, file=sys.stderr, flush=True)

    async def main() -> None:
        task = asyncio.current_task()

        def on_sigint() -> None:
            nonlocal interrupted
            interrupted = True
            task.cancel()

        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGINT, on_sigint)
        except (ValueError, RuntimeError, NotImplementedError):
            pass  # not the main thread: Ctrl-C is the host's business
        expected = record.expected_seconds(config, [s.name for s in snippets])
        try:
            await execute.run_many(snippets, config.job_count, expected, work)
        finally:
            try:
                loop.remove_signal_handler(signal.SIGINT)
            except (ValueError, RuntimeError, NotImplementedError):
                pass

    try:
        asyncio.run(main())
    except asyncio.CancelledError:
        if not interrupted:
            raise
    if interrupted:
        raise KeyboardInterrupt


def stale(config: Config, names: list[str] | None = None) -> list[str]:
    """Names of the snippets a build would execute (cheap: no kernel)."""
    out = []
    for path in ([config.snippets / f"{n}.py" for n in names] if names else collect.snippet_paths(config)):
        try:
            snippet = collect.load_snippet(config, path.stem)
        except ExecdocError:
            out.append(path.stem)
            continue
        if record.load_fresh(config, snippet).problem:
            out.append(path.stem)
    return out


def build(config: Config, names: list[str] | None = None,
          on_record: Callable[[Path], None] | None = None) -> Report:
    """``on_record(path)`` is called with each record that is reused or newly
    written, as soon as it is (from a worker thread); it must return quickly."""
    report = Report("build")
    todo = []
    for snippet in _load(config, names, report):
        loaded = record.load_fresh(config, snippet)
        if loaded.problem is None:
            if record.refresh_prose(loaded.notebook, snippet):
                with record.lock(config, snippet.name):
                    record.write(config, snippet.name, loaded.notebook)
                _say(f"{snippet.name}: prose cells updated in the record, nothing executed")
            report.snippets.append(Entry(snippet.name, "reused", 0.0, snippet.key))
            if on_record:
                on_record(record.path(config, snippet.name))
        else:
            _say(f"{snippet.name}: {loaded.problem}; executing")
            todo.append(snippet)

    # Another build may be running at once: records are written under a lock
    # through a temporary file and a rename, so a reader sees old or new, whole.
    def finish(result: "execute.Result") -> Entry:
        snippet = result.snippet
        if result.status != "ok":
            return Entry(snippet.name, "failed", result.seconds, snippet.key, result.error)
        with record.lock(config, snippet.name):
            record.write(config, snippet.name, record.build(result))
        if on_record:
            on_record(record.path(config, snippet.name))
        return Entry(snippet.name, "executed", result.seconds, snippet.key)

    if todo:
        _execute(config, todo, report, finish)
    report.write(config)
    _say(report.summary())
    return report


def _check_dir(config: Config) -> Path:
    return config.report.parent / "check"


def check(config: Config, names: list[str] | None = None) -> Report:
    report = Report("check")
    snippets = _load(config, names, report)
    folder = _check_dir(config)
    folder.mkdir(parents=True, exist_ok=True)

    def finish(result: "execute.Result") -> Entry:
        snippet = result.snippet
        if result.status != "ok":
            return Entry(snippet.name, "failed", result.seconds, snippet.key, result.error)
        fresh = record.build(result)
        (folder / f"{snippet.name}.ipynb").write_text(nbformat.writes(fresh), "utf-8")
        loaded = record.load(config, snippet.name)
        if loaded.notebook is None:
            return Entry(snippet.name, "failed", result.seconds, snippet.key,
                         f"{snippet.name}.py: {loaded.problem}; run `execdoc build` or `execdoc approve {snippet.name}`")
        tol = compare.Tolerance(snippet.options.rtol, snippet.options.atol)
        diff = compare.compare(snippet.name, loaded.notebook, fresh, tol, config.normalisers)
        if diff is None and loaded.notebook.metadata.execdoc.key != snippet.key:
            diff = (f"{snippet.name}.py: outputs match but the record's key is stale; "
                    f"run `execdoc approve {snippet.name}` to refresh it")
        if diff:
            diff += f"\n  (fresh outputs kept in {folder.relative_to(config.root)}/{snippet.name}.ipynb; " \
                    f"`execdoc approve {snippet.name}` accepts them)"
        return Entry(snippet.name, "failed" if diff else "executed", result.seconds, snippet.key, diff)

    _execute(config, snippets, report, finish)
    report.write(config)
    _say(report.summary())
    return report


def approve(config: Config, names: list[str] | None = None) -> Report:
    """Make what the last ``check`` saw (or a fresh run) the record."""
    report = Report("approve")
    todo = []
    for snippet in _load(config, names, report):
        seen = _check_dir(config) / f"{snippet.name}.ipynb"
        if seen.exists():
            notebook = nbformat.reads(seen.read_text("utf-8"), as_version=4)
            if notebook.metadata.execdoc.key == snippet.key:
                with record.lock(config, snippet.name):
                    record.write(config, snippet.name, notebook)
                seen.unlink()
                _say(f"{snippet.name}: approved the outputs the last check saw")
                report.snippets.append(Entry(snippet.name, "reused", 0.0, snippet.key))
                continue
        todo.append(snippet)

    def finish(result: "execute.Result") -> Entry:
        if result.status != "ok":
            return Entry(result.snippet.name, "failed", result.seconds, result.snippet.key, result.error)
        with record.lock(config, result.snippet.name):
            record.write(config, result.snippet.name, record.build(result))
        return Entry(result.snippet.name, "executed", result.seconds, result.snippet.key)

    if todo:
        _execute(config, todo, report, finish)
    report.write(config)
    _say(report.summary())
    return report
