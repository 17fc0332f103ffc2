"""Records that hold on any machine: fingerprints, profiles, calibration, volatile cells.

The snippets here read ``EXECDOC_PROFILE`` (set in every kernel) to stand for
a number that another machine computes differently, so each scenario is
exact and fast; `test_calibration_is_stable` uses a real float32 matrix
product, whose last digits do move with OpenBLAS's kernel.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import nbformat
import pytest

from execdoc import cli, config as config_mod, pipeline, snippets as collect
from execdoc.check import machine
from execdoc.records import store as record

from test_repository import REPO

X86 = platform.machine() in ("x86_64", "AMD64")

MOVING = """
# %% setup
import os
_profile = os.environ["EXECDOC_PROFILE"]  # underscore: not a value
# How far this "machine" moves the loss: one profile takes another numeric path.
shift = {"baseline": 0.004}.get(_profile, 0.0)

# %% train
loss = 0.25 + shift
steps = 500
print(f"step {steps} loss {loss:.4f}")
"""

VOLATILE = """
# %% train tags=["volatile"]
import os
# no global names: values are checked strictly, and a volatile cell's numbers are not for quoting
print(f"step 500 {os.environ.get('GAN_WORDS', 'loss')} {float(os.environ.get('GAN_LOSS', '1.1066')):.4f}")

# %% evaluate
modes = 8
print(f"modes covered: {modes} of 8")
"""

FLOAT32 = """
# %% product
import numpy as np
rng = np.random.default_rng(0)
a = rng.standard_normal((257, 300)).astype(np.float32)
b = rng.standard_normal((300, 129)).astype(np.float32)
total = float((a @ b).sum())
print(f"sum of the product: {total:.9g}")
"""


def only(report, name, profile="native"):
    return next(e for e in report.snippets if e.name == name and e.profile == profile)


def calibration(project, name):
    return nbformat.read(project.record(name), as_version=4).metadata.execdoc["calibration"]


def test_fingerprint_recorded_and_named_when_the_machine_differs(project):
    project.snippet("fp", FLOAT32)
    assert pipeline.build(project.config).ok
    meta = nbformat.read(project.record("fp"), as_version=4).metadata.execdoc
    fingerprint = meta["machine"]
    assert fingerprint["arch"] == platform.machine() and fingerprint["os"] == platform.system()
    assert fingerprint["profile"] == "native" and fingerprint["cpu"]
    assert fingerprint["numpy"] == collect.environment(("numpy",))["numpy"]
    assert "torch" not in fingerprint  # the snippet never imported it
    assert [api for api, _version, _arch in fingerprint["blas"]] == ["openblas"]
    assert fingerprint["env"]["OMP_NUM_THREADS"] == "1"
    # checked "on another machine": the report names each field that differs
    report = pipeline.check(project.config, profiles="threads2")
    assert only(report, "fp", "threads2").machine == [
        "env.OMP_NUM_THREADS: 1 → 2", "profile: native → threads2"]
    assert json.loads(project.config.report.read_text())["snippets"][0]["machine"] == [
        "env.OMP_NUM_THREADS: 1 → 2", "profile: native → threads2"]


def test_a_difference_says_the_machine_differs(project):
    project.snippet("moving", MOVING)
    assert pipeline.build(project.config).ok
    if not X86:
        pytest.skip("the baseline profile emulates an x86-64 machine")
    error = only(pipeline.check(project.config, profiles="baseline"), "moving", "baseline").error
    lines = error.split("\n")
    assert lines[0] == ("moving.py:8, cell 'train': output 1 (stdout text), line 1, number 2: expected 0.2500, "
                        "got 0.2540 (tolerance ±0.0001, one unit of the last printed digit) in 'step 500 loss 0.2540'")
    assert lines[1].startswith("  (this machine differs from the one that made the record: ")
    assert "profile: native → baseline" in lines[1]
    assert lines[2] == "  (the record is not calibrated: `execdoc calibrate moving` measures its tolerances)"


@pytest.mark.skipif(not X86, reason="the baseline profile emulates an x86-64 machine")
def test_calibration_measures_each_number_and_the_check_then_passes_everywhere(project):
    project.snippet("moving", MOVING)
    assert pipeline.build(project.config).ok
    report = pipeline.calibrate(project.config)
    assert report.ok
    stored = calibration(project, "moving")
    assert stored["factor"] == 4.0
    assert stored["profiles"] == sorted(p.name for p in machine.resolve("all")[0])
    # 0.004 off under one profile, times the safety factor; the rest stays at the floor
    assert stored["tolerance"] == {"train/1/stdout/1/2": 0.016, "values/loss": 0.016, "values/shift": 0.016}
    assert stored["numbers"] == 5 and stored["moved"] == 3
    assert any(line.startswith("  moves 1.6% across machines: moving.py train/1/stdout/1/2 (recorded 0.25, "
                               "off by 0.004 under baseline)") for line in report.notes)
    every = pipeline.check(project.config, profiles="all")
    assert every.ok, [e.error for e in every.snippets if e.error]
    assert sorted(e.profile for e in every.snippets) == sorted(p.name for p in machine.resolve("all")[0])


@pytest.mark.skipif(not X86, reason="the baseline profile emulates an x86-64 machine")
def test_approve_without_calibrating_keeps_the_calibration(project):
    """`approve --no-calibrate` re-records (new seconds, same outputs) and keeps the tolerances."""
    project.snippet("moving", MOVING)
    assert pipeline.build(project.config).ok
    assert pipeline.calibrate(project.config).ok
    before = calibration(project, "moving")
    assert pipeline.approve(project.config, ["moving"], calibrate_too=False).ok
    assert calibration(project, "moving") == before and before["tolerance"]["values/loss"] == 0.016
    assert record.load(project.config, "moving").notebook is not None  # sealed: its digest holds
    assert pipeline.check(project.config, profiles="all").ok


def test_calibrated_tolerance_still_catches_a_real_change(project):
    project.snippet("moving", MOVING)
    assert pipeline.build(project.config).ok
    assert pipeline.calibrate(project.config).ok
    project.snippet("moving", MOVING.replace("loss = 0.25 + shift", "loss = 0.27 + shift"))
    error = only(pipeline.check(project.config), "moving").error
    assert error.split("\n")[0] == (
        "moving.py:8, cell 'train': output 1 (stdout text), line 1, number 2: expected 0.2500, got 0.2700 "
        "(tolerance ±0.016, calibrated: 4× the spread across profiles) in 'step 500 loss 0.2700' "
        "(the code differs from the record's too: `execdoc approve moving` once the new outputs are right)")


def test_text_that_differs_between_profiles_cannot_be_calibrated(project):
    project.snippet("wordy", MOVING.replace('print(f"step {steps} loss {loss:.4f}")',
                                            'print("loss" if _profile != "threads2" else "cost")'))
    assert pipeline.build(project.config).ok
    report = pipeline.calibrate(project.config)
    assert not report.ok
    failed = only(report, "wordy", "calibration")
    assert ("  cannot be calibrated: under profile 'threads2': wordy.py, cell 'train': output 1 (stdout text), "
            "line 1: expected 'loss', got 'cost'") in failed.error.split("\n")
    assert "calibration" not in nbformat.read(project.record("wordy"), as_version=4).metadata.execdoc


def test_volatile_output_checked_for_shape(project, monkeypatch):
    project.options('pass_env = ["GAN_LOSS", "GAN_WORDS"]')  # kernels see only the allowlist and these
    project.snippet("gan", VOLATILE)
    assert pipeline.build(project.config).ok
    monkeypatch.setenv("GAN_LOSS", "0.6863")  # another machine's path: same shape, other number
    assert pipeline.check(project.config).ok
    monkeypatch.setenv("GAN_LOSS", "nan")
    error = only(pipeline.check(project.config), "gan").error
    assert error.split("\n")[0] == ("gan.py:2, cell 'train': output 1 (stdout text), line 1, number 2: "
                                    "expected a finite number (volatile: any value), got nan in 'step 500 loss nan'")
    monkeypatch.setenv("GAN_LOSS", "1.1066")
    monkeypatch.setenv("GAN_WORDS", "cost")  # words are never volatile
    assert only(pipeline.check(project.config), "gan").error.startswith(
        "gan.py:2, cell 'train': output 1 (stdout text), line 1: expected 'step 500 loss 1.1066', got 'step 500 cost")
    monkeypatch.delenv("GAN_WORDS")
    # cells not tagged volatile stay strict
    project.snippet("gan", VOLATILE.replace("modes = 8", "modes = 7"))
    assert only(pipeline.check(project.config), "gan").error.startswith(
        "gan.py:7, cell 'evaluate': output 1 (stdout text), line 1, number 1: expected 8, got 7 ")


@pytest.mark.skipif(not X86, reason="OpenBLAS core types are forced only on x86-64")
def test_calibration_is_stable(project):
    project.snippet("product", FLOAT32)
    assert pipeline.build(project.config).ok
    assert pipeline.calibrate(project.config).ok
    first = calibration(project, "product")["tolerance"]
    assert first  # float32 sums move with the BLAS kernel: something to measure
    assert pipeline.calibrate(project.config).ok
    second = calibration(project, "product")["tolerance"]
    assert first.keys() == second.keys()
    for site in first:
        assert 0.5 <= second[site] / first[site] <= 2, (site, first[site], second[site])


def test_unknown_and_impossible_profiles_exit_2(project, capsys):
    project.snippet("moving", MOVING)
    assert cli.main(["--root", str(project.root), "check", "--profile", "nosuch"]) == 2
    assert capsys.readouterr().err.strip() == (
        "execdoc: error: unknown profile(s) nosuch (known: native, avx2, avx512, baseline, threads2, all)")
    impossible = next((p for p in machine.PROFILES.values() if machine.unavailable(p)), None)
    if impossible is not None:
        assert cli.main(["--root", str(project.root), "check", "--profile", impossible.name]) == 2
        assert f"profile '{impossible.name}' cannot run here" in capsys.readouterr().err


def test_pytest_checks_every_snippet_under_every_profile_longest_first():
    """The check is part of the suite: `pytest --execdoc --execdoc-profile all` (what `make test`
    runs) holds one item per snippet of the course and profile this machine can run, longest
    first by the records' seconds, each record calibrated; the items' own outcomes are the check."""
    config = config_mod.load(REPO)
    env = {k: v for k, v in os.environ.items() if k != "EXECDOC_CHECK_PROFILE"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--co", "-q", "--execdoc",
                          "--execdoc-profile", "all", "-m", "execdoc"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    ids = [line for line in run.stdout.splitlines() if "::execdoc[" in line]
    profiles = [p.name for p in machine.resolve("all", config.profiles)[0]]
    names = [s.name for s in collect.load_all(config)]
    assert sorted(ids) == sorted(f"snippets/{n}.py::execdoc[{p}]" for n in names for p in profiles)
    seconds = record.expected_seconds(config, names)
    order = [seconds[i.removeprefix("snippets/").split(".py::")[0]] for i in ids]
    assert order == sorted(order, reverse=True)
    calibrated = {name for name in names if record.load(config, name).notebook.metadata.execdoc.get("calibration")}
    assert calibrated == set(names)


def test_page_says_a_value_moves_between_machines(project):
    project.snippet("moving", MOVING.replace('{"baseline": 0.004}', '{"threads2": 0.004}'))
    assert pipeline.build(project.config).ok
    assert pipeline.calibrate(project.config).ok
    import markdown

    md = markdown.Markdown(extensions=["execdoc.markdown"],
                           extension_configs={"execdoc.markdown": {"root": str(project.root), "assets": "none"}})
    out = md.convert("loss {{ moving.loss | ~.4f }} after {{ moving.steps | ~d }} steps; "
                     "{{ moving.loss | ±.3f }}; plain {{ moving.loss | .4f }}")
    assert out == "<p>loss ≈0.2500 after 500 steps; 0.250 ± 0.016; plain 0.2500</p>"
