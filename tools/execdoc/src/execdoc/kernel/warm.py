"""Kernels that start warm (Linux): the modules a project lists in
``preload`` are imported once, in a fork server (:mod:`zygote`), and each
snippet's kernel is a fork of it instead of a new interpreter that imports
them again (importing torch alone takes seconds).

A snippet gets only the listed modules it imports itself, so what its kernel
has loaded when it ends (its fingerprint) is what a cold kernel would have.
One server serves one kernel environment (every variable but the run's marker
and its copy of the local modules): a variable read when a module is
imported (a profile's ``ATEN_CPU_CAPABILITY``, a thread count) is then the
same as in a cold start. At most MAX_SERVERS live at once, each ended when
the engine's process ends (its standard input closes).

What jupyter_client starts is a small stub (STUB) that hands its standard
streams and environment to the server, forwards signals to the fork and
exits with its status. Where the server cannot serve (it failed to import,
another thread started, a data limit too low) the stub starts the usual cold
kernel in its place; a snippet runs either way.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections import OrderedDict

from ..config import Config
from ..snippets import Snippet
from . import limits, zygote

MAX_SERVERS = 6  # kernel environments served at once (a check under five profiles); torch: 0.23 GB each
PLACEHOLDER = "0" * len(limits.new_run_id())  # the server's marker: as long as any run's id
PER_RUN = (limits.MARKER, "PYTHONPATH")  # the run's marker and its copy of the local modules
# Fork, send_fds and /proc: Linux.
SUPPORTED = sys.platform.startswith("linux") and hasattr(socket, "send_fds") and hasattr(os, "fork")
LAUNCH = "import runpy, sys; runpy.run_path(sys.argv.pop(1), run_name='__execdoc_zygote__')"

# The kernel jupyter_client starts: python -I -S -c STUB SOCKET LIMIT COLD_ARGV... (isolated: no local
# module on its path can stand in for the few it imports)
STUB = r"""
import json, os, signal, socket, sys, time
path, limit, cold = sys.argv[1], sys.argv[2], sys.argv[3:]
def start_cold():
    os.execv(cold[0], cold)
try:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for _ in range(100):
        try:
            server.connect(path)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            time.sleep(0.05)
    else:
        start_cold()
    request = {"env": dict(os.environ), "cwd": os.getcwd(), "limit": limit, "argv": cold[cold.index("-f"):]}
    socket.send_fds(server, [json.dumps(request).encode()], [0, 1, 2])
    replies = server.makefile("rb")
    first = replies.readline().split()
except OSError:
    start_cold()
if len(first) != 2 or first[0] != b"pid":
    start_cold()
pid = int(first[1])
def forward(signum, frame):
    try:
        os.kill(pid, signum)
    except OSError:
        pass
for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
    signal.signal(signum, forward)
last = replies.readline().split()
sys.exit(int(last[1]) if len(last) == 2 and last[0] == b"exit" else 1)
"""


def preloads(config: Config, snippet: Snippet) -> tuple[str, ...]:
    """The listed modules this snippet imports itself (by their top-level package)."""
    imported = {name for cell in snippet.cells for name in cell.imports}
    return tuple(m for m in config.preload if m.split(".")[0] in imported)


class Server:
    def __init__(self, env: dict[str, str], modules: tuple[str, ...]):
        self.owner = os.getpid()  # a process forked from the engine must not end the engine's servers
        self.folder = tempfile.mkdtemp(prefix="execdoc-warm-")
        self.socket = os.path.join(self.folder, "kernels")
        # What jupyter_client adds to a kernel's environment, as ipykernel reads it on import.
        launched = {"JPY_PARENT_PID": str(os.getpid())}
        start = {k: v for k, v in env.items() if k not in PER_RUN} | launched | {limits.MARKER: PLACEHOLDER}
        with open(os.path.join(self.folder, "log"), "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", LAUNCH, zygote.__file__, self.socket, limits.MARKER, ",".join(modules)],
                stdin=subprocess.PIPE, stdout=log, stderr=log, env=start, cwd=self.folder, start_new_session=True)

    def retire(self) -> None:
        """No new kernel; the server ends once its running kernels have (it removes its folder)."""
        if os.getpid() != self.owner:
            return
        try:
            self.process.stdin.write(b"drain\n")
            self.process.stdin.flush()
        except OSError:
            pass

    def close(self) -> None:
        """The server and its kernels end now."""
        if os.getpid() != self.owner:
            return
        try:
            self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_servers: OrderedDict[tuple, Server] = OrderedDict()
_retired: list[Server] = []
_cold: set[tuple] = set()  # environments whose server could not serve
_lock = threading.Lock()


def _installed(modules: tuple[str, ...]) -> tuple:
    """Where each module's package is and when it last changed: a package upgraded while a live
    preview runs gets a new server."""
    out = []
    for name in sorted({m.split(".")[0] for m in modules}):
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec and spec.origin else ""
        out.append((name, origin, os.stat(origin).st_mtime_ns if os.path.isfile(origin) else 0))
    return tuple(out)


def _server(env: dict[str, str], modules: tuple[str, ...]) -> Server | None:
    """The live server for this environment and these modules, started if need be; None where one
    has ended on its own (an import failed, threads started): those kernels start cold from then on."""
    environment = tuple(sorted((k, v) for k, v in env.items() if k not in PER_RUN))
    key = (environment, modules, _installed(modules))
    with _lock:
        if key in _cold:
            return None
        server = _servers.pop(key, None)
        if server is not None and server.process.poll() is not None:
            server.close()
            _cold.add(key)
            return None
        server = server or Server(env, modules)
        _servers[key] = server
        while len(_servers) > MAX_SERVERS:
            oldest = _servers.popitem(last=False)[1]
            oldest.retire()
            _retired.append(oldest)
        for ended in [s for s in _retired if s.process.poll() is not None]:
            ended.close()
            _retired.remove(ended)
        return server


def kernel_argv(config: Config, snippet: Snippet, env: dict[str, str], memory: float) -> list[str] | None:
    """The stub's command line for a warm start of this snippet's kernel (started as this
    interpreter, the ``python3`` kernel), or None: start it cold."""
    modules = preloads(config, snippet)
    if not modules or not SUPPORTED:
        return None
    try:
        server = _server(env, modules)
    except (OSError, ImportError, ValueError):  # no process or folder to be had, no such module: start cold
        server = None
    if server is None:
        return None
    return [sys.executable, "-I", "-S", "-c", STUB, server.socket, str(limits.data_limit(memory)),
            *limits.kernel_argv(memory)]


@atexit.register
def close_all() -> None:
    with _lock:
        while _servers:
            _servers.popitem()[1].close()
        while _retired:
            _retired.pop().close()

