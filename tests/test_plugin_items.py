"""`pytest --execdoc` on a project of its own: a snippet that no longer matches its record
fails as its item, with the check's words; on GitHub Actions it becomes an annotation on
the snippet's line, a row of the job summary, and its changed figure is kept side by side."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from xml.etree import ElementTree

from helpers import Project
from execdoc import pipeline

# A 2x1 or 3x1 grey PNG, made by hand: no plotting library needed.
FIGURE = """
# %% setup
import base64, struct, zlib
from IPython.display import display
width = 6 * 7 // 21

# %% show
print(f"width {width}")

# %% figure
def png(w, h):
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data
                                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\\x00" + b"\\x80" * w for _ in range(h))
    return (b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
display({"image/png": base64.b64encode(png(width * 4, 1)).decode()}, raw=True)
"""

STEADY = """
# %% show
print("steady 1.5")
"""


def run_plugin(project: Project, summary, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "EXECDOC_CHECK"))}
    env.update(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--execdoc",
                           "--rootdir", str(project.root), *args], cwd=project.root, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_broken_snippet_is_annotated_on_its_line_summarised_and_its_figure_kept(project, tmp_path):
    project.snippet("figure", FIGURE)
    project.snippet("steady", STEADY)
    assert pipeline.build(project.config).ok
    source = project.root / "snippets" / "figure.py"
    source.write_text(source.read_text().replace("6 * 7 // 21", "6 * 7 // 14"))  # width 2 -> 3
    summary = tmp_path / "summary.md"

    run = run_plugin(project, summary, "-p", "no:randomly")

    assert run.returncode == 1, run.stdout + run.stderr
    first = ("figure.py:7, cell 'show': output 1 (stdout text), line 1, number 1: expected 2, got 3 "
             "(tolerance rtol=1e-06, atol=1e-09) in 'width 3'")
    code_note = " (the code differs from the record's too: `execdoc approve figure` once the new outputs are right)"
    annotations = [line for line in run.stdout.splitlines() if line.startswith("::")]
    assert annotations == [f"::error file=snippets/figure.py,line=7,title=figure differs from its record "
                           f"[native]::{first}{code_note}"]
    rows = [line for line in summary.read_text("utf-8").splitlines() if line.startswith("| `")]
    assert [row.split(" | ")[:3] for row in rows] == [["| `snippets/figure.py:7`", "native", "❌ failed"],
                                                      ["| `snippets/steady.py`", "native", "✅ passed"]]
    assert rows[0].endswith(f" | {first}{code_note} |")
    # Pytest's own report: the check's words, no Python traceback.
    assert "Traceback" not in run.stdout and "pytest_plugin.py" not in run.stdout
    assert re.search(r"^_+ figure \[native\] _+\n" + re.escape(f"{first}{code_note}\n  (the record is not calibrated"),
                     run.stdout, re.M)
    figures = project.root / "build" / "check" / "figures"
    assert sorted(p.name for p in figures.iterdir()) == [
        "figure-cell-3-output-1.fresh.png", "figure-cell-3-output-1.html", "figure-cell-3-output-1.recorded.png"]
    size = lambda png: (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))  # noqa: E731
    assert size((figures / "figure-cell-3-output-1.recorded.png").read_bytes()) == (8, 1)
    assert size((figures / "figure-cell-3-output-1.fresh.png").read_bytes()) == (12, 1)


def test_k_picks_one_snippet_and_junit_xml_names_its_item(project, tmp_path):
    project.snippet("figure", FIGURE)
    project.snippet("steady", STEADY)
    assert pipeline.build(project.config).ok
    junit = tmp_path / "junit.xml"
    run = run_plugin(project, tmp_path / "summary.md", "-k", "steady", f"--junitxml={junit}")
    assert run.returncode == 0, run.stdout + run.stderr
    cases = ElementTree.parse(junit).getroot().iter("testcase")
    assert [(c.get("classname"), c.get("name"), [p.get("name") for p in c.iter("property")]) for c in cases] == [
        ("snippets.steady", "execdoc[native]",
         ["execdoc_snippet", "execdoc_profile", "execdoc_file", "execdoc_seconds"])]
    assert "::error" not in run.stdout
