"""The generalisation chapter's exercise answers run the chapter's own code.

snippets/exercise_generalisation.py carries a copy of the data, model, loss and
training cells of snippets/generalisation.py (its hidden `helpers` and `data`
cells), and each worked answer is a chapter cell with one thing changed. The
snippets' asserts cannot see a copy drifting from its original (both still run),
so this checks the copies cell by cell, without running anything.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SNIPPETS = Path(__file__).parents[1] / "snippets"
HEADER = re.compile(r"^# %% ?(.*)$", re.M)


def cells(name: str) -> dict[str, str]:
    """Cell title -> code (stripped), for the code cells of one snippet."""
    text = (SNIPPETS / name).read_text(encoding="utf-8")
    parts = HEADER.split(text)
    found = {}
    for header, body in zip(parts[1::2], parts[2::2]):
        if not header.startswith("[markdown]"):
            found[header.split()[0]] = body.strip()
    return found


def blocks(code: str) -> list[str]:
    """Top-level statements separated by blank lines (functions stay whole)."""
    return [b.strip() for b in re.split(r"\n\s*\n(?=\S)", code) if b.strip()]


CHAPTER = cells("generalisation.py")
EXERCISE = cells("exercise_generalisation.py")
MATH = cells("generalisation_math.py")


@pytest.mark.parametrize("title", ["augment", "model", "loss", "epoch", "fit", "loader"])
def test_helpers_copy_the_chapter_definitions(title):
    """Every function and constant of these chapter cells is in the exercise's helpers, verbatim."""
    helpers = blocks(EXERCISE["helpers"])
    for block in blocks(CHAPTER[title]):
        if block.startswith(("def ", "loss_fn", "lr, ", "batch_size", "max_degrees")):
            assert block in helpers, f"exercise_generalisation.py#helpers lacks, verbatim:\n{block}"


def test_data_cells_differ_only_in_the_changed_line():
    assert EXERCISE["data"] == CHAPTER["data"]
    changed = CHAPTER["data"].replace("n_train, n_val = 100, 400", "n_train, n_val = 400, 400")
    assert changed != CHAPTER["data"] and EXERCISE["data_400"] == changed


def test_curves_answer_reruns_the_chapter_cell():
    assert EXERCISE["curves_400"] == CHAPTER["curves"]


def test_dropout_answer_reruns_compare_and_the_changed_configs():
    assert CHAPTER["compare"] in EXERCISE["dropout_02"]
    assert "weight_decay, dropout_p, patience = 1.0, 0.5, 10" in CHAPTER["configs"]
    assert "weight_decay, dropout_p, patience = 1.0, 0.2, 10" in EXERCISE["dropout_02"]


def test_math_dropout_answer_changes_only_p():
    original = MATH["dropout"].splitlines()
    answer = EXERCISE["dropout_08"].splitlines()
    assert len(original) == len(answer)
    differing = [(a, b) for a, b in zip(original, answer) if a != b]
    assert differing == [("p = 0.5", "p = 0.8                     # was 0.5")], differing
