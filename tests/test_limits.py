"""Limits a snippet cannot pass: output capped while it streams, memory, its
processes, its environment, the project outside its working folder, and
local modules it imported at run time entering its record."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from execdoc import pipeline
from execdoc.text import Capped, Redrawn, keep_redraws_as_nbclient, truncate


def entry(report, name):
    return next(e for e in report.snippets if e.name == name)


def test_output_capped_while_streaming_reads_as_truncate_would():
    capped = Capped(64)
    pieces = [f"line {i:03d} " + "é" * (i % 7) + "\n" for i in range(100)]
    for piece in pieces:
        capped.add(piece)
    assert capped.text() == truncate("".join(pieces), 64)
    assert capped.pieces is None and len(capped.head) == 48 and len(capped.tail) <= 32


def test_redraws_applied_while_streaming_read_as_nbclient_applies_them_to_the_whole():
    import random

    rng = random.Random(0)
    text = "".join(rng.choice(["ab", "\r", "\n", "\r\n", "12%|##", " "]) for _ in range(5000))
    for cut in range(20):
        stream = Redrawn(Capped(1 << 20))
        bounds = sorted(rng.sample(range(len(text)), 40))
        for a, b in zip([0, *bounds], [*bounds, len(text)]):
            stream.add(text[a:b])
        assert stream.text() == keep_redraws_as_nbclient(text)


def test_a_progress_bar_redrawn_past_the_limit_is_kept_whole(project):
    """What counts against max_output_bytes is what the reader sees: a bar
    redrawn 2,000 times (about 200 kB printed) is one line."""
    project.options("max_output_bytes = 4096")
    project.snippet("bar", """
        # %% train
        import sys
        for step in range(2000):
            sys.stdout.write(f"\\rstep {step:4d} " + "#" * 90)
        print()
        print("done")
    """)
    assert pipeline.build(project.config).ok
    cell = nbformat.read(project.record("bar"), as_version=4).cells[0]
    assert cell.outputs[0].text == "step 1999 " + "#" * 90 + "\ndone\n"


def test_a_runaway_print_keeps_head_tail_and_note_and_times_out(project):
    project.options("max_output_bytes = 4096\n\n[tool.execdoc.snippet.runaway]\ntimeout = 4")
    project.snippet("runaway", """
        # %% flood
        import sys
        print("first line")
        while True:
            sys.stdout.write("y" * 9999 + "\\n")
    """)
    report = pipeline.build(project.config)
    assert entry(report, "runaway").error == ("runaway.py:2 (cell 'flood'): timed out, the snippet ran past "
                                              "its 4 s limit and was killed")
    assert not project.record("runaway").exists()


def test_output_past_the_snippet_cap_is_dropped_with_a_note(project):
    project.options("max_output_bytes = 1000\nmax_snippet_output_bytes = 3000")
    project.snippet("chatty", "".join(f"# %% c{i}\nprint('x' * 2000)\n\n" for i in range(5)))
    assert pipeline.build(project.config).ok
    cells = nbformat.read(project.record("chatty"), as_version=4).cells
    assert [len(c.outputs) for c in cells] == [1, 1, 1, 1, 0]  # 1000 bytes kept of each, then the note
    assert cells[3].outputs[0].text == ("[... execdoc: further output dropped, this snippet's outputs passed "
                                        "3,000 bytes ...]\n")


def test_memory_past_the_limit_fails_naming_the_cell(project):
    project.options("[tool.execdoc.snippet.greedy]\nmemory = 0.25")
    project.snippet("greedy", """
        # %% small
        x = 1

        # %% grow
        blocks = []
        for _ in range(64):
            blocks.append(bytearray(16 * 1024 * 1024))
    """)
    report = pipeline.build(project.config)
    assert entry(report, "greedy").error.split("\n")[0] == (
        "greedy.py:7 (cell 'grow', line 3): exceeded its memory limit of 0.25 GiB (MemoryError: )")


def test_a_detached_child_does_not_outlive_its_snippet(project, tmp_path):
    flag = tmp_path / "alive"
    project.snippet("forker", f"""
        # %% detach
        import subprocess, sys
        subprocess.Popen([sys.executable, "-c", "import time, pathlib\\n"
                          "while True:\\n pathlib.Path({str(flag)!r}).touch(); time.sleep(0.2)"],
                         start_new_session=True)
        import time
        time.sleep(1)
    """)
    assert pipeline.build(project.config).ok
    assert flag.exists()
    flag.unlink()
    time.sleep(1.0)
    assert not flag.exists()  # nothing touches it any more: the setsid child is gone


def test_kernels_get_an_allowlisted_environment(project, monkeypatch):
    monkeypatch.setenv("CI_DEPLOY_TOKEN_X", "s3cr3t-value")
    monkeypatch.setenv("PYTHONPATH", str(project.root))
    project.snippet("envy", """
        # %% look
        import os
        seen = sorted(k for k in os.environ if k.startswith("CI_"))
        path_has_project = os.environ["PYTHONPATH"].count("proj")
    """)
    assert pipeline.build(project.config).ok
    values = nbformat.read(project.record("envy"), as_version=4).metadata.execdoc["values"]
    assert values == {"seen": [], "path_has_project": 0}


def test_a_write_into_the_project_fails_that_snippet_and_writes_no_record(project):
    project.snippet("evil", """
        # %% write
        import os
        open(os.path.join(ROOT, "docs", "evil2.md"), "w").write("# owned")
    """.replace("ROOT", repr(str(project.root))))
    report = pipeline.build(project.config)
    assert entry(report, "evil").error == (
        "evil.py: created or changed docs/evil2.md inside the project while it ran; a snippet may write only "
        "in its own working folder (nothing was published)")
    assert not project.record("evil").exists()


def test_a_write_while_two_snippets_ran_names_both_and_blames_neither_alone(project):
    """Two kernels at once: the watcher cannot tell which wrote the file, so each fails naming the other."""
    project.options("jobs = 2")
    started = project.root / "build" / "quiet-started"
    project.snippet("quiet", f"""
        # %% wait
        import pathlib, time
        pathlib.Path({str(started)!r}).write_text("yes")
        time.sleep(4)
    """)
    project.snippet("noisy", f"""
        # %% write
        import os, pathlib, time
        while not pathlib.Path({str(started)!r}).exists():
            time.sleep(0.05)
        open(os.path.join({str(project.root)!r}, "docs", "evil3.md"), "w").write("# owned")
    """)
    report = pipeline.build(project.config)
    rule = "a snippet may write only in its own working folder (nothing was published)"
    assert entry(report, "noisy").error == (
        f"noisy.py: docs/evil3.md changed inside the project while it ran, as did quiet.py "
        f"(any of them may have written it); {rule}")
    assert entry(report, "quiet").error == (
        f"quiet.py: docs/evil3.md changed inside the project while it ran, as did noisy.py "
        f"(any of them may have written it); {rule}")
    assert not project.record("noisy").exists() and not project.record("quiet").exists()


def test_a_module_imported_at_run_time_makes_the_record_stale_when_it_changes(project):
    (project.root / "snippets" / "helper.py").write_text("FACTOR = 2\n")
    project.snippet("dyn", """
        # %% load
        import importlib
        helper = importlib.import_module("help" + "er")
        scaled = 21 * helper.FACTOR
    """)
    assert pipeline.build(project.config).ok
    meta = nbformat.read(project.record("dyn"), as_version=4).metadata.execdoc
    assert list(meta["imported"]) == ["helper.py"]
    assert pipeline.stale(project.config) == []
    (project.root / "snippets" / "helper.py").write_text("FACTOR = 3\n")
    assert pipeline.stale(project.config) == ["dyn"]
    assert pipeline.build(project.config).summary() == "1 executed, 0 reused, 0 failed"
    assert nbformat.read(project.record("dyn"), as_version=4).metadata.execdoc["values"]["scaled"] == 63


def test_sigterm_during_a_build_exits_143_and_leaves_nothing(project):
    project.snippet("slow", """
        # %% start
        print("started", flush=True)

        # %% wait
        import time
        time.sleep(60)
    """)
    before = set(Path("/tmp").glob("execdoc-*"))
    proc = subprocess.Popen([sys.executable, "-m", "execdoc", "--root", str(project.root), "build"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not set(Path("/tmp").glob("execdoc-ipc-*")) - before:
        time.sleep(0.1)
    time.sleep(3)
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 10
    assert proc.returncode == 143, err
    assert err.strip().splitlines()[-1] == ("execdoc: interrupted (SIGTERM); records already written are whole, "
                                            "nothing half-written was kept")
    assert not project.record("slow").exists()
    assert json.loads(project.config.report.read_text())["notes"] == [
        "interrupted: snippets not listed did not finish"]
