"""What a snippet's kernel may use and see: its environment (an allowlist, not
the builder's whole environment), its memory (``RLIMIT_DATA``, set before the
kernel imports anything) and its processes (all of them end with the snippet,
whatever it forked or detached).

Every kernel carries ``EXECDOC_RUN=<id>`` in its environment; its children
inherit it, so a process that left the kernel's session (``setsid``, a double
fork) is still found, through ``/proc``, and killed.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import uuid

from ..check import machine
from ..config import Config
from ..snippets import Snippet

# Passed on from the builder's environment; everything else stays behind (CI
# secrets, tokens, proxies with passwords, the builder's PYTHONPATH).
ALLOWED = re.compile(
    r"(PATH|HOME|USER|LOGNAME|SHELL|LANG|LANGUAGE|LC_\w+|TZ|TERM|TMPDIR|TEMP|TMP|SYSTEMROOT|"
    r"LD_LIBRARY_PATH|DYLD_LIBRARY_PATH|CUDA_VISIBLE_DEVICES|CUDA_HOME|XDG_\w+_HOME|XDG_RUNTIME_DIR|"
    r"MPLCONFIGDIR|TORCH_HOME|HF_HOME|KERAS_HOME|KERAS_BACKEND|VIRTUAL_ENV|CONDA_PREFIX|"
    r"(OMP|MKL|OPENBLAS|NUMEXPR|VECLIB|BLIS)_NUM_THREADS|" + "|".join(machine.KNOBS) + r")\Z")
MARKER = "EXECDOC_RUN"
GIB = 1024 ** 3


def kernel_env(config: Config, snippet: Snippet, profile: machine.Profile = machine.PROFILES["native"],
               modules: str = "", run_id: str = "") -> dict[str, str]:
    """The allowed part of the builder's environment, the fixed settings, the
    snippet's ``env``, then the profile's numeric-path choices (which win:
    that is what a profile is)."""
    env = {k: v for k, v in os.environ.items() if ALLOWED.match(k) or k in config.pass_env}
    env.update({
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        # A copy of the local modules, not the snippets folder: a snippet cannot
        # reach the project through it, and a file that shadows a module is left out.
        "PYTHONPATH": modules,
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(snippet.options.env)
    env.update(machine.kernel_env(profile, snippet.options.threads))
    env[MARKER] = run_id
    return env


def new_run_id() -> str:
    return uuid.uuid4().hex


def memory_gib(config: Config, snippet: Snippet) -> float:
    """The snippet's memory limit: its own, the project's, or an equal share among
    the jobs of 80% of this machine's memory."""
    if snippet.options.memory:
        return snippet.options.memory
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8.0
    return round(total * 0.8 / max(1, config.job_count) / GIB, 1)


def data_limit(memory: float) -> int:
    """RLIMIT_DATA, in bytes, for a kernel of ``memory`` GiB."""
    return int(memory * GIB)


def kernel_argv(memory: float) -> list[str]:
    """This interpreter as the kernel, with its data segment capped first."""
    limit = data_limit(memory)
    code = ("import resource, runpy, sys\n"
            "try:\n"
            f"    resource.setrlimit(resource.RLIMIT_DATA, ({limit}, {limit}))\n"
            "except (ValueError, OSError):\n"
            "    pass  # a system that cannot limit it (not Linux)\n"
            "sys.argv[0] = 'ipykernel_launcher'\n"
            "runpy.run_module('ipykernel_launcher', run_name='__main__', alter_sys=True)\n")
    return [sys.executable, "-c", code, "-f", "{connection_file}"]


def _marked(run_id: str) -> list[int]:
    """Processes whose environment carries this run's marker (Linux: /proc)."""
    needle = f"{MARKER}={run_id}".encode()
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                if needle in handle.read().split(b"\0"):
                    found.append(int(entry))
        except OSError:
            continue
    return found


def kill_tree(pgid: int | None, run_id: str) -> None:
    """End the kernel's process group and every process left with the run's marker."""
    if pgid:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
    for _ in range(3):  # a process forking while it is killed: look again
        left = _marked(run_id) if run_id else []
        if not left:
            return
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
