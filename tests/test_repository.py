"""The course itself: committed records are fresh and the site builds strictly.

A fresh clone must build without executing anything: the build's own report
(what execdoc wrote while MkDocs built a copy of the course) says every
snippet was reused and none executed. The snippets themselves are checked
against their records by `pytest --execdoc` (items ``snippets/NAME.py::execdoc[PROFILE]``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

from execdoc import config as config_mod, pipeline
from execdoc.snippets import resolve
import helpers
from helpers import JUPYTER_CACHE, converted_since_install, installed_with_dependencies, last_installed

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


def test_the_course_build_takes_only_notebook_pages_converted_since_the_converter_was_installed(tmp_path):
    # Scenario: make site converted two notebook pages, one of them before mkdocs-jupyter (or something
    # it uses) was last installed. Its key names no version, so only the newer page is reused.
    cache = tmp_path / JUPYTER_CACHE
    cache.mkdir(parents=True)
    installed = last_installed("mkdocs-jupyter")
    for name, written in (("before.json", installed - 60), ("after.json", installed + 60)):
        (cache / name).write_text("{}", "utf-8")
        os.utime(cache / name, (written, written))
    assert [page.name for page in converted_since_install(tmp_path)] == ["after.json"]
    assert {"mkdocs-jupyter", "nbconvert", "pygments"} <= {dist.metadata["Name"].lower()
                                                          for dist in installed_with_dependencies("mkdocs_jupyter")}
    assert converted_since_install(tmp_path / "never-built") == []


def test_a_converters_dependencies_are_those_this_python_installs(monkeypatch):
    # Scenario: "a" needs "b" always, "c" only on Python 2 and "d" only with an extra; "b" needs "a" back.
    requires = {"a": ["b>=1", 'c; python_version < "3"', 'd; extra == "docs"'], "b": ["A"], "c": [], "d": []}
    monkeypatch.setattr(helpers.metadata, "distribution",
                        lambda name: SimpleNamespace(name=name, requires=requires[name.lower()]))
    assert [dist.name for dist in installed_with_dependencies("a")] == ["a", "b"]
