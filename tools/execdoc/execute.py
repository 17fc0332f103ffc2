"""Run snippets, each in a fresh Jupyter kernel, several at once.

Every snippet gets its own kernel process, a temporary working folder, a fixed
``PYTHONHASHSEED`` and thread count, and a deadline for the whole snippet. The
result is an object, never an exception: a snippet that raises, times out or
kills its kernel comes back as ``status="failed"`` with a message that names
snippet, cell and line.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Awaitable, Callable, TypeVar

import nbformat
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from . import collect, machine
from .collect import Snippet
from .compare import shorten_site_packages
from .config import Config

T = TypeVar("T")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_FRAME = re.compile(r"Cell In\[(\d+)\], line (\d+)")

# Run before the snippet, not shown: legible figures in one raster format.
SETUP = """\
get_ipython().run_line_magic("config", "InlineBackend.figure_formats = ['png']")
get_ipython().run_line_magic("config", "InlineBackend.rc = {'figure.dpi': 100, 'savefig.bbox': 'tight'}")
"""

# Run after the snippet, not shown: the simple values pages and quizzes quote.
# It runs in a namespace of its own (see `isolated`), so a snippet may shadow
# any builtin (`type = "relu"`, `print = logger.info`) without breaking it.
VALUES = r"""
import json, math, numbers, os, re

CREDENTIAL = re.compile(r"(?:^|_)(?:token|secret|password|passwd|pwd|key|apikey|credentials?|auth|cookie)(?:_|$)", re.I)
# Strings from the environment are never published, whatever they are called.
environment = {v for k, v in os.environ.items() if len(v) >= 4 or CREDENTIAL.search(k)}


def simple(v, depth=0):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        v = float(v)
        return v if math.isfinite(v) else repr(v)
    if isinstance(v, str):
        return v if len(v) <= 200 else ...
    mod = type(v).__module__ or ""
    if mod.split(".")[0] in ("numpy", "torch") and getattr(v, "ndim", None) == 0:
        return simple(v.item(), depth)
    if isinstance(v, (list, tuple)) and depth == 0 and len(v) <= 16:
        items = [simple(x, 1) for x in v]
        return ... if any(x is ... for x in items) else items
    return ...


found, withheld = {}, []
for name, value in list(namespace.items()):
    if name.startswith("_") or name in ("In", "Out", "exit", "quit", "get_ipython"):
        continue
    try:
        kept = simple(value)
    except Exception:  # a value whose type misbehaves is skipped, never fatal
        kept = ...
    if kept is ... :
        continue
    strings = [x for x in (kept if isinstance(kept, list) else [kept]) if isinstance(x, str)]
    if CREDENTIAL.search(name) or any(x in environment for x in strings):
        withheld.append(name)
        continue
    found[name] = kept
print(json.dumps({"values": found, "withheld": sorted(withheld)}, sort_keys=True))
"""


def isolated(source: str) -> str:
    """Hidden code that runs ``source`` with the real builtins in a namespace of
    its own; ``namespace`` there is the snippet's. Only ``__import__`` is looked
    up in the snippet's namespace, and a dunder is not something snippets shadow."""
    encoded = base64.b64encode(source.encode()).decode()
    return (f'__import__("builtins").exec(__import__("base64").b64decode("{encoded}").decode(), '
            '{"__builtins__": __import__("builtins"), "namespace": __import__("builtins").globals()})')


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
    withheld: list[str] = field(default_factory=list)  # names not kept as values: credentials, environment


def kernel_env(config: Config, snippet: Snippet, profile: machine.Profile = machine.PROFILES["native"],
               modules: str = "") -> dict[str, str]:
    """The builder's environment, the fixed settings, the snippet's ``env``, then
    the profile's numeric-path choices (which win: that is what a profile is)."""
    env = dict(os.environ)
    env.update({
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        # A copy of the local modules, not the snippets folder: a snippet cannot
        # reach the project through it, and a file that shadows a module is left out.
        "PYTHONPATH": os.pathsep.join(filter(None, [modules, env.get("PYTHONPATH")])),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    env.update(snippet.options.env)
    env.update(machine.kernel_env(profile, snippet.options.threads))
    return env


def truncate(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    head = data[: limit * 3 // 4].decode("utf-8", "ignore")
    tail = data[-(limit // 4):].decode("utf-8", "ignore")
    head = head[: head.rfind("\n") + 1] or head  # whole lines where there are any
    tail = tail[tail.find("\n") + 1:] or tail
    note = f"[... execdoc: output truncated, {len(data):,} bytes in all; first and last lines kept ...]\n"
    return head + note + tail




def _truncate_outputs(cell, limit: int) -> None:
    """Merge consecutive stream chunks, cap each output at ``limit`` bytes, and
    shorten install paths in warnings (``.../site-packages/``): they name the
    reader's checkout, not anything the snippet computed."""
    merged = []
    for output in cell.get("outputs", []):
        last = merged[-1] if merged else None
        if (last is not None and output.get("output_type") == "stream" == last.get("output_type")
                and output.get("name") == last.get("name")):
            last["text"] += output["text"]
        else:
            merged.append(output)
    cell["outputs"] = merged
    for output in merged:
        if output.get("output_type") == "stream":
            output["text"] = shorten_site_packages(truncate(output["text"], limit), ".../site-packages/")
        if output.get("output_type") == "error":
            output["traceback"] = [shorten_site_packages(line, ".../site-packages/") for line in output.get("traceback", [])]
        for mime in ("text/plain", "text/html"):
            data = output.get("data", {})
            if isinstance(data.get(mime), str):
                data[mime] = truncate(data[mime], limit)


def where(snippet: Snippet, cell_by_count: dict[int, object], cell, traceback: str) -> str:
    """``name.py:LINE (cell 'title', line N)`` for the deepest frame in snippet code."""
    frames = CELL_FRAME.findall(ANSI.sub("", traceback))
    if frames:
        count, line = frames[-1]
        cell = cell_by_count.get(int(count), cell)
        return f"{snippet.name}.py:{snippet.line_of(cell, int(line))} (cell '{cell.label}', line {line})"
    return f"{snippet.name}.py:{cell.first_line} (cell '{cell.label}')"


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
        raise RuntimeError(ANSI.sub("", "".join(printed)) or reply["content"].get("evalue", "failed"))
    return "".join(printed)


async def run_snippet(config: Config, snippet: Snippet,
                      profile: machine.Profile = machine.PROFILES["native"]) -> Result:
    notebook = copy.deepcopy(snippet.notebook)
    workdir = tempfile.mkdtemp(prefix="execdoc-")
    for rel in snippet.options.data:
        target = os.path.join(workdir, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(config.snippets / rel, target)
    # Sockets over local IPC, in a folder of their own: no TCP port, no
    # unencrypted-TCP warning, and nothing in the snippet's working folder.
    sockets = tempfile.mkdtemp(prefix="execdoc-ipc-")
    modules = os.path.join(sockets, "modules")
    os.mkdir(modules)
    for source in collect.local_module_files(config):
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, os.path.join(modules, source.name))
    kernel = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"))
    # This interpreter, whatever kernelspec named python3 JUPYTER_PATH may hold.
    kernel._kernel_spec = KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                                     display_name="Python 3", language="python", resource_dir=sockets)
    client = NotebookClient(
        notebook,
        km=kernel,
        kernel_name="python3",
        timeout=snippet.options.timeout,
        allow_errors=False,
        coalesce_streams=True,
        record_timing=False,
        shutdown_kernel="immediate",
    )
    result = Result(snippet, "failed", notebook, profile=profile.name)
    deadline = time.monotonic() + snippet.options.timeout
    start = time.monotonic()
    current = snippet.cells[0]
    cell_by_count: dict[int, object] = {}
    try:
        # Started here rather than by client.async_setup_kernel, which would take
        # over Ctrl-C for itself: the pipeline handles SIGINT for all kernels.
        await kernel.start_kernel(env=kernel_env(config, snippet, profile, modules), cwd=workdir)
        client.kc = kernel.client()
        client.kc.allow_stdin = False
        client.kc.start_channels()
        await client.kc.wait_for_ready(timeout=60)
        await _interactive(client, SETUP, timeout=30)
        for count, cell in enumerate(snippet.cells, start=1):
            current = cell
            cell_by_count[count] = cell
            client.timeout = max(1, int(deadline - time.monotonic() + 0.999))
            nb_cell = notebook.cells[cell.index]
            began = time.monotonic()
            await client.async_execute_cell(nb_cell, cell.index, execution_count=count)
            result.cell_seconds[cell.label] = round(time.monotonic() - began, 3)
            _truncate_outputs(nb_cell, config.max_output_bytes)
            raised = any(o.get("output_type") == "error" for o in nb_cell.get("outputs", []))
            if cell.expects_error and not raised:
                result.error = (f"{snippet.name}.py:{cell.first_line} (cell '{cell.label}'): tagged "
                                "raises-exception but raised nothing")
                return result
        remaining = max(1.0, deadline - time.monotonic())
        printed = json.loads((await _interactive(client, isolated(VALUES), timeout=remaining)).strip().splitlines()[-1])
        result.values, result.withheld = printed["values"], printed["withheld"]
        printed = await _interactive(client, isolated(machine.FINGERPRINT),
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
        result.error = (f"{where(snippet, cell_by_count, current, exc.traceback)}: {exc.ename}: {exc.evalue}\n"
                        + ANSI.sub("", exc.traceback))
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
        if client.kc is not None:
            client.kc.stop_channels()
        if kernel.has_kernel:
            await kernel.shutdown_kernel(now=True)
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(sockets, ignore_errors=True)
    return result


async def run_many(runs: list[tuple[Snippet, machine.Profile]], jobs: int, expected_seconds: dict[str, float],
                   work: Callable[[Snippet, machine.Profile], Awaitable[T]]) -> list[T]:
    """Apply ``work`` to every (snippet, profile) run, ``jobs`` at a time, longest first."""
    # Unknown durations first (a new snippet may be long), the larger file first among them.
    order = sorted(runs, key=lambda r: (-expected_seconds.get(r[0].name, float("inf")), -r[0].path.stat().st_size))
    gate = asyncio.Semaphore(jobs)

    async def one(snippet: Snippet, profile: machine.Profile) -> T:
        async with gate:
            return await work(snippet, profile)

    return list(await asyncio.gather(*(one(*r) for r in order)))
