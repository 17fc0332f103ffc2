"""The pytest plugin's parts that need no kernel: shards by recorded seconds, and
what a failure tells GitHub Actions (workflow command, summary row)."""

from __future__ import annotations

import pytest

from execdoc.testing import github, shard


def test_shards_are_greedy_longest_first_and_deterministic():
    seconds = {"a": 40.0, "b": 23.0, "c": 19.0, "d": 14.0, "e": 10.0, "f": 9.0, "g": 9.0}
    assert shard.split(seconds, 3) == [["a"], ["b", "e", "f"], ["c", "d", "g"]]
    assert shard.loads(seconds, shard.split(seconds, 3)) == [40.0, 42.0, 42.0]
    assert shard.split(dict(reversed(seconds.items())), 3) == shard.split(seconds, 3)


def test_the_course_splits_over_three_jobs_within_20_percent():
    from pathlib import Path

    from execdoc import config as config_mod
    from execdoc.records import store
    from execdoc.snippets import resolve

    config = config_mod.load(Path(__file__).resolve().parents[1])
    seconds = store.expected_seconds(config, resolve(config))
    loads = shard.loads(seconds, shard.split(seconds, 3))
    assert len(loads) == 3 and max(loads) <= 1.2 * min(loads), loads


@pytest.mark.parametrize("text, message", [
    ("3/2", "--execdoc-shard 3/2: I must be between 1 and N"),
    ("a/b", "--execdoc-shard wants I/N (e.g. 1/3), not 'a/b'"),
])
def test_a_bad_shard_is_named(text, message):
    with pytest.raises(ValueError) as info:
        shard.parse(text)
    assert str(info.value) == message


def test_annotation_names_file_and_line_and_escapes_what_github_would_read():
    outcome = github.Outcome("cnn", "avx2", "snippets/cnn.py", "failed", 8.5,
                             "cnn.py:75, cell 'train': line 2: expected '50%', got '51%'\n  (fresh outputs kept)")
    assert github.annotation(outcome) == (
        "::error file=snippets/cnn.py,line=75,title=cnn differs from its record [avx2]::"
        "cnn.py:75, cell 'train': line 2: expected '50%25', got '51%25'")


def test_an_error_raised_through_a_local_module_annotates_the_module_line_too():
    outcome = github.Outcome("conv", "native", "snippets/conv.py", "failed", 5.0,
                             "conv.py:145 (cell 'digit', line 3), through digits.py:32: ValueError: broken split\n"
                             "File snippets/digits.py:32, in load_digits(test_fraction, seed)")
    assert github.annotation(outcome) == (
        "::error file=snippets/conv.py,line=145,title=conv differs from its record [native]::"
        "conv.py:145 (cell 'digit', line 3), through digits.py:32: ValueError: broken split\n"
        "::error file=snippets/digits.py,line=32,title=conv failed in digits.py [native]::"
        "conv.py:145 (cell 'digit', line 3), through digits.py:32: ValueError: broken split")
    # A snippet at the top of the repository: the module is beside it there.
    outcome.file = "conv.py"
    assert outcome.through == ("digits.py", 32)


def test_annotation_without_a_line_names_the_file():
    outcome = github.Outcome("cnn", "native", "snippets/cnn.py", "failed", 0.0,
                             "cnn.py: no record yet; run `execdoc build` or `execdoc approve cnn`")
    assert github.annotation(outcome) == (
        "::error file=snippets/cnn.py,title=cnn differs from its record [native]::"
        "cnn.py: no record yet; run `execdoc build` or `execdoc approve cnn`")


def test_summary_lists_failures_first_with_their_line():
    table = github.summary([
        github.Outcome("a", "native", "snippets/a.py", "passed", 1.25),
        github.Outcome("b", "native", "snippets/b.py", "failed", 2.0, "b.py:3, cell 'x': value 'p|q' differs\nmore"),
    ])
    assert table == (
        "### execdoc: 2 snippet check(s), 1 failed\n\n"
        "| Snippet | Profile | Status | Seconds | First difference |\n"
        "| --- | --- | --- | ---: | --- |\n"
        "| `snippets/b.py:3` | native | ❌ failed | 2.0 | b.py:3, cell 'x': value 'p\\|q' differs |\n"
        "| `snippets/a.py` | native | ✅ passed | 1.2 |  |\n\n")
