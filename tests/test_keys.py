"""What changes a record key, and what never does."""

from __future__ import annotations

import os

import pytest

from helpers import OK_SNIPPET
from execdoc import ExecdocError, snippets as collect


def key(project, name="tiny"):
    return collect.load_snippet(project.config, name).key


def test_key_ignores_prose_file_times_and_trailing_whitespace(project):
    path = project.snippet("tiny", OK_SNIPPET)
    before = key(project)
    path.write_text(path.read_text().replace("# # A tiny snippet", "# # Renamed prose"))
    os.utime(path, (0, 0))
    path.write_text(path.read_text().replace("answer = 6 * 7", "answer = 6 * 7   "))
    assert key(project) == before


def test_key_changes_with_code_module_data_and_options(project):
    path = project.snippet("tiny", OK_SNIPPET.replace("import math", "import math\nimport helper"))
    (project.root / "snippets" / "helper.py").write_text("A = 1\n")
    (project.root / "snippets" / "table.csv").write_text("a,b\n")
    project.options("""
        [tool.execdoc.snippet.tiny]
        data = ["table.csv"]
    """)
    keys = [key(project)]
    path.write_text(path.read_text().replace("6 * 7", "7 * 6"))
    keys.append(key(project))
    (project.root / "snippets" / "helper.py").write_text("A = 2\n")
    keys.append(key(project))
    (project.root / "snippets" / "table.csv").write_text("a,b\n1,2\n")
    keys.append(key(project))
    project.options("""
        threads = 2
    """)
    keys.append(key(project))
    assert len(set(keys)) == 5


def test_timeout_and_tolerances_do_not_change_the_key(project):
    project.snippet("tiny", OK_SNIPPET)
    before = key(project)
    project.options("""
        [tool.execdoc.snippet.tiny]
        timeout = 5
        rtol = 0.1
    """)
    assert key(project) == before


def test_duplicate_cell_titles_are_refused_with_lines(project):
    project.snippet("dup", """
        # %% a
        x = 1

        # %% a
        y = 2
    """)
    with pytest.raises(ExecdocError, match=r"^dup.py:4: cell title 'a' is already used on line 1$"):
        collect.load_snippet(project.config, "dup")


def test_unknown_snippet_option_is_refused(project):
    project.snippet("tiny", OK_SNIPPET)
    project.options("""
        [tool.execdoc.snippet.tiny]
        timout = 5
    """)
    with pytest.raises(ExecdocError, match=r"\[tool.execdoc.snippet.tiny\]: unknown option\(s\) timout"):
        collect.load_snippet(project.config, "tiny")


def test_missing_data_file_is_refused(project):
    project.snippet("tiny", OK_SNIPPET)
    project.options("""
        [tool.execdoc.snippet.tiny]
        data = ["missing.csv"]
    """)
    with pytest.raises(ExecdocError, match="declares data file 'missing.csv', which does not exist"):
        collect.load_snippet(project.config, "tiny")
