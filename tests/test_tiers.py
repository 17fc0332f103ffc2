"""The suite's own layout: every module has a tier, the tiers are the registered
markers, and a grouped module really runs on one xdist worker (its browser and
site are made once, not once per worker). The last one depends on pytest and
pytest-xdist agreeing on how a test's id is stored: pytest 9.2 reads ``_id``
while xdist 3.8 writes the group into ``_nodeid``, so ``--dist loadgroup``
silently spread every group over all workers. And the run goes in the order tiers.rank plans,
and collecting it imports no package that takes seconds to import."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

import tiers

TESTS = Path(__file__).resolve().parent
# Seconds to import: a module of the suite imports them where a test needs them, never at the top,
# since every xdist worker imports every module to collect it, whatever tests it runs.
HEAVY = {"torch", "keras", "matplotlib", "tensorflow", "jax"}


def test_every_test_module_has_a_registered_tier():
    modules = {p.stem for p in TESTS.glob("test_*.py")}
    assert sorted(modules - set(tiers.TIERS)) == []
    assert sorted(set(tiers.TIERS) - modules) == []
    assert set(tiers.TIERS.values()) <= {"unit", "kernel", "site", "browser"}
    assert tiers.GROUPED <= {m for m, tier in tiers.TIERS.items() if tier in ("site", "browser")}


def test_no_module_of_the_suite_imports_a_heavy_package_at_its_top():
    found = []
    for path in sorted(TESTS.glob("*.py")):
        for node in ast.parse(path.read_text("utf-8")).body:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [f"{path.name}:{node.lineno} {n}" for n in names if n.split(".")[0] in HEAVY]
    assert found == []


def test_a_group_runs_on_one_worker(tmp_path):
    for name in ("test_a", "test_b"):
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(f"""
            import os, pytest

            @pytest.mark.xdist_group("shared")
            @pytest.mark.parametrize("i", range(6))
            def test_where(i):
                with open("workers.txt", "a") as f:
                    f.write("{name} " + os.environ["PYTEST_XDIST_WORKER"] + "\\n")
            """), "utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:execdoc",
                          "-n", "2", "--dist", "loadgroup", str(tmp_path)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    lines = (tmp_path / "workers.txt").read_text().split("\n")[:-1]
    assert len(lines) == 12
    assert len({line.split()[1] for line in lines}) == 1, lines


def test_every_module_the_run_order_names_exists():
    assert tiers.BUILDS_FIRST in tiers.TIERS
    assert sorted(set(tiers.COSTLIEST) - set(tiers.TIERS)) == []
    assert len(set(tiers.COSTLIEST)) == len(tiers.COSTLIEST)


def test_the_run_starts_with_the_course_build_then_every_snippet_and_ends_on_unit_tests():
    """The order pytest collects (xdist keeps it, with --no-loadscope-reorder): the module that builds
    the course, every snippet check, the costliest modules in their order, the unit tests last."""
    assert "--dist loadgroup --no-loadscope-reorder" in (TESTS.parent / "Makefile").read_text("utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                          "--execdoc", "--execdoc-profile", "native"],
                         cwd=TESTS.parent, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    ids = [line for line in run.stdout.splitlines() if "::" in line]
    modules = [i.split("::")[0].removeprefix("tests/").removesuffix(".py") for i in ids]
    runs = [m for n, m in enumerate(modules) if n == 0 or modules[n - 1] != m]  # each module once, in order
    snippets = [m for m in runs if m.startswith("snippets/")]
    assert runs[0] == tiers.BUILDS_FIRST
    assert runs[1:1 + len(snippets)] == snippets and len(snippets) >= 30
    rest = runs[1 + len(snippets):]
    assert rest[:len(tiers.COSTLIEST)] == list(tiers.COSTLIEST)
    tier_runs = [tiers.TIERS[m] for m in rest[len(tiers.COSTLIEST):]]
    assert tier_runs == sorted(tier_runs, key=tiers.TIER_ORDER.index) and tier_runs[-1] == "unit"


READERS_PROBE = """
import json

def pytest_collection_finish(session):
    found = [{"id": item.nodeid, "params": {k: v for k, v in getattr(getattr(item, "callspec", None), "params", {}).items()
                                            if k in ("path", "width")}}
             for item in session.items if "crawl" in item.fixturenames]
    print("READERS " + json.dumps(found))
"""


@pytest.fixture(scope="module")
def crawl_readers(tmp_path_factory) -> list[dict]:
    """The suite's tests that read the crawl, as collected: node id and their path and width parameters."""
    folder = tmp_path_factory.mktemp("probe")
    (folder / "readers_probe.py").write_text(READERS_PROBE, "utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                          "--no-execdoc", "-p", "readers_probe"],
                         cwd=TESTS.parent, capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stdout[-2000:]
    (line,) = [line for line in run.stdout.splitlines() if line.startswith("READERS ")]
    return json.loads(line.removeprefix("READERS "))


@pytest.mark.parametrize("selected, want", [
    # one page, as `-k backprop` picks it: that page at each width a selected test reads it
    (("backprop", ("wider", "copy_button")), {1280: {"/algorithms/backprop/"}, 390: {"/algorithms/backprop/"}}),
    (("backprop/-390", ("wider",)), {1280: set(), 390: {"/algorithms/backprop/"}}),
    # a test that reads every page crawled at its width: that width whole
    (("[390]", ("formula_wider",)), {1280: set(), 390: None}),
    (("", ("every_page_is_offline",)), {1280: None, 390: None}),
    (("", ()), {1280: set(), 390: set()}),  # nothing selected reads the crawl: nothing is crawled
])
def test_a_run_crawls_what_its_selected_tests_read(crawl_readers, selected, want):
    from crawl_fixtures import needed

    word, names = selected
    items = [SimpleNamespace(fixturenames=["crawl"], callspec=SimpleNamespace(params=r["params"]))
             for r in crawl_readers if word in r["id"] and any(n in r["id"] for n in names)]
    assert bool(items) == bool(names)
    assert needed(items) == want


def test_shards_hold_the_wanted_pages_of_each_width_and_every_page_when_none_is_named(tmp_path):
    from crawl_fixtures import shards

    for rel in ("index.html", "a/index.html", "faq/index.html", "en/index.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<p>page</p>", "utf-8")
    every = ["/a/", "/en/", "/faq/", "/"]  # in the order of their files' paths
    assert shards(tmp_path) == [(1280, 0, every), (390, 0, ["/en/", "/faq/", "/"])]
    assert shards(tmp_path, {1280: {"/a/"}, 390: set()}) == [(1280, 0, ["/a/"])]
    assert shards(tmp_path, {1280: None, 390: {"/faq/", "/missing/"}}) == [(1280, 0, every), (390, 0, ["/faq/"])]
