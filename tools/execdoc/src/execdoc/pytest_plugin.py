"""``pytest --execdoc``: every snippet a test item, checked as ``execdoc check`` does.

One item per snippet and machine profile, ``snippets/cnn.py::execdoc[native]``:
it re-executes the snippet fresh and compares with its record, so ``-k cnn``,
``--lf``, ``-x``, ``--junitxml`` and pytest-xdist's ``-n`` work on snippets
as on any test. A failure reads as the check's difference lines, with no
Python traceback. Items come first, longest first by the records' seconds.

``--execdoc-profile native|all|a,b`` (default ``$EXECDOC_CHECK_PROFILE`` or
native) picks the profiles; ``--execdoc-shard I/N`` keeps the I-th of N
shards balanced by recorded seconds, for a CI matrix. On GitHub Actions
(``GITHUB_ACTIONS=true``) each failure is also a workflow annotation on the
snippet's line, ``$GITHUB_STEP_SUMMARY`` gets a table, and a figure that
changed is written beside its record's in ``build/check/figures/``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from pathlib import Path

import nbformat
import pytest

from . import ExecdocError
from .testing import github, shard

MARKERS = ("execdoc: a snippet re-executed and compared with its record (pytest --execdoc)",
           "kernel: runs a Jupyter kernel")


def pytest_addoption(parser):
    group = parser.getgroup("execdoc", "execdoc: snippets checked against their records")
    group.addoption("--execdoc", action="store_true", default=False,
                    help="collect one item per snippet (and profile) that re-executes it and compares with its record")
    group.addoption("--no-execdoc", action="store_false", dest="execdoc", help="turn --execdoc off")
    group.addoption("--execdoc-profile", default=None, metavar="PROFILES",
                    help="native, all (the configured profiles) or a comma list; "
                         "default $EXECDOC_CHECK_PROFILE or native")
    group.addoption("--execdoc-shard", default=None, metavar="I/N",
                    help="only the I-th of N shards, split by the records' seconds (a CI matrix)")
    group.addoption("--execdoc-root", default=None, metavar="DIR",
                    help="the execdoc project (its pyproject.toml); default the rootdir")


def pytest_configure(config):
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    if config.getoption("execdoc"):
        _plan(config)
        config.pluginmanager.register(Outcomes(config), "execdoc-outcomes")


class CheckFailed(Exception):
    """The check's own words: shown as they are, without a traceback."""


class SnippetFile(pytest.File):
    def collect(self):
        plan = self.config.stash[PLAN]
        for name, profile in plan.cost:
            if name == self.path.stem:
                yield SnippetItem.from_parent(self, name=f"execdoc[{profile}]", snippet=name, profile=profile,
                                              project=plan.project)


class SnippetItem(pytest.Item):
    def __init__(self, *, snippet: str, profile: str, project, **kwargs):
        super().__init__(**kwargs)
        self.snippet, self.profile, self.project = snippet, profile, project
        self.add_marker("execdoc")
        self.add_marker("kernel")

    def runtest(self):
        from . import pipeline

        try:
            report = _off_the_loop(pipeline.check, self.project, [self.snippet], self.profile)
        except ExecdocError as exc:  # the check stopped (a broken configuration, a stuck kernel)
            report = pipeline.Report("check", [pipeline.Entry(self.snippet, "failed", error=str(exc))])
        entry = next(e for e in report.snippets if e.name == self.snippet)
        self.user_properties += [("execdoc_snippet", self.snippet), ("execdoc_profile", self.profile),
                                 ("execdoc_file", _shown(self.path, self.config)),
                                 ("execdoc_seconds", round(entry.seconds, 2))]
        if entry.status == "failed":
            error = entry.error or f"{self.snippet}.py: failed"
            kept = _keep_figures(self.project, self.snippet, self.profile)
            if kept:
                error += "\n  (figures that changed, recorded beside fresh: " + ", ".join(kept) + ")"
            self.user_properties.append(("execdoc_error", error))
            raise CheckFailed(error)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"{self.snippet} [{self.profile}]"


def _off_the_loop(fn, *args):
    """The engine runs its own event loop; a Playwright session may hold one in this thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args).result()


def _shown(path: Path, config) -> str:
    """A path as GitHub names files: relative to the workspace (the repository root)."""
    base = Path(os.environ.get("GITHUB_WORKSPACE") or config.rootpath)
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:
        return path.as_posix()


def _keep_figures(project, name: str, profile: str) -> list[str]:
    """Recorded and fresh figures that differ, side by side in build/check/figures/."""
    from .pipeline import fresh_path
    from .records import store

    try:
        record = store.load(project, name).notebook
        fresh_file = fresh_path(project, name, profile)
        if record is None or not fresh_file.exists():
            return []
        fresh = nbformat.reads(fresh_file.read_text("utf-8"), as_version=4)
        folder = project.report.parent / "check" / "figures"
        stem = name if profile == "native" else f"{name}.{profile}"
        pages = github.write_figures(folder, stem, github.changed_figures(record, fresh))
    except (OSError, ValueError, KeyError) as exc:  # the difference itself is the news; say why no picture
        return [f"none written: {type(exc).__name__}: {exc}"]
    return [p.relative_to(project.root).as_posix() for p in pages]


def _plan(config) -> None:
    """The project, and which (snippet, profile) checks this run holds, with their recorded seconds."""
    from . import config as config_mod
    from .check import machine
    from .records import store
    from .snippets import resolve

    root = Path(config.getoption("execdoc_root") or config.rootpath)
    wanted = config.getoption("execdoc_profile") or os.environ.get("EXECDOC_CHECK_PROFILE") or "native"
    try:
        project = config_mod.load(root)
        profiles, skipped = machine.resolve(wanted, project.profiles)
        names = resolve(project)
        i, count = shard.parse(config.getoption("execdoc_shard") or "1/1")
    except (ExecdocError, ValueError) as exc:
        raise pytest.UsageError(f"execdoc: {exc}") from None
    seconds = store.expected_seconds(project, names)
    cost = {(n, p.name): seconds.get(n, 0.0) for n in names for p in profiles}
    config.stash[PLAN] = Plan(project, {k: cost[k] for k in shard.split(cost, count)[i - 1]}, skipped)
    # Paths named on the command line are what the user asked for (a snippet's file among them,
    # perhaps); else the snippets join the test paths. xdist's workers get the controller's arguments.
    folder = str(project.snippets.resolve())
    if config.args_source != pytest.Config.ArgsSource.ARGS and folder not in config.args:
        config.args.append(folder)


class Plan:
    def __init__(self, project, cost: dict[tuple[str, str], float], skipped: list[str]):
        self.project, self.cost, self.skipped = project, cost, skipped


PLAN = pytest.StashKey[Plan]()


def pytest_collect_file(file_path: Path, parent):
    plan = parent.config.stash.get(PLAN, None)
    if plan and file_path.suffix == ".py" and file_path.parent == plan.project.snippets.resolve() \
            and any(name == file_path.stem for name, _ in plan.cost):
        return SnippetFile.from_parent(parent, path=file_path)
    return None


class NotImported(pytest.File):
    def collect(self):
        return []


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent):
    """A snippet named on the command line is checked, never imported as a test module (that would run it)."""
    plan = parent.config.stash.get(PLAN, None)
    if plan and module_path.parent == plan.project.snippets.resolve():
        return NotImported.from_parent(parent, path=module_path)
    return None


@pytest.hookimpl(tryfirst=True)  # before -k, -m and --lf deselect
def pytest_collection_modifyitems(session, config, items):
    """Snippet checks first, longest first: they set how long a run over several workers takes."""
    plan = config.stash.get(PLAN, None)
    if plan:
        items.sort(key=lambda item: -plan.cost.get((item.snippet, item.profile), 0.0)
                   if isinstance(item, SnippetItem) else 1.0)


def pytest_report_header(config):
    if config.getoption("execdoc"):
        profile = config.getoption("execdoc_profile") or os.environ.get("EXECDOC_CHECK_PROFILE") or "native"
        return f"execdoc: snippets checked under profile(s) {profile}" + (
            f", shard {config.getoption('execdoc_shard')}" if config.getoption("execdoc_shard") else "")


class Outcomes:
    """In the process that reports (xdist's controller, or the only one): each
    snippet item's outcome, for the annotations and the job summary."""

    def __init__(self, config):
        self.config, self.seen = config, []

    def pytest_runtest_logreport(self, report):
        props = dict(report.user_properties)
        if "execdoc_snippet" not in props or report.when != "call":
            return
        self.seen.append(github.Outcome(props["execdoc_snippet"], props["execdoc_profile"], props["execdoc_file"],
                                        report.outcome, float(props["execdoc_seconds"]),
                                        props.get("execdoc_error", "")))

    def pytest_terminal_summary(self, terminalreporter):
        if hasattr(self.config, "workerinput"):
            return
        for line in self.config.stash[PLAN].skipped:
            terminalreporter.write_line(f"execdoc: {line}")
        if not self.seen or os.environ.get("GITHUB_ACTIONS") != "true":
            return
        for outcome in self.seen:
            if outcome.status == "failed":
                terminalreporter.write_line(github.annotation(outcome))
        target = os.environ.get("GITHUB_STEP_SUMMARY")
        if target:
            with open(target, "a", encoding="utf-8") as handle:
                handle.write(github.summary(self.seen))
