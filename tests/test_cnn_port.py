"""code/cnn.md says MNIST goes in through ``load_mnist`` with no other change: this proves it.

The test runs snippets/cnn.py's own cells (data, loaders, model, loss, training,
evaluation), read by execdoc's parser, with the data cell's ``load_digits()``
replaced by ``load_mnist(folder)`` on small random 28x28 IDX files written here:
the one edit the page tells a reader to make. One short epoch; it checks the
shapes and that evaluation runs batch by batch, never the whole set in one
forward pass. A flatten size typed for 8x8 images (``nn.Linear(288, 10)``) fails
it at the first 28x28 batch.
"""

from __future__ import annotations

import math
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

from execdoc.snippets.parse import parse_text

SNIPPETS = Path(__file__).parents[1] / "snippets"
CELLS = ["setup", "data", "loaders", "model", "loss", "train_epoch", "train", "evaluate"]
N_TRAIN, N_TEST, SIDE = 400, 300, 28


def write_idx(path: Path, array: np.ndarray) -> None:
    path.write_bytes(bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
                     + array.astype(np.uint8).tobytes())


@pytest.fixture
def mnist_folder(tmp_path):
    rng = np.random.default_rng(0)
    for split, n in (("train", N_TRAIN), ("t10k", N_TEST)):
        write_idx(tmp_path / f"{split}-images-idx3-ubyte", rng.integers(0, 256, size=(n, SIDE, SIDE)))
        labels = np.arange(n) % 10                   # every class often enough to stratify
        write_idx(tmp_path / f"{split}-labels-idx1-ubyte", rng.permutation(labels))
    return tmp_path


def cnn_cells() -> dict[str, str]:
    path = SNIPPETS / "cnn.py"
    _notebook, cells = parse_text(path, path.read_text("utf-8"))
    return {cell.title: cell.source for cell in cells}


def test_cnn_runs_on_28x28_through_load_mnist_with_batched_evaluation(mnist_folder, monkeypatch):
    monkeypatch.syspath_prepend(str(SNIPPETS))
    for module in ("digits", "cnn_plots"):
        sys.modules.pop(module, None)
    cells = cnn_cells()
    assert cells["data"].count("load_digits()") == 1, "the data cell no longer calls load_digits() once"
    cells["data"] = cells["data"].replace("load_digits()", f"load_mnist({str(mnist_folder)!r})")
    cells["setup"] += "\nfrom digits import load_mnist\n"

    ns: dict = {"__name__": "cnn_port"}
    for title in CELLS:
        if title == "evaluate":
            sizes: list[int] = []
            hook = ns["net"].register_forward_pre_hook(lambda _module, args: sizes.append(args[0].shape[0]))
        exec(compile(cells[title], f"cnn.py#{title}", "exec"), ns)  # noqa: S102 -- the snippet's own cells, on purpose
        if title == "train_epoch":
            ns["num_epochs"] = 1                      # one short epoch is enough to prove the shapes
    hook.remove()

    n_val = ns["n_val"]
    assert (ns["height"], ns["width"]) == (SIDE, SIDE)
    assert ns["n_train"] + n_val == N_TRAIN and ns["n_test"] == N_TEST
    linear = ns["net"][-1]
    assert linear.in_features == 32 * 13 * 13 and linear.out_features == 10
    assert len(ns["train_losses"]) == len(ns["val_accs"]) == 1 and ns["best_epoch"] == 1
    assert math.isfinite(ns["train_losses"][0]) and 0.0 <= ns["test_accuracy"] <= 1.0
    assert ns["pred"].shape == (N_TEST,) and set(np.unique(ns["pred"])) <= set(range(10))
    # Evaluation is batched: no forward pass sees more than a batch, and the test set takes several.
    batch = ns["eval_batch_size"]
    assert batch < N_TEST
    assert sizes and max(sizes) <= batch, sizes
    assert sum(sizes) % N_TEST == 0 and len(sizes) >= math.ceil(N_TEST / batch), sizes
