"""The course site crawled once per pytest run at each width of site_fixtures.VIEWPORTS
(every page at the desktop width, what the tests read at the others: site_fixtures.crawled):
what site_fixtures.PROBE found on each page, and what the pages asked for and logged.
Test modules that read it import the fixture:
``from crawl_fixtures import crawl_fixture  # noqa: F401`` (the fixture is ``crawl``).

The crawl is cut into shards (a width and at most SHARD_PAGES of its pages). Each
shard is crawled once per run, under a lock in the xdist workers' common temporary
folder (conftest.shared), and kept there as JSON; a worker that finds a shard
done or being crawled reads it or waits for it. Workers take the shards in
turns that start apart (by worker number), so all of them share the crawl.

A run that selects some tests (``-k backprop``) crawls what the selected ones read: the page
an item names by its ``path`` parameter, at its ``width`` (every width if it has none); an item
without a ``path`` reads every page crawled at its width, and then the whole width is crawled.
"""

from __future__ import annotations

import json
import os

import pytest

from helpers import shared
from site_fixtures import VIEWPORTS, crawl, crawled, require_browser

SHARD_PAGES = 24  # the most pages a shard visits (in one browser): shards of about equal work


def needed(items) -> dict[int, set[str] | None]:
    """Per width, what the selected ``items`` read of the crawl: the pages they name by their
    ``path`` parameter, or None where one of them reads every page crawled at that width."""
    want: dict[int, set[str] | None] = {width: set() for width in VIEWPORTS}
    for item in items:
        if "crawl" not in getattr(item, "fixturenames", ()):
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        for width in [params["width"]] if "width" in params else VIEWPORTS:
            if "path" in params and want[width] is not None:
                want[width].add(params["path"])
            else:
                want[width] = None
    return want


def shards(site, want: dict[int, set[str] | None] | None = None) -> list[tuple[int, int, list[str]]]:
    """(width, k, the pages) of each shard: each width's pages (site_fixtures.crawled), those ``want``
    names where it names some (see needed), dealt out in turn."""
    out = []
    for width in VIEWPORTS:
        paths = crawled(site, width)
        if want is not None and want[width] is not None:
            paths = [p for p in paths if p in want[width]]
        count = -(-len(paths) // SHARD_PAGES)
        out += [(width, k, paths[k::count]) for k in range(count)]
    return out


@pytest.fixture(scope="session", name="crawl")
def crawl_fixture(request, tmp_path_factory, real_site) -> dict[int, dict]:
    """``crawl[width]``: ``loaded`` (the pages whose `load` fired), ``external`` (every request to
    another host), ``errors`` (console and page errors, 'page: message') and ``pages[path]``
    (what PROBE found there, each formula out of sight with its ``cue``)."""
    require_browser()
    todo = shards(real_site, needed(request.session.items))  # the same on every worker: each collects all
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    turn = worker * len(todo) // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    found = {width: [] for width in VIEWPORTS}
    for width, k, paths in todo[turn:] + todo[:turn]:
        def make(folder, width=width, paths=paths):
            (folder / "crawl.json").write_text(json.dumps(crawl(real_site, width, paths)), "utf-8")

        folder = shared(tmp_path_factory, f"crawl-{width}-{k}", make)
        found[width].append(json.loads((folder / "crawl.json").read_text("utf-8")))
    return {width: merge(found[width]) for width in VIEWPORTS}


def merge(parts: list[dict]) -> dict:
    """One width's shards, as crawled, as one crawl."""
    out = {key: [item for part in parts for item in part[key]] for key in ("loaded", "external", "errors")}
    return out | {"pages": {path: found for part in parts for path, found in part["pages"].items()}}
