"""Shared by the site tests: build a site, serve it on 127.0.0.1,
and drive Debian's Chromium through Playwright.

In CI (CI=true) a missing browser is a failure; elsewhere those tests skip.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def build_site(root: Path, dest: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of the site in ``root``, as `make site` runs it: execdoc may execute
    stale snippets (the build's report, ``root/build/exec-report.json``, says whether any ran)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("EXECDOC_EXECUTE", None)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
                          cwd=root, capture_output=True, text=True, env=env, timeout=900)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def require_browser():
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)")
    pytest.skip(f"{CHROMIUM} is not installed")
