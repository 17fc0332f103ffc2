"""The benchmark keeps working: one smoke round (tools/bench.py --smoke), not a timed test.

It asserts the shape of the JSON and the execution counts, never the seconds,
which vary between machines.
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


def tools_module(name: str):
    """``tools/bench.py`` or ``tools/coursekit/bench.py``, imported as the site build imports them."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "tools"))


def test_smoke_run_writes_the_result_with_exact_execution_counts(tmp_path):
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if k != "EXECDOC_EXECUTE"}
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "bench.py"), "--smoke", "--out", str(out)],
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
    # ours: every execution was a kernel, and nothing else launched one
    for case in OURS:
        assert cases[case]["kernels"] == executions[case], case

    targets = {t["id"]: t for t in data["targets"]}
    assert targets["prose_zero"]["met"] and targets["snippet_one"]["met"]
    assert {"warm_floor", "prose_zero", "snippet_one", "cold_ideal"} <= set(targets)
    assert data["sum_snippet_seconds"] > 0 and data["cold_over_ideal"] > 0
    # the table on stdout
    assert "Ours, warm" in run.stdout and "shared" in run.stdout

    # A smoke run (one tiny snippet, not the course) cannot become the Performance page.
    assert data["subset"] is True and data["partial"] is False
    published = (ROOT / "docs" / "performance" / "bench.json").read_bytes()
    refused = subprocess.run([sys.executable, str(ROOT / "tools" / "bench.py"), "--approve", "--out", str(out)],
                             cwd=ROOT, capture_output=True, text=True, env=env, timeout=60)
    assert refused.returncode == 1
    assert "refusing to approve a --smoke, --cases or --snippets run" in refused.stderr
    assert (ROOT / "docs" / "performance" / "bench.json").read_bytes() == published


def test_markdown_exec_gets_an_expected_error_even_from_code_that_does_not_compile():
    bench = tools_module("bench")
    from types import SimpleNamespace

    listing = SimpleNamespace(source="def forward(self, x):\n    # the seed's empty body\n", expects_error=True,
                              label="seed_listing")
    boom = SimpleNamespace(source="kept = 1\nkept / 0\n", expects_error=True, label="boom")
    session: dict = {}
    printed = []
    session["print"] = printed.append
    for cell in (listing, boom):
        exec(compile(bench.exec_source(cell), "<code block>", "exec"), session)
    assert printed == ["IndentationError: expected an indented block after function definition on line 1 "
                       "(seed_listing, line 2)", "ZeroDivisionError: division by zero"]
    assert session["kept"] == 1  # what ran before the error stays in the session


def test_performance_page_renders_the_approved_run_with_its_numbers():
    page = tools_module("coursekit.bench")
    data = json.loads((ROOT / "docs" / "performance" / "bench.json").read_text("utf-8"))
    html = page.render(data)
    for case in data["cases"]:
        assert case["label_zh"] in html and f"{case['wall_s']['median']:.2f}" in html, case["id"]
    for target in data["targets"]:
        assert target["text_zh"] in html
    assert html.count("<li") == len(data["targets"])

    # The approved run is the whole course: counts in the line, the lists folded away.
    assert data["subset"] is False
    count = f"整门课 the whole course，{len(data['settings']['snippets'])} 个 snippet，"
    assert count in html and html.index(count) < html.index("<details>")
    # A subset (a quick look) names its snippets in the line itself.
    quick = page.subset_line({**data, "subset": True, "settings": {**data["settings"], "snippets": ["backprop"]}})
    assert "<details>" not in quick and "内容 Content：<code>backprop.py</code>" in quick
