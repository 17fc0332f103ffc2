# %% [markdown] lang="zh"
# # 核心概念：练习的参考答案
#
# 五个核心概念页面上“改一改”练习的参考答案：每个单元运行的正是练习要求修改后的代码（取自 `concepts.py` 的对应单元），页面上的数字都来自这里的运行。

# %% [markdown] lang="en"
# # Core concepts: worked answers to the exercises
#
# The worked answers to the change-and-run exercises on the five concept pages: each
# cell runs exactly the changed code the exercise asks for (from the matching cell of
# `concepts.py`), and every number the pages quote comes from this run.

# %% setup
import math

import numpy as np
import torch
from torch import nn

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% nn_xor_no_relu
# concepts.py#xor with the ReLU removed: h = X W1^T + b1.
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([0.0, 1.0, 1.0, 0.0])
W1 = torch.tensor([[1.0, 1.0], [1.0, 1.0]])     # (d_out, d_in) = (2, 2)
b1 = torch.tensor([0.0, -1.0])
w2 = torch.tensor([1.0, -2.0])
h = X @ W1.T + b1                               # was torch.relu(X @ W1.T + b1)
y_hat = h @ w2
xor_no_relu = y_hat.tolist()
print("no activation:", xor_no_relu)
# The two layers collapse into one: y_hat = X (W1^T w2) + b1 . w2
collapsed_w, collapsed_b = (W1.T @ w2).tolist(), float(b1 @ w2)
print("one linear layer: w =", collapsed_w, " b =", collapsed_b)
assert torch.allclose(y_hat, X @ (W1.T @ w2) + b1 @ w2) and not torch.equal(y_hat, y)

# %% nn_mnist_params
# The parameter count of a 784-128-10 MLP (an MNIST classifier), by the formula and by torch.
sizes = [784, 128, 10]
mnist_params_formula = sum(d_in * d_out + d_out for d_in, d_out in zip(sizes, sizes[1:]))
mnist_mlp = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
mnist_params = sum(p.numel() for p in mnist_mlp.parameters())
print(f"784-128-10: {mnist_params:,d} parameters (formula {mnist_params_formula:,d})")
assert mnist_params == mnist_params_formula

# %% cnn_kernel5
# concepts.py#conv_params with kernel_size=5 instead of 3.
conv = nn.Conv2d(1, 8, kernel_size=5)
k5_conv_params = sum(p.numel() for p in conv.parameters())
k5_dense_params = []
for n in (8, 28):
    m = n - 5 + 1                                            # output side, no padding
    dense = nn.Linear(n * n, 8 * m * m)                      # same 8 x m x m outputs
    k5_dense_params.append(sum(p.numel() for p in dense.parameters()))
    print(f"{n:2d}x{n:<2d} input -> 8x{m}x{m}:  conv {k5_conv_params:>5,d} params   dense {k5_dense_params[-1]:>9,d} params")
k5_dense_params_8, k5_dense_params_28 = k5_dense_params
assert k5_conv_params == 8 * (5 * 5 + 1)

# %% cnn_shapes
# A 28x28 image through two "conv 3x3 (padding 1) -> ReLU -> 2x2 max pool" blocks.
blocks = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
t = torch.zeros(1, 1, 28, 28)
block_shapes = []
for layer in blocks:
    t = layer(t)
    if isinstance(layer, nn.MaxPool2d):
        block_shapes.append(list(t.shape[1:]))
print("after each block:", block_shapes)
(block1_channels, block1_side, _), (block2_channels, block2_side, _) = block_shapes
assert block_shapes == [[8, 14, 14], [16, 7, 7]]

# %% rnn_scaled_u
# concepts.py#rnn_memory with the recurrent weights U multiplied by 3.
torch.manual_seed(0)                                         # the RNN's random initial weights
rnn = nn.RNN(input_size=1, hidden_size=8, batch_first=True, dtype=torch.float64).to(device)
with torch.no_grad():
    rnn.weight_hh_l0.mul_(3)                                 # the change: U -> 3U

# %% rnn_scaled_gap
# The same two sequences as rnn_memory: they differ only in their first input.
seq_len = 30
seq = torch.randn(1, seq_len, 1, generator=torch.Generator().manual_seed(1), dtype=torch.float64).to(device)
seq_a, seq_b = seq.clone(), seq.clone()
seq_a[0, 0, 0], seq_b[0, 0, 0] = 1.0, -1.0
with torch.no_grad():
    out_a, _ = rnn(seq_a)
    out_b, _ = rnn(seq_b)
memory_gap = (out_a - out_b).norm(dim=2)[0].cpu()
rnn_steps = [1, 2, 5, 10, 20, 30]
scaled_gaps = [float(memory_gap[t - 1]) for t in rnn_steps]
scaled_decay_per_step = (scaled_gaps[-1] / scaled_gaps[0]) ** (1 / (seq_len - 1))
for t, gap in zip(rnn_steps, scaled_gaps):
    print(f"t = {t:2d}   ||h_a - h_b|| = {gap:.3g}")
print(f"mean shrink factor per step: {scaled_decay_per_step:.4f}")
assert scaled_gaps[-1] > 1e-3

# %% gan_wider
# concepts.py#gan_optimal_d with p_g = N(mu_g, 2^2): twice the spread of p_data = N(0, 1).
grid = np.linspace(-10, 12, 22_001)
dx = grid[1] - grid[0]


def normal_pdf(t, mean, std=1.0):
    return np.exp(-0.5 * ((t - mean) / std) ** 2) / (std * np.sqrt(2 * np.pi))


def value_at_optimum(mu_g):
    p_data, p_g = normal_pdf(grid, 0.0), normal_pdf(grid, mu_g, std=2.0)   # the change: std=2.0
    d_star = p_data / (p_data + p_g)
    v = np.sum(p_data * np.log(d_star) + p_g * np.log(1 - d_star)) * dx
    m = (p_data + p_g) / 2
    jsd = 0.5 * np.sum(p_data * np.log(p_data / m)) * dx + 0.5 * np.sum(p_g * np.log(p_g / m)) * dx
    return v, jsd, d_star

# %% gan_wider_run
# The same mean as the data, a wider spread: is the discriminator still reduced to guessing?
wide_value, wide_jsd, d_star = value_at_optimum(0.0)
wide_d_at_0, wide_d_at_3 = float(np.interp(0.0, grid, d_star)), float(np.interp(3.0, grid, d_star))
print(f"V(D*, G) = {wide_value:.4f}   JSD = {wide_jsd:.4f}   D*(0) = {wide_d_at_0:.3f}   D*(3) = {wide_d_at_3:.3f}")
assert wide_jsd > 0.01 and abs(wide_value - (-math.log(4) + 2 * wide_jsd)) < 1e-6

# %% vae_few_samples
# concepts.py#reparam with num_samples = 100 instead of 100_000, repeated for five seeds.
few_grads_mu, few_grads_log_var = [], []
for seed in range(5):
    mu = torch.tensor(1.0, requires_grad=True)
    log_var = torch.tensor(math.log(0.25), requires_grad=True)   # sigma = 0.5
    sigma = torch.exp(0.5 * log_var)
    eps = torch.randn(100, generator=torch.Generator().manual_seed(seed))
    ((mu + sigma * eps) ** 2).mean().backward()
    few_grads_mu.append(round(mu.grad.item(), 3))
    few_grads_log_var.append(round(log_var.grad.item(), 3))
print("d/d mu      over seeds 0-4:", few_grads_mu, "  exact 2.0")
print("d/d log_var over seeds 0-4:", few_grads_log_var, "  exact 0.25")
few_mu_min, few_mu_max = min(few_grads_mu), max(few_grads_mu)
few_log_var_min, few_log_var_max = min(few_grads_log_var), max(few_grads_log_var)
assert few_mu_max - few_mu_min > 0.05
