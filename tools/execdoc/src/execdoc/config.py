"""Typed configuration: ``[tool.execdoc]`` in ``pyproject.toml``, all optional.

The project folder is the nearest one holding a ``pyproject.toml`` with that
table, or the site's own ``mkdocs.yml`` or ``zensical.toml``; from the latter
come the docs folder and the default language (:mod:`execdoc.host`).
Everything is checked when it is loaded, before any kernel starts: an unknown
key, a value of the wrong type, an unknown normaliser or profile, or a
``[tool.execdoc.snippet.NAME]`` table that names no snippet fails with the
file and the key named (the command line exits 2).
"""

from __future__ import annotations

import ast
import dataclasses
import os
import re
try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path

from . import ExecdocError, host as host_mod


@dataclass(frozen=True)
class SnippetOptions:
    """Per-snippet settings: ``[tool.execdoc.snippet.<name>]``."""

    timeout: float
    """Seconds the whole snippet may run before its kernel is killed."""
    threads: int
    """Thread count for OpenMP/MKL/OpenBLAS in the kernel (part of the key)."""
    rtol: float
    """``check``: relative floor under every number's tolerance (not part of the key)."""
    atol: float
    """``check``: absolute floor under every number's tolerance (not part of the key)."""
    env: dict[str, str] = field(default_factory=dict)
    """Extra environment variables for the kernel (part of the key)."""
    data: tuple[str, ...] = ()
    """Data files the snippet reads, relative to the snippets folder; hashed
    into the key and copied into the kernel's working folder."""
    memory: float = 0.0
    """GiB the kernel may allocate (RLIMIT_DATA); past it the snippet fails naming the cell
    (part of the key when set)."""

    def key_options(self) -> dict:
        """The options that can change what the snippet prints (the memory
        limit only when set: records made before the setting stay fresh)."""
        memory = {"memory": self.memory} if self.memory else {}
        return {"threads": self.threads, "env": dict(sorted(self.env.items())), **memory}


@dataclass(frozen=True)
class Config:
    """Project-wide settings: ``[tool.execdoc]``."""

    root: Path
    """Project folder (``pyproject.toml``, ``mkdocs.yml``); every path below is relative to it."""
    snippets: Path
    """Folder of ``<name>.py`` snippets (jupytext percent format). Default ``snippets``."""
    docs: Path
    """The site's docs folder. Default: ``docs_dir`` of ``mkdocs.yml`` or ``zensical.toml``, else ``docs``."""
    records: Path
    """Folder of the committed records, ``<name>.ipynb``. Default ``<docs>/notebooks``."""
    report: Path
    """Where every build and check writes its JSON report. Default ``build/exec-report.json``."""
    languages: tuple[str, ...] = ("en",)
    """The site's languages, the first the default; quiz banks need text in each.
    Default: the theme's ``language``, else ``en``."""
    key_packages: tuple[str, ...] = ()
    """Installed distributions whose versions enter every record key (e.g. numpy, torch)."""
    kernel: str = "python3"
    """Jupyter kernel name; ``python3`` is the build's own interpreter, whatever kernelspecs exist."""
    timeout: float = 120.0
    """Default seconds per snippet."""
    threads: int = 1
    """Default kernel thread count."""
    rtol: float = 1e-6
    """Default relative floor under every number's tolerance in ``check``."""
    atol: float = 1e-9
    """Default absolute floor under every number's tolerance in ``check``."""
    jobs: int = 0
    """Snippets run at once; 0 means one per CPU core."""
    max_output_bytes: int = 64 * 1024
    """Per stream per cell, capped while it streams; longer output keeps its head and tail with a note."""
    max_snippet_output_bytes: int = 8 * 1024 * 1024
    """All outputs a snippet keeps; past it further output is dropped with a note."""
    preload: tuple[str, ...] = ()
    """Modules imported once, in a fork server, instead of in every kernel (Linux): a snippet that imports
    one gets a kernel forked from a server that has it (torch takes seconds to import), with
    only the listed modules it imports itself. Where that cannot be had, the kernel starts as usual."""
    pass_env: tuple[str, ...] = ()
    """Names of the builder's environment variables kernels also get, besides the allowlist (see Failures)."""
    memory: float = 0.0
    """Default GiB per kernel (RLIMIT_DATA); 0 means an equal share, among ``jobs``, of 80% of this machine's memory."""
    normalisers: tuple[str, ...] = ("addresses", "timings", "progress", "tmpdirs", "paths")
    """Named normalisers applied to text before ``check`` compares it."""
    profiles: tuple[str, ...] = ("native", "avx2", "avx512", "baseline", "threads2")
    """Machine profiles ``calibrate`` (and ``check --profile all``) runs; see ``execdoc profiles``."""
    safety_factor: float = 4.0
    """Calibration: a number's tolerance is its spread across profiles times this."""
    volatile_spread: float = 0.01
    """Calibration: numbers whose relative spread exceeds this are reported to the author."""
    snippet: dict[str, SnippetOptions] = field(default_factory=dict)
    """Per-snippet overrides, by snippet name (validated, defaults filled in)."""

    def options(self, name: str) -> SnippetOptions:
        return self.snippet.get(name) or _snippet_options({}, self, "")

    @property
    def job_count(self) -> int:
        return self.jobs or os.cpu_count() or 1


LANGUAGE = re.compile(r"[a-z]{2,3}\Z")


def _describe(hint) -> str:
    names = {float: "a number", int: "a whole number", Path: "a string", str: "a string",
             tuple: "a list of strings", dict: "a table of strings"}
    return names.get(hint) or names.get(typing.get_origin(hint)) or str(hint)


def _coerce(value, hint, where: str):
    """``value`` as ``hint`` (float, int, str/Path, tuple[str, ...], dict[str, str]), or an error naming ``where``."""
    origin = typing.get_origin(hint)
    ok = True
    if hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint in (str, Path):
        ok = isinstance(value, str)
    elif origin is tuple:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else value
    elif origin is dict:
        ok = isinstance(value, dict) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                             for v in value.values())
        value = {str(k): str(v) for k, v in value.items()} if ok else value
    if not ok:
        raise ExecdocError(f"{where}: expected {_describe(hint)}, got {value!r}")
    return value


def _fields(cls) -> dict[str, object]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _unknown(raw: dict, known, where: str) -> None:
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ExecdocError(f"{where}: unknown option(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")


def _snippet_options(raw: dict, config: Config, where: str) -> SnippetOptions:
    fields = _fields(SnippetOptions)
    _unknown(raw, fields, where)
    values = {name: _coerce(raw[name], hint, f"{where} {name}") for name, hint in fields.items() if name in raw}
    for name in ("timeout", "threads", "rtol", "atol", "memory"):
        values.setdefault(name, getattr(config, name))
    return SnippetOptions(**values)


def _check_names(config: Config, path: Path) -> None:
    from .check.compare import NORMALISERS  # the rule's one definition lives with the check
    from .check.machine import PROFILES

    for key, known in (("normalisers", NORMALISERS), ("profiles", PROFILES)):
        wrong = [n for n in getattr(config, key) if n not in known]
        if wrong:
            raise ExecdocError(f"{path} [tool.execdoc] {key}: unknown {key[:-1]} {', '.join(map(repr, wrong))} "
                               f"(known: {', '.join(known)})")
    for key in ("timeout", "safety_factor", "max_output_bytes", "max_snippet_output_bytes", "memory"):
        if getattr(config, key) <= 0 and (key != "memory" or config.memory < 0):  # memory 0: a share
            raise ExecdocError(f"{path} [tool.execdoc] {key}: must be above 0, got {getattr(config, key)!r}")
    if config.kernel != "python3":  # the default needs no kernelspec: it is this interpreter
        from jupyter_client.kernelspec import KernelSpecManager

        installed = KernelSpecManager().find_kernel_specs()
        if config.kernel not in installed:
            raise ExecdocError(f"{path} [tool.execdoc] kernel: no Jupyter kernel '{config.kernel}' "
                               f"(installed: {', '.join(sorted(installed)) or 'none'})")
    wrong = [name for name in config.preload if not all(part.isidentifier() for part in name.split("."))]
    if wrong:
        raise ExecdocError(f"{path} [tool.execdoc] preload: not a module name: {', '.join(map(repr, wrong))}")
    wrong = [lang for lang in config.languages if not LANGUAGE.match(lang)]
    if wrong or not config.languages or len(set(config.languages)) != len(config.languages):
        raise ExecdocError(f"{path} [tool.execdoc] languages: expected distinct language codes such as "
                           f"\"zh\" or \"en\", got {list(config.languages)!r}")


_loaded: dict[tuple, Config] = {}


def _stamp(*paths: Path) -> tuple:
    """What must not have changed for a loaded configuration to hold."""
    out = []
    for path in paths:
        try:
            st = path.stat()
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def load(root: Path | None = None, *, docs_dir: str | Path | None = None, language: str | None = None) -> Config:
    """The project's configuration. A host that knows better (the MkDocs
    plugin) passes its ``docs_dir`` and theme ``language``. Loaded once per
    process while its files stay as they are (a host converts each page with
    a Markdown instance of its own)."""
    root = host_mod.find_root(root)
    host_file = host_mod.find(root)
    key = (root, str(docs_dir), language,
           _stamp(root / "pyproject.toml", host_file or root / "mkdocs.yml", root / "snippets"))
    if key not in _loaded:
        _loaded[key] = _load(root, docs_dir, language)
    return _loaded[key]


def _load(root: Path, docs_dir: str | Path | None, language: str | None) -> Config:
    from .i18n import base

    path = root / "pyproject.toml"
    raw: dict = {}
    if host_mod.has_table(path):
        try:
            raw = dict(tomllib.loads(path.read_text("utf-8")).get("tool", {}).get("execdoc", {}))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ExecdocError(f"{path}: {exc}") from exc
    host = host_mod.read(root)
    fields = _fields(Config)
    _unknown(raw, set(fields) - {"root"}, f"{path} [tool.execdoc]")
    tables = raw.pop("snippet", {})
    values = {name: _coerce(raw[name], hint, f"{path} [tool.execdoc] {name}")
              for name, hint in fields.items() if name in raw}
    docs = root / values.get("docs", docs_dir or host.docs_dir)
    defaults = {"snippets": root / "snippets", "docs": docs, "records": docs / "notebooks",
                "report": root / "build" / "exec-report.json"}
    for name, default in defaults.items():
        values[name] = root / values[name] if name in values else default
    if "languages" not in values:
        values["languages"] = (base(language or host.language or "en"),)
    config = Config(root=root, **values)
    _check_names(config, path)
    if not isinstance(tables, dict):
        raise ExecdocError(f"{path} [tool.execdoc] snippet: expected tables [tool.execdoc.snippet.NAME]")
    options = {}
    for name, table in tables.items():
        where = f"{path} [tool.execdoc.snippet.{name}]"
        if not isinstance(table, dict):
            raise ExecdocError(f"{where}: expected a table of options, got {table!r}")
        if not (config.snippets / f"{name}.py").is_file():
            known = sorted(p.stem for p in config.snippets.glob("*.py")) if config.snippets.is_dir() else []
            raise ExecdocError(f"{where}: no snippet {config.snippets.relative_to(root) / (name + '.py')} "
                               f"(snippets: {', '.join(known) or 'none'})")
        options[name] = _snippet_options(table, config, where)
    return dataclasses.replace(config, snippet=options)


def reference() -> str:
    """The configuration reference as Markdown, from the docstrings above
    (the README's copy is generated from it, and a test keeps the two equal)."""
    tree = ast.parse(Path(__file__).read_text("utf-8"))
    out = []
    for cls, table in ((Config, "[tool.execdoc]"), (SnippetOptions, "[tool.execdoc.snippet.NAME]")):
        node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__)
        out += [f"`{table}`", "", "| key | type | default | meaning |", "|---|---|---|---|"]
        defaults = {f.name: f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
                    for f in dataclasses.fields(cls)}
        hints = _fields(cls)
        body = node.body
        for n, item in enumerate(body):
            if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
                continue
            name = item.target.id
            if name in ("root", "snippet"):
                continue
            doc = body[n + 1].value.value if n + 1 < len(body) and isinstance(body[n + 1], ast.Expr) else ""
            default = defaults.get(name)
            shown = "see meaning" if default is dataclasses.MISSING else f"`{_toml(default)}`"
            if cls is SnippetOptions and name in ("timeout", "threads", "rtol", "atol", "memory"):
                shown = "the project's"
            meaning = " ".join(doc.split()).replace("|", "\\|")
            out.append(f"| `{name}` | {_describe(hints[name])} | {shown} | {meaning} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _toml(value) -> str:
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return f'"{value}"' if isinstance(value, str) else "{}" if isinstance(value, dict) else repr(value)
