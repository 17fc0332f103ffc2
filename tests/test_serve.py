"""``mkdocs serve`` as an author uses it: one edit, one rebuild, one reload; a
broken snippet runs once, however many page edits follow, until it changes.

A real ``mkdocs serve`` on the scaffold's project (``execdoc new``), driven by
file edits; the log is read line by line, with deadlines, never fixed sleeps.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
QUIET = 3.0  # seconds without a new build after the last reload: the edit is done with


def as_in_a_terminal():
    """The server's Ctrl-C as in an author's terminal: SIGINT neither ignored nor blocked, whatever
    this worker process inherited or set (an ignored signal stays ignored across exec)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def signal_state(pid: int) -> str:
    """The signal masks of a process (SigBlk, SigIgn, SigCgt), from /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "(gone)"
    return " ".join(line.replace("\t", "") for line in status.splitlines() if line.startswith(("SigBlk", "SigIgn", "SigCgt")))


class Server:
    def __init__(self, root: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        # PYTHONFAULTHANDLER: a server that does not stop on Ctrl-C is aborted (stop) and prints
        # where each of its threads was.
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONFAULTHANDLER": "1"}
        self.proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}", "--livereload"],
                                     cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True, preexec_fn=as_in_a_terminal)
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for("Serving on", 90)

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.log.append(line)
            if text in line:
                return
        raise AssertionError(f"no {text!r} within {timeout} s; log:\n" + "\n".join(self.log))

    def after(self, edit, until: str) -> list[str]:
        """The log from an edit until ``until`` and then QUIET seconds of nothing new."""
        start = len(self.log)
        edit()
        self.wait_for(until, 90)
        while True:
            try:
                self.log.append(self.lines.get(timeout=QUIET))
            except queue.Empty:
                return self.log[start:]

    def stop(self):
        """Ctrl-C, as an author stops it; a server still running 30 s later is a failure that shows
        its threads' stacks and the end of its log."""
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            masks = f"server {signal_state(self.proc.pid)}; this worker {signal_state(os.getpid())}"
            os.killpg(self.proc.pid, signal.SIGABRT)
            self.proc.wait(timeout=30)
            time.sleep(0.5)  # the reader thread takes the last lines
            while not self.lines.empty():
                self.log.append(self.lines.get())
            raise AssertionError(f"mkdocs serve did not stop within 30 s of Ctrl-C ({masks}); its log:\n"
                                 + "\n".join(self.log[-120:])) from None
        finally:
            self.proc.stdout.close()


def count(lines: list[str], pattern: str) -> int:
    return sum(bool(re.search(pattern, line)) for line in lines)


@pytest.fixture
def served(tmp_path):
    subprocess.run([str(BIN / "execdoc"), "new", str(tmp_path / "site")], check=True, capture_output=True)
    root = tmp_path / "site"
    server = Server(root)
    yield root, server
    server.stop()


def append(path: Path, text: str):
    return lambda: path.write_text(path.read_text("utf-8") + text, "utf-8")


def test_serve_one_snippet_edit_one_rebuild_one_reload(served):
    root, server = served
    log = server.after(append(root / "snippets" / "hello.py", "print('one more line')\n"), "Reloading browsers")
    assert count(log, r"Building documentation") == 1, log
    assert count(log, r"hello: executed") == 1, log
    assert count(log, r"Reloading browsers") == 1, log


def test_serve_broken_snippet_runs_once_until_it_changes(served):
    root, server = served
    snippet = root / "snippets" / "hello.py"
    log = server.after(append(snippet, "raise ValueError('broken on purpose')\n"), "error happened during the rebuild")
    assert count(log, r"hello: FAILED") == 1, log
    assert count(log, r"ValueError: broken on purpose") >= 1, log

    # Two page edits: each rebuilds and fails again, and the snippet does not run again.
    for n in range(2):
        log = server.after(append(root / "docs" / "index.md", f"\nEdit {n}.\n"), "error happened during the rebuild")
        assert count(log, r"hello: failed at its last run and unchanged since; not run again") == 1, log
        assert count(log, r"hello: (FAILED|executed)") == 0, log

    # Fixed: it runs once, the site builds, the browsers reload once.
    log = server.after(lambda: snippet.write_text(snippet.read_text("utf-8").replace(
        "raise ValueError('broken on purpose')\n", "print('fixed')\n"), "utf-8"), "Reloading browsers")
    assert count(log, r"hello: executed") == 1, log
    assert count(log, r"Building documentation") == 1, log
    assert count(log, r"Reloading browsers") == 1, log
