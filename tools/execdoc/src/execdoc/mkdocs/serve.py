"""``mkdocs serve``: one edit, one rebuild, one reload.

A build that re-executes a snippet writes its record under the docs folder,
which MkDocs watches; without this, each snippet edit is built twice and
every open browser reloads twice. The watcher here sees the same file events
as MkDocs' own; when a build ends and every event since it began was a record
this build wrote, the rebuild those events asked for is withdrawn. An edit
made by the author while the build ran still rebuilds, and a snippet that
fails writes no record, so it runs once per edit.

MkDocs has no public hook for this: the adapter reads ``LiveReloadServer``'s
``_want_rebuild`` under its ``_rebuild_cond``, and does nothing (a second,
harmless rebuild) on a MkDocs without them.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

import watchdog.events

log = logging.getLogger("mkdocs.plugins.execdoc")
SEEN_TIMEOUT = 5.0  # seconds to wait for the watcher to report the records this build wrote


class OwnWrites:
    def __init__(self, server, paths: list[str]):
        self.server = server
        self.lock = threading.Lock()
        self.events: set[str] = set()
        self.written: set[str] = set()
        self.seen = threading.Condition(self.lock)
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = self._event
        for path in paths:
            server.observer.schedule(handler, path, recursive=os.path.isdir(path))
        self.polling = getattr(server.observer, "timeout", 1.0)

    def _event(self, event) -> None:
        if event.is_directory:
            return
        with self.seen:
            for path in (event.src_path, getattr(event, "dest_path", "")):
                if path:
                    self.events.add(os.path.abspath(os.fsdecode(path)))
            self.seen.notify_all()

    def build_started(self) -> None:
        with self.lock:
            self.events.clear()
            self.written.clear()

    def wrote(self, record: Path) -> None:
        """``record`` may be rewritten by this build (``pipeline.build``'s ``on_record``)."""
        path = os.path.abspath(record)
        with self.lock:
            self.written.add(path)
            self.written.add(os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.tmp-{os.getpid()}"))

    def build_done(self, rewritten: list[Path]) -> None:
        """Withdraw the rebuild that only this build's own ``rewritten`` records asked for."""
        want = {os.path.abspath(p) for p in rewritten}
        cond = getattr(self.server, "_rebuild_cond", None)
        if not want or cond is None or not hasattr(self.server, "_want_rebuild"):
            return
        deadline = time.monotonic() + max(SEEN_TIMEOUT, 3 * self.polling)
        with self.seen:  # until the watcher has reported each record rewritten
            while not want <= self.events and self.seen.wait(max(0.0, deadline - time.monotonic())):
                pass
            # One more polling round, so a move's second half is in too.
            self.seen.wait(self.polling + 0.1)
            own = self.events <= self.written
            self.events.clear()
        if own:
            with cond:
                self.server._want_rebuild = False
            log.debug("execdoc: the records this build wrote trigger no second build")
