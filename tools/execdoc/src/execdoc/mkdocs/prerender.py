"""A head start for mkdocs-jupyter: convert records to HTML while snippets run.

mkdocs-jupyter turns each notebook page into HTML when MkDocs renders it, one
after another, after every snippet has run, and keeps the result in its cache
(``.cache/mkdocs-jupyter/<key>.json``). A record that has just been written is
not in that cache yet, so a cold build used to pay for each conversion
(about 0.5 s a record here) after the last kernel had finished.

:class:`Prerender` does the same conversion, with mkdocs-jupyter's own
functions and options, in a background thread as soon as a record is written
(or found without a cache entry), while the other kernels are still running;
the page render then finds a cache hit. It only writes what mkdocs-jupyter
would write itself; if anything about the cache is not as expected (another
mkdocs-jupyter version, caching off, notebooks executed by mkdocs-jupyter) it
does nothing, and mkdocs-jupyter converts at render time as before. A failed
conversion is left for the render, which reports it with its page.
"""

from __future__ import annotations

import json
import logging
import types
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..files import write_atomic

log = logging.getLogger("mkdocs.plugins.execdoc")

# mkdocs-jupyter's page render passes exactly these options to nb2html.
_NB2HTML_OPTIONS = ("kernel_name", "theme", "allow_errors", "show_input", "no_input", "no_prompt",
                    "remove_tag_config", "highlight_extra_classes", "include_requirejs", "custom_mathjax_url")


def _internals():
    """mkdocs-jupyter's cache functions, or None where they are not as expected."""
    try:
        from mkdocs_jupyter import convert, plugin
    except ImportError:
        return None
    names = ("_compute_cache_key", "_get_cache_path", "_get_nb_toc_tokens")
    if not all(callable(getattr(plugin, n, None)) for n in names) or not callable(getattr(convert, "nb2html", None)):
        return None
    return plugin, convert


class Prerender:
    """Convert notebook pages into mkdocs-jupyter's cache in the background.

    ``jupyter`` is the configured mkdocs-jupyter plugin (or None: do nothing).
    Conversions go on while the other snippets run and while MkDocs renders
    the other pages: :meth:`wait_for` waits for one notebook (just before its
    page renders), :meth:`close` for all of them (a failed or interrupted
    build drops what has not started).
    """

    def __init__(self, jupyter) -> None:
        self.jupyter = jupyter
        self.internals = _internals() if jupyter is not None else None
        options = getattr(jupyter, "config", None) or {}
        self.enabled = bool(self.internals and options.get("cache") and not options.get("execute")
                            and all(k in options for k in (*_NB2HTML_OPTIONS, "cache_dir", "toc_depth")))
        self.pool: ThreadPoolExecutor | None = None
        self.futures: dict[str, Future] = {}

    def submit(self, path: Path) -> None:
        """Start converting ``path`` unless its page would not use the cache."""
        if not self.enabled or not self.jupyter.should_include(types.SimpleNamespace(abs_src_path=str(path))):
            return
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="execdoc-prerender")
        self.futures[str(Path(path).resolve())] = self.pool.submit(self._convert, Path(path))  # never raises

    def wait_for(self, path: str | Path) -> None:
        """Return once ``path``'s conversion (if one was started) is in the cache."""
        future = self.futures.pop(str(Path(path).resolve()), None) if path else None
        if future is not None:
            future.result()

    def close(self, cancel: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=cancel)
            self.pool, self.futures = None, {}

    def _convert(self, path: Path) -> None:
        plugin, convert = self.internals
        options = self.jupyter.config
        try:
            key = plugin._compute_cache_key(str(path), options, False)
            target = plugin._get_cache_path(options["cache_dir"], key)
            if target.exists():
                return
            body = convert.nb2html(str(path), execute=False, **{k: options[k] for k in _NB2HTML_OPTIONS})
            toc_tokens, title = plugin._get_nb_toc_tokens(str(path), options["toc_depth"])
            write_atomic(target, json.dumps({"content": body, "toc_tokens": toc_tokens, "title": title}))
        except Exception as exc:  # the page render converts again and reports it with its page
            log.debug("execdoc: no head start for %s: %s", path.name, exc)
