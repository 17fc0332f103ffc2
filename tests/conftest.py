"""Fixtures for the whole suite, and its tiers.

Tiers (markers registered in pyproject.toml) are given here by module, so a
test file needs no marker of its own: ``unit`` (no kernel, no site build;
``make test-fast``), ``kernel`` (runs Jupyter kernels), ``site`` (builds a
site), ``browser`` (drives Chromium). Snippet checks (``pytest --execdoc``)
are ``execdoc`` and ``kernel``, from the plugin. A module not listed here is
``kernel``: it stays out of the fast loop until someone says it is fast.

What is expensive is built once per pytest run, shared by xdist's workers
through a file lock in their common temporary folder: the course site and
the executed quiz project.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import JUPYTER_CACHE, SITE_SOURCES, Project, converted_since_install, shared
from tiers import GROUPED, rank, tier

@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Before any other hook (-m deselects by these): each test's tier and group. After all of them
    (execdoc's plugin has put the snippet checks longest first): the run's order, tiers.rank, by a
    stable sort that keeps each module's own order and the snippets'."""
    xdist = config.pluginmanager.hasplugin("xdist")
    for item in items:
        if item.get_closest_marker("execdoc"):
            continue
        module = item.path.stem
        item.add_marker(tier(module))
        if xdist and module in GROUPED:
            item.add_marker(pytest.mark.xdist_group(module))
    result = yield
    items.sort(key=lambda item: rank(None if item.get_closest_marker("execdoc") else item.path.stem))
    return result


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "proj")




@pytest.fixture(scope="session")
def course_build(tmp_path_factory):
    """The course built strictly, once per run, from a copy of its sources (so the build's
    report is its own): ``course_build / "site"`` is the site, ``course_build / "build"``
    what execdoc wrote while building. The notebook pages `make site` converted come along
    (mkdocs-jupyter's cache, keyed by each notebook's bytes and the plugin's options) where
    they were converted by the converter installed now: half a cold build's CPU is converting."""
    from site_fixtures import REPO, build_site

    def make(folder: Path) -> None:
        for rel in SITE_SOURCES:
            source, target = REPO / rel, folder / rel
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        (folder / JUPYTER_CACHE).mkdir(parents=True)
        for page in converted_since_install(REPO):
            shutil.copy2(page, folder / JUPYTER_CACHE / page.name)
        run = build_site(folder, folder / "site")
        assert run.returncode == 0, run.stderr[-4000:]

    return shared(tmp_path_factory, "course", make)


@pytest.fixture(scope="session")
def real_site(course_build):
    return course_build / "site"


@pytest.fixture(scope="session")
def site_url(real_site):
    from site_fixtures import serve

    server = serve(real_site)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def quiz_template(tmp_path_factory) -> Path:
    """The executed quiz project (quiz_fixtures.make_project), built once per run; copy it, never change it."""
    from quiz_fixtures import make_project

    return shared(tmp_path_factory, "quiz-template", lambda folder: make_project(folder / "proj")) / "proj"


@pytest.fixture(scope="module")
def playwright():  # module scope: Playwright keeps an event loop alive while open
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def launch(playwright, path: str):
    from site_fixtures import CHROMIUM_ARGS, require_browser

    require_browser(path)
    chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def browser(playwright):
    """The browser the tests drive (site_fixtures.CHROMIUM)."""
    from site_fixtures import CHROMIUM

    yield from launch(playwright, CHROMIUM)


@pytest.fixture(scope="module")
def reader_browser(playwright):
    """Chromium as a reader runs it (site_fixtures.READER), where a page's weight is its policy's."""
    from site_fixtures import READER

    yield from launch(playwright, READER)
