"""The course itself: committed records are fresh and the site builds strictly.

A fresh clone must build without executing anything; `make test` runs
`execdoc check` before this suite to re-execute every snippet and compare.
"""

from __future__ import annotations

from pathlib import Path

from execdoc import config as config_mod, pipeline

REPO = Path(__file__).resolve().parents[1]


def test_every_committed_record_is_fresh():
    config = config_mod.load(REPO)
    assert pipeline.stale(config) == []


def test_site_builds_strictly_without_executing(real_site):
    assert (real_site / "index.html").exists()
    assert (real_site / "en" / "index.html").exists()
