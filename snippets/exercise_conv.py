# %% [markdown] lang="zh"
# # 练习：步幅 3、不填充
#
# `conv.py` 的 `compare` 单元，把 `stride=2, padding=1` 改成 `stride=3, padding=0`（NumPy 实现与 `conv.py` 的 `conv2d` 相同）。这是“卷积运算”一页练习的参考答案：用输出尺寸公式先算一算，再与真实的输出形状对照。

# %% [markdown] lang="en"
# # Exercise: stride 3, no padding
#
# The `compare` cell of `conv.py` with `stride=2, padding=1` changed to `stride=3, padding=0`
# (the NumPy implementation is `conv.py`'s `conv2d`).

# %% setup
import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
rng = np.random.default_rng(0)

# %% conv2d
def conv2d(X, K, b=None, stride=1, padding=0):
    """X: (N, C, H, W), K: (O, C, kh, kw), b: (O,). Cross-correlation, as in conv.py."""
    N, C, H, W = X.shape
    O, _, kh, kw = K.shape
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    H_out, W_out = (H + 2 * padding - kh) // stride + 1, (W + 2 * padding - kw) // stride + 1
    Y = np.zeros((N, O, H_out, W_out), dtype=X.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = Xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            Y[:, :, i, j] = np.tensordot(window, K, axes=([1, 2, 3], [1, 2, 3]))
    return Y if b is None else Y + b.reshape(1, O, 1, 1)


# %% compare
X = rng.normal(size=(2, 3, 11, 11)).astype(np.float32)   # batch 2, 3 channels, 11x11
K = rng.normal(size=(4, 3, 3, 3)).astype(np.float32)     # 4 output channels, 3x3 kernels
b = rng.normal(size=4).astype(np.float32)
Y = conv2d(X, K, b, stride=3, padding=0)                  # the change
Y_torch = F.conv2d(torch.from_numpy(X), torch.from_numpy(K), torch.from_numpy(b), stride=3, padding=0).numpy()
conv_max_error = float(np.max(np.abs(Y - Y_torch)))
print(f"output shape numpy {Y.shape}, torch {Y_torch.shape}")
print(f"max |numpy - F.conv2d| = {conv_max_error:.1e}  (float32)")
assert Y.shape == Y_torch.shape and conv_max_error < 1e-5, conv_max_error

# %% unused
# Windows start at 0, 3, 6; the last one covers columns 6..8, so columns 9 and 10 are never read.
out_side = Y.shape[-1]
last_read = (out_side - 1) * 3 + 3 - 1
unused_columns = 11 - 1 - last_read
print(f"side {out_side}: last column read {last_read}, columns never read per row: {unused_columns}")
assert out_side == (11 - 3) // 3 + 1
