"""Run snippets, each in a fresh Jupyter kernel, several at once.

Every snippet gets its own kernel process, a temporary working folder, a fixed
``PYTHONHASHSEED`` and thread count, and a deadline for the whole snippet. The
result is an object, never an exception: a snippet that raises, times out or
kills its kernel comes back as ``status="failed"`` with a message that names
snippet, cell and line.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field

import nbformat
import zmq
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from .. import snippets
from ..config import Config
from ..snippets import Snippet
from ..text import shorten_site_packages, strip_ansi
from ..check import machine
from . import hidden, limits, warm
from .limits import kernel_env  # noqa: F401  (its home before the allowlist)
from .output import CappedClient

CELL_FRAME = re.compile(r"Cell In\[(\d+)\], line (\d+)")
# A frame in a local module, once its path names the snippets folder (shown_modules): "File snippets/digits.py:32".
MODULE_FRAME = r"File {folder}([\w./-]+\.py):(\d+)"

@dataclass
class Result:
    snippet: Snippet
    status: str  # "ok" or "failed"
    notebook: nbformat.NotebookNode | None = None
    values: dict = field(default_factory=dict)
    seconds: float = 0.0
    cell_seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    profile: str = "native"
    fingerprint: dict | None = None
    imported: dict[str, str] = field(default_factory=dict)  # local modules imported at run time: their hashes
    withheld: list[str] = field(default_factory=list)  # names not kept as values: credentials, environment


def shown_modules(config: Config) -> str:
    """How tracebacks and outputs name the snippets folder, where the local modules live:
    ``snippets/`` (relative to the project), not the run's temporary copy of them."""
    try:
        return config.snippets.relative_to(config.root).as_posix().rstrip("/") + "/"
    except ValueError:
        return config.snippets.as_posix().rstrip("/") + "/"


def _tidy_outputs(cell, modules: str, shown: str) -> None:
    """Shorten install paths in streams and tracebacks (``.../site-packages/``):
    they name the reader's checkout, not anything the snippet computed; and name
    local modules by their place in the project (``snippets/digits.py``), not the
    run's temporary copy. The outputs are already capped (:mod:`execdoc.kernel.output`)."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            output["text"] = _project_paths(output["text"], modules, shown)
        if output.get("output_type") == "error":
            output["traceback"] = [_project_paths(line, modules, shown) for line in output.get("traceback", [])]


def _project_paths(text: str, modules: str, shown: str) -> str:
    return shorten_site_packages(text, ".../site-packages/").replace(modules + os.sep, shown)


def out_of_memory(ename: str, evalue: str) -> bool:
    """An allocation refused under the kernel's memory limit, as Python, NumPy or torch word it."""
    return ename == "MemoryError" or any(w in evalue for w in ("can't allocate memory", "Cannot allocate memory",
                                                                "std::bad_alloc", "Unable to allocate"))


def _hashes(folder: str, names: list[str]) -> dict[str, str]:
    """The local modules the snippet imported at run time, by path in the modules folder, hashed."""
    found = {}
    for rel in names:
        file = os.path.join(folder, rel)
        if os.path.isfile(file):
            with open(file, "rb") as handle:
                found[rel] = snippets.sha256(handle.read())
    return dict(sorted(found.items()))


def where(snippet: Snippet, cell_by_count: dict[int, object], cell, traceback: str, shown: str) -> str:
    """``name.py:LINE (cell 'title', line N)`` for the deepest frame in snippet code, followed by
    ``, through digits.py:32`` when a local module's frame (its path as ``shown`` names it) lies deeper."""
    text = strip_ansi(traceback)
    frames = list(CELL_FRAME.finditer(text))
    if frames:
        count, line = frames[-1].groups()
        cell = cell_by_count.get(int(count), cell)
        at = f"{snippet.name}.py:{snippet.line_of(cell, int(line))} (cell '{cell.label}', line {line})"
    else:
        at = f"{snippet.name}.py:{cell.first_line} (cell '{cell.label}')"
    deeper = [m for m in re.finditer(MODULE_FRAME.format(folder=re.escape(shown)), text)
              if not frames or m.start() > frames[-1].start()]
    return at + (f", through {deeper[-1].group(1)}:{deeper[-1].group(2)}" if deeper else "")


async def _interactive(client: NotebookClient, code: str, timeout: float) -> str:
    """Run hidden code in the kernel; return what it printed."""
    printed: list[str] = []

    def hook(msg):
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            printed.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            printed.append("\n".join(msg["content"]["traceback"]))

    reply = await client.kc.execute_interactive(code, store_history=False, timeout=timeout, output_hook=hook)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(strip_ansi("".join(printed)) or reply["content"].get("evalue", "failed"))
    return "".join(printed)


async def run_snippet(config: Config, snippet: Snippet,
                      profile: machine.Profile = machine.PROFILES["native"]) -> Result:
    notebook = copy.deepcopy(snippet.notebook)
    workdir = tempfile.mkdtemp(prefix="execdoc-")
    # Sockets over local IPC, in a folder of their own: no TCP port, no
    # unencrypted-TCP warning, and nothing in the snippet's working folder.
    sockets = tempfile.mkdtemp(prefix="execdoc-ipc-")
    run_id, pgid = limits.new_run_id(), None
    memory = limits.memory_gib(config, snippet)
    modules, shown = os.path.join(sockets, "modules"), shown_modules(config)
    kernel = AsyncKernelManager(kernel_name=config.kernel, transport="ipc", ip=os.path.join(sockets, "k"),
                                connection_file=os.path.join(sockets, "kernel.json"))
    env = limits.kernel_env(config, snippet, profile, modules, run_id)
    if config.kernel == "python3":
        # This interpreter, whatever kernelspec named python3 JUPYTER_PATH may hold, its memory capped;
        # a fork of one that has the snippet's preloaded modules imported where it can (warm).
        argv = warm.kernel_argv(config, snippet, env, memory) or limits.kernel_argv(memory)
        kernel._kernel_spec = KernelSpec(argv=argv, display_name="Python 3", language="python",
                                         resource_dir=sockets)
    client = CappedClient(notebook, km=kernel, kernel_name=config.kernel, timeout=snippet.options.timeout,
                          allow_errors=False, record_timing=False, shutdown_kernel="immediate", iopub_timeout=10,
                          stream_limit=config.max_output_bytes, snippet_limit=config.max_snippet_output_bytes)
    result = Result(snippet, "failed", notebook, profile=profile.name)
    deadline = time.monotonic() + snippet.options.timeout
    start = time.monotonic()
    current = snippet.cells[0]
    cell_by_count: dict[int, object] = {}
    try:
        for rel in snippet.options.data:
            target = os.path.join(workdir, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(config.snippets / rel, target)
        os.mkdir(modules)
        for source in snippets.local_module_files(config):
            (shutil.copytree if source.is_dir() else shutil.copyfile)(source, os.path.join(modules, source.name))
        # Started here rather than by client.async_setup_kernel, which would take
        # over Ctrl-C for itself: the pipeline handles SIGINT for all kernels.
        await kernel.start_kernel(env=env, cwd=workdir)
        pgid = getattr(kernel.provisioner, "pgid", None)
        client.kc = kernel.client()
        # At most 64 messages (each about a MiB at most) wait in the engine; the
        # rest of a backlog waits in the kernel, counted against its memory.
        client.kc.context.setsockopt(zmq.RCVHWM, 64)
        client.kc.allow_stdin = False
        client.kc.start_channels()
        await client.kc.wait_for_ready(timeout=60)
        await _interactive(client, hidden.SETUP + hidden.NO_TEE, timeout=30)
        await _interactive(client, hidden.isolated(hidden.BOUNDED_STREAMS), timeout=30)
        for count, cell in enumerate(snippet.cells, start=1):
            current = cell
            cell_by_count[count] = cell
            client.timeout = max(1, int(deadline - time.monotonic() + 0.999))
            nb_cell = notebook.cells[cell.index]
            began = time.monotonic()
            await client.async_execute_cell(nb_cell, cell.index, execution_count=count)
            result.cell_seconds[cell.label] = round(time.monotonic() - began, 3)
            _tidy_outputs(nb_cell, modules, shown)
            raised = any(o.get("output_type") == "error" for o in nb_cell.get("outputs", []))
            if cell.expects_error and not raised:
                result.error = (f"{snippet.name}.py:{cell.first_line} (cell '{cell.label}'): tagged "
                                "raises-exception but raised nothing")
                return result
        remaining = max(1.0, deadline - time.monotonic())
        printed = json.loads((await _interactive(client, hidden.isolated(hidden.VALUES, modules), timeout=remaining)
                              ).strip().splitlines()[-1])
        result.values, result.withheld = printed["values"], printed["withheld"]
        result.imported = _hashes(modules, printed["imported"])
        printed = await _interactive(client, hidden.isolated(machine.FINGERPRINT),
                                     timeout=max(1.0, deadline - time.monotonic()))
        result.fingerprint = json.loads(printed.strip().splitlines()[-1])
        result.status = "ok"
    except CellTimeoutError:
        result.error = (f"{snippet.name}.py:{current.first_line} (cell '{current.label}'): timed out, "
                        f"the snippet ran past its {snippet.options.timeout:g} s limit and was killed")
    except DeadKernelError as exc:
        result.error = (f"{snippet.name}.py:{current.first_line} (cell '{current.label}'): the kernel died "
                        f"({exc}); the process exited or crashed")
    except CellExecutionError as exc:
        said = (f"exceeded its memory limit of {memory:g} GiB ({exc.ename}: {exc.evalue})"
                if out_of_memory(exc.ename, exc.evalue) else f"{exc.ename}: {exc.evalue}")
        said, traceback = (_project_paths(text, modules, shown) for text in (said, exc.traceback))
        result.error = f"{where(snippet, cell_by_count, current, traceback, shown)}: {said}\n" + strip_ansi(traceback)
    except (RuntimeError, TimeoutError) as exc:
        result.error = f"{snippet.name}.py: the kernel failed outside the snippet's cells: {exc}"
    except (asyncio.CancelledError, KeyboardInterrupt):
        raise
    except Exception as exc:  # never let one snippet's trouble reach the others
        result.error = (f"{snippet.name}.py: execdoc failed while running this snippet "
                        f"({type(exc).__name__}: {exc}); the other snippets are not affected")
    finally:
        result.seconds = round(time.monotonic() - start, 3)
        # The client does not own a kernel manager it was given: close both here.
        try:
            if client.kc is not None:
                client.kc.stop_channels()
            if kernel.has_kernel:
                await kernel.shutdown_kernel(now=True)
        finally:
            limits.kill_tree(pgid, run_id)  # whatever it forked or detached
            shutil.rmtree(workdir, ignore_errors=True)
            shutil.rmtree(sockets, ignore_errors=True)
    return result
