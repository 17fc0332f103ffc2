# %% [markdown] lang="zh"
# # 卷积运算
#
# 用 NumPy 实现带步幅和填充的二维卷积，并在数值和形状上与 `torch.nn.functional.conv2d` 核对；然后是池化，以及边缘检测卷积核作用在一个真实手写数字上的效果。

# %% [markdown] lang="en"
# # The convolution operation
#
# A 2-D convolution with stride and padding written in NumPy, checked against
# `torch.nn.functional.conv2d` for values and shapes; pooling; and what an
# edge-detecting kernel does to a real handwritten digit.

# %% setup
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from algo_figures import draw_stride_padding   # plotting only (a local module)
from digits import load_digits, upsample

torch.manual_seed(0)
torch.set_num_threads(1)
rng = np.random.default_rng(0)

# %% conv2d
def conv2d(X, K, b=None, stride=1, padding=0):
    """X: (N, C, H, W), K: (O, C, kh, kw), b: (O,). Cross-correlation, as deep-learning libraries do."""
    N, C, H, W = X.shape
    O, _, kh, kw = K.shape
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    H_out = (H + 2 * padding - kh) // stride + 1
    W_out = (W + 2 * padding - kw) // stride + 1
    Y = np.zeros((N, O, H_out, W_out), dtype=X.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = Xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]   # (N, C, kh, kw)
            Y[:, :, i, j] = np.tensordot(window, K, axes=([1, 2, 3], [1, 2, 3]))   # sum over C, kh, kw
    if b is not None:
        Y += b.reshape(1, O, 1, 1)
    return Y


# %% compare
X = rng.normal(size=(2, 3, 11, 11)).astype(np.float32)   # batch 2, 3 channels, 11x11
K = rng.normal(size=(4, 3, 3, 3)).astype(np.float32)     # 4 output channels, 3x3 kernels
b = rng.normal(size=4).astype(np.float32)
Y = conv2d(X, K, b, stride=2, padding=1)
Y_torch = F.conv2d(torch.from_numpy(X), torch.from_numpy(K), torch.from_numpy(b), stride=2, padding=1).numpy()
conv_max_error = float(np.max(np.abs(Y - Y_torch)))
print(f"output shape numpy {Y.shape}, torch {Y_torch.shape}")
print(f"max |numpy - F.conv2d| = {conv_max_error:.1e}  (float32)")
assert Y.shape == Y_torch.shape and conv_max_error < 1e-5, conv_max_error

# %% output_size
def out_size(n, k, s=1, p=0):
    """floor((n + 2p - k) / s) + 1"""
    return (n + 2 * p - k) // s + 1


out_size(28, 3), out_size(28, 3, p=1), out_size(28, 5, s=2, p=2)

# %% shape_table
# Several (n, k, s, p) cases: the formula, our NumPy convolution and torch must agree.
cases = [(28, 3, 1, 0), (28, 3, 1, 1), (28, 5, 1, 2), (28, 3, 2, 0), (28, 3, 2, 1),
         (28, 5, 2, 2), (28, 7, 3, 0), (32, 4, 4, 0), (8, 3, 1, 0), (8, 2, 2, 0)]
print(f"{'n':>3} {'k':>3} {'s':>3} {'p':>3} | {'formula':>7} {'numpy':>9} {'torch':>9} | max error")
shape_table_max_error = 0.0
for n, k, s, p in cases:
    X_case = rng.normal(size=(1, 1, n, n)).astype(np.float32)
    K_case = rng.normal(size=(1, 1, k, k)).astype(np.float32)
    ours = conv2d(X_case, K_case, stride=s, padding=p)
    theirs = F.conv2d(torch.from_numpy(X_case), torch.from_numpy(K_case), stride=s, padding=p).numpy()
    err = float(np.max(np.abs(ours - theirs)))
    shape_table_max_error = max(shape_table_max_error, err)
    m = out_size(n, k, s, p)
    print(f"{n:3d} {k:3d} {s:3d} {p:3d} | {m:7d} {str(ours.shape[2:]):>9} {str(theirs.shape[2:]):>9} | {err:.1e}")
    assert ours.shape[2:] == theirs.shape[2:] == (m, m)
num_shape_cases = len(cases)
assert shape_table_max_error < 1e-5, shape_table_max_error

# %% stride_grid caption={"zh": "填充与步幅：灰色是补的 0，彩色方框是 3×3 卷积核沿第一行的各个位置（编号即输出的列号），右侧是输出网格；(a) 步幅 1 时输出与输入同样大小，(b) 步幅 2 时窗口每次跳两格，红色斜线部分放不下一个完整窗口而被向下取整丢掉；下方的公式结果与 F.conv2d 的真实输出形状一致", "en": "Padding and stride: grey cells are the zero padding, coloured squares the 3×3 kernel's positions along the first row (numbered by output column), the output grid on the right; (a) at stride 1 the output is as large as the input, (b) at stride 2 the window jumps two cells and the red hatched part, too small for a whole window, is dropped by the floor; the formula below agrees with F.conv2d's real output shape"}
# n = 6, k = 3, p = 1 at strides 1 and 2: the formula against the shape F.conv2d really returns.
grid_n, grid_k, grid_p, grid_strides = 6, 3, 1, (1, 2)
grid_x, grid_kernel = torch.ones(1, 1, grid_n, grid_n), torch.ones(1, 1, grid_k, grid_k)
grid_out = [F.conv2d(grid_x, grid_kernel, stride=s, padding=grid_p).shape[-1] for s in grid_strides]
assert grid_out == [out_size(grid_n, grid_k, s, grid_p) for s in grid_strides], grid_out
draw_stride_padding(grid_n, grid_k, grid_p, grid_strides, grid_out)
plt.show()

# %% flip
# Deep learning's "convolution" does not flip the kernel: it is cross-correlation.
# The convolution of signal processing flips it; with a flipped kernel the two agree.
from scipy.signal import convolve2d, correlate2d

x2, k2 = X[0, 0].astype(np.float64), K[0, 0].astype(np.float64)
ours2 = conv2d(x2[None, None], k2[None, None])[0, 0]
print(f"max |conv2d - correlate2d|                = {np.max(np.abs(ours2 - correlate2d(x2, k2, mode='valid'))):.1e}")
print(f"max |conv2d - convolve2d|                 = {np.max(np.abs(ours2 - convolve2d(x2, k2, mode='valid'))):.2f}")
print(f"max |conv2d - convolve2d(flipped kernel)| = {np.max(np.abs(ours2 - convolve2d(x2, k2[::-1, ::-1], mode='valid'))):.1e}")
flip_max_error = float(np.max(np.abs(ours2 - convolve2d(x2, k2[::-1, ::-1], mode="valid"))))
assert flip_max_error < 1e-12

# %% pooling
def pool2d(X, size=2, stride=2, mode="max"):
    """Max or average pooling over size x size windows of each channel."""
    N, C, H, W = X.shape
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    Y = np.zeros((N, C, H_out, W_out), dtype=X.dtype)
    reduce = np.max if mode == "max" else np.mean
    for i in range(H_out):
        for j in range(W_out):
            Y[:, :, i, j] = reduce(X[:, :, i * stride:i * stride + size, j * stride:j * stride + size], axis=(2, 3))
    return Y


P_max, P_avg = pool2d(Y), pool2d(Y, mode="avg")
t_Y = torch.from_numpy(Y)
pool_max_error = max(float(np.max(np.abs(P_max - F.max_pool2d(t_Y, 2).numpy()))),
                     float(np.max(np.abs(P_avg - F.avg_pool2d(t_Y, 2).numpy()))))
print(f"pooling {Y.shape} -> {P_max.shape}; max |numpy - torch| = {pool_max_error:.1e}")
assert pool_max_error < 1e-6, pool_max_error

# %% seed_model
# The seed's Keras CNN, Conv2D(32, (3, 3)) -> MaxPooling2D((2, 2)) -> Flatten -> Dense(10),
# written as torch modules: the shapes follow from the formula.
layers = [torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(32 * 13 * 13, 10)]
h = torch.zeros(1, 1, 28, 28)
seed_shapes = []
for layer in layers:
    h = layer(h)
    seed_shapes.append(str(tuple(h.shape)))
    n_p = sum(p.numel() for p in layer.parameters())
    print(f"{layer.__class__.__name__:>9} -> {str(tuple(h.shape)):<16} parameters {n_p:6d}")
conv_params = sum(p.numel() for p in layers[0].parameters())
dense_params = sum(p.numel() for p in layers[-1].parameters())
# A fully connected layer producing the same 32 x 26 x 26 outputs from the 28 x 28 input would need:
dense_equivalent_params = (28 * 28 + 1) * 32 * 26 * 26
print(f"the same outputs from a dense layer: {dense_equivalent_params:,} parameters (conv: {conv_params})")
seed_flat_features = 32 * out_size(out_size(28, 3), 2, 2) ** 2   # conv 28 -> 26, pool 26 -> 13
assert seed_shapes[3] == str((1, seed_flat_features)), seed_shapes

# %% digit
# A real digit (the first 0 of the training set), given a 2-pixel margin as MNIST digits
# have and upsampled to 28x28; two Sobel kernels respond to vertical and horizontal edges.
X_train, y_train, _, _ = load_digits()
digit_index = int(np.flatnonzero(y_train == 0)[0])
image = upsample(np.pad(X_train[digit_index:digit_index + 1], ((0, 0), (2, 2), (2, 2))))[0]   # (28, 28)
sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float32)
sobel_y = sobel_x.T.copy()
kernels = np.stack([sobel_x, sobel_y])[:, None]        # (2, 1, 3, 3)
edges = conv2d(image[None, None], kernels, padding=1)[0]  # (2, 28, 28)
magnitude = np.sqrt(edges[0] ** 2 + edges[1] ** 2)
edges_torch = F.conv2d(torch.from_numpy(image)[None, None], torch.from_numpy(kernels), padding=1)[0].numpy()
digit_max_error = float(np.max(np.abs(edges - edges_torch)))
pooled = pool2d(magnitude[None, None])[0, 0]
print(f"digit {y_train[digit_index]}: image {image.shape}, edge maps {edges.shape}, pooled {pooled.shape}")
print(f"max |numpy - F.conv2d| on the digit = {digit_max_error:.1e}")
assert digit_max_error < 1e-5

# %% plot_digit caption={"zh": "一个手写数字的逐步处理，从左到右：输入 I、Sobel x（竖直边缘）、Sobel y（水平边缘）、边缘强度和 2×2 最大池化", "en": "A handwritten digit step by step, left to right: the input I, Sobel x (vertical edges), Sobel y (horizontal edges), the edge magnitude and a 2×2 max pool"}
fig, axes = plt.subplots(1, 5, figsize=(10, 2.4))
panels = [(image, "$I$", "gray"), (edges[0], r"$K_x \star I$", "RdBu_r"), (edges[1], r"$K_y \star I$", "RdBu_r"),
          (magnitude, r"$\Vert \nabla I \Vert$", "magma"), (pooled, r"$\max_{2 \times 2}$", "magma")]
for ax, (img, title, cmap) in zip(axes, panels):
    lim = np.abs(img).max()
    ax.imshow(img, cmap=cmap, vmin=-lim if cmap == "RdBu_r" else None, vmax=lim if cmap == "RdBu_r" else None)
    ax.set_title(title, fontsize=10)
    ax.axis("off")
fig.tight_layout()
plt.show()
