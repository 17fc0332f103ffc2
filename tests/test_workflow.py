"""The GitHub Actions workflow: valid against the published workflow schema,
tests pull requests with the README's command (split over jobs), publishes main to Pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"


def lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(path)], capture_output=True, text=True, timeout=120)


def test_workflow_passes_the_schema():
    run = lint(WORKFLOW)
    assert run.returncode == 0, run.stdout + run.stderr


def test_lint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04", 1))
    run = lint(broken)
    assert run.returncode == 1
    assert "runs_on" in run.stdout + run.stderr


def test_pull_requests_run_make_test_split_over_jobs_and_main_publishes_pages():
    """Together the pull-request jobs run all of `make test`: every shard of the snippet checks,
    the browser tests, and everything else; main still publishes Pages."""
    flow = yaml.safe_load(WORKFLOW.read_text())
    jobs = flow["jobs"]
    tests = {name: [s["run"] for s in job["steps"] if s.get("name") == "Test"] for name, job in jobs.items()
             if job.get("if") == "github.event_name == 'pull_request'"}
    shards = jobs["snippets"]["strategy"]["matrix"]["shard"]
    assert tests == {
        "snippets": ['make test PROFILE=all PYTEST_ARGS="-m execdoc --execdoc-shard ${{ matrix.shard }}/3"'],
        "test": ["make test PYTEST_ARGS=\"-m 'not execdoc and not browser'\""],
        "browser": ['make test PYTEST_ARGS="-m browser"'],
    }
    assert shards == [1, 2, 3]
    for name in tests:
        cache = [s for s in jobs[name]["steps"] if s.get("uses") == "actions/cache@v4"]
        assert [c["with"]["path"] for c in cache] == [".venv"], name
    uploads = [s for s in jobs["snippets"]["steps"] if s.get("uses") == "actions/upload-artifact@v4"]
    assert [(u["if"], u["with"]["path"]) for u in uploads] == [("failure()", "build/check/figures/")]
    assert [s["run"] for s in jobs["build"]["steps"] if "run" in s][-1] == "make site"
    assert [s["uses"] for s in jobs["deploy"]["steps"]] == ["actions/deploy-pages@v4"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
