"""Handwritten digits for the course, with no download.

``load_digits()`` returns scikit-learn's bundled 8x8 digits (1,797 images),
split once, stratified and seeded, into train and held-out test parts, as
float32 arrays scaled to [0, 1]. ``upsample`` resizes them to MNIST's 28x28.
``load_mnist(folder)`` reads MNIST's IDX files instead, when a reader has them.

This is a local module, not a snippet: it has no ``# %%`` cells, and every
snippet that imports it re-executes when it changes.
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

TEST_FRACTION = 0.25
SPLIT_SEED = 0

# IDX element types (the third byte of the magic number).
IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def load_digits(test_fraction: float = TEST_FRACTION, seed: int = SPLIT_SEED):
    """(X_train, y_train, X_test, y_test): images (N, 8, 8) in [0, 1], labels int64."""
    from sklearn.datasets import load_digits as sklearn_digits
    from sklearn.model_selection import train_test_split

    digits = sklearn_digits()
    X = (digits.images / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_fraction, stratify=y, random_state=seed)
    return X_train, y_train, X_test, y_test


def upsample(images: np.ndarray, size: int = 28) -> np.ndarray:
    """Bilinear resize of (N, h, w) images to (N, size, size), as MNIST is shaped."""
    import torch
    import torch.nn.functional as F

    t = torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32))[:, None]
    return F.interpolate(t, size=(size, size), mode="bilinear", align_corners=False)[:, 0].numpy()


def read_idx(path: str | Path) -> np.ndarray:
    """One IDX file (optionally gzipped) as an array of its declared shape."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in IDX_TYPES:
        raise ValueError(f"{path}: not an IDX file (bad magic number)")
    ndim = data[3]
    shape = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    dtype = np.dtype(IDX_TYPES[data[2]])
    body = data[4 + 4 * ndim:]
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(body) != expected:
        raise ValueError(f"{path}: expected {expected} bytes of data for shape {shape}, found {len(body)}")
    return np.frombuffer(body, dtype=dtype).reshape(shape)


def _find(folder: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"{folder}: no {stem}[.gz]")


def load_mnist(folder: str | Path):
    """(X_train, y_train, X_test, y_test) from MNIST's four IDX files in ``folder``,
    images scaled to [0, 1] as float32, labels int64."""
    folder = Path(folder)
    parts = []
    for split in ("train", "t10k"):
        images = read_idx(_find(folder, f"{split}-images-idx3-ubyte"))
        labels = read_idx(_find(folder, f"{split}-labels-idx1-ubyte"))
        if len(images) != len(labels):
            raise ValueError(f"{folder}: {split} has {len(images)} images but {len(labels)} labels")
        parts += [(images / 255.0).astype(np.float32), labels.astype(np.int64)]
    return tuple(parts)
