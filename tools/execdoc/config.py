"""Typed configuration, read from ``[tool.execdoc]`` in ``pyproject.toml``."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import ExecdocError


@dataclass(frozen=True)
class SnippetOptions:
    """Per-snippet settings: ``[tool.execdoc.snippet.<name>]``."""

    timeout: float
    """Seconds the whole snippet may run before its kernel is killed."""
    threads: int
    """Thread count for OpenMP/MKL/OpenBLAS in the kernel (part of the key)."""
    rtol: float
    """``check``: relative tolerance for numbers (not part of the key)."""
    atol: float
    """``check``: absolute tolerance for numbers (not part of the key)."""
    env: dict[str, str] = field(default_factory=dict)
    """Extra environment variables for the kernel (part of the key)."""
    data: tuple[str, ...] = ()
    """Data files the snippet reads, relative to the snippets folder; hashed
    into the key and copied into the kernel's working folder."""

    def key_options(self) -> dict:
        """The options that can change what the snippet prints."""
        return {"threads": self.threads, "env": dict(sorted(self.env.items()))}


@dataclass(frozen=True)
class Config:
    """Project-wide settings: ``[tool.execdoc]``."""

    root: Path
    """Folder holding ``pyproject.toml``; every path below is relative to it."""
    snippets: Path
    """Folder of ``<name>.py`` snippets (jupytext percent format)."""
    records: Path
    """Folder of the committed records, ``<name>.ipynb``."""
    report: Path
    """Where every build and check writes its JSON report."""
    timeout: float = 120.0
    """Default seconds per snippet."""
    threads: int = 1
    """Default kernel thread count."""
    rtol: float = 1e-6
    """Default relative tolerance for ``check``."""
    atol: float = 1e-9
    """Default absolute tolerance for ``check``."""
    jobs: int = 0
    """Snippets run at once; 0 means one per CPU core."""
    max_output_bytes: int = 64 * 1024
    """Per stream per cell; longer output is truncated with a note."""
    normalisers: tuple[str, ...] = ("addresses", "timings", "progress", "tmpdirs", "paths")
    """Named normalisers applied to text before ``check`` compares it."""
    profiles: tuple[str, ...] = ("native", "avx2", "avx512", "baseline", "threads2")
    """Machine profiles ``calibrate`` (and ``check --profile all``) runs; see ``execdoc profiles``."""
    safety_factor: float = 4.0
    """Calibration: a number's tolerance is its spread across profiles times this."""
    volatile_spread: float = 0.01
    """Calibration: numbers whose relative spread exceeds this are reported to the author."""
    snippet: dict[str, dict] = field(default_factory=dict)
    """Raw per-snippet overrides, by snippet name."""

    def options(self, name: str) -> SnippetOptions:
        raw = dict(self.snippet.get(name, {}))
        unknown = set(raw) - {f.name for f in dataclasses.fields(SnippetOptions)}
        if unknown:
            raise ExecdocError(
                f"pyproject.toml [tool.execdoc.snippet.{name}]: unknown option(s) "
                + ", ".join(sorted(unknown))
            )
        return SnippetOptions(
            timeout=float(raw.get("timeout", self.timeout)),
            threads=int(raw.get("threads", self.threads)),
            rtol=float(raw.get("rtol", self.rtol)),
            atol=float(raw.get("atol", self.atol)),
            env={str(k): str(v) for k, v in raw.get("env", {}).items()},
            data=tuple(raw.get("data", ())),
        )

    @property
    def job_count(self) -> int:
        return self.jobs or os.cpu_count() or 1


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` whose pyproject has [tool.execdoc]."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.execdoc]" in candidate.read_text("utf-8"):
            return folder
    raise ExecdocError(f"no pyproject.toml with [tool.execdoc] at or above {here}")


def load(root: Path | None = None) -> Config:
    root = find_root(root)
    path = root / "pyproject.toml"
    try:
        raw = dict(tomllib.loads(path.read_text("utf-8")).get("tool", {}).get("execdoc", {}))
    except tomllib.TOMLDecodeError as exc:
        raise ExecdocError(f"{path}: {exc}") from exc
    known = {f.name for f in dataclasses.fields(Config)} - {"root"}
    unknown = set(raw) - known
    if unknown:
        raise ExecdocError(f"{path} [tool.execdoc]: unknown option(s) " + ", ".join(sorted(unknown)))
    for name in ("snippets", "records", "report"):
        raw[name] = root / raw.get(name, {"snippets": "snippets", "records": "docs/notebooks",
                                          "report": "build/exec-report.json"}[name])
    for name in ("normalisers", "profiles"):
        if name in raw:
            raw[name] = tuple(raw[name])
    return Config(root=root, **raw)
