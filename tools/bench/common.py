"""What every part of the benchmark shares: where the project is, the cases,
the defaults, how a build's environment is set, and how the bench speaks."""

from __future__ import annotations

import os
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = 1  # of the result JSON; the Performance page (tools/coursekit/bench_table.py) reads schema 1
APPROVED = ROOT / "docs" / "performance" / "bench.json"
DEFAULT_OUT = ROOT / "build" / "bench.json"

# The whole course by default: the targets are about the site an author builds,
# and a subset misleads both ways (three snippets split unevenly over two cores,
# and re-executing peers look cheap when there is little to re-execute).
# `--snippets backprop,optimizers,concepts` (a few sizes and page kinds, about
# 5 minutes) is the quick look.
DEFAULT_SNIPPETS = "all"
DEFAULT_ROUNDS = 3
DEFAULT_REPEAT_CHEAP = 3

CASES = [
    # id, English label, Chinese label
    ("floor", "Plain MkDocs (floor)", "纯 MkDocs（下限）"),
    ("floor-md", "Plain MkDocs, no mkdocs-jupyter (reference)", "纯 MkDocs，不用 mkdocs-jupyter（参考）"),
    ("warm", "Ours, warm", "本站，热构建"),
    ("prose", "Ours, prose edit", "本站，改文字后"),
    ("snippet", "Ours, one-snippet edit", "本站，改一个 snippet 后"),
    ("cold", "Ours, cold (no records)", "本站，冷构建（无记录）"),
    ("markdown-exec", "markdown-exec (exec=\"on\")", "markdown-exec"),
    ("mkj-cache", "mkdocs-jupyter, execute + cache", "mkdocs-jupyter，执行 + 缓存"),
    ("mkj-nocache", "mkdocs-jupyter, execute, cache: false", "mkdocs-jupyter，执行，无缓存"),
]
CASE_IDS = [case for case, _, _ in CASES]
OURS = {"warm", "prose", "snippet", "cold"}
CHEAP = {"floor", "floor-md", "warm", "prose", "mkj-cache"}  # nothing executes: seconds a build


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def version(dist: str) -> str | None:
    """An installed distribution's version, or None."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def run_env() -> dict:
    """One thread everywhere (our kernels set it themselves), a fixed hash seed."""
    env = dict(os.environ)
    for name in ("EXECDOC_EXECUTE", "MPLBACKEND"):  # kernels pick the inline backend themselves
        env.pop(name, None)
    env.update({"NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0",
                "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"})
    return env
