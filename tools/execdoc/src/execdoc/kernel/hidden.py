"""Code the engine runs in a snippet's kernel, hidden from the record: the
set-up before the snippet, and the collection of its simple values after it."""

from __future__ import annotations

import base64

# Run before the snippet, not shown: legible figures in one raster format.
SETUP = """\
get_ipython().run_line_magic("config", "InlineBackend.figure_formats = ['png']")
get_ipython().run_line_magic("config", "InlineBackend.rc = {'figure.dpi': 100, 'savefig.bbox': 'tight'}")
"""

# Run before the snippet, not shown: IPython 9 keeps a copy of everything a
# cell prints (for its history) by replacing ``write`` during each cell; off,
# so a runaway print does not double the kernel's memory and the bound below stays.
NO_TEE = """\
get_ipython()._tee = lambda channel: __import__("contextlib").nullcontext()
"""

# Run before the snippet (in a namespace of its own), not shown: the kernel
# sends what a cell prints at least every MiB and waits until it is sent, so
# no message is larger than about a MiB however fast a snippet prints (the
# engine caps what it keeps; see execdoc.kernel.output).
BOUNDED_STREAMS = r"""
import sys

def bound(stream, most=1 << 20):
    write, flush, pending = stream.write, stream.flush, [0]

    def bounded(text):
        if not isinstance(text, str) or len(text) <= most and pending[0] + len(text) < most:
            pending[0] += len(text) if isinstance(text, str) else 0
            return write(text)
        for start in range(0, len(text), most):
            write(text[start:start + most])
            pending[0] = 0
            flush()
        return len(text)

    stream.write = bounded

for stream in (sys.stdout, sys.stderr):
    bound(stream)
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
# Local modules imported at run time (``importlib.import_module`` included):
# they enter the record, so editing one makes it stale.
imported = set()
for module in list(__import__("sys").modules.values()):
    file = getattr(module, "__file__", None)
    if modules and isinstance(file, str) and os.path.abspath(file).startswith(modules + os.sep):
        imported.add(os.path.relpath(os.path.abspath(file), modules).replace(os.sep, "/"))
print(json.dumps({"values": found, "withheld": sorted(withheld), "imported": sorted(imported)}, sort_keys=True))
"""


def isolated(source: str, modules: str = "") -> str:
    """Hidden code that runs ``source`` with the real builtins in a namespace of
    its own; ``namespace`` there is the snippet's, ``modules`` the folder of
    the run's copy of the local modules. Only ``__import__`` is looked
    up in the snippet's namespace, and a dunder is not something snippets shadow."""
    encoded = base64.b64encode(source.encode()).decode()
    return (f'__import__("builtins").exec(__import__("base64").b64decode("{encoded}").decode(), '
            '{"__builtins__": __import__("builtins"), "namespace": __import__("builtins").globals(), '
            f'"modules": {modules!r}}})')
