"""A snippet that prints a lot: ours against plain nbclient on the same code.

``python -m tools.bench.output [--mb 50] [--line 100]`` from the project folder.
Each side runs in a fresh process (so its peak memory is its own): ours is
``execdoc.kernel.run.run_snippet`` with the default limits, plain nbclient is
``NotebookClient(...).execute()`` on the same notebook. Printed: seconds,
MB/s and the engine process's peak resident memory (the kernel's is apart).
Target: ours at least 0.7x nbclient's speed, with its memory bounded.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

SNIPPET = """\
# %% flood
import sys
line = "y" * {width} + "\\n"
for _ in range({count}):
    sys.stdout.write(line)
"""

SIDE = r"""
import asyncio, json, resource, sys, time
from pathlib import Path
side, root = sys.argv[1], Path(sys.argv[2])
began = time.monotonic()
if side == "ours":
    from execdoc import config as config_mod
    from execdoc.kernel import run
    from execdoc.snippets import load_snippet
    config = config_mod.load(root)
    result = asyncio.run(run.run_snippet(config, load_snippet(config, "flood")))
    assert result.status == "ok", result.error
    kept = len(result.notebook.cells[0].outputs[0].text)
else:
    import jupytext
    from nbclient import NotebookClient
    nb = jupytext.read(root / "snippets" / "flood.py")
    NotebookClient(nb, timeout=600, kernel_name="python3").execute()
    kept = sum(len(o.get("text", "")) for o in nb.cells[0].outputs)
seconds = time.monotonic() - began
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "kept_bytes": kept}))
"""


def side(name: str, root: Path) -> dict:
    run = subprocess.run([sys.executable, "-c", SIDE, name, str(root)], capture_output=True, text=True, timeout=900)
    if run.returncode:
        raise SystemExit(f"{name}: failed\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench.output", description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=50.0, help="megabytes printed (default 50)")
    parser.add_argument("--line", type=int, default=100, help="bytes per line, newline included (default 100)")
    args = parser.parse_args(argv)
    total = int(args.mb * 1e6)
    with tempfile.TemporaryDirectory(prefix="execdoc-bench-output-") as folder:
        root = Path(folder)
        (root / "snippets").mkdir()
        (root / "docs").mkdir()
        (root / "pyproject.toml").write_text("[tool.execdoc]\ntimeout = 600\njobs = 1\n")
        (root / "snippets" / "flood.py").write_text(SNIPPET.format(width=args.line - 1, count=total // args.line))
        results = {name: side(name, root) for name in ("nbclient", "ours")}
    mb = total / 1e6
    print(f"{mb:.0f} MB printed in lines of {args.line} bytes")
    for name, r in results.items():
        print(f"  {name:9} {r['seconds']:7.2f} s  {mb / r['seconds']:7.1f} MB/s  peak {r['peak_mb']:7.0f} MB  "
              f"(kept {r['kept_bytes']:,} bytes)")
    ratio = results["nbclient"]["seconds"] / results["ours"]["seconds"]
    print(textwrap.dedent(f"""\
        ours at {ratio:.2f}x nbclient's speed (target >= 0.7x), peak memory
        {results['ours']['peak_mb']:.0f} MB against {results['nbclient']['peak_mb']:.0f} MB"""))
    return 0 if ratio >= 0.7 else 1


if __name__ == "__main__":
    sys.exit(main())
