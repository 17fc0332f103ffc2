"""The IDX loader in snippets/digits.py, on small IDX files written here.

IDX (the MNIST file format): two zero bytes, a type byte (0x08 = uint8), a byte
giving the number of dimensions, each dimension as a big-endian uint32, then
the data in C order.
"""

from __future__ import annotations

import gzip
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "snippets"))

from digits import load_mnist, read_idx  # noqa: E402


def idx_bytes(array: np.ndarray, type_byte: int = 0x08) -> bytes:
    header = bytes([0, 0, type_byte, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


def write_idx(path: Path, array: np.ndarray, type_byte: int = 0x08) -> Path:
    data = idx_bytes(array, type_byte)
    if path.suffix == ".gz":
        with gzip.open(path, "wb") as handle:
            handle.write(data)
    else:
        path.write_bytes(data)
    return path


def images(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(n, 4, 3), dtype=np.uint8)


def labels(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 10, size=n, dtype=np.uint8)


def test_ok_images_3d_uint8(tmp_path):
    expected = images(5, seed=0)
    got = read_idx(write_idx(tmp_path / "images-idx3-ubyte", expected))
    assert got.shape == (5, 4, 3)
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, expected)


def test_ok_labels_1d_uint8(tmp_path):
    expected = labels(7, seed=1)
    got = read_idx(write_idx(tmp_path / "labels-idx1-ubyte", expected))
    assert got.shape == (7,)
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, expected)


def test_ok_gzipped_file(tmp_path):
    expected = images(3, seed=2)
    path = write_idx(tmp_path / "images-idx3-ubyte.gz", expected)
    assert path.read_bytes()[:2] == b"\x1f\x8b"          # really gzipped on disk
    got = read_idx(path)
    assert got.shape == (3, 4, 3) and got.dtype == np.uint8
    np.testing.assert_array_equal(got, expected)


def test_ok_big_endian_int32(tmp_path):
    expected = np.array([[1, -2], [300000, 7]], dtype=">i4")
    got = read_idx(write_idx(tmp_path / "values-idx2-int", expected, type_byte=0x0C))
    assert got.shape == (2, 2)
    np.testing.assert_array_equal(got, expected.astype(np.int32))


def test_ok_load_mnist_folder(tmp_path):
    train_x, train_y = images(6, seed=3), labels(6, seed=4)
    test_x, test_y = images(2, seed=5), labels(2, seed=6)
    write_idx(tmp_path / "train-images-idx3-ubyte", train_x)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", train_y)      # mixed plain and gzipped
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", test_x)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", test_y)

    X_train, y_train, X_test, y_test = load_mnist(tmp_path)

    assert X_train.shape == (6, 4, 3) and X_test.shape == (2, 4, 3)
    assert X_train.dtype == np.float32 and X_test.dtype == np.float32
    assert y_train.dtype == np.int64 and y_test.dtype == np.int64
    np.testing.assert_allclose(X_train, train_x / 255.0, rtol=1e-6)
    np.testing.assert_allclose(X_test, test_x / 255.0, rtol=1e-6)
    assert 0.0 <= X_train.min() and X_train.max() <= 1.0
    np.testing.assert_array_equal(y_train, train_y)
    np.testing.assert_array_equal(y_test, test_y)


def test_ok_load_mnist_dotted_names(tmp_path):
    # Some mirrors spell the files "train-images.idx3-ubyte".
    write_idx(tmp_path / "train-images.idx3-ubyte", images(4, seed=7))
    write_idx(tmp_path / "train-labels.idx1-ubyte", labels(4, seed=8))
    write_idx(tmp_path / "t10k-images.idx3-ubyte", images(1, seed=9))
    write_idx(tmp_path / "t10k-labels.idx1-ubyte", labels(1, seed=10))
    X_train, y_train, X_test, y_test = load_mnist(tmp_path)
    assert [len(X_train), len(y_train), len(X_test), len(y_test)] == [4, 4, 1, 1]


def test_bad_magic_number(tmp_path):
    path = tmp_path / "images-idx3-ubyte"
    path.write_bytes(b"\x12\x34\x08\x03" + bytes(12))
    with pytest.raises(ValueError, match=r"not an IDX file \(bad magic number\)") as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_bad_magic_unknown_type_byte(tmp_path):
    path = write_idx(tmp_path / "images-idx3-ubyte", images(2, seed=11), type_byte=0x07)
    with pytest.raises(ValueError, match=r"bad magic number"):
        read_idx(path)


def test_bad_magic_empty_file(tmp_path):
    path = tmp_path / "empty-idx1-ubyte"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match=r"bad magic number"):
        read_idx(path)


def test_truncated_file(tmp_path):
    data = idx_bytes(images(5, seed=12))               # 5*4*3 = 60 bytes of pixels
    path = tmp_path / "images-idx3-ubyte"
    path.write_bytes(data[:-10])
    with pytest.raises(ValueError) as info:
        read_idx(path)
    message = str(info.value)
    assert str(path) in message
    assert "expected 60 bytes of data for shape (5, 4, 3), found 50" in message


def test_truncated_gzipped_file(tmp_path):
    data = idx_bytes(labels(8, seed=13))
    path = tmp_path / "labels-idx1-ubyte.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(data[:-3])
    with pytest.raises(ValueError, match=r"expected 8 bytes of data for shape \(8,\), found 5"):
        read_idx(path)


def test_load_mnist_missing_file(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte", images(2, seed=14))
    with pytest.raises(FileNotFoundError, match=r"no train-labels-idx1-ubyte\[\.gz\]"):
        load_mnist(tmp_path)


def test_load_mnist_count_mismatch(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte", images(3, seed=15))
    write_idx(tmp_path / "train-labels-idx1-ubyte", labels(2, seed=16))
    with pytest.raises(ValueError, match=r"train has 3 images but 2 labels"):
        load_mnist(tmp_path)
