"""The build benchmark: our generator against plain MkDocs and re-executing peers.

Run it as ``.venv/bin/python tools/bench.py [--rounds N] [--snippets a,b|all]
[--cases a,b] [--smoke] [--out FILE]`` (``make bench`` installs the peers
first; the whole course, 3 rounds, takes about 40 minutes on 2 cores), and
``tools/bench.py --approve`` to publish the last run on the Performance page.

It copies the project's content (``mkdocs.yml``, ``docs/``, ``snippets/``,
``pyproject.toml``, and the theme overrides and hooks the configuration names)
into a temporary folder, keeps only the chosen snippets and the pages that use
nothing else (not the quiz pages: the peers have no quiz; the default language
only, see ``--keep-i18n``), and builds that content these ways, every case in a
folder of its own, A B A B: all cases once per round (those that execute nothing
``--repeat-cheap`` times), the order reversed every other round, medians:

``floor``        plain MkDocs: each ```snippet fence becomes a static ```python
                 block of the cell's code, each ``{{ name.value }}`` the recorded
                 value as plain text; no execdoc, nothing runs. Notebook pages
                 are the same records, rendered by mkdocs-jupyter (execute: false).
``warm``         ours, nothing changed since the last build.
``prose``        ours, after a prose-only edit: one sentence appended to a page
                 and to the first Markdown cell of the edited snippet.
``snippet``      ours, after editing one snippet's code (a comment line in its
                 first code cell, new every round).
``cold``         ours without records (and without build/ and mkdocs-jupyter's cache).
``markdown-exec`` the same cells as ``exec="on"`` blocks in the same pages, one
                 session per page and snippet; a page runs the cells it shows
                 and, hidden, every earlier cell of that snippet (dependencies
                 are not analysed). Notebook pages become Markdown pages of
                 exec blocks. No cache: every build runs everything.
``mkdocs-jupyter`` (``cache`` and ``cache: false``) pages as in the floor; the
                 notebook pages are the snippet files themselves, executed.

For every run: wall time (the build process, from start to exit), executions,
and peak memory. Each build runs as a fresh ``mkdocs build`` process under a
fresh meter process: ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` in the
meter is the largest single process of that build (MkDocs or a kernel); the
meter also samples the whole process tree's resident memory every 0.1 s (kernels
run in parallel, so the sum matters too).

Executions are counted, not assumed. Ours: the ``execdoc: N executed, ...``
summary that every pass of ``execdoc build`` prints, the line it writes to
``build/exec-report.json`` (a bilingual site makes one pass per language and the
report keeps only the last one, so the log is read), cross-checked against
kernel launches. Every build process carries a ``sys.addaudithook`` that counts
``subprocess.Popen`` events launching ``ipykernel`` (ours, mkdocs-jupyter: one
kernel per notebook run) and ``exec`` events of markdown-exec's code blocks
(``<code block: session ...>``): a session's blocks ran once per snippet run.

``--profile warm,cold`` builds those cases once under pyinstrument instead
(text reports in ``build/bench-profile-CASE.txt``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = 1

# The whole course by default: the targets are about the site an author builds,
# and a subset misleads both ways (three snippets split unevenly over two cores,
# and re-executing peers look cheap when there is little to re-execute).
# `--snippets backprop,optimizers,concepts` (a few sizes and page kinds, about
# 5 minutes) is the quick look.
DEFAULT_SNIPPETS = "all"
DEFAULT_ROUNDS = 3

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
OURS = {"warm", "prose", "snippet", "cold"}
CHEAP = {"floor", "floor-md", "warm", "prose", "mkj-cache"}  # nothing executes: seconds a build
DEFAULT_REPEAT_CHEAP = 3

# The smoke run's own snippet: tiny, no torch, so one round takes seconds.
SMOKE_SNIPPET = '''\
# %% [markdown]
# # Bench smoke · 基准冒烟测试
#
# A tiny snippet made by tools/bench.py --smoke.

# %% setup
import math

side = 7

# %% area
area = side * side
print(f"area {area}, diagonal {math.sqrt(2) * side:.4f}")
area
'''
SMOKE_PAGE = '''\
# Bench smoke

The area is {{ bench_smoke.area }} and $a = s^2$.

```snippet
bench_smoke.py#area
```
'''


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- machine ------------------------------------------------------------------

def _version(dist: str) -> str | None:
    from importlib import metadata
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine_info(shared: bool) -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count() or 1,
        "memory_gib": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "torch": _version("torch"),
        "numpy": _version("numpy"),
        "mkdocs": _version("mkdocs"),
        "mkdocs_material": _version("mkdocs-material"),
        "mkdocs_jupyter": _version("mkdocs-jupyter"),
        "markdown_exec": _version("markdown-exec"),
        "execdoc": _version("dl-course"),
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "shared": shared,
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


# --- mkdocs.yml, kept with its tags --------------------------------------------

class Tagged:
    """A YAML node with a tag MkDocs resolves itself (!ENV, !!python/name:...)."""

    def __init__(self, tag: str, value):
        self.tag, self.value = tag, value


def _yaml():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    class Dumper(yaml.SafeDumper):
        pass

    def construct(loader, suffix, node, prefix):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return Tagged(prefix + suffix, value)

    Loader.add_multi_constructor("!", lambda l, s, n: construct(l, s, n, "!"))
    Loader.add_multi_constructor("tag:yaml.org,2002:python/",
                                 lambda l, s, n: construct(l, s, n, "tag:yaml.org,2002:python/"))

    def represent(dumper, data: Tagged):
        if isinstance(data.value, list):
            return dumper.represent_sequence(data.tag, data.value)
        if isinstance(data.value, dict):
            return dumper.represent_mapping(data.tag, data.value)
        return dumper.represent_scalar(data.tag, data.value)

    Dumper.add_representer(Tagged, represent)
    return yaml, Loader, Dumper


def read_mkdocs_yml(path: Path) -> dict:
    yaml, Loader, _ = _yaml()
    return yaml.load(path.read_text("utf-8"), Loader=Loader)


def write_mkdocs_yml(path: Path, data: dict) -> None:
    yaml, _, Dumper = _yaml()
    path.write_text(yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False), "utf-8")


def _name(item) -> str:
    return item if isinstance(item, str) else next(iter(item))


def _custom_fences(cfg: dict) -> list[dict]:
    for ext in cfg.get("markdown_extensions", []):
        if _name(ext) == "pymdownx.superfences" and isinstance(ext, dict):
            return list((ext["pymdownx.superfences"] or {}).get("custom_fences", []))
    return []


def _from_execdoc(fence: dict) -> bool:
    return any(isinstance(v, Tagged) and ":execdoc." in v.tag for v in fence.values())


def execdoc_fences(cfg: dict) -> set[str]:
    """Names of the custom fences execdoc implements (``snippet``, ``quiz``, ...)."""
    return {f.get("name") for f in _custom_fences(cfg) if _from_execdoc(f)}


def drop_execdoc(cfg: dict) -> None:
    """Remove everything of execdoc: its plugin, its fences, its extensions."""
    cfg["plugins"] = [p for p in cfg.get("plugins", []) if _name(p) != "execdoc"]
    extensions = []
    for ext in cfg.get("markdown_extensions", []):
        if _name(ext).startswith("execdoc."):
            continue
        if _name(ext) == "pymdownx.superfences" and isinstance(ext, dict):
            opts = dict(ext["pymdownx.superfences"] or {})
            opts["custom_fences"] = [f for f in opts.get("custom_fences", []) if not _from_execdoc(f)]
            ext = {"pymdownx.superfences": opts}
        extensions.append(ext)
    cfg["markdown_extensions"] = extensions


def set_plugin(cfg: dict, name: str, options: dict | None) -> None:
    """Replace (or append) plugin ``name``; ``options=None`` removes it."""
    plugins = [p for p in cfg.get("plugins", []) if _name(p) != name]
    if options is not None:
        plugins.append({name: options} if options else name)
    cfg["plugins"] = plugins


def filter_nav(nav, exists, rename) -> list:
    """The nav without entries whose page is gone; ``rename`` maps kept paths."""
    out = []
    for item in nav or []:
        if isinstance(item, str):
            if exists(rename(item)):
                out.append(rename(item))
        elif isinstance(item, dict):
            (title, value), = item.items()
            if isinstance(value, list):
                inner = filter_nav(value, exists, rename)
                if inner:
                    out.append({title: inner})
            elif isinstance(value, str) and (value.startswith(("http://", "https://")) or exists(rename(value))):
                out.append({title: rename(value) if not value.startswith("http") else value})
    return out


# --- pages ---------------------------------------------------------------------

FENCE_OPEN = re.compile(r"^(?P<indent>\s*(?:>\s*)*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w-]*)(?P<rest>.*)$")
OPTION = re.compile(r'(\w+)="([^"]*)"')
CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def split_fences(text: str):
    """Yield ``("text", line)`` and ``("fence", indent, lang, rest, body_lines, raw_lines)``."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = FENCE_OPEN.match(lines[i])
        if not match:
            yield ("text", lines[i])
            i += 1
            continue
        fence, indent = match.group("fence"), match.group("indent")
        close = re.compile(rf"^\s*(?:>\s*)*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        body = lines[i + 1:j]
        yield ("fence", indent, match.group("lang"), match.group("rest"), body, lines[i:j + 1])
        i = j + 1


def page_fences(text: str) -> set[str]:
    return {part[2] for part in split_fences(text) if part[0] == "fence"}


def page_references(text: str) -> set[str]:
    """Snippet names a page uses, in fences or in ``{{ name.value }}`` outside code."""
    from execdoc.markdown import VALUE
    names = set()
    for part in split_fences(text):
        if part[0] == "fence":
            if part[2] == "snippet":
                ref = "\n".join(part[4]).strip()
                names.add(ref.split("#")[0].removesuffix(".py"))
        else:
            line = CODE_SPAN.sub("", part[1])
            names.update(m.group(1) for m in VALUE.finditer(line))
    return names


def static_values(text: str, library) -> str:
    """``{{ name.value | spec }}`` replaced by the recorded value, as execdoc would."""
    from types import SimpleNamespace

    from execdoc.markdown import ValuePreprocessor
    return "\n".join(ValuePreprocessor(SimpleNamespace(execdoc=library)).run(text.split("\n")))


def _indent(indent: str, lines: list[str]) -> list[str]:
    return [indent + line if line else indent.rstrip() for line in lines]


# Run after each cell, what an inline backend does: render open figures to PNG.
# markdown-exec leaves lines marked "markdown-exec: hide" out of the shown source.
FIGURES = "\n".join(line + "  # markdown-exec: hide" for line in """\
import sys as _bench_sys
if "matplotlib.pyplot" in _bench_sys.modules:
    import io as _bench_io
    _bench_plt = _bench_sys.modules["matplotlib.pyplot"]
    for _bench_n in _bench_plt.get_fignums():
        _bench_plt.figure(_bench_n).savefig(_bench_io.BytesIO(), format="png", dpi=100, bbox_inches="tight")
    _bench_plt.close("all")""".split("\n"))


def exec_source(cell) -> str:
    """A cell's code as markdown-exec runs it: an expected error is caught and
    printed (compiled inside the ``try``: the seed's GAN listing does not even
    compile), and figures are rendered to PNG as an inline backend would."""
    code = cell.source.rstrip("\n")
    if cell.expects_error:
        code = (f"try:\n    exec(compile({code!r}, {cell.label!r}, 'exec'), globals())\n"
                "except Exception as _bench_error:\n"
                "    print(f\"{type(_bench_error).__name__}: {_bench_error}\")")
    return code + "\n" + FIGURES


def exec_block(indent: str, session: str, cell, show_source: bool) -> list[str]:
    source = ' source="above"' if show_source else ""
    lines = [f'```python exec="on" session="{session}"{source} result="text"', *exec_source(cell).split("\n"), "```"]
    return _indent(indent, lines)


def static_block(indent: str, cell) -> list[str]:
    from execdoc.collect import normalise
    return _indent(indent, ["```python", *normalise(cell.source).split("\n"), "```"])


def transform_page(text: str, snippets: dict, mode: str, session_prefix: str) -> str:
    """A page with its snippet fences made static (``floor``) or exec blocks (``exec``)."""
    out: list[str] = []
    ran: dict[str, int] = {}  # exec: per snippet, how many code cells this page's session has run
    for part in split_fences(text):
        if part[0] == "text":
            out.append(part[1])
            continue
        _, indent, lang, rest, body, raw = part
        if lang != "snippet":
            out.extend(raw)
            continue
        reference = "\n".join(body).strip()
        name, _, title = reference.partition("#")
        name = name.removesuffix(".py")
        options = dict(OPTION.findall(rest))
        cells = list(snippets[name].cells)
        wanted = [c for c in cells if not title or c.title == title]
        if not wanted:
            raise SystemExit(f"bench: page references {reference}, which the snippet does not have")
        if mode == "floor":
            if options.get("show") != "output":  # output only: no code to show, nothing without execution
                for cell in wanted:
                    out.extend(static_block(indent, cell))
            continue
        session = f"{session_prefix}-{name}"
        last = cells.index(wanted[-1]) + 1
        for position in range(ran.get(name, 0), last):
            cell = cells[position]
            out.extend(exec_block(indent, session, cell, show_source=cell in wanted and options.get("show") != "output"))
            out.append("")
        for cell in wanted:
            if cells.index(cell) < ran.get(name, 0):  # already ran on this page: shown, not re-run
                out.extend(static_block(indent, cell))
        ran[name] = max(ran.get(name, 0), last)
    return "\n".join(out)


def notebook_page(snippet, mode: str) -> str:
    """A snippet's notebook page as Markdown: its Markdown cells, and its code
    cells as exec blocks (``exec``, for markdown-exec) or static blocks (``floor``)."""
    parts = []
    code = {c.index: c for c in snippet.cells}
    for index, nb_cell in enumerate(snippet.notebook.cells):
        if index in code:
            block = (exec_block("", f"nb-{snippet.name}", code[index], show_source=True) if mode == "exec"
                     else static_block("", code[index]))
            parts.append("\n".join(block))
        elif nb_cell.cell_type == "markdown":
            parts.append(nb_cell.source)
    return "\n\n".join(parts) + "\n"


# --- setting the cases up ------------------------------------------------------

def snippet_names(folder: Path) -> list[str]:
    from execdoc.collect import is_snippet
    return sorted(p.stem for p in folder.glob("*.py") if is_snippet(p))


def drop_snippet_tables(pyproject: Path, names: set[str]) -> None:
    """Remove ``[tool.execdoc.snippet.NAME]`` tables of snippets the copy no longer
    has: the configuration names no snippet that does not exist."""
    kept, skipping = [], False
    for line in pyproject.read_text("utf-8").splitlines(keepends=True):
        header = re.match(r"\s*\[([^\]]+)\]\s*$", line)
        if header:
            skipping = header.group(1).strip() in {f"tool.execdoc.snippet.{n}" for n in names}
        if not skipping:
            kept.append(line)
    pyproject.write_text("".join(kept), "utf-8")


def make_pristine(tmp: Path, chosen: list[str] | None, smoke: bool, keep_i18n: bool = False) -> dict:
    """Copy the content, keep the chosen snippets and the pages that use only them,
    and make sure their records are fresh (executing stale ones, untimed)."""
    from execdoc import config as config_mod
    from execdoc.markdown import Library

    pristine = tmp / "pristine"
    pristine.mkdir()
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(ROOT / name, pristine / name)
    shutil.copytree(ROOT / "docs", pristine / "docs")
    shutil.copytree(ROOT / "snippets", pristine / "snippets")
    # Files the configuration names outside docs/: theme overrides, hooks.
    cfg = read_mkdocs_yml(ROOT / "mkdocs.yml")
    theme = cfg.get("theme") if isinstance(cfg.get("theme"), dict) else {}
    for rel in [theme.get("custom_dir"), *(cfg.get("hooks") or [])]:
        if isinstance(rel, str) and (ROOT / rel).exists() and not Path(rel).is_absolute():
            target = pristine / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if (ROOT / rel).is_dir() else shutil.copy2)(ROOT / rel, target)
    for path in (pristine / "docs").glob("performance*"):  # this benchmark's own page: not course content
        shutil.rmtree(path) if path.is_dir() else path.unlink()

    available = snippet_names(pristine / "snippets")
    if not chosen:
        chosen = ["bench_smoke"] if smoke else [DEFAULT_SNIPPETS]
    if chosen == ["all"]:
        chosen = list(available)
    if "bench_smoke" in chosen:
        (pristine / "snippets" / "bench_smoke.py").write_text(SMOKE_SNIPPET, "utf-8")
        (pristine / "docs" / "bench_smoke.md").write_text(SMOKE_PAGE, "utf-8")
        available.append("bench_smoke")
    missing = sorted(set(chosen) - set(available))
    if missing:
        raise SystemExit(f"bench: no such snippet(s): {', '.join(missing)} (snippets: {', '.join(available)})")
    for name in set(available) - set(chosen):
        (pristine / "snippets" / f"{name}.py").unlink()
        (pristine / "docs" / "notebooks" / f"{name}.ipynb").unlink(missing_ok=True)
    drop_snippet_tables(pristine / "pyproject.toml", set(available) - set(chosen))

    # Records: reuse the project's; execute any that are stale or missing (untimed).
    env = run_env()
    refresh = subprocess.run([sys.executable, "-m", "execdoc", "build", *chosen], cwd=pristine, env=env,
                             capture_output=True, text=True)
    if refresh.returncode != 0:
        raise SystemExit(f"bench: the chosen snippets do not build:\n{refresh.stderr[-4000:]}")
    report = json.loads((pristine / "build" / "exec-report.json").read_text())
    refreshed = [e["name"] for e in report["snippets"] if e["status"] == "executed"]
    if refreshed:
        say(f"records executed before timing (stale or missing in the project): {', '.join(refreshed)}")
    shutil.rmtree(pristine / "build")

    # Pages that use only the chosen snippets; not those with execdoc's other
    # fences (the quiz), a feature the peers do not have.
    others = execdoc_fences(read_mkdocs_yml(pristine / "mkdocs.yml")) - {"snippet"}
    pages, dropped = [], []
    for page in sorted((pristine / "docs").rglob("*.md")):
        rel = page.relative_to(pristine / "docs").as_posix()
        text = page.read_text("utf-8")
        if page_references(text) <= set(chosen) and not page_fences(text) & others:
            pages.append(rel)
        else:
            page.unlink()
            dropped.append(rel)
    config = config_mod.load(pristine)
    seconds = {}
    for name in chosen:
        meta = json.loads((pristine / "docs" / "notebooks" / f"{name}.ipynb").read_text())["metadata"]["execdoc"]
        seconds[name] = meta["seconds"]
    cfg = read_mkdocs_yml(pristine / "mkdocs.yml")
    languages, i18n_removed = 1, False
    for plugin in cfg.get("plugins", []):
        if _name(plugin) == "i18n" and isinstance(plugin, dict):
            languages = sum(1 for lang in (plugin["i18n"] or {}).get("languages", []) if lang.get("build", True)) or 1
    if languages > 1 and not keep_i18n:
        # One language: under mkdocs-static-i18n without execdoc's plugin (the floor,
        # the peers), mkdocs-jupyter's notebook pages are copied raw instead of
        # converted, so the floor would skip them and the notebook peers run nothing.
        # --keep-i18n builds every language.
        set_plugin(cfg, "i18n", None)
        languages, i18n_removed = 1, True
        for page in list(pages):
            if re.search(r"\.[a-z]{2}\.md$", page):
                (pristine / "docs" / page).unlink()
                pages.remove(page)
                dropped.append(page)
    cfg["strict"] = False  # kept pages may link to pages outside the subset; each build's exit code is checked
    cfg["nav"] = filter_nav(cfg.get("nav"), lambda p: (pristine / "docs" / p).exists(), lambda p: p)
    if "bench_smoke" in chosen:
        cfg["nav"] += [{"Bench smoke": "bench_smoke.md"}, {"Bench notebook": "notebooks/bench_smoke.ipynb"}]
    write_mkdocs_yml(pristine / "mkdocs.yml", cfg)
    return {"root": pristine, "snippets": chosen, "pages": pages, "dropped_pages": dropped,
            "notebook_pages": [f"notebooks/{n}.ipynb" for n in chosen], "record_seconds": seconds,
            "refreshed": refreshed, "library": Library(str(pristine)), "config": config, "languages": languages, "i18n_removed": i18n_removed}


def make_variant(setup: dict, tmp: Path, case: str) -> Path:
    from execdoc.collect import load_snippet

    pristine: Path = setup["root"]
    folder = tmp / case
    shutil.copytree(pristine, folder)
    if case in OURS:
        return folder
    cfg = read_mkdocs_yml(folder / "mkdocs.yml")
    drop_execdoc(cfg)
    snippets = {n: load_snippet(setup["config"], n) for n in setup["snippets"]}
    docs = folder / "docs"
    mode = "exec" if case == "markdown-exec" else "floor"
    ext = {"floor": "ipynb", "floor-md": "md", "markdown-exec": "md", "mkj-cache": "py", "mkj-nocache": "py"}[case]
    for rel in setup["pages"]:
        page = docs / rel
        text = static_values(page.read_text("utf-8"), setup["library"])
        prefix = re.sub(r"\W+", "-", rel.removesuffix(".md"))
        text = transform_page(text, snippets, mode, prefix)
        # Links to a notebook page follow it to its new file.
        text = re.sub(r"(notebooks/[\w-]+)\.ipynb\b", rf"\1.{ext}", text)
        page.write_text(text, "utf-8")
    if case in ("markdown-exec", "floor-md"):
        set_plugin(cfg, "mkdocs-jupyter", None)
        if case == "markdown-exec":
            set_plugin(cfg, "markdown-exec", {})
        for name, snippet in snippets.items():
            (docs / "notebooks" / f"{name}.ipynb").unlink()
            (docs / "notebooks" / f"{name}.md").write_text(notebook_page(snippet, mode), "utf-8")
    elif case.startswith("mkj-"):
        current = next((p for p in cfg["plugins"] if _name(p) == "mkdocs-jupyter"), None)
        options = dict(current["mkdocs-jupyter"]) if isinstance(current, dict) else {}
        options.update({"include": ["notebooks/*.py"], "execute": True, "cache": case == "mkj-cache"})
        set_plugin(cfg, "mkdocs-jupyter", options)
        for name in snippets:
            (docs / "notebooks" / f"{name}.ipynb").unlink()
            shutil.copy2(folder / "snippets" / f"{name}.py", docs / "notebooks" / f"{name}.py")

    def rename(path: str) -> str:
        return re.sub(r"^(notebooks/[\w-]+)\.ipynb$", rf"\1.{ext}", path)

    cfg["nav"] = filter_nav(cfg.get("nav"), lambda p: (docs / p).exists(), rename)
    write_mkdocs_yml(folder / "mkdocs.yml", cfg)
    return folder


def run_env() -> dict:
    """One thread everywhere (our kernels set it themselves), a fixed hash seed."""
    env = dict(os.environ)
    for name in ("EXECDOC_EXECUTE", "MPLBACKEND"):  # kernels pick the inline backend themselves
        env.pop(name, None)
    env.update({"NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0",
                "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"})
    return env


# --- edits between runs --------------------------------------------------------

def prose_edit(folder: Path, pristine: Path, page: str, snippet: str, round_no: int) -> None:
    """Append a sentence to ``page`` and to the first Markdown cell of ``snippet``."""
    text = (pristine / "docs" / page).read_text("utf-8")
    (folder / "docs" / page).write_text(text.rstrip("\n") + f"\n\n基准测试改动的一句话 · bench prose edit {round_no}.\n", "utf-8")
    source = (pristine / "snippets" / f"{snippet}.py").read_text("utf-8").split("\n")
    for n, line in enumerate(source):
        if line.startswith("# %% [markdown]"):
            end = n + 1
            while end < len(source) and source[end].startswith("#") and not source[end].startswith("# %%"):
                end += 1
            source[end:end] = ["#", f"# Bench prose edit {round_no}."]
            break
    (folder / "snippets" / f"{snippet}.py").write_text("\n".join(source), "utf-8")


def code_edit(folder: Path, pristine: Path, snippet: str, round_no: int) -> None:
    """A comment line new every round in the first code cell: the code changed."""
    source = (pristine / "snippets" / f"{snippet}.py").read_text("utf-8").split("\n")
    for n, line in enumerate(source):
        if line.startswith("# %%") and not line.startswith("# %% [markdown]"):
            source.insert(n + 1, f"# bench edit {round_no}")
            break
    (folder / "snippets" / f"{snippet}.py").write_text("\n".join(source), "utf-8")


def make_cold(folder: Path, names: list[str]) -> None:
    for name in names:
        (folder / "docs" / "notebooks" / f"{name}.ipynb").unlink(missing_ok=True)
    for leftover in ("build", ".cache"):
        shutil.rmtree(folder / leftover, ignore_errors=True)


# --- one measured build ----------------------------------------------------------

def measure(folder: Path, label: str, profile: Path | None = None) -> dict:
    """Build ``folder`` in a fresh process under a fresh meter process
    (``profile``: under pyinstrument, writing its text report there)."""
    meter_out = folder / ".bench-meter.json"
    counts = folder / ".bench-counts.json"
    log = folder / ".bench-build.log"
    report = folder / "build" / "exec-report.json"
    for stale in (meter_out, counts, report):
        stale.unlink(missing_ok=True)
    build = [sys.executable, str(Path(__file__).resolve()), "--_build", str(counts)]
    if profile:
        build[1:1] = ["-m", "pyinstrument", "--renderer", "text", "--outfile", str(profile)]
    meter = [sys.executable, str(Path(__file__).resolve()), "--_meter", str(meter_out), str(log), "--", *build]
    env = run_env()
    # Local modules (snippets/digits.py) import in-process too (markdown-exec).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder / "snippets"), env.get("PYTHONPATH")]))
    if label == "markdown-exec":
        env["MPLBACKEND"] = "Agg"  # in the MkDocs process: no display
    subprocess.run(meter, cwd=folder, env=env, check=True)
    result = json.loads(meter_out.read_text())
    result["counts"] = json.loads(counts.read_text()) if counts.exists() else {}
    result["log"] = str(log)
    text = log.read_text("utf-8", "replace")
    # Ours: every pass of `execdoc build` in this process prints its summary (a
    # bilingual site builds once per language, and the last pass rewrites
    # build/exec-report.json, so the report alone would miss the first pass).
    summaries = SUMMARY.findall(text)
    if summaries or report.exists():
        executed = EXECUTED.findall(text)
        result["ours"] = {
            "passes": len(summaries),
            "executed": sum(int(n) for n, _, _ in summaries),
            "failed": sum(int(k) for _, _, k in summaries),
            "names": sorted(executed),
            # each executed snippet's seconds, exactly as its fresh record holds them
            "seconds": {n: _record_seconds(folder, n) for n in executed},
            "report": json.loads(report.read_text())["summary"] if report.exists() else None,
        }
    result["warnings"] = [line for line in text.splitlines() if line.startswith(("WARNING", "ERROR"))]
    return result


SUMMARY = re.compile(r"^execdoc: (\d+) executed, (\d+) reused, (\d+) failed$", re.M)
EXECUTED = re.compile(r"^execdoc: \[\d+/\d+\] ([\w-]+): executed", re.M)
SESSION = re.compile(r'^\s*(?:>\s*)*```python exec="on" session="([^"]+)"', re.M)


def _record_seconds(folder: Path, name: str) -> float | None:
    try:
        return json.loads((folder / "docs" / "notebooks" / f"{name}.ipynb").read_text())["metadata"]["execdoc"]["seconds"]
    except (OSError, ValueError, KeyError):
        return None


def session_blocks(folder: Path) -> dict[str, int]:
    """markdown-exec: exec blocks per session in the generated pages."""
    blocks: dict[str, int] = {}
    for page in (folder / "docs").rglob("*.md"):
        for session in SESSION.findall(page.read_text("utf-8")):
            blocks[session] = blocks.get(session, 0) + 1
    return blocks


def executions(case: str, run: dict, folder: Path) -> int | None:
    """Snippet runs in one build, counted from what really ran."""
    counts = run.get("counts", {})
    if case in OURS:
        return run["ours"]["executed"] if "ours" in run else None
    if case == "markdown-exec":
        # A session is one snippet on one page; it ran once per time its blocks all ran
        # (a page rendered for two languages runs them twice).
        blocks = session_blocks(folder)
        return round(sum(n / blocks[s] for s, n in counts.get("exec_by_session", {}).items() if s in blocks))
    return counts.get("kernels", 0)


def child_build(counts_path: str) -> int:
    """The build process: ``mkdocs build`` with execution counters (audit hooks)."""
    counts = {"kernels": 0, "exec_by_session": {}, "exec_cells": 0}

    def hook(event, args):
        if event == "exec":
            name = getattr(args[0], "co_filename", "")
            if name.startswith("<code block: "):
                counts["exec_cells"] += 1
                session = re.match(r"<code block: (?:session ([^;>]+)|)", name)
                key = session.group(1) if session and session.group(1) else name
                counts["exec_by_session"][key] = counts["exec_by_session"].get(key, 0) + 1
        elif event == "subprocess.Popen":
            argv = args[1] or []
            argv = [argv] if isinstance(argv, (str, bytes)) else argv
            if any("ipykernel" in str(a) for a in argv):
                counts["kernels"] += 1

    sys.addaudithook(hook)
    from mkdocs.__main__ import cli
    code = 0
    try:
        cli.main(args=["build", "--site-dir", "site"], prog_name="mkdocs", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    Path(counts_path).write_text(json.dumps({
        "kernels": counts["kernels"], "exec_by_session": counts["exec_by_session"],
        "exec_cells": counts["exec_cells"], "mkdocs_rss_kib": self_rss, "kernel_rss_kib": kids_rss}))
    return code


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in KiB."""
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page_kib
            for task in os.listdir(f"/proc/{p}/task"):
                todo.extend(int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def child_meter(out: str, log: str, command: list[str]) -> int:
    """The meter: run one build, time it, and read its peak memory."""
    with open(log, "w") as handle:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
        tree_peak = 0
        while process.poll() is None:
            tree_peak = max(tree_peak, _tree_rss_kib(process.pid))
            time.sleep(0.1)
        wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(out).write_text(json.dumps({"rc": process.returncode, "wall_s": wall,
                                     "peak_rss_kib": usage.ru_maxrss, "tree_peak_kib": tree_peak,
                                     "cpu_s": usage.ru_utime + usage.ru_stime}))
    return 0


# --- the run -------------------------------------------------------------------

def stats(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "runs": [round(v, 3) for v in values]}


def run_bench(args) -> dict:
    started = time.monotonic()
    smoke = args.smoke
    rounds = 1 if smoke else args.rounds
    chosen = [s.strip().removesuffix(".py") for s in args.snippets.split(",")] if args.snippets else None
    tmp = Path(tempfile.mkdtemp(prefix="execdoc-bench-"))
    info = machine_info(shared=not args.not_shared)
    try:
        setup = make_pristine(tmp, chosen, smoke, args.keep_i18n)
        names = setup["snippets"]
        say(f"snippets: {', '.join(names)}; pages: {', '.join(setup['pages']) or 'none'}; rounds: {rounds}; "
            f"temporary folder {tmp}")
        have_mdexec = _version("markdown-exec") is not None
        cases = [c for c in CASES if have_mdexec or c[0] != "markdown-exec"]
        if args.cases:
            wanted = {"floor", *args.cases.split(",")}  # every ratio is against the floor
            unknown = wanted - {c[0] for c in CASES}
            if unknown:
                raise SystemExit(f"bench: unknown case(s) {', '.join(sorted(unknown))}; "
                                 f"known: {', '.join(c[0] for c in CASES)}")
            cases = [c for c in cases if c[0] in wanted]
        folders = {case: make_variant(setup, tmp, case) for case, _, _ in cases}

        edit_snippet = min(names, key=lambda n: setup["record_seconds"][n])
        users = [p for p in setup["pages"] if edit_snippet in page_references((setup["root"] / "docs" / p).read_text("utf-8"))]
        prose_page = (users or setup["pages"] or [None])[0]

        # Warm-up, untimed: records and caches as a working author has them.
        # A smoke run times nothing that matters: only the cache that defines a case is warmed.
        warmups = ["mkj-cache"] if smoke else ["floor", "floor-md", "warm", "prose", "snippet", "mkj-cache"]
        warmups = [c for c in warmups if c in folders]
        if args.profile:
            warmups = [c for c in warmups if c in args.profile.split(",")]
        for case in warmups:
            say(f"warm-up build: {case}")
            run = measure(folders[case], case)
            if run["rc"] != 0:
                raise SystemExit(f"bench: warm-up build of {case} failed; see {run['log']}")

        def prepare(case: str, round_no: int) -> None:
            folder = folders[case]
            if case == "prose":
                if prose_page is None:
                    raise SystemExit("bench: no page to edit for the prose case")
                prose_edit(folder, setup["root"], prose_page, edit_snippet, round_no)
            elif case == "snippet":
                code_edit(folder, setup["root"], edit_snippet, round_no)
            elif case == "cold":
                make_cold(folder, names)

        if args.profile:
            for case in args.profile.split(","):
                prepare(case, 1)
                target = args.out.parent / f"bench-profile-{case}.txt"
                target.parent.mkdir(parents=True, exist_ok=True)
                run = measure(folders[case], case, profile=target)
                say(f"profiled {case}: {run['wall_s']:.2f} s under pyinstrument -> {target}")
            return {}

        runs: dict[str, list[dict]] = {case: [] for case, _, _ in cases}
        order = [case for case, _, _ in cases]
        # The cases that execute nothing take seconds and carry the finest target
        # (warm against the floor): they run `repeat` times a round, interleaved.
        repeat = 1 if smoke else max(1, args.repeat_cheap)
        cheap = [case for case in order if case in CHEAP]
        edits = 0
        for r in range(rounds):
            sequence = cheap * (repeat - 1) + order
            for case in (sequence if r % 2 == 0 else sequence[::-1]):
                folder = folders[case]
                edits += 1
                prepare(case, edits)
                run = measure(folder, case)
                run["executions"] = executions(case, run, folder)
                runs[case].append(run)
                say(f"round {r + 1}/{rounds} {case}: {run['wall_s']:.2f} s, {run['executions']} executions, "
                    f"peak {run['peak_rss_kib'] / 1024:.0f} MiB (tree {run['tree_peak_kib'] / 1024:.0f} MiB)"
                    + ("" if run["rc"] == 0 else f", FAILED (exit {run['rc']}; {run['log']})"))
        info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        return summarise(args, info, setup, cases, runs, edit_snippet, prose_page, time.monotonic() - started)
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def summarise(args, info, setup, cases, runs, edit_snippet, prose_page, total_s) -> dict:
    names = setup["snippets"]
    cores = info["cores"]
    out_cases = []
    medians = {}
    for case, label, label_zh in CASES:
        entry = {"id": case, "label": label, "label_zh": label_zh}
        if case not in runs:
            note = ("not asked for (--cases)" if args.cases and case not in args.cases.split(",")
                    else "markdown-exec is not installed (make bench installs it)")
            entry.update({"status": "skipped", "note": note})
            out_cases.append(entry)
            continue
        case_runs = runs[case]
        failed = [r for r in case_runs if r["rc"] != 0]
        exec_errors = [w for r in case_runs for w in r["warnings"] if "markdown_exec" in w]
        failed += [r for r in case_runs if r.get("ours", {}).get("failed")]
        status = "failed" if failed or exec_errors else "ok"
        wall = stats([r["wall_s"] for r in case_runs])
        medians[case] = wall["median"]
        execs = [r["executions"] for r in case_runs]
        entry.update({
            "status": status,
            "wall_s": wall,
            "executions": {"median": statistics.median(execs) if None not in execs else None, "runs": execs},
            "peak_rss_mib": stats([r["peak_rss_kib"] / 1024 for r in case_runs]),
            "tree_peak_mib": stats([r["tree_peak_kib"] / 1024 for r in case_runs]),
            "cpu_s": stats([r["cpu_s"] for r in case_runs]),
            "kernels": [r["counts"].get("kernels") for r in case_runs],
        })
        if case == "markdown-exec":
            entry["exec_cells"] = [r["counts"].get("exec_cells") for r in case_runs]
        if case in OURS:
            entry["executed"] = [r.get("ours", {}).get("names") for r in case_runs]
            entry["passes"] = [r.get("ours", {}).get("passes") for r in case_runs]
            entry["exec_report_summary"] = [r.get("ours", {}).get("report") for r in case_runs]
        if status == "failed":
            entry["note"] = "; ".join(filter(None, [
                f"{len(failed)} run(s) exited non-zero" if failed else "",
                f"{len(exec_errors)} execution error(s): {exec_errors[0][:200]}" if exec_errors else ""]))
        out_cases.append(entry)
    floor, warm = medians.get("floor"), medians.get("warm")
    for entry in out_cases:
        if entry["id"] in medians:
            entry["ratio_floor"] = round(medians[entry["id"]] / floor, 2) if floor else None
            entry["ratio_warm"] = round(medians[entry["id"]] / warm, 2) if warm else None

    cold_runs = runs.get("cold", [])
    sums = [sum(v or 0 for v in r["ours"]["seconds"].values()) for r in cold_runs if r.get("ours")]
    sum_seconds = round(statistics.median(sums), 3) if sums else None
    per_round = [round(r["wall_s"] / (total / cores), 2) for r, total in zip(cold_runs, sums) if total]
    ideal = sum_seconds / cores if sum_seconds else None
    cold = medians.get("cold")
    by_id = {e["id"]: e for e in out_cases}

    def all_equal(case, value):
        runs_ = by_id.get(case, {}).get("executions", {}).get("runs")
        return bool(runs_) and all(x == value for x in runs_)

    targets = []

    def target(tid, text, text_zh, value, limit, met):
        targets.append({"id": tid, "text": text, "text_zh": text_zh, "value": value, "limit": limit, "met": met})

    if floor and warm:
        target("warm_floor", "Warm ≤ 1.2× the floor, with 0 executions", "热构建 ≤ 1.2 × 下限，且执行 0 次",
               round(warm / floor, 2), 1.2, warm / floor <= 1.2 and all_equal("warm", 0))
    if "prose" in runs:
        target("prose_zero", "Prose edit: 0 executions", "改文字：执行 0 次",
               by_id["prose"]["executions"]["runs"], 0, all_equal("prose", 0))
    if "snippet" in runs:
        target("snippet_one", "One-snippet edit: exactly 1 execution", "改一个 snippet：恰好执行 1 次",
               by_id["snippet"]["executions"]["runs"], 1, all_equal("snippet", 1))
    if warm and medians.get("markdown-exec"):
        speedup = medians["markdown-exec"] / warm
        target("warm_mdexec", "Warm ≥ 5× faster than markdown-exec", "热构建比 markdown-exec 快 ≥ 5 倍",
               round(speedup, 2), 5, speedup >= 5 and by_id["markdown-exec"]["status"] == "ok")
    if cold and ideal is not None and floor:
        bound = 1.3 * ideal + floor
        target("cold_ideal", "Cold ≤ 1.3× (Σ snippet seconds ÷ cores) + the floor",
               "冷构建 ≤ 1.3 × (Σ snippet 秒数 ÷ 核数) + 下限", round(cold, 2), round(bound, 2), cold <= bound)

    return {
        "schema": SCHEMA,
        "smoke": bool(args.smoke),
        "partial": bool(args.cases),
        "subset": sorted(names) != snippet_names(ROOT / "snippets"),
        "machine": info,
        "settings": {
            "rounds": len(runs["cold"]) if runs.get("cold") else 0,
            "order": "A B A B: every case once per round (the cases that execute nothing "
                     f"{1 if args.smoke else args.repeat_cheap} times), order reversed every other round; medians",
            "repeat_cheap": 1 if args.smoke else args.repeat_cheap,
            "snippets": names,
            "pages": setup["pages"] + setup["notebook_pages"],
            "dropped_pages": setup["dropped_pages"],
            "record_seconds": setup["record_seconds"],
            "records_executed_before_timing": setup["refreshed"],
            "languages": setup["languages"],
            "i18n_removed": setup["i18n_removed"],
            "edit_snippet": edit_snippet,
            "prose_page": prose_page,
            "cpu": "cpu_s: user + system CPU seconds of the build and every process it waited for (getrusage "
                   "RUSAGE_CHILDREN in the meter); steadier than wall time on a shared machine",
            "memory": "peak_rss_mib: largest single process of the build (getrusage RUSAGE_CHILDREN in a fresh "
                      "meter process); tree_peak_mib: sampled sum over the build's process tree every 0.1 s",
            "executions": "ours: the 'N executed' summaries execdoc prints, one per build pass (with i18n one "
                          "pass per language; build/exec-report.json keeps only the last pass), cross-checked "
                          "with ipykernel launches; mkdocs-jupyter: ipykernel launches (audit hook on "
                          "subprocess.Popen); markdown-exec: runs of each session, one per page and snippet and "
                          "rendering (audit hook on exec of '<code block: session …>' ÷ the session's blocks)",
            "total_s": round(total_s, 1),
        },
        "cases": out_cases,
        "sum_snippet_seconds": sum_seconds,
        "cores": cores,
        "ideal_parallel_s": round(ideal, 3) if ideal else None,
        "cold_over_ideal": round(cold / ideal, 2) if cold and ideal else None,
        "sum_snippet_seconds_runs": [round(x, 3) for x in sums],
        "cold_over_ideal_runs": per_round,
        "targets": targets,
    }


def table(result: dict) -> str:
    head = (f"{'case':<46} {'wall s (median)':>16} {'min–max':>13} {'CPU s':>6} {'exec':>6} {'peak MiB':>9} "
            f"{'tree MiB':>9} {'÷floor':>7} {'÷warm':>7}")
    lines = [head, "-" * len(head)]
    for e in result["cases"]:
        if e["status"] == "skipped":
            lines.append(f"{e['label']:<46} skipped: {e['note']}")
            continue
        w = e["wall_s"]
        execs = e["executions"]["runs"]
        ex = str(execs[0]) if len(set(execs)) == 1 else "/".join(map(str, execs))
        lines.append(f"{e['label']:<46} {w['median']:>16.2f} {w['min']:>6.1f}–{w['max']:<6.1f} "
                     f"{e['cpu_s']['median']:>6.1f} {ex:>6} "
                     f"{e['peak_rss_mib']['median']:>9.0f} {e['tree_peak_mib']['median']:>9.0f} "
                     f"{e.get('ratio_floor') or 0:>7.2f} {e.get('ratio_warm') or 0:>7.2f}"
                     + ("" if e["status"] == "ok" else f"  FAILED: {e.get('note', '')}"))
    m = result["machine"]
    lines.append("")
    if result["sum_snippet_seconds"]:
        lines.append(f"Σ snippet seconds (cold runs) {result['sum_snippet_seconds']:.1f} s ÷ {result['cores']} cores "
                     f"= {result['ideal_parallel_s']:.1f} s; cold ÷ that = {result['cold_over_ideal']} "
                     f"(per round: {result['cold_over_ideal_runs']})")
    for t in result["targets"]:
        lines.append(f"[{'met' if t['met'] else 'MISSED'}] {t['text']}: {t['value']} (limit {t['limit']})")
    lines.append(f"machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, torch {m['torch']}, {m['date']}; "
                 f"load average {m['load_average_start']} → {m.get('load_average_end')}")
    if m["shared"]:
        lines.append("NOTE: the machine was shared with other jobs while this ran: timings are noisy; "
                     "compare the ratios, not the seconds.")
    return "\n".join(lines)


def approve(out: Path) -> int:
    if not out.exists():
        print(f"bench: {out} does not exist; run tools/bench.py first", file=sys.stderr)
        return 1
    data = json.loads(out.read_text())
    if data.get("smoke") or data.get("partial") or data.get("subset"):
        print("bench: refusing to approve a --smoke, --cases or --snippets run: the page shows every case "
              "on the whole course", file=sys.stderr)
        return 1
    target = ROOT / "docs" / "performance" / "bench.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(out, target)
    print(f"bench: approved {out} as {target.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--_build"]:
        return child_build(argv[1])
    if argv[:1] == ["--_meter"]:
        return child_meter(argv[1], argv[2], argv[argv.index("--") + 1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="rounds of all cases (default 3)")
    parser.add_argument("--repeat-cheap", type=int, default=DEFAULT_REPEAT_CHEAP,
                        help="runs per round of the cases that execute nothing (default 3; --smoke: 1)")
    parser.add_argument("--snippets", help=f"comma-separated names, or 'all' (default: {DEFAULT_SNIPPETS})")
    parser.add_argument("--cases", help="comma-separated case ids to run (the floor always runs); "
                                        "such a run cannot be approved")
    parser.add_argument("--smoke", action="store_true", help="one round on one tiny snippet (a test that it works)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json", help="JSON result (default build/bench.json)")
    parser.add_argument("--approve", action="store_true", help="copy --out to docs/performance/bench.json and stop")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--profile", metavar="CASES",
                        help="instead of timing: one build of each case (e.g. warm,floor) under pyinstrument "
                             "(requirements-dev.lock), text report in build/bench-profile-CASE.txt")
    parser.add_argument("--keep-i18n", action="store_true",
                        help="build every language of mkdocs-static-i18n (default: the default language only)")
    parser.add_argument("--not-shared", action="store_true", help="the machine ran nothing else (default: shared)")
    args = parser.parse_args(argv)
    if args.approve:
        return approve(args.out)
    result = run_bench(args)
    if args.profile:
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(table(result))
    print(f"\nwrote {args.out}")
    failed = [e["id"] for e in result["cases"] if e["status"] == "failed"]
    if failed:
        print(f"bench: failed case(s): {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
