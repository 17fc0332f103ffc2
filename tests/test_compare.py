"""check's normalisers and numeric tolerance, on text alone."""

from __future__ import annotations

import pytest

from execdoc.check.compare import Tolerance, compare_text, normalise, print_unit

ALL = ("addresses", "timings", "progress", "tmpdirs", "paths")


def test_install_paths_colour_codes_timings_and_addresses_are_normalised():
    here = "\x1b[1m/work/main/.venv/lib/python3.11/site-packages/keras/a.py:3: UserWarning: x\x1b[0m took 2.5 s at 0x7f3a5c2b1d90"
    there = "/tmp/fresh/.venv/lib/python3.11/site-packages/keras/a.py:3: UserWarning: x took 31ms at 0x55d0c0ffee00"
    assert normalise(here, ALL) == normalise(there, ALL) == "<site-packages>/keras/a.py:3: UserWarning: x took <time> at 0x<address>"


def test_numbers_within_tolerance_match_and_the_first_difference_is_named():
    tol = Tolerance(rtol=1e-6, atol=1e-9)
    assert compare_text("loss 0.25 acc 0.9", "loss 0.2500000001 acc 0.9", tol) is None
    assert compare_text("loss 0.25 acc 0.9", "loss 0.25 acc 0.7", tol) == (
        "line 1, number 2: expected 0.9, got 0.7 (tolerance ±0.1, one unit of the last printed digit) "
        "in 'loss 0.25 acc 0.7'")
    assert compare_text("a\nb", "a\nc", tol) == "line 2: expected 'b', got 'c'"


def test_printed_decimal_may_round_the_other_way_but_integers_are_exact():
    tol = Tolerance(rtol=1e-6, atol=1e-9)
    assert print_unit("0.1027") == 1e-4 and print_unit("4.01e-07") == pytest.approx(1e-9)
    assert print_unit("8") == 0 and print_unit("nan") == 0 and print_unit("-3.") == 1
    assert compare_text("acc 0.1027", "acc 0.1026", tol) is None
    assert compare_text("acc 0.1027", "acc 0.1025", tol) is not None
    assert compare_text("grad 4.01e-07", "grad 4.02e-07", tol) is None
    assert compare_text("grad 4.01e-07", "grad 4.1e-07", tol) is not None
    assert compare_text("covered 8 of 8", "covered 7 of 8", tol) == (
        "line 1, number 1: expected 8, got 7 (tolerance rtol=1e-06, atol=1e-09) in 'covered 7 of 8'")


def test_each_number_has_its_own_calibrated_tolerance():
    tol = Tolerance(rtol=1e-6, atol=1e-9, measured={"train/1/stdout/2/1": 0.004}, factor=4)
    assert compare_text("a 0.5\nb 0.7391", "a 0.5\nb 0.7356", tol, "train/1/stdout") is None
    assert compare_text("a 0.50\nb 0.7391", "a 0.53\nb 0.7391", tol, "train/1/stdout") == (
        "line 1, number 1: expected 0.50, got 0.53 (tolerance ±0.01, one unit of the last printed digit) in 'a 0.53'")
    assert compare_text("a 0.50\nb 0.7391", "a 0.50\nb 0.7451", tol, "train/1/stdout") == (
        "line 2, number 1: expected 0.7391, got 0.7451 (tolerance ±0.004, calibrated: 4× the spread across "
        "profiles) in 'b 0.7451'")


def test_volatile_text_is_checked_for_shape_only():
    tol = Tolerance(rtol=1e-6, atol=1e-9)
    assert compare_text("step 500 loss 1.1066", "step 500 loss 0.6863", tol, shape_only=True) is None
    assert compare_text("step 500 loss 1.1066", "step 500 loss nan nan", tol, shape_only=True) == (
        "line 1: expected 'step 500 loss 1.1066', got 'step 500 loss nan nan'")
    assert compare_text("step 500 loss 1.1066", "step 500 loss inf", tol, shape_only=True) == (
        "line 1, number 2: expected a finite number (volatile: any value), got inf in 'step 500 loss inf'")
    assert compare_text("step 500 loss 1.1066", "step 500 error 1.1066", tol, shape_only=True) is not None


def test_install_paths_are_shortened_in_linear_time_exactly_as_the_old_pattern_did():
    import random
    import re

    from execdoc.text import shorten_site_packages

    old = re.compile(r"[^\s'\"]*[/\\]site-packages[/\\]")
    pieces = ["/a/site-packages/", " ", "x", "'", "/site-packages/", '"', "\n", "b/c", "\\site-packages\\"]
    rng = random.Random(1)
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert shorten_site_packages(text, "<sp>/") == old.sub("<sp>/", text), text
    # one 120 kB line without a blank: the old pattern took minutes here
    line = "y" * 120_000 + "/env/site-packages/keras/a.py" + "z" * 120_000
    assert shorten_site_packages(line, "<sp>/") == "<sp>/keras/a.py" + "z" * 120_000
    assert normalise("w" * 120_000, ALL) == "w" * 120_000


def test_progress_redraws_keep_the_last_state_in_linear_time_as_the_old_pattern_did():
    import random
    import re

    from execdoc.text import keep_last_redraw

    old = re.compile(r"[^\n]*\r(?!\n)")
    rng = random.Random(2)
    for _ in range(3000):
        text = "".join(rng.choice(["a", "\r", "\n", "\r\n", "b "]) for _ in range(rng.randint(0, 14)))
        assert keep_last_redraw(text) == old.sub("", text), repr(text)
    assert keep_last_redraw("epoch 1 10%\repoch 1 100%\r\ndone") == "epoch 1 100%\r\ndone"
    assert keep_last_redraw("v" * 200_000 + "\r" + "w" * 10) == "w" * 10
