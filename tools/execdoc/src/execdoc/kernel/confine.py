"""Confinement: a snippet may write in its own working folder, never in the
project. The project's files (all but ``.git``, virtual environments, caches,
the build folder, the records folder and ``site/``) are listed with their
size, time and inode before the snippets run and again whenever one starts or
ends; a file created, changed or removed in between is charged to every
snippet running at that moment, which then fails naming the file, before
anything is published; where several ran at once, each message names the
others, since any of them may have written it. (Write protection is no answer: builds often run as
root.) Listing the course's few hundred files takes a few milliseconds.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..config import Config

SKIPPED = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".cache", ".pytest_cache",
           ".ruff_cache", ".mypy_cache", ".tox", ".nox", "site"}


def snapshot(config: Config) -> dict[str, tuple[int, int, int]]:
    """Every project file that a snippet must not touch: relative path -> (mtime, size, inode)."""
    root = str(config.root)
    skip = {os.path.realpath(p) for p in (config.report.parent, config.records, config.root / "build")}
    found, pending = {}, [root]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED and os.path.realpath(entry.path) not in skip:
                    pending.append(entry.path)
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            found[os.path.relpath(entry.path, root)] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return found


class Watch:
    """Files changed while each snippet ran."""

    def __init__(self, config: Config):
        self.config = config
        self.last = snapshot(config)
        self.running: dict[str, set[str]] = {}
        self.suspects: dict[str, set[str]] = {}  # file -> the runs under way when it changed

    def _look(self) -> None:
        now = snapshot(self.config)
        changed = {p for p in now.keys() | self.last.keys() if now.get(p) != self.last.get(p)}
        self.last = now
        for files in self.running.values():
            files |= changed
        for path in changed:
            self.suspects.setdefault(path, set()).update(self.running)

    def began(self, key: str) -> None:
        self._look()
        self.running[key] = set()

    def ended(self, key: str) -> list[str]:
        self._look()
        return sorted(self.running.pop(key, set()))

    def message(self, name: str, files: list[str]) -> str:
        more = f" and {len(files) - 5} more" if len(files) > 5 else ""
        shown = ", ".join(Path(f).as_posix() for f in files[:5]) + more
        others = sorted({run.split("/")[0] for f in files for run in self.suspects.get(f, ())} - {name})
        if others:
            return (f"{name}.py: {shown} changed inside the project while it ran, as did "
                    f"{', '.join(o + '.py' for o in others)} (any of them may have written it); a snippet may "
                    "write only in its own working folder (nothing was published)")
        return (f"{name}.py: created or changed {shown} inside the project while it ran; a snippet may write "
                "only in its own working folder (nothing was published)")
