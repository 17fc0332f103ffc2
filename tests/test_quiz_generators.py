"""The course's question generators (``snippets/quizgen_*.py``): each answer is what
torch computes, checked here independently; every wrong option differs from it;
the same seed gives the same question; the records hold exactly what the code gives."""

from __future__ import annotations

import contextlib
import io
import sys
import json
import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from execdoc import config as config_mod, snippets as collect

REPO = Path(__file__).resolve().parents[1]


def run_snippet(name: str) -> dict:
    """Execute a generator snippet's cells in this process (cells meant to raise are skipped)."""
    config = config_mod.load(REPO)
    if str(config.snippets) not in sys.path:  # as the kernel's PYTHONPATH: local modules import
        sys.path.insert(0, str(config.snippets))
    snippet = collect.load_snippet(config, name)
    namespace: dict = {"__name__": f"quizgen_test_{name}"}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in snippet.cells:
            if not cell.expects_error:
                exec(compile(cell.source, f"{name}.py:{cell.first_line}", "exec"), namespace)  # noqa: S102
    return namespace


@pytest.fixture(scope="module")
def shapes():
    return run_snippet("quizgen_shapes")


@pytest.fixture(scope="module")
def nets():
    return run_snippet("quizgen_nets")


@pytest.fixture(scope="module")
def maths():
    return run_snippet("quizgen_math")


def variants(ns: dict, name: str, seed: int = 7) -> list[dict]:
    """The recorded variants plus a fresh set from another seed."""
    return ns[f"{name}_variants"] + ns["generate"](ns[name], np.random.default_rng(seed))


def distinct(vs: list[dict]) -> None:
    for v in vs:
        values = [v["answer"]] + [d["value"] for d in v["distractors"]]
        assert len(values) == len(set(values)), v
        assert v["distractors"], v


GENERATORS = {
    "quizgen_shapes": ["conv_shape", "pool_size", "conv_params", "seed_cnn_params", "batch_shape", "dense_vs_conv",
                       "conv_flops"],
    "quizgen_nets": ["neuron_output", "mlp_params", "rnn_params", "lstm_params", "tree_depth"],
    "quizgen_math": ["gd_step", "line_fit", "sigmoid_grad", "adam_first_step", "power_law", "kl_gauss"],
}


@pytest.mark.parametrize("snippet", list(GENERATORS))
def test_records_hold_what_the_code_generates_with_the_same_seed(snippet, request):
    ns = request.getfixturevalue({"quizgen_shapes": "shapes", "quizgen_nets": "nets", "quizgen_math": "maths"}[snippet])
    notebook = nbformat.read(REPO / "docs" / "notebooks" / f"{snippet}.ipynb", as_version=4)
    printed = {c.metadata.get("title"): "".join(o.get("text", "") for o in c.outputs if o.output_type == "stream")
               for c in notebook.cells if c.cell_type == "code"}
    for name in GENERATORS[snippet]:
        assert json.loads(printed[name]) == {"variants": ns[f"{name}_variants"]}, name
        assert len(ns[f"{name}_variants"]) == ns["num_variants"] == 4


@pytest.mark.parametrize("snippet, name", [(s, n) for s, names in GENERATORS.items() for n in names])
def test_same_seed_same_question_other_seed_other_numbers(snippet, name, request):
    ns = request.getfixturevalue({"quizgen_shapes": "shapes", "quizgen_nets": "nets", "quizgen_math": "maths"}[snippet])
    first = ns["generate"](ns[name], np.random.default_rng(11))
    again = ns["generate"](ns[name], np.random.default_rng(11))
    other = ns["generate"](ns[name], np.random.default_rng(12))
    assert first == again
    assert first != other
    distinct(first + other)
    assert len({json.dumps(v["params"], sort_keys=True) for v in first}) == len(first)  # variants differ


# --- every answer is what torch computes (independently of the generator) ---------

@pytest.fixture(scope="module")
def torch():
    """torch, imported by the worker that runs these tests (not by every worker that collects them)."""
    import torch

    return torch


def test_conv_shape(shapes, torch):
    for v in variants(shapes, "conv_shape"):
        p = v["params"]
        x = torch.zeros(eval(p["input"]))  # noqa: S307 - a tuple the generator printed
        with torch.no_grad():
            out = torch.nn.Conv2d(p["c_in"], p["c_out"], p["k"], stride=p["s"], padding=p["p"])(x)
        assert v["answer"] == str(tuple(out.shape))
        side = (x.shape[-1] + 2 * p["p"] - p["k"]) // p["s"] + 1
        assert out.shape[-1] == side and (x.shape[-1] + 2 * p["p"] - p["k"]) % p["s"] != 0   # floor matters
        mistakes = {d["mistake"]: d["value"] for d in v["distractors"]}
        assert mistakes["ceil"] == str((x.shape[0], p["c_out"], side + 1, side + 1))
        assert mistakes["no_batch"] == str((p["c_out"], side, side))


def test_pool_size(shapes, torch):
    for v in variants(shapes, "pool_size"):
        p = v["params"]
        assert v["answer"] == torch.nn.MaxPool2d(p["k"], p["s"])(torch.zeros(1, 1, p["size"], p["size"])).shape[-1]
        assert v["answer"] == math.floor((p["size"] - p["k"]) / p["s"]) + 1
        assert {d["mistake"]: d["value"] for d in v["distractors"]}["ceil"] == v["answer"] + 1


def test_conv_params(shapes):
    for v in variants(shapes, "conv_params"):
        p = v["params"]
        assert v["answer"] == p["c_out"] * (p["c_in"] * p["k"] ** 2 + 1)
        assert {d["mistake"]: d["value"] for d in v["distractors"]}["no_bias"] == p["c_out"] * p["c_in"] * p["k"] ** 2


def test_seed_cnn_params(shapes):
    for v in variants(shapes, "seed_cnn_params"):
        side = (v["params"]["size"] - 2) // 2
        assert v["answer"] == 32 * 9 + 32 + 32 * side * side * 10 + 10
    assert next(v for v in shapes["seed_cnn_params_variants"] if v["params"]["size"] == 8)["answer"] == 3210


def test_batch_shape(shapes, torch):
    for v in variants(shapes, "batch_shape"):
        n, side = v["params"]["n"], v["params"]["side"]
        images = torch.zeros(n, 1, side, side)
        torch.nn.Conv2d(1, 32, 3)(images)                      # the answer is what Conv2d accepts
        assert v["answer"] == str((n, 1, side, side))


def test_dense_vs_conv(shapes):
    for v in variants(shapes, "dense_vs_conv"):
        n, c = v["params"]["size"], v["params"]["c_out"]
        outputs = c * (n - 2) ** 2
        assert v["answer"] == n * n * outputs + outputs


def test_conv_flops(shapes):
    for v in variants(shapes, "conv_flops"):
        p = v["params"]
        out_side = p["size"] - p["k"] + 1
        assert v["answer"] == 2 * p["c_out"] * p["c_in"] * p["k"] ** 2 * out_side ** 2
        assert {d["mistake"]: d["value"] for d in v["distractors"]}["macs"] * 2 == v["answer"]


def test_neuron_output(nets, torch):
    for v in variants(nets, "neuron_output"):
        w, x = torch.tensor(eval(v["params"]["w"]), dtype=torch.float64), torch.tensor(eval(v["params"]["x"]), dtype=torch.float64)  # noqa: S307
        z = w @ x + v["params"]["b"]
        assert v["answer"] == pytest.approx(torch.relu(z).item(), abs=1e-6)


def test_mlp_params(nets):
    for v in variants(nets, "mlp_params"):
        sizes = [int(s) for s in v["params"]["sizes"].split("-")]
        assert v["answer"] == sum(a * b + b for a, b in zip(sizes, sizes[1:]))


def test_rnn_params(nets):
    for v in variants(nets, "rnn_params"):
        n_x, n_h = v["params"]["n_x"], v["params"]["n_h"]
        assert v["answer"] == n_h * (n_x + n_h + 2)


def test_lstm_params(nets):
    for v in variants(nets, "lstm_params"):
        d, h = v["params"]["d"], v["params"]["h"]
        assert v["answer"] == 4 * h * (d + h + 2)
        assert {m["mistake"]: m["value"] for m in v["distractors"]}["one_bias"] == 4 * h * (d + h + 1)


def test_tree_depth(nets):
    def depth(text):
        deepest, level = 0, 0
        for char in text:
            level += {"(": 1, ")": -1}.get(char, 0)
            deepest = max(deepest, level)
        return deepest
    for v in variants(nets, "tree_depth"):
        tree, n = v["params"]["tree"], v["params"]["n"]
        assert v["answer"] == depth(tree)
        assert len(re.findall(r"[a-z]+", tree)) == n and tree.count("(") == n - 1   # a binary tree


def test_gd_step(maths):
    for v in variants(maths, "gd_step"):
        p = v["params"]
        assert v["answer"] == pytest.approx(p["w"] - p["lr"] * 2 * p["x"] * (p["w"] * p["x"] - p["y"]))


def test_line_fit(maths):
    for v in variants(maths, "line_fit"):
        points = [tuple(map(float, pt)) for pt in re.findall(r"\((-?[\d.]+), (-?[\d.]+)\)", v["params"]["points"])]
        xs, ys = np.array(points).T
        assert v["answer"] == pytest.approx(np.polyfit(xs, ys, 1)[0], abs=0.005)


def test_sigmoid_grad(maths):
    for v in variants(maths, "sigmoid_grad"):
        s = 1 / (1 + math.exp(-v["params"]["z"]))
        assert v["answer"] == pytest.approx(s * (1 - s), abs=5e-5)


def test_adam_first_step(maths, torch):
    for v in variants(maths, "adam_first_step"):
        p = v["params"]
        w = torch.tensor([p["w"]], requires_grad=True)
        opt = torch.optim.Adam([w], lr=p["lr"])
        w.grad = torch.tensor([p["g"]])
        opt.step()
        assert v["answer"] == pytest.approx(w.item(), abs=1e-6)
        assert v["answer"] == pytest.approx(p["w"] - p["lr"] * math.copysign(1, p["g"]), abs=1e-6)


def test_power_law(maths):
    for v in variants(maths, "power_law"):
        p = v["params"]
        assert v["answer"] == pytest.approx(p["err0"] * (p["n1"] / p["n0"]) ** -p["b"], abs=1e-6)


def test_kl_gauss(maths):
    for v in variants(maths, "kl_gauss"):
        mu, sigma = v["params"]["mu"], v["params"]["sigma"]
        assert v["answer"] == pytest.approx(0.5 * (mu ** 2 + sigma ** 2 - 1 - math.log(sigma ** 2)), abs=1e-6)
