"""The snippet engine's named scenarios, each asserting exact outcomes.

Snippets here are tiny and import nothing heavy, so each kernel costs about a
second; the real course snippets are verified by `execdoc check` in `make test`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from helpers import OK_SNIPPET
from execdoc import pipeline
from execdoc.kernel import run as execute
from execdoc.records import store as record


def entry(report, name):
    return next(e for e in report.snippets if e.name == name)


def executor_must_not_run(monkeypatch):
    async def boom(*args, **kwargs):
        raise AssertionError("the executor was called")
    monkeypatch.setattr(execute, "run_snippet", boom)


def test_ok_builds_a_record_with_outputs_values_and_report(project):
    project.snippet("tiny", OK_SNIPPET)
    report = pipeline.build(project.config)
    assert report.summary() == "1 executed, 0 reused, 0 failed"
    nb = nbformat.read(project.record("tiny"), as_version=4)
    meta = nb.metadata.execdoc
    assert meta["values"] == {"answer": 42, "ratio": pytest.approx(0.7853981633974483), "shape": [8, 16, 15, 15]}
    show = [c for c in nb.cells if c.metadata.get("title") == "show"][0]
    assert show.outputs[0].text == "answer 42, ratio 0.785398\n"
    assert show.outputs[1].data["text/plain"] == "43"
    assert set(show.metadata.execdoc) == {"seconds"}
    written = json.loads((project.root / "build" / "exec-report.json").read_text())
    assert written["summary"] == "1 executed, 0 reused, 0 failed"
    assert [(s["name"], s["status"], s["key"]) for s in written["snippets"]] == [("tiny", "executed", meta.key)]


def test_raises_names_snippet_cell_line_and_traceback(project):
    project.snippet("bad", """
        # %% setup
        x = 1

        # %% boom
        y = 2
        z = y / (x - 1)
    """)
    report = pipeline.build(project.config)
    failed = entry(report, "bad")
    assert failed.status == "failed"
    assert failed.error.startswith("bad.py:6 (cell 'boom', line 2): ZeroDivisionError: division by zero\n")
    assert failed.error.endswith("Traceback (most recent call last)\nCell In[2], line 2\n      1 y = 2\n"
                                 "----> 2 z = y / (x - 1)\n\nZeroDivisionError: division by zero\n")
    assert not project.record("bad").exists()
    assert report.summary() == "0 executed, 0 reused, 1 failed"


def test_raises_in_a_function_points_at_the_line_that_raised(project):
    project.snippet("deep", """
        # %% helpers
        def inverse(v):
            return 1 / v

        # %% use
        inverse(0)
    """)
    failed = entry(pipeline.build(project.config), "deep")
    assert failed.error.startswith("deep.py:3 (cell 'helpers', line 2): ZeroDivisionError")


def test_raises_in_a_local_module_names_the_call_and_the_module_line_as_the_project_has_them(project):
    # Scenario: the line that broke is in a module beside the snippets (snippets/helper.py),
    # which the kernel imports from the run's temporary copy of the snippets folder.
    (project.root / "snippets" / "helper.py").write_text(
        "def inverse(v):\n    scale = 1\n    return scale / v\n\n\ndef here():\n    raise LookupError(__file__)\n", "utf-8")
    project.snippet("use", """
        # %% setup
        import helper

        # %% call
        helper.inverse(0)
    """)
    project.snippet("named", """
        # %% look
        import helper
        helper.here()
    """)
    project.snippet("meant", """
        # %% where tags=["raises-exception"]
        import helper
        print(helper.__file__)
        helper.inverse(0)
    """)
    report = pipeline.build(project.config)
    failed = entry(report, "use")
    assert failed.error.startswith("use.py:5 (cell 'call', line 1), through helper.py:3: ZeroDivisionError")
    assert "File snippets/helper.py:3, in inverse(v)\n" in failed.error
    assert "execdoc-ipc" not in failed.error
    # The message names the module as the project has it too.
    assert entry(report, "named").error.startswith(
        "named.py:3 (cell 'look', line 2), through helper.py:7: LookupError: snippets/helper.py\n")
    # A record quotes the module as the project has it, the same on every run and machine.
    (where,) = nbformat.read(project.record("meant"), as_version=4).cells
    assert where.outputs[0].text == "snippets/helper.py\n"
    traceback = "\n".join(where.outputs[1].traceback)
    assert "snippets/helper.py:3" in traceback and "execdoc-ipc" not in traceback


def test_expected_error_is_shown_and_missing_error_fails(project):
    project.snippet("meant", """
        # %% broken tags=["raises-exception"]
        undefined_name

        # %% after
        print("still runs")
    """)
    project.snippet("unmet", """
        # %% quiet tags=["raises-exception"]
        1 + 1
    """)
    report = pipeline.build(project.config)
    assert entry(report, "meant").status == "executed"
    nb = nbformat.read(project.record("meant"), as_version=4)
    assert nb.cells[0].outputs[0].ename == "NameError"
    assert nb.cells[1].outputs[0].text == "still runs\n"
    assert entry(report, "unmet").error == "unmet.py:2 (cell 'quiet'): tagged raises-exception but raised nothing"


def test_timeout_kills_the_snippet_and_the_others_still_run(project):
    project.options("""
        [tool.execdoc.snippet.slow]
        timeout = 3
    """)
    project.snippet("slow", """
        # %% quick
        x = 1

        # %% forever
        import time
        time.sleep(60)
    """)
    project.snippet("tiny", OK_SNIPPET)
    started = time.monotonic()
    report = pipeline.build(project.config)
    assert time.monotonic() - started < 30
    assert entry(report, "slow").error == ("slow.py:5 (cell 'forever'): timed out, the snippet ran past "
                                           "its 3 s limit and was killed")
    assert entry(report, "tiny").status == "executed"


def test_crash_is_reported_and_the_others_still_run(project):
    project.snippet("crash", """
        # %% exit
        import os
        os._exit(3)
    """)
    project.snippet("tiny", OK_SNIPPET)
    report = pipeline.build(project.config)
    assert entry(report, "crash").error.startswith("crash.py:2 (cell 'exit'): the kernel died")
    assert entry(report, "tiny").status == "executed"
    assert report.summary() == "1 executed, 0 reused, 1 failed"


def test_flood_is_truncated_with_a_note(project):
    project.snippet("flood", """
        # %% flood
        for i in range(60_000):
            print(f"line {i:06d} " + "x" * 40)
    """)
    assert pipeline.build(project.config).ok
    text = nbformat.read(project.record("flood"), as_version=4).cells[0].outputs[0].text
    assert "[... execdoc: output truncated, 3,180,000 bytes in all; first and last lines kept ...]" in text
    head, tail = text.split("[... execdoc", 1)
    assert head.startswith("line 000000 ") and head.endswith("x" * 40 + "\n")
    assert tail.split("\n", 1)[1].startswith("line 0") and text.endswith("line 059999 " + "x" * 40 + "\n")
    assert len(text.encode()) < 70_000
    assert project.record("flood").stat().st_size < 100_000


def test_writes_file_leaves_the_repository_untouched(project):
    project.snippet("writer", """
        # %% write
        import os
        with open("out.txt", "w") as f:
            f.write("hello")
        cwd = os.getcwd()
    """)
    before = {p.relative_to(project.root) for p in project.root.rglob("*")}
    assert pipeline.build(project.config).ok
    after = {p.relative_to(project.root) for p in project.root.rglob("*")}
    new = {str(p) for p in after - before if not str(p).startswith("build/cache/snippets/writer-")}
    assert new == {"docs/notebooks", "docs/notebooks/writer.ipynb", "build", "build/exec-report.json",
                   "build/locks", "build/locks/writer.lock", "build/cache", "build/cache/snippets"}
    cwd = nbformat.read(project.record("writer"), as_version=4).metadata.execdoc["values"]["cwd"]
    assert cwd.startswith("/tmp/execdoc-") and not os.path.exists(cwd)


DRIFTING = """
# %% measure
import os
loss = float(os.environ.get("DRIFT_LOSS", "0.25"))
print(f"epoch 1 loss {loss}")
"""


def test_drift_fails_check_naming_the_number(project, monkeypatch):
    project.options('pass_env = ["DRIFT_LOSS"]')  # kernels see only the allowlist and these
    project.snippet("drifty", DRIFTING)
    assert pipeline.build(project.config).ok
    monkeypatch.setenv("DRIFT_LOSS", "0.2500000001")  # within rtol 1e-6
    assert pipeline.check(project.config).summary() == "1 executed, 0 reused, 0 failed"
    monkeypatch.setenv("DRIFT_LOSS", "0.31")
    report = pipeline.check(project.config)
    assert report.summary() == "0 executed, 0 reused, 1 failed"
    assert entry(report, "drifty").error.split("\n")[0] == (
        "drifty.py:2, cell 'measure': output 1 (stdout text), line 1, number 2: expected 0.25, got 0.31 "
        "(tolerance ±0.01, one unit of the last printed digit) in 'epoch 1 loss 0.31'")
    # approve takes what check saw, without running again
    kept = nbformat.read(project.record("drifty"), as_version=4)
    assert kept.cells[0].outputs[0].text == "epoch 1 loss 0.25\n"
    monkeypatch.setenv("DRIFT_LOSS", "9")  # would differ if approve re-executed
    assert pipeline.approve(project.config, calibrate_too=False).summary() == "0 executed, 1 reused, 0 failed"
    approved = nbformat.read(project.record("drifty"), as_version=4)
    assert approved.cells[0].outputs[0].text == "epoch 1 loss 0.31\n"


def test_corrupt_record_is_detected_and_re_executed(project):
    project.snippet("tiny", OK_SNIPPET)
    pipeline.build(project.config)
    data = project.record("tiny").read_bytes()
    project.record("tiny").write_bytes(data[: len(data) // 2])
    assert pipeline.stale(project.config) == ["tiny"]
    assert pipeline.build(project.config).summary() == "1 executed, 0 reused, 0 failed"
    # a hand-edited output no longer matches the record's digest
    nb = json.loads(project.record("tiny").read_text())
    nb["cells"][2]["outputs"][0]["text"] = ["answer 41, ratio 0.785398\n"]
    project.record("tiny").write_text(json.dumps(nb))
    corrupt = "record is corrupt: its cells, key, values or calibration do not match its digest"
    assert record.load(project.config, "tiny").problem == corrupt
    # so does a forged value (pages quote values) or a loosened calibration
    for forge in (lambda m: m["values"].update(answer=41),
                  lambda m: m.update(calibration={"tolerance": {"values/answer": 10.0}})):
        pipeline.build(project.config)
        nb = json.loads(project.record("tiny").read_text())
        forge(nb["metadata"]["execdoc"])
        project.record("tiny").write_text(json.dumps(nb))
        assert record.load(project.config, "tiny").problem == corrupt
        assert pipeline.stale(project.config) == ["tiny"]
    assert pipeline.build(project.config).summary() == "1 executed, 0 reused, 0 failed"


def test_warm_build_never_calls_the_executor(project, monkeypatch):
    project.snippet("tiny", OK_SNIPPET)
    pipeline.build(project.config)
    executor_must_not_run(monkeypatch)
    os.utime(project.root / "snippets" / "tiny.py")  # file times never matter
    assert pipeline.build(project.config).summary() == "0 executed, 1 reused, 0 failed"


def test_prose_edit_executes_nothing_and_updates_the_record_text(project, monkeypatch):
    path = project.snippet("tiny", OK_SNIPPET)
    pipeline.build(project.config)
    executor_must_not_run(monkeypatch)
    path.write_text(path.read_text().replace("# # A tiny snippet", "# # A tiny, well-loved snippet"))
    assert pipeline.build(project.config).summary() == "0 executed, 1 reused, 0 failed"
    nb = nbformat.read(project.record("tiny"), as_version=4)
    assert nb.cells[0].source == "# A tiny, well-loved snippet"
    assert record.load(project.config, "tiny").problem is None


def test_snippet_edit_executes_exactly_that_snippet(project):
    project.snippet("tiny", OK_SNIPPET)
    other = project.snippet("other", OK_SNIPPET)
    pipeline.build(project.config)
    other.write_text(other.read_text().replace("6 * 7", "6 * 8"))
    report = pipeline.build(project.config)
    assert report.summary() == "1 executed, 1 reused, 0 failed"
    assert entry(report, "other").status == "executed"


def test_module_edit_re_executes_the_snippet_that_imports_it(project):
    helper = project.root / "snippets" / "helper.py"
    helper.write_text("SCALE = 2\n")
    project.snippet("user", """
        # %% use
        from helper import SCALE
        scaled = 21 * SCALE
    """)
    project.snippet("tiny", OK_SNIPPET)
    assert pipeline.build(project.config).summary() == "2 executed, 0 reused, 0 failed"
    helper.write_text("SCALE = 3\n")
    report = pipeline.build(project.config)
    assert report.summary() == "1 executed, 1 reused, 0 failed"
    assert entry(report, "user").status == "executed"
    assert nbformat.read(project.record("user"), as_version=4).metadata.execdoc["values"]["scaled"] == 63


def cli(project, *args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "execdoc", "--root", str(project.root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def test_two_builds_at_once_leave_no_corrupt_record(project):
    project.snippet("tiny", OK_SNIPPET)
    project.snippet("other", OK_SNIPPET)
    first, second = cli(project, "build"), cli(project, "build")
    for proc in (first, second):
        proc.communicate(timeout=120)
        assert proc.returncode == 0
    for name in ("tiny", "other"):
        assert record.load(project.config, name).problem is None
    assert sorted(p.name for p in (project.root / "docs" / "notebooks").iterdir()) == ["other.ipynb", "tiny.ipynb"]


def test_interrupted_build_leaves_no_half_written_record(project):
    started = project.root / "started"  # the snippet's own word that it is inside its 60 s cell
    project.snippet("slow", f"""
        # %% start
        print("started", flush=True)

        # %% wait
        import pathlib, time
        pathlib.Path({str(started)!r}).write_text("sleeping")
        time.sleep(60)
    """)
    proc = cli(project, "build")
    deadline = time.monotonic() + 90
    while not started.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert started.exists(), f"the snippet never reached its 60 s cell (build exit {proc.poll()})"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == ("execdoc: interrupted (SIGINT); records already written are whole, "
                                            "nothing half-written was kept")
    report = json.loads((project.root / "build" / "exec-report.json").read_text("utf-8"))
    assert (report["snippets"], report["notes"]) == ([], ["interrupted: snippets not listed did not finish"])
    notebooks = project.root / "docs" / "notebooks"
    assert not notebooks.exists() or list(notebooks.iterdir()) == []


def test_check_fails_when_a_record_is_missing(project):
    project.snippet("tiny", OK_SNIPPET)
    report = pipeline.check(project.config)
    assert entry(report, "tiny").error == "tiny.py: no record yet; run `execdoc build` or `execdoc approve tiny`"


def test_cli_exit_codes_and_summary_line(project):
    project.snippet("tiny", OK_SNIPPET)
    proc = cli(project, "build")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert err.strip().splitlines()[-1] == "execdoc: 1 executed, 0 reused, 0 failed"
    proc = cli(project, "build", "nosuch")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2  # a name that is no snippet is a usage error, before any kernel
    assert err == "execdoc: error: no such snippet: nosuch (snippets: tiny)\n"
