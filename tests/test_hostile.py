"""Broken or hostile inputs fail the snippet they belong to, with clear words,
and never the healthy snippets beside them."""

from __future__ import annotations

import json
import sys

import pytest

from helpers import OK_SNIPPET
from execdoc import ExecdocError, pipeline
from execdoc.records import store as record


def entry(report, name):
    return next(e for e in report.snippets if e.name == name)


def test_a_snippet_named_like_a_standard_module_fails_alone(project):
    project.snippet("tiny", OK_SNIPPET)
    project.snippet("random", "# %% roll\nx = 4\n")
    report = pipeline.build(project.config)
    assert entry(report, "random").error == "random.py: its name shadows the standard module 'random'; rename the file"
    assert entry(report, "tiny").status == "executed"


def test_a_local_module_that_shadows_is_left_out_of_every_kernel(project):
    (project.root / "snippets" / "json.py").write_text("raise SystemExit('the stray json.py was imported')\n")
    project.snippet("tiny", OK_SNIPPET)  # its kernel starts: the stray file is not on its path
    project.snippet("usesjson", "# %% dump\nimport json\ntext = json.dumps([1])\n")
    report = pipeline.build(project.config)
    assert entry(report, "tiny").status == "executed"
    assert entry(report, "usesjson").error == (
        "usesjson.py imports 'json', and snippets/json.py its name shadows the standard module 'json'; "
        "rename the file: kernels never see that file")


def test_a_snippet_that_is_not_utf8_fails_alone_naming_the_file(project):
    project.snippet("tiny", OK_SNIPPET)
    (project.root / "snippets" / "latin.py").write_bytes(b"# %% greet\n# caf\xe9\nx = 1\n")
    report = pipeline.build(project.config)
    assert entry(report, "latin").error == "latin.py:2: not UTF-8 (byte 0xe9); save the file as UTF-8"
    assert entry(report, "tiny").status == "executed"
    assert pipeline.stale(project.config) == ["latin"]


def test_the_kernel_is_this_interpreter_whatever_jupyter_path_holds(project, tmp_path, monkeypatch):
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": ["/bin/false", "{connection_file}"],
                                                  "display_name": "a hijacked python3", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    project.snippet("which", "# %% which\nimport sys\nexecutable = sys.executable\n")
    assert pipeline.build(project.config).ok
    meta = json.loads(project.record("which").read_text())["metadata"]["execdoc"]
    assert meta["values"]["executable"] == sys.executable


def test_an_engine_error_fails_that_snippet_alone_and_the_report_says_so(project, monkeypatch):
    project.snippet("tiny", OK_SNIPPET)
    project.snippet("unlucky", "# %% one\nx = 1\n")
    real = record.build

    def build(result):
        if result.snippet.name == "unlucky":
            raise RuntimeError("no space left on device")
        return real(result)

    monkeypatch.setattr(record, "build", build)
    report = pipeline.build(project.config)
    assert entry(report, "unlucky").error == (
        "unlucky.py: execdoc failed while handling this snippet's results (RuntimeError: no space left on device); "
        "the other snippets are not affected")
    assert entry(report, "tiny").status == "executed"
    written = json.loads(project.config.report.read_text())
    assert [(e["name"], e["status"]) for e in written["snippets"]] == [("tiny", "executed"), ("unlucky", "failed")]


def test_the_report_is_rewritten_when_a_build_stops(project):
    project.snippet("tiny", OK_SNIPPET)
    assert pipeline.build(project.config).ok
    with pytest.raises(ExecdocError):
        pipeline.build(project.config, ["nosuch"])
    written = json.loads(project.config.report.read_text())
    assert written["snippets"] == []
    assert written["notes"] == ["stopped: no such snippet: nosuch (snippets: tiny)"]
