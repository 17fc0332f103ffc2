"""The MkDocs adapter end to end: a real `mkdocs build --strict` of a small project."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers import OK_SNIPPET

MKDOCS_YML = """\
site_name: t
strict: true
theme: {name: material, language: zh, font: false}
plugins:
  - execdoc
  - mkdocs-jupyter:
      include: ["notebooks/*.ipynb"]
      execute: false
markdown_extensions:
  - pymdownx.highlight
  - execdoc.markdown
"""


def mkdocs(project):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("EXECDOC_EXECUTE", None)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project.root,
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def site(project):
    (project.root / "mkdocs.yml").write_text(MKDOCS_YML)
    project.snippet("tiny", OK_SNIPPET)
    project.page("index.md", """
        # Home

        The answer is {{ tiny.answer }}.

        ```snippet show="output"
        tiny.py#show
        ```
    """)
    return project


def test_ok_site_shows_real_output_notebook_page_and_downloads(site):
    run = mkdocs(site)
    assert run.returncode == 0, run.stderr
    assert "execdoc: 1 executed, 0 reused, 0 failed" in run.stderr
    page = (site.root / "site" / "index.html").read_text()
    assert "The answer is 42." in page
    assert '<pre class="execdoc-stdout"><code>answer 42, ratio 0.785398\n</code></pre>' in page
    notebook = (site.root / "site" / "notebooks" / "tiny" / "index.html").read_text()
    assert ('<a href="../../downloads/tiny.ipynb" download>tiny.ipynb</a> · '
            '<a href="../../downloads/tiny.py" download>tiny.py</a>') in notebook
    assert (site.root / "site" / "downloads" / "tiny.py").read_text() == (site.root / "snippets" / "tiny.py").read_text()
    # The download is the record's cells and outputs, without execdoc's metadata (values, key, machine).
    download = json.loads((site.root / "site" / "downloads" / "tiny.ipynb").read_text("utf-8"))
    record = json.loads(site.record("tiny").read_text("utf-8"))
    assert "execdoc" in record["metadata"] and "execdoc" not in download["metadata"]
    assert [(c["source"], c.get("outputs")) for c in download["cells"]] == \
        [(c["source"], c.get("outputs")) for c in record["cells"]]
    assert not any("execdoc" in c["metadata"] for c in download["cells"])
    assert download["metadata"]["kernelspec"] == record["metadata"]["kernelspec"]
    # the second build executes nothing
    again = mkdocs(site)
    assert again.returncode == 0 and "execdoc: 0 executed, 1 reused, 0 failed" in again.stderr


def test_raises_fails_the_site_build_with_snippet_line_and_traceback(site):
    site.snippet("bad", """
        # %% boom
        x = 1
        x / 0
    """)
    run = mkdocs(site)
    assert run.returncode != 0
    assert "bad.py:3 (cell 'boom', line 2): ZeroDivisionError: division by zero" in run.stderr
    assert "Traceback (most recent call last)\nCell In[1], line 2\n      1 x = 1\n----> 2 x / 0\n" in run.stderr
    assert "execdoc: snippet(s) failed: bad" in run.stderr


def test_missing_reference_fails_the_site_build_naming_page_and_reference(site):
    site.page("other.md", "Value {{ tiny.nope }}\n")
    run = mkdocs(site)
    assert run.returncode != 0
    assert "other.md: value reference '{{ tiny.nope }}': tiny.py recorded no value 'nope'" in run.stderr


def test_fresh_record_reaches_mkdocs_jupyter_cache_before_render_and_page_is_unchanged(site):
    # Cold: the record is converted while the build runs, so the page render is a cache hit.
    run = mkdocs(site)
    assert run.returncode == 0, run.stderr
    record = site.record("tiny")
    assert f"Cache hit: {record}" in run.stderr
    assert "Cache miss" not in run.stderr
    entries = list((site.root / ".cache" / "mkdocs-jupyter").glob("*.json"))
    assert len(entries) == 1
    ours = (site.root / "site" / "notebooks" / "tiny" / "index.html").read_text()

    # The same page with mkdocs-jupyter converting by itself (cache off: no head start).
    (site.root / "mkdocs.yml").write_text(MKDOCS_YML.replace("execute: false", "execute: false\n      cache: false"))
    plain = mkdocs(site)
    assert plain.returncode == 0, plain.stderr
    assert "Cache hit" not in plain.stderr
    assert (site.root / "site" / "notebooks" / "tiny" / "index.html").read_text() == ours
