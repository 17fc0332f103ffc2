"""The course itself: committed records are fresh and the site builds strictly.

A fresh clone must build without executing anything; `make test` runs
`execdoc check` before this suite to re-execute every snippet and compare.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from execdoc import config as config_mod, pipeline

REPO = Path(__file__).resolve().parents[1]


def test_every_committed_record_is_fresh():
    config = config_mod.load(REPO)
    assert pipeline.stale(config) == []


def test_site_builds_strictly_without_executing(tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "EXECDOC_EXECUTE": "false"}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                         cwd=REPO, capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert (tmp_path / "site" / "index.html").exists()
