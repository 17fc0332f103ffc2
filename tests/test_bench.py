"""The benchmark keeps working: one smoke round (python -m tools.bench --smoke), not a timed test.

It asserts the shape of the JSON and the execution counts, never the seconds,
which vary between machines; and, without building anything, the parts that
decide what a count means: the floor's configuration without execdoc, values
written as text, and execdoc's report checked against the kernels launched.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = ("warm", "prose", "snippet", "cold")
BENCH = [sys.executable, "-m", "tools.bench"]  # from the project folder, as `make bench` runs it


def tools_module(name: str):
    """A module of ``tools/bench/`` or ``tools/coursekit/bench_table.py``, imported as the site build imports them."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "tools"))


def test_smoke_run_writes_the_result_with_exact_execution_counts(tmp_path):
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if k != "EXECDOC_EXECUTE"}
    run = subprocess.run([*BENCH, "--smoke", "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr[-4000:]
    data = json.loads(out.read_text("utf-8"))

    assert data["schema"] == 1 and data["smoke"] is True
    machine = data["machine"]
    for key in ("cpu", "cores", "python", "torch", "date", "shared"):
        assert key in machine, key
    assert isinstance(machine["shared"], bool) and machine["cores"] >= 1
    assert data["settings"]["rounds"] == 1
    assert data["settings"]["snippets"] == ["bench_smoke"]

    cases = {c["id"]: c for c in data["cases"]}
    assert list(cases) == ["floor", "floor-md", "warm", "prose", "snippet", "cold", "markdown-exec",
                           "mkj-cache", "mkj-nocache"]
    for case in cases.values():
        if case["id"] == "markdown-exec" and case["status"] == "skipped":
            continue  # a dev dependency only: `make bench` installs it
        assert case["status"] == "ok", case
        assert len(case["wall_s"]["runs"]) == 1 and case["wall_s"]["median"] > 0
        assert case["peak_rss_mib"]["median"] > 0
        assert case["ratio_floor"] > 0 and case["ratio_warm"] > 0

    executions = {k: c["executions"]["runs"] for k, c in cases.items() if "executions" in c}
    assert executions["warm"] == [0]
    assert executions["prose"] == [0]
    assert executions["snippet"] == [1]
    assert cases["snippet"]["executed"] == [["bench_smoke"]]
    assert executions["cold"] == [1]
    assert executions["floor"] == executions["floor-md"] == [0]
    # The peers execute while rendering: once per language the site builds (mkdocs-static-i18n).
    languages = data["settings"]["languages"]
    assert executions["mkj-cache"] == [0] and executions["mkj-nocache"] == [languages]
    if "markdown-exec" in executions:  # the page's session and the notebook page's session
        assert executions["markdown-exec"] == [2 * languages]
    # ours: counted from execdoc's report, written once a build; every execution was a kernel,
    # and nothing else launched one
    for case in OURS:
        assert cases[case]["kernels"] == executions[case], case
        assert cases[case]["passes"] == [1], case
    assert cases["warm"]["executed"] == [[]] and cases["cold"]["executed"] == [["bench_smoke"]]
    assert cases["warm"]["exec_report_summary"] == ["0 executed, 1 reused, 0 failed"]
    assert cases["snippet"]["exec_report_summary"] == ["1 executed, 0 reused, 0 failed"]

    targets = {t["id"]: t for t in data["targets"]}
    assert targets["prose_zero"]["met"] and targets["snippet_one"]["met"]
    assert {"warm_floor", "prose_zero", "snippet_one", "cold_ideal"} <= set(targets)
    assert data["sum_snippet_seconds"] > 0 and data["cold_over_ideal"] > 0
    # the table on stdout
    assert "Ours, warm" in run.stdout and "shared" in run.stdout

    # A smoke run (one tiny snippet, not the course) cannot become the Performance page.
    assert data["subset"] is True and data["partial"] is False
    published = (ROOT / "docs" / "performance" / "bench.json").read_bytes()
    refused = subprocess.run([*BENCH, "--approve", "--out", str(out)],
                             cwd=ROOT, capture_output=True, text=True, env=env, timeout=60)
    assert refused.returncode == 1
    assert "refusing to approve a --smoke, --cases or --snippets run" in refused.stderr
    assert (ROOT / "docs" / "performance" / "bench.json").read_bytes() == published


def test_markdown_exec_gets_an_expected_error_even_from_code_that_does_not_compile():
    bench = tools_module("bench.pages")
    from types import SimpleNamespace

    listing = SimpleNamespace(source="def forward(self, x):\n    # the seed's empty body\n", expects_error=True,
                              label="seed_listing")
    boom = SimpleNamespace(source="kept = 1\nkept / 0\n", expects_error=True, label="boom")
    session: dict = {}
    printed = []
    session["print"] = printed.append
    for cell in (listing, boom):
        exec(compile(bench.exec_source(cell), "<code block>", "exec"), session)  # noqa: S102 (the test's own listing)
    assert printed == ["IndentationError: expected an indented block after function definition on line 1 "
                       "(seed_listing, line 2)", "ZeroDivisionError: division by zero"]
    assert session["kept"] == 1  # what ran before the error stays in the session


def test_the_floor_drops_every_part_of_execdoc_and_keeps_the_rest():
    yml = tools_module("bench.mkdocs_yml")
    cfg = yml.read(ROOT / "mkdocs.yml")
    assert {"snippet", "quiz"} <= yml.execdoc_fences(cfg)  # the extension registers them itself
    # An older configuration that still listed execdoc's fences under superfences loses them too.
    fences = next(e for e in cfg["markdown_extensions"] if yml.name(e) == "pymdownx.superfences")
    fences["pymdownx.superfences"]["custom_fences"].append(
        {"name": "snippet", "class": "snippet", "format": yml.Tagged("tag:yaml.org,2002:python/name:execdoc.fences.x", "")})
    assert "snippet" in yml.execdoc_fences(cfg)
    yml.drop_execdoc(cfg)
    assert [p for p in cfg["plugins"] if yml.name(p).startswith("execdoc")] == []
    # Only math stays, on its own: the floor renders formulas as a plain site with a math extension would.
    assert [yml.name(e) for e in cfg["markdown_extensions"] if yml.name(e).startswith("execdoc")] == [
        "execdoc.render.mathml"]
    fences = next(e for e in cfg["markdown_extensions"] if yml.name(e) == "pymdownx.superfences")
    assert [f["name"] for f in fences["pymdownx.superfences"]["custom_fences"]] == ["bench", "clone"]
    assert yml.execdoc_fences(cfg) == set()
    assert {"search", "i18n", "mkdocs-jupyter"} <= {yml.name(p) for p in cfg["plugins"]}


def test_the_floor_writes_values_as_the_recorded_text():
    pages = tools_module("bench.pages")
    from types import SimpleNamespace

    library = SimpleNamespace(value=lambda name, key, index: ({"side": 7, "ratio": 0.123456}[key], None))
    text = "Side {{ demo.side }}, ratio {{ demo.ratio | .2f }}, code `{{ demo.side }}`.\n```\n{{ demo.side }}\n```"
    assert pages.static_values(text, library) == "Side 7, ratio 0.12, code `{{ demo.side }}`.\n```\n{{ demo.side }}\n```"
    assert pages.page_references(text) == {"demo"}


def test_ours_is_counted_from_the_report_and_checked_against_the_kernels(tmp_path):
    count = tools_module("bench.count")
    report = tmp_path / "exec-report.json"
    report.write_text(json.dumps({"command": "build", "summary": "1 executed, 1 reused, 0 failed", "notes": [],
                                  "snippets": [{"name": "a", "status": "executed", "seconds": 1.5},
                                               {"name": "b", "status": "reused", "seconds": 0.0}]}))
    ours = count.read_report(report, {"kernels": 1, "report_writes": 1})
    assert (ours["executed"], ours["names"], ours["seconds"], ours["mismatch"]) == (1, ["a"], {"a": 1.5}, None)
    run = {"rc": 0, "exec_errors": [], "ours": ours, "counts": {"kernels": 1}}
    assert count.executions("warm", run, tmp_path) == 1 and count.report_problems("warm", run) == []
    # A kernel the report does not account for, or a second pipeline run in one build, fails the case.
    assert "launched 2 kernel(s)" in count.read_report(report, {"kernels": 2, "report_writes": 1})["mismatch"]
    assert "ran 2 times" in count.read_report(report, {"kernels": 1, "report_writes": 2})["mismatch"]
    assert count.report_problems("cold", {"rc": 0}) == ["execdoc wrote no report"]
    assert count.report_problems("floor", {"rc": 0}) == []


def test_performance_page_renders_the_approved_run_with_its_numbers():
    page = tools_module("coursekit.bench_table")
    data = json.loads((ROOT / "docs" / "performance" / "bench.json").read_text("utf-8"))
    html = page.render(data)
    for case in data["cases"]:
        assert case["label_zh"] in html and f"{case['wall_s']['median']:.2f}" in html, case["id"]
    for target in data["targets"]:
        assert target["text_zh"] in html
    assert html.count("<li") == len(data["targets"])

    # The approved run is the whole course: counts in the line, the lists folded away.
    assert data["subset"] is False
    count = f"整门课，{len(data['settings']['snippets'])} 个 snippet，"
    assert count in html and html.index(count) < html.index("<details>")
    # A subset (a quick look) names its snippets in the line itself.
    quick = page.subset_line({**data, "subset": True, "settings": {**data["settings"], "snippets": ["backprop"]}})
    assert "<details>" not in quick and "内容：<code>backprop.py</code>" in quick
