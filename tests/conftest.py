"""A throwaway execdoc project per test: pyproject, snippets, records."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from execdoc import config as config_mod

PYPROJECT = """\
[tool.execdoc]
snippets = "snippets"
records = "docs/notebooks"
report = "build/exec-report.json"
timeout = 60
"""


class Project:
    def __init__(self, root: Path):
        self.root = root
        (root / "snippets").mkdir(parents=True)
        (root / "docs").mkdir()
        self.extra = ""
        self._write_pyproject()

    def _write_pyproject(self):
        (self.root / "pyproject.toml").write_text(PYPROJECT + self.extra, "utf-8")

    def options(self, text: str) -> None:
        self.extra += "\n" + textwrap.dedent(text)
        self._write_pyproject()

    def snippet(self, name: str, source: str) -> Path:
        path = self.root / "snippets" / f"{name}.py"
        path.write_text(textwrap.dedent(source).lstrip("\n"), "utf-8")
        return path

    def page(self, rel: str, text: str) -> Path:
        path = self.root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
        return path

    @property
    def config(self):
        return config_mod.load(self.root)

    def record(self, name: str) -> Path:
        return self.root / "docs" / "notebooks" / f"{name}.ipynb"


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "proj")


OK_SNIPPET = """
# %% [markdown]
# # A tiny snippet

# %% setup
import math
answer = 6 * 7
ratio = math.pi / 4

# %% show
print(f"answer {answer}, ratio {ratio:.6f}")
shape = (8, 16, 15, 15)
answer + 1
"""


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    """The course site, built once per session with --strict, executing nothing."""
    from site_fixtures import build_site

    dest = tmp_path_factory.mktemp("site") / "site"
    run = build_site(dest)
    assert run.returncode == 0, run.stderr[-4000:]
    return dest


@pytest.fixture(scope="session")
def site_url(real_site):
    from site_fixtures import serve

    server = serve(real_site)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():  # module scope: Playwright keeps an event loop alive while open
    from site_fixtures import CHROMIUM, CHROMIUM_ARGS, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
