"""Warm kernels (``preload``): a snippet's kernel forked from a server that
imported the listed modules once records what a kernel started cold records,
keeps every limit a cold one has (its processes end with it, its memory), and
where the server cannot serve, the snippet still runs, cold."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

import nbformat
import pytest

from execdoc import pipeline
from execdoc.kernel import warm
from execdoc.snippets.keys import load_snippet

# Whether the kernel is a fork of a server: jupyter_client starts a cold kernel itself (its parent is
# the engine, JPY_PARENT_PID); a warm kernel's parent is the server.
WARM = """
import os
warm = os.getppid() != int(os.environ["JPY_PARENT_PID"])
"""

PLOT = """
# %% data
import numpy as np
import matplotlib.pyplot as plt
rng = np.random.default_rng(0)
xs = rng.normal(size=200)
print(f"mean {xs.mean():.6f}, std {xs.std():.6f}")

# %% figure
plt.hist(xs, bins=20)
plt.title("200 normal draws")
plt.show()

# %% local
import scale  # a local module: on the kernel's path, its hash in the record
doubled = scale.double(21)
""" + "\n# %% where\n" + WARM


def record(project, name: str) -> dict:
    notebook = nbformat.read(project.record(name), as_version=4)
    meta = notebook.metadata.execdoc
    outputs = [[{k: v for k, v in o.items() if k != "metadata"} for o in cell.get("outputs", [])]
               for cell in notebook.cells if cell.cell_type == "code"]
    return {"outputs": outputs, "values": meta["values"], "machine": meta["machine"], "imported": meta["imported"]}


def values(project, name: str) -> dict:
    return nbformat.read(project.record(name), as_version=4).metadata.execdoc["values"]


def test_a_warm_kernel_records_what_a_cold_one_does(project):
    project.options('preload = ["numpy", "matplotlib.pyplot"]')
    project.snippet("plot", PLOT)
    (project.root / "snippets" / "scale.py").write_text("def double(x):\n    return 2 * x\n", "utf-8")
    assert pipeline.build(project.config).ok
    hot = record(project, "plot")
    project.extra = ""
    project.options("")  # no preload: the same snippet, cold
    project.record("plot").unlink()
    assert pipeline.build(project.config).ok
    cold = record(project, "plot")
    assert (hot["values"].pop("warm"), cold["values"].pop("warm")) == (True, False)
    assert hot == cold and hot["values"]["doubled"] == 42 and list(hot["imported"]) == ["scale.py"]
    assert hot["outputs"][1][0]["data"]["image/png"]  # the figure, byte for byte


def test_a_snippet_gets_only_the_listed_modules_it_imports(project):
    project.options('preload = ["torch", "matplotlib.pyplot", "sklearn.model_selection"]')
    project.snippet("a", "# %% one\nimport numpy as np\nfrom matplotlib import pyplot as plt\n")
    project.snippet("b", "# %% one\nimport json\n\n# %% two\nfrom sklearn.datasets import load_digits\n")
    config = project.config
    assert warm.preloads(config, load_snippet(config, "a")) == ("matplotlib.pyplot",)
    assert warm.preloads(config, load_snippet(config, "b")) == ("sklearn.model_selection",)


def test_what_a_warm_kernel_forked_or_detached_ends_with_its_snippet(project, tmp_path):
    """A fork that never executes a program carries no environment of its own: the run's marker
    must be in the block it inherited from the kernel (zygote.mark)."""
    forked, detached = tmp_path / "forked", tmp_path / "detached"
    project.options('preload = ["json"]')
    project.snippet("forker", textwrap.dedent(f"""
        # %% detach
        import json, os, subprocess, sys, time, pathlib
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                while True:
                    pathlib.Path({str(forked)!r}).touch()
                    time.sleep(0.2)
            os._exit(0)
        subprocess.Popen([sys.executable, "-c", "import time, pathlib\\n"
                          "while True:\\n pathlib.Path({str(detached)!r}).touch(); time.sleep(0.2)"],
                         start_new_session=True)
        time.sleep(1)
    """) + WARM)
    assert pipeline.build(project.config).ok
    assert values(project, "forker")["warm"] is True
    assert forked.exists() and detached.exists()
    forked.unlink()
    detached.unlink()
    time.sleep(1.0)
    assert (forked.exists(), detached.exists()) == (False, False)


def test_a_memory_limit_below_the_servers_imports_starts_the_kernel_cold(project):
    project.options('preload = ["json"]\n[tool.execdoc.snippet.small]\nmemory = 0.25')
    project.snippet("small", "# %% one\nimport json\n" + WARM)
    project.snippet("roomy", "# %% one\nimport json\n" + WARM)
    assert pipeline.build(project.config).ok
    assert (values(project, "small")["warm"], values(project, "roomy")["warm"]) == (False, True)


@pytest.fixture
def own(tmp_path):
    """A temporary folder for the engine's own (its servers' folders), apart from other tests' running beside it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def test_a_server_that_cannot_import_leaves_the_snippets_to_cold_kernels(project, own, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(own))
    project.options('preload = ["execdoc_no_such_module"]')
    for name in ("first", "second"):
        project.snippet(name, textwrap.dedent("""
            # %% try
            try:
                import execdoc_no_such_module
                found = True
            except ImportError:
                found = False
        """) + WARM)
    report = pipeline.build(project.config)
    assert report.summary() == "2 executed, 0 reused, 0 failed"
    assert [(values(project, n)["found"], values(project, n)["warm"]) for n in ("first", "second")] == [
        (False, False), (False, False)]
    assert sorted(p.name for p in own.iterdir()) == []  # the failed server's folder went


def test_a_process_forked_from_the_engine_leaves_its_servers_alone(project):
    """A fork of the engine (a test's, a library's) that exits runs the engine's exit hooks: the
    servers, and the kernels they serve, belong to the process that started them."""
    warm.close_all()  # earlier tests' servers
    project.options('preload = ["json"]')
    project.snippet("one", "# %% one\nimport json\n" + WARM)
    assert pipeline.build(project.config).ok and values(project, "one")["warm"] is True
    (server,) = warm._servers.values()
    child = os.fork()
    if child == 0:
        warm.close_all()
        os._exit(0)
    os.waitpid(child, 0)
    assert server.process.poll() is None and os.path.exists(server.socket)
    project.snippet("two", "# %% one\nimport json\n" + WARM)
    assert pipeline.build(project.config).ok and values(project, "two")["warm"] is True
    warm.close_all()
    assert server.process.poll() is not None and not os.path.exists(server.folder)


def servers(parent: int) -> set[int]:
    """The warm-kernel servers that ``parent`` started, by process id."""
    found = set()
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read()
            with open(f"/proc/{entry}/stat", "rb") as handle:
                ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
        if b"__execdoc_zygote__" in command and ppid == parent:
            found.add(int(entry))
    return found


def alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if os.path.exists(f"/proc/{pid}")}


def test_sigterm_during_a_warm_build_leaves_no_server_kernel_or_folder(project, tmp_path, own):
    started = tmp_path / "started"
    project.options('preload = ["json"]')
    project.snippet("slow", f"""
        # %% wait
        import json, os, pathlib, time
        pathlib.Path({str(started)!r}).write_text(str(os.getpid()))
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-m", "execdoc", "--root", str(project.root), "build"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(own)})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (started.exists() and started.read_text()):
        time.sleep(0.05)
    ours, kernel = servers(proc.pid), int(started.read_text())
    assert len(ours) == 1 and alive({kernel})  # the snippet runs, in a warm kernel
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err
    assert alive(ours | {kernel}) == set()
    assert sorted(p.name for p in own.iterdir()) == []
