"""execdoc for a site that is not the course: `execdoc new`, the smallest
configuration, a one-language site, and the README's configuration reference.

These run with the suite's own interpreter; tests/test_install.py builds the
same kinds of site with execdoc installed into a fresh virtual environment.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from helpers import OK_SNIPPET
from execdoc import config as config_mod, scaffold

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "tools" / "execdoc" / "README.md"
START, END = "<!-- config-reference:start -->", "<!-- config-reference:end -->"

# Plain strings: a one-language site needs no {en: ...} tables.
BANK = """\
title: Tiny
questions:
  - id: answer
    type: numeric
    value: tiny.answer
    prompt: What is the answer?
    explanation: It is {{ tiny.answer }}.
  - id: shown
    type: output
    code: tiny.py#show
    prompt: What does this cell evaluate to?
    explanation: The answer plus one.
  - id: pick
    type: single
    prompt: Which is a prime?
    options:
      - text: seven
        correct: true
        feedback: Yes.
      - text: eight
        feedback: Two times four.
    explanation: Seven has no divisor but one and itself.
"""


def env() -> dict:
    out = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    out.pop("EXECDOC_EXECUTE", None)
    return out


def execdoc(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "execdoc", *args], cwd=cwd, capture_output=True, text=True,
                          env=env(), timeout=300)


def mkdocs_build(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=cwd, capture_output=True,
                          text=True, env=env(), timeout=300)


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")


PAGE = """
# Home

The answer is {{ tiny.answer }}, and $\\alpha^2$ is math.

```snippet
tiny.py#show
```
"""

QUIZ_PAGE = """
# Quiz

```quiz
quiz.yml
```
"""


def test_new_writes_the_template_outside_any_project_and_refuses_a_non_empty_folder(tmp_path):
    # Scenario: a person with execdoc installed and no project at all runs `execdoc new site`.
    run = execdoc("new", "site", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    site = tmp_path / "site"
    written = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert written == sorted(scaffold.target(p).as_posix() for p in scaffold.files())
    assert {".gitignore", "mkdocs.yml", "zensical.toml", "README.md", "snippets/hello.py", "docs/index.md",
            "docs/quiz.md", "docs/quiz.yml"} <= set(written)
    mkdocs_yml = yaml.safe_load((site / "mkdocs.yml").read_text())
    assert mkdocs_yml["strict"] is True and "execdoc" in mkdocs_yml["plugins"]
    assert "markdown_extensions" not in mkdocs_yml and "theme" not in mkdocs_yml  # MkDocs' own theme
    snippet = (site / "snippets" / "hello.py").read_text()
    assert "# %% " in snippet and "random.seed" in snippet and "assert " in snippet
    assert not re.search(r"^\s*(import|from)\s+(numpy|torch|keras)\b", snippet, re.M)
    assert "site/" in (site / ".gitignore").read_text() and "build/" in (site / ".gitignore").read_text()

    # Scenario: the same command again, into the folder it just filled: refused, one line, exit 2.
    again = execdoc("new", "site", cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr.strip().splitlines() == [
        "execdoc: error: site is not empty; execdoc new writes only into a new or empty folder"]
    assert (site / "docs" / "index.md").read_text() == (scaffold.TEMPLATE / "docs" / "index.md").read_text()
    # An empty folder that already exists is fine.
    (tmp_path / "empty").mkdir()
    assert execdoc("new", "empty", cwd=tmp_path).returncode == 0


def test_minimal_config(tmp_path):
    # Scenario: mkdocs.yml holds site_name and `plugins: [execdoc]`, nothing else,
    # and no pyproject.toml: the plugin alone brings fences, values, math and assets.
    root = tmp_path / "minimal"
    write(root, {"mkdocs.yml": "site_name: Minimal\nplugins: [execdoc]\n",
                 "snippets/tiny.py": OK_SNIPPET, "docs/index.md": PAGE, "docs/quiz.md": QUIZ_PAGE,
                 "docs/quiz.yml": BANK})
    assert set(yaml.safe_load((root / "mkdocs.yml").read_text())) == {"site_name", "plugins"}
    assert not (root / "pyproject.toml").exists()

    run = mkdocs_build(root)
    assert run.returncode == 0, run.stderr
    assert "execdoc: 1 executed, 0 reused, 0 failed" in run.stderr
    page = (root / "site" / "index.html").read_text()
    assert "The answer is 42" in page
    assert '<pre class="execdoc-stdout"><code>answer 42, ratio 0.785398\n</code></pre>' in page
    assert '<div class="execdoc-cell" data-snippet="tiny.py" data-cell="show">' in page
    assert "<math><mrow>" in page and "MathML" not in page and "\\alpha" not in page
    assert 'href="execdoc/execdoc.css"' in page
    # The quiz's stylesheet and script are linked from the page with a quiz, and only from it.
    assert "quiz.js" not in page and "quiz.css" not in page
    quiz = (root / "site" / "quiz" / "index.html").read_text()
    assert 'class="execdoc-quiz' in quiz
    assert '<link rel="stylesheet" href="../execdoc/quiz.css">' in quiz
    assert '<script src="../execdoc/quiz.js" defer></script>' in quiz
    assert "<style data-execdoc" not in page + quiz  # linked, not inlined, under the plugin
    for name in ("execdoc.css", "quiz.css", "quiz.js"):
        assert (root / "site" / "execdoc" / name).is_file()


def test_one_language_site(tmp_path):
    # Scenario: an English site, `theme.language` set and no `languages` anywhere:
    # execdoc takes the theme's language, labels outputs in English and loads
    # a bank written in English alone.
    root = tmp_path / "english"
    write(root, {"mkdocs.yml": """
                     site_name: English
                     strict: true
                     theme: {name: mkdocs, language: en-GB}
                     plugins: [execdoc]
                 """,
                 "snippets/tiny.py": OK_SNIPPET, "docs/index.md": PAGE, "docs/quiz.md": QUIZ_PAGE,
                 "docs/quiz.yml": BANK})
    shown = execdoc("config", cwd=root)
    assert shown.returncode == 0, shown.stderr
    assert "languages = ('en',)" in shown.stdout.splitlines()
    assert config_mod.load(root).languages == ("en",)

    run = mkdocs_build(root)
    assert run.returncode == 0, run.stderr
    page = (root / "site" / "index.html").read_text()
    assert '<div class="execdoc-output" aria-label="Output">' in page
    quiz = (root / "site" / "quiz" / "index.html").read_text()
    assert "What is the answer?" in quiz and "Which is a prime?" in quiz
    assert "Check answer" in quiz  # the widget's words, in English


def reference_section(text: str) -> str:
    start, end = text.index(START) + len(START), text.index(END)
    body = text[start:end].strip("\n")
    return body + "\n"


def test_readme_configuration_reference_is_generated_from_the_docstrings():
    # Scenario: someone edits a docstring in execdoc/config.py and forgets the README.
    # EXECDOC_UPDATE_README=1 rewrites the README's copy instead of failing.
    text = README.read_text("utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    expected = config_mod.reference()
    if os.environ.get("EXECDOC_UPDATE_README") == "1":
        start, end = text.index(START) + len(START), text.index(END)
        README.write_text(text[:start] + "\n" + expected + text[end:], "utf-8")
        text = README.read_text("utf-8")
    assert reference_section(text) == expected, (
        "tools/execdoc/README.md's configuration reference differs from `execdoc config --reference`; "
        "rerun this test with EXECDOC_UPDATE_README=1 to regenerate it")


def test_an_edited_docstring_makes_the_readme_reference_out_of_date(tmp_path):
    # Scenario: the docstring of `timeout` changes in config.py; the reference
    # generated from the edited file no longer equals the README's copy.
    import importlib.util

    source = Path(config_mod.__file__).read_text("utf-8")
    edited = source.replace('"""Default seconds per snippet."""', '"""Default seconds per snippet, edited."""')
    assert edited != source
    copy = tmp_path / "config_copy.py"
    copy.write_text(edited, "utf-8")
    spec = importlib.util.spec_from_file_location("execdoc._config_copy", copy)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(module)
        assert "Default seconds per snippet, edited." in module.reference()
        assert reference_section(README.read_text("utf-8")) != module.reference()
    finally:
        del sys.modules[spec.name]
