"""The check still catches every real change, with the course's own tolerances.

Each mutation changes one thing a real edit (or a broken dependency) would:
a learning rate, a seed, an epoch count, a layer size, a data split, a
formula in a NumPy snippet, a printed label. The snippet is copied with its
committed, calibrated record into a scratch project, mutated there, and
checked; the check must fail and name the cell, the output line and the
number that moved.
"""

from __future__ import annotations

import re
import shutil

import pytest

from execdoc import config as config_mod, pipeline

from test_repository import REPO

# (id, file under snippets/, text, replacement, snippet to check, the first line's start)
MUTATIONS = [
    ("learning_rate", "backprop.py", "lr, num_epochs = 1.0, 2000", "lr, num_epochs = 0.9, 2000", "backprop",
     "backprop.py:135, cell 'train': output 1 (stdout text), line 2, number 2: expected 0.0804, got "),
    ("seed", "backprop.py", "rng = np.random.default_rng(0)", "rng = np.random.default_rng(1)", "backprop",
     "backprop.py:23, cell 'data': output 1 (execute_result (text/plain)), text/plain line 1, number 6: "
     "expected 0.4765625, got "),
    ("epoch_count", "backprop.py", "lr, num_epochs = 1.0, 2000", "lr, num_epochs = 1.0, 1900", "backprop",
     "backprop.py:135, cell 'train': output 1 (stdout text), line 6, number 1: expected 0.0351, got "),
    ("layer_size", "backprop.py", "n_in, n_hidden, n_out = 2, 16, 1", "n_in, n_hidden, n_out = 2, 15, 1", "backprop",
     "backprop.py:30, cell 'init': output 1 (execute_result (text/plain)), text/plain line 1, number 1: "
     "expected 65, got 61 "),
    ("numpy_formula", "backprop.py", "return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))",
     "return np.linalg.norm(a - b) / np.linalg.norm(a)", "backprop",
     "backprop.py:118, cell 'gradcheck_bug': output 1 (stdout text), line 1, number 2: expected 2.1e-01, got "),
    ("printed_label", "backprop.py", 'print(f"final loss {final_loss:.4f}, training accuracy {accuracy:.1%}")',
     'print(f"final loss {final_loss:.4f}, train accuracy {accuracy:.1%}")', "backprop",
     "backprop.py:135, cell 'train': output 1 (stdout text), line 6: "
     "expected 'final loss 0.0351, training accuracy 98.8%', got 'final loss "),
    ("data_split", "digits.py", "TEST_FRACTION = 0.25", "TEST_FRACTION = 0.2", "optimizers",
     "optimizers.py:66, cell 'data': output 1 (execute_result (text/plain)), text/plain line 1, number 1: "
     "expected 1347, got 1437 "),
    ("torch_learning_rate", "faq_linear_vs_mlp.py", "lr, num_epochs = 1e-2, 1000", "lr, num_epochs = 2e-2, 1000",
     "faq_linear_vs_mlp",
     "faq_linear_vs_mlp.py:54, cell 'train': output 1 (stdout text), line 1, number 1: expected 0.2548, got "),
]

DIFFERENCE = re.compile(r"^\w+\.py:\d+, cell '[\w-]+': output \d+ \([^)]*\)\)?, (?:[\w/]+ )?line \d+"
                        r"(?:, number \d+: expected \S+, got \S+ \(tolerance [^)]*\)|: expected '.*', got '.*')")


def scratch_copy(tmp_path, snippet: str):
    """The course's configuration, its snippets folder and one committed record."""
    root = tmp_path / "course"
    (root / "docs" / "notebooks").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "snippets", root / "snippets", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "docs" / "notebooks" / f"{snippet}.ipynb", root / "docs" / "notebooks")
    return root


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutation_caught(tmp_path, mutation):
    _id, file, text, replacement, snippet, first = mutation
    root = scratch_copy(tmp_path, snippet)
    path = root / "snippets" / file
    source = path.read_text("utf-8")
    assert source.count(text) == 1, f"{file} no longer holds {text!r}: update the mutation"
    path.write_text(source.replace(text, replacement), "utf-8")
    report = pipeline.check(config_mod.load(root), [snippet])
    [entry] = report.snippets
    assert entry.status == "failed"
    line = entry.error.split("\n")[0]
    assert line.startswith(first), line
    assert DIFFERENCE.match(line), line


def test_unmutated_copy_passes(tmp_path):
    """The scratch copy itself is not what fails: unchanged, the check passes."""
    root = scratch_copy(tmp_path, "backprop")
    report = pipeline.check(config_mod.load(root), ["backprop"])
    assert report.ok, report.snippets[0].error
