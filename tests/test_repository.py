"""The course itself: committed records are fresh and the site builds strictly.

A fresh clone must build without executing anything: the build's own report
(what execdoc wrote while MkDocs built a copy of the course) says every
snippet was reused and none executed. The snippets themselves are checked
against their records by `pytest --execdoc` (items ``snippets/NAME.py::execdoc[PROFILE]``).
"""

from __future__ import annotations

import json
from pathlib import Path

from execdoc import config as config_mod, pipeline
from execdoc.snippets import resolve

REPO = Path(__file__).resolve().parents[1]


def test_every_committed_record_is_fresh():
    config = config_mod.load(REPO)
    assert pipeline.stale(config) == []


def test_site_builds_strictly_without_executing(course_build):
    assert (course_build / "site" / "index.html").exists()
    assert (course_build / "site" / "en" / "index.html").exists()
    report = json.loads((course_build / "build" / "exec-report.json").read_text("utf-8"))
    names = resolve(config_mod.load(REPO))
    assert report["command"] == "build"
    assert report["summary"] == f"0 executed, {len(names)} reused, 0 failed"
    assert sorted(e["name"] for e in report["snippets"] if e["status"] == "reused") == sorted(names)
