# %% [markdown] lang="zh"
# # 核心概念：图解与小计算
#
# 五个核心概念页面背后的示意图和小而精确的计算：神经元与多层网络、卷积、循环、GAN 和 VAE。这里不训练任何模型；每个数字都当场算出，并用 `assert` 检查。

# %% [markdown] lang="en"
# # Core concepts, drawn and computed
#
# Diagrams and small, exact computations behind the five concept pages: the neuron
# and the multilayer network, convolution, recurrence, GANs and VAEs. Nothing is
# trained here; every number is computed on the spot and checked with `assert`.

# %% setup
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import concepts_figures as figures
from digits import load_digits

torch.manual_seed(0)
rng = np.random.default_rng(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% neuron
# One neuron: a weighted sum of the inputs, plus a bias, through an activation.
x = torch.tensor([0.5, -1.0, 2.0])
w = torch.tensor([0.8, 0.2, -0.5])
b = torch.tensor(0.1)
z = w @ x + b                      # pre-activation
neuron_z = z.item()
neuron_relu = torch.relu(z).item()
neuron_sigmoid = torch.sigmoid(z).item()
print(f"z = w.x + b = {neuron_z:.4f}")
print(f"ReLU(z) = {neuron_relu:.4f}   sigmoid(z) = {neuron_sigmoid:.4f}")

# %% layer
# A layer of 4 neurons is one matrix product: each row of W is one neuron's weights.
layer = nn.Linear(3, 4)
manual = layer.weight @ x + layer.bias          # W x + b, by hand
layer_max_diff = (manual - layer(x)).abs().max().item()
assert layer_max_diff < 1e-6, layer_max_diff
layer.weight.shape, layer.bias.shape, layer(x).shape

# %% xor_linear
# XOR: the best linear fit w1*x1 + w2*x2 + b in the least-squares sense.
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([0.0, 1.0, 1.0, 0.0])
A = torch.cat([X, torch.ones(4, 1)], dim=1)
coef = torch.linalg.lstsq(A, y[:, None]).solution[:, 0]
xor_linear_pred = (A @ coef).tolist()
print("best linear fit:", [round(v, 4) for v in xor_linear_pred])
assert max(abs(v - 0.5) for v in xor_linear_pred) < 1e-6

# %% xor
# Two ReLU neurons fit XOR exactly (weights set by hand).
# Hidden layer H = ReLU(X W1^T + b1), one row of W1 per hidden unit; output y_hat = H w2:
W1 = torch.tensor([[1.0, 1.0], [1.0, 1.0]])     # (d_out, d_in) = (2, 2)
b1 = torch.tensor([0.0, -1.0])
w2 = torch.tensor([1.0, -2.0])
h = torch.relu(X @ W1.T + b1)
y_hat = h @ w2
print("two ReLU units: ", y_hat.tolist())
assert torch.equal(y_hat, y)

# %% collapse
# Without an activation, two linear layers are just one linear layer.
g = torch.Generator().manual_seed(0)
A1, A2 = torch.randn(5, 3, generator=g, dtype=torch.float64), torch.randn(2, 5, generator=g, dtype=torch.float64)
v = torch.randn(3, generator=g, dtype=torch.float64)
collapse_max_diff = (A2 @ (A1 @ v) - (A2 @ A1) @ v).abs().max().item()
print(f"max |A2(A1 v) - (A2 A1) v| = {collapse_max_diff:.1e}")
assert collapse_max_diff < 1e-12

# %% mlp_params
# The 2-4-1 network of the page, as torch builds it: count its parameters.
net = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid())
for name, p in net.named_parameters():
    print(f"{name:9s} {tuple(p.shape)}")             # weight: (d_out, d_in), bias: (d_out,)
mlp_params = sum(p.numel() for p in net.parameters())
print("parameters:", mlp_params)
assert mlp_params == 2 * 4 + 4 + 4 * 1 + 1

# %% mlp_diagram caption={"zh": "2-4-1 网络示意图：左列是 2 个输入，中列是 4 个 ReLU 隐藏单元，右列是 1 个 sigmoid 输出；相邻两层全连接，上方标出每层权重和偏置的形状", "en": "A 2-4-1 network: two inputs (left), four ReLU hidden units (middle) and one sigmoid output (right), each layer fully connected to the next; the shapes of each layer's weights and biases above"}
figures.mlp_diagram()
plt.show()

# %% conv_data
# A real handwritten "0" from the digits data (8x8 pixels in [0, 1]).
X_train, y_train, X_test, y_test = load_digits()
digit_index = int(np.flatnonzero(y_train == 0)[0])
image = torch.tensor(X_train[digit_index], device=device)
image.shape, int(y_train[digit_index])

# %% conv_slide
# A vertical-edge kernel slides over the image; each output is one dot product.
kernel = torch.tensor([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]], device=device)
feature_map = F.conv2d(image[None, None], kernel[None, None])[0, 0]     # no padding, stride 1
row, col = 3, 0                                                        # one window, by hand
window = image[row:row + 3, col:col + 3]
conv_by_hand = (window * kernel).sum().item()
conv_at_window = feature_map[row, col].item()
assert abs(conv_by_hand - conv_at_window) < 1e-5
conv_out_size = feature_map.shape[0]
print(f"input {tuple(image.shape)} -> feature map {tuple(feature_map.shape)}")
print(f"sum(window * kernel) at ({row},{col}) = {conv_by_hand:.4f}; conv2d gives {conv_at_window:.4f}")

# %% conv_slide_plot caption={"zh": "3×3 竖直边缘卷积核在 8×8 数字图像上滑动：(a) 输入，红框是一个窗口；(b) 卷积核；(c) 特征图，红框处的值就是该窗口与卷积核的点积", "en": "A 3×3 vertical-edge kernel sliding over an 8×8 digit: (a) the input with one window boxed in red, (b) the kernel, (c) the feature map, whose boxed value is that window's dot product with the kernel"}
figures.conv_slide(image, kernel, feature_map, row, col, conv_out_size)
plt.show()

# %% conv_shift
# Shift the input one pixel right: the feature map shifts one pixel right too.
padded = F.pad(image, (1, 1, 1, 1))                          # 10x10, zero border
shifted = torch.roll(padded, shifts=1, dims=1)               # the zero column wraps round
out = F.conv2d(padded[None, None], kernel[None, None])[0, 0]
out_shifted = F.conv2d(shifted[None, None], kernel[None, None])[0, 0]
shift_max_diff = (out_shifted[:, 1:] - out[:, :-1]).abs().max().item()
print(f"max |conv(shift(x)) - shift(conv(x))| = {shift_max_diff:.1e}")
assert shift_max_diff < 1e-6

# %% pooling
# 2x2 max pooling (stride 2) keeps the largest value of each 2x2 block:
# each side halves, so the area (the number of values) quarters.
pooled = F.max_pool2d(feature_map[None, None], kernel_size=2)[0, 0]
pool_in_side, pool_out_side = feature_map.shape[0], pooled.shape[0]
pool_area_ratio = pooled.numel() / feature_map.numel()
print(f"feature map {tuple(feature_map.shape)} -> pooled {tuple(pooled.shape)}, area x {pool_area_ratio:g}")
assert torch.equal(pooled[0, 0], feature_map[:2, :2].max())
assert pool_out_side == pool_in_side // 2 and pool_area_ratio == 0.25

# %% conv_params
# Weight sharing: a conv layer's parameter count does not depend on the image size;
# a dense layer with the same outputs grows with it.
conv = nn.Conv2d(1, 8, kernel_size=3)
conv_layer_params = sum(p.numel() for p in conv.parameters())
dense_params = []
for n in (8, 28):
    m = n - 3 + 1                                            # output side, no padding
    dense = nn.Linear(n * n, 8 * m * m)                      # same 8 x m x m outputs
    dense_params.append(sum(p.numel() for p in dense.parameters()))
    print(f"{n:2d}x{n:<2d} input -> 8x{m}x{m}:  conv {conv_layer_params:>5,d} params   dense {dense_params[-1]:>9,d} params")
dense_params_8, dense_params_28 = dense_params
assert conv_layer_params == 8 * (1 * 3 * 3 + 1) < dense_params_8 < dense_params_28

# %% tiny_models
# Two tiny classifiers for 8x8 digits: an MLP and a CNN.
mlp = nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
cnn = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),      # 8 x 4 x 4
    nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),     # 16 x 2 x 2
    nn.Flatten(), nn.Linear(16 * 2 * 2, 10))
tiny_mlp_params = sum(p.numel() for p in mlp.parameters())
tiny_cnn_params = sum(p.numel() for p in cnn.parameters())
batch = torch.tensor(X_train[:5])[:, None]                          # (5, 1, 8, 8)
assert mlp(batch).shape == cnn(batch).shape == (5, 10)
assert tiny_cnn_params < tiny_mlp_params
print(f"MLP 64-32-10: {tiny_mlp_params:,d} parameters")
print(f"CNN conv8-conv16-fc10: {tiny_cnn_params:,d} parameters")

# %% rnn_unrolled caption={"zh": "循环网络的折叠形式（左）与沿 4 个时间步展开的形式（右）：每一步都用同一组权重 W、U、b，并把隐藏状态传给下一步", "en": "An RNN folded (left) and unrolled over four time steps (right): every step uses the same weights W, U, b and passes its hidden state on"}
figures.rnn_unrolled()
plt.show()

# %% rnn_memory
# Two sequences that differ only in their first input: how long does the difference last?
# float64: late gaps are far below float32's rounding steps of a hidden state near 1.
torch.manual_seed(0)                                         # the RNN's random initial weights
rnn = nn.RNN(input_size=1, hidden_size=8, batch_first=True, dtype=torch.float64).to(device)
rnn_params = sum(p.numel() for p in rnn.parameters())
seq_len = 30
seq = torch.randn(1, seq_len, 1, generator=torch.Generator().manual_seed(1), dtype=torch.float64).to(device)
seq_a, seq_b = seq.clone(), seq.clone()
seq_a[0, 0, 0], seq_b[0, 0, 0] = 1.0, -1.0
with torch.no_grad():
    out_a, h_n = rnn(seq_a)                                  # out: (batch, time, hidden)
    out_b, _ = rnn(seq_b)
print(f"output {tuple(out_a.shape)}, last hidden state {tuple(h_n.shape)}, {rnn_params} parameters for any length")
assert rnn_params == 8 * (1 + 8 + 2)

# %% rnn_gap
# How far apart are the two hidden states after t steps?
memory_gap = (out_a - out_b).norm(dim=2)[0].cpu()            # ||h_t^a - h_t^b|| per step
rnn_steps = [1, 2, 5, 10, 20, 30]
rnn_gaps = [float(memory_gap[t - 1]) for t in rnn_steps]
# A small difference is multiplied at every step by the Jacobian diag(1 - h_t^2) U.
rnn_decay_per_step = (rnn_gaps[-1] / rnn_gaps[0]) ** (1 / (seq_len - 1))
for t, gap in zip(rnn_steps, rnn_gaps):
    print(f"t = {t:2d}   ||h_a - h_b|| = {gap:.3g}")
print(f"mean shrink factor per step: {rnn_decay_per_step:.4f}")
assert rnn_decay_per_step < 1 and rnn_gaps[-1] < 1e-3 * rnn_gaps[0]

# %% gan_diagram caption={"zh": "GAN 的结构：噪声 z 经生成器 G 变成假样本 G(z)，判别器 D 给真实样本 x 和假样本打分 D(·) ∈ (0, 1)；蓝字是 D 的目标（真样本判为 1、假样本判为 0），绿色虚线和绿字是 G 的目标（让 D 把它的样本判为 1）", "en": "A GAN: noise z goes through the generator G to a fake sample G(z); the discriminator D scores real samples x and fakes with D(·) ∈ (0, 1); in blue the goal of D (real to 1, fake to 0), in green (dashed arrow) the goal of G (make D call its samples 1)"}
figures.gan_diagram()
plt.show()

# %% gan_optimal_d
# For a fixed G, the best discriminator is D*(x) = p_data(x) / (p_data(x) + p_g(x)),
# and then V(D*, G) = -log 4 + 2 JSD(p_data || p_g). Checked on 1-D Gaussians by quadrature.
grid = np.linspace(-10, 12, 22_001)
dx = grid[1] - grid[0]


def normal_pdf(t, mean, std=1.0):
    return np.exp(-0.5 * ((t - mean) / std) ** 2) / (std * np.sqrt(2 * np.pi))


def value_at_optimum(mu_g):
    """V(D*, G), JSD(p_data || p_g) and D* on the grid, for p_data = N(0, 1), p_g = N(mu_g, 1)."""
    p_data, p_g = normal_pdf(grid, 0.0), normal_pdf(grid, mu_g)
    d_star = p_data / (p_data + p_g)
    v = np.sum(p_data * np.log(d_star) + p_g * np.log(1 - d_star)) * dx
    m = (p_data + p_g) / 2
    jsd = 0.5 * np.sum(p_data * np.log(p_data / m)) * dx + 0.5 * np.sum(p_g * np.log(p_g / m)) * dx
    return v, jsd, d_star

# %% gan_jsd
# Move p_g towards p_data = N(0, 1) and compare V(D*, G) with -log 4 + 2 JSD.
minus_log4 = -math.log(4)
gan_means = [3.0, 1.0, 0.0]
gan_values, gan_jsds = [], []
for mu_g in gan_means:
    v_opt, jsd, _ = value_at_optimum(mu_g)
    gan_values.append(v_opt)
    gan_jsds.append(jsd)
    print(f"p_g = N({mu_g:g}, 1):  V(D*, G) = {v_opt:.4f}   -log 4 + 2 JSD = {minus_log4 + 2 * jsd:.4f}")
    assert abs(v_opt - (minus_log4 + 2 * jsd)) < 1e-6
assert abs(gan_values[-1] - minus_log4) < 1e-6

# %% gan_optimal_d_plot caption={"zh": "一维高斯：数据分布 p_data、生成分布 p_g 与最优判别器 D*(x)（虚线），横轴是 x；(a) 两个分布分开，(b) 两者重合，D* 处处等于 1/2", "en": "One-dimensional Gaussians: the data density p_data, the generator's density p_g and the optimal discriminator D*(x) (dashed) against x; (a) apart, (b) identical, where D* is 1/2 everywhere"}
figures.gan_optimal_d(grid, normal_pdf, value_at_optimum)
plt.show()

# %% gan_saturation
# D = sigmoid(a): the generator's gradient reaches D through its logit a. Slopes against a
# (autograd) and, for the saturating loss, against D itself (-1 / (1 - D)).
logit_values = [-6.0, -4.0, -2.0, 0.0]
logits = torch.tensor(logit_values, dtype=torch.float64, requires_grad=True)
d_fake = torch.sigmoid(logits)
grad_sat = torch.autograd.grad(torch.log1p(-d_fake).sum(), logits)[0]    # d/da log(1 - D)
grad_ns = torch.autograd.grad(-torch.log(torch.sigmoid(logits)).sum(), logits)[0]  # d/da (-log D)
sat_d_values = d_fake.detach().tolist()
sat_grads_logit, ns_grads_logit = grad_sat.tolist(), grad_ns.tolist()
sat_slopes_in_d = [-1 / (1 - d) for d in sat_d_values]                 # d/dD log(1 - D)
for a, d, gs, gn in zip(logits.tolist(), sat_d_values, sat_grads_logit, ns_grads_logit):
    print(f"a = {a:4.0f}   D = {d:.4f}   d/da log(1-D) = {gs:+.4f}   d/da(-log D) = {gn:+.4f}")
assert torch.allclose(grad_sat, -d_fake) and torch.allclose(grad_ns, d_fake - 1)

# %% gan_saturation_plot caption={"zh": "两种生成器损失以判别器的 logit a 为横轴（D = σ(a)）：(a) 饱和损失 log(1 − D) 与非饱和损失 −log D；(b) 两者对 a 的梯度的绝对值（对数纵轴）。a 很负、即 D ≈ 0 时，饱和损失的梯度 σ(a) 趋于 0，非饱和损失的梯度趋于 1", "en": "The two generator losses against the discriminator's logit a (D = σ(a)): (a) the saturating loss log(1 − D) and the non-saturating loss −log D; (b) the absolute value of each one's gradient with respect to a (log scale). For very negative a, that is D ≈ 0, the saturating gradient σ(a) goes to 0 and the non-saturating one to 1"}
figures.gan_saturation()
plt.show()

# %% vae_diagram caption={"zh": "VAE 的结构：编码器 q_φ(z|x) 把 x 映射为 μ 和 log σ²，用重参数化 z = μ + σ⊙ε（ε 来自标准正态）采样，解码器 p_θ(x|z) 再把 z 还原为 x̂；蓝字是 ELBO 的 KL 项，绿字是重建项", "en": "A VAE: the encoder q_φ(z|x) maps x to μ and log σ², z = μ + σ⊙ε (ε standard normal) is sampled by the reparameterisation trick, and the decoder p_θ(x|z) maps z back to x̂; in blue the ELBO's KL term, in green its reconstruction term"}
figures.vae_diagram()
plt.show()

# %% elbo_model
# A model whose evidence is known: z ~ N(0, 1), x | z ~ N(z, s^2), so p(x) = N(0, 1 + s^2)
# and p(z | x) = N(x / (1 + s^2), s^2 / (1 + s^2)). For q = N(m, var), in closed form:
x_obs, s = 1.5, 0.5
log_evidence = -0.5 * math.log(2 * math.pi * (1 + s**2)) - x_obs**2 / (2 * (1 + s**2))
post_mean, post_var = x_obs / (1 + s**2), s**2 / (1 + s**2)


def elbo(m, var):
    """E_q[log p(x|z)] - KL(q || N(0, 1)) for q = N(m, var)."""
    recon = -0.5 * math.log(2 * math.pi * s**2) - ((x_obs - m) ** 2 + var) / (2 * s**2)
    return recon - 0.5 * (m**2 + var - 1 - math.log(var))


def kl_gauss(m1, v1, m2, v2):
    """KL(N(m1, v1) || N(m2, v2)) for one-dimensional Gaussians."""
    return 0.5 * (math.log(v2 / v1) + (v1 + (m1 - m2) ** 2) / v2 - 1)

# %% elbo_gap
# log p(x) - ELBO(q) should equal KL(q || p(z|x)) for every q, and vanish at the posterior.
elbo_at_posterior = elbo(post_mean, post_var)
print(f"log p(x) = {log_evidence:.4f}   ELBO at the true posterior = {elbo_at_posterior:.4f}")
q_means, q_vars = [0.0, 1.0, post_mean], [1.0, 0.1, post_var]
elbo_values, elbo_gaps = [], []
for m, var in zip(q_means, q_vars):
    elbo_values.append(elbo(m, var))
    elbo_gaps.append(log_evidence - elbo_values[-1])
    kl_post = kl_gauss(m, var, post_mean, post_var)
    print(f"q = N({m:.2f}, {var:.2f}):  ELBO = {elbo_values[-1]:.4f}   gap = {elbo_gaps[-1]:.4f}   KL(q||p(z|x)) = {kl_post:.4f}")
    assert abs(elbo_gaps[-1] - kl_post) < 1e-12 and elbo_gaps[-1] >= -1e-12
assert abs(elbo_at_posterior - log_evidence) < 1e-12

# %% elbo_plot caption={"zh": "ELBO 随近似后验 q = N(m, 后验方差) 的均值 m（横轴）变化，纵轴单位为 nat：曲线始终在 log p(x)（虚线）之下，在真实后验均值（竖线）处与之相等", "en": "The ELBO as the mean m (horizontal axis) of q = N(m, posterior variance) varies, in nats: it stays below log p(x) (dashed) and touches it at the true posterior mean (vertical line)"}
figures.elbo(elbo, post_var, post_mean, log_evidence)
plt.show()

# %% kl_term
# The KL term of the ELBO for a Gaussian q and a standard normal prior has a closed form;
# check it against a Monte Carlo average of log q(z) - log p(z) over samples z ~ q.
q_mu, q_sigma = 1.0, 0.5
kl_closed = 0.5 * (q_mu**2 + q_sigma**2 - 1 - math.log(q_sigma**2))
kl_samples = 100_000
zq = q_mu + q_sigma * torch.randn(kl_samples, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
log_q = -0.5 * ((zq - q_mu) / q_sigma) ** 2 - math.log(q_sigma) - 0.5 * math.log(2 * math.pi)
log_p = -0.5 * zq**2 - 0.5 * math.log(2 * math.pi)
kl_monte_carlo = (log_q - log_p).mean().item()
print(f"KL closed form {kl_closed:.4f}   Monte Carlo ({kl_samples:,d} samples) {kl_monte_carlo:.4f}")
assert abs(kl_monte_carlo - kl_closed) < 0.01

# %% reparam_direct
# Target: the gradient of E[z^2] = mu^2 + sigma^2 for z ~ N(mu, sigma^2), with respect to
# mu and log sigma^2. Direct sampling: torch treats the draw as a constant, so no gradient.
mu = torch.tensor(1.0, requires_grad=True)
log_var = torch.tensor(math.log(0.25), requires_grad=True)   # sigma = 0.5
num_samples = 100_000
sigma = torch.exp(0.5 * log_var)
z_direct = torch.normal(mu.expand(num_samples), sigma.expand(num_samples))
(z_direct ** 2).mean().backward()
direct_grad_mu, direct_grad_log_var = mu.grad.item(), log_var.grad.item()
print(f"direct sampling : d/d mu = {direct_grad_mu:.4f}   d/d log_var = {direct_grad_log_var:.4f}")
assert direct_grad_mu == 0 and direct_grad_log_var == 0

# %% reparam
# Reparameterised: z = mu + sigma * eps with eps ~ N(0, 1), a differentiable function of mu, sigma.
mu.grad, log_var.grad = None, None
sigma = torch.exp(0.5 * log_var)
eps = torch.randn(num_samples, generator=torch.Generator().manual_seed(0))
z_sample = mu + sigma * eps
objective = (z_sample ** 2).mean()                           # Monte Carlo E[z^2]
objective.backward()
reparam_grad_mu, reparam_grad_log_var = mu.grad.item(), log_var.grad.item()
exact_grad_mu, exact_grad_log_var = 2 * mu.item(), sigma.item() ** 2     # d/dmu, d/dlog_var
print(f"reparameterised : d/d mu = {reparam_grad_mu:.4f}   d/d log_var = {reparam_grad_log_var:.4f}")
print(f"exact           : d/d mu = {exact_grad_mu:.4f}   d/d log_var = {exact_grad_log_var:.4f}")
assert abs(reparam_grad_mu - exact_grad_mu) < 0.02 and abs(reparam_grad_log_var - exact_grad_log_var) < 0.02
