"""The suite's own layout: every module has a tier, the tiers are the registered
markers, and a grouped module really runs on one xdist worker (its browser and
site are made once, not once per worker). The last one depends on pytest and
pytest-xdist agreeing on how a test's id is stored: pytest 9.2 reads ``_id``
while xdist 3.8 writes the group into ``_nodeid``, so ``--dist loadgroup``
silently spread every group over all workers. And the run goes in the order tiers.rank plans,
and collecting it imports no package that takes seconds to import."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

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
