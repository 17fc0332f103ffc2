"""check's normalisers and numeric tolerance, on text alone."""

from __future__ import annotations

from execdoc.compare import Tolerance, compare_text, normalise

ALL = ("addresses", "timings", "progress", "tmpdirs", "paths")


def test_install_paths_colour_codes_timings_and_addresses_are_normalised():
    here = "\x1b[1m/work/main/.venv/lib/python3.11/site-packages/keras/a.py:3: UserWarning: x\x1b[0m took 2.5 s at 0x7f3a5c2b1d90"
    there = "/tmp/fresh/.venv/lib/python3.11/site-packages/keras/a.py:3: UserWarning: x took 31ms at 0x55d0c0ffee00"
    assert normalise(here, ALL) == normalise(there, ALL) == "<site-packages>/keras/a.py:3: UserWarning: x took <time> at 0x<address>"


def test_numbers_within_tolerance_match_and_the_first_difference_is_named():
    tol = Tolerance(rtol=1e-6, atol=1e-9)
    assert compare_text("loss 0.25 acc 0.9", "loss 0.2500000001 acc 0.9", tol) is None
    assert compare_text("loss 0.25 acc 0.9", "loss 0.25 acc 0.8", tol) == (
        "line 1, number 2: expected 0.9, got 0.8 (rtol=1e-06, atol=1e-09) in 'loss 0.25 acc 0.8'")
    assert compare_text("a\nb", "a\nc", tol) == "line 2: expected 'b', got 'c'"
