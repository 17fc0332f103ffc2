# %% [markdown] lang="zh"
# # 激活函数与梯度消失
#
# sigmoid、tanh 和 ReLU 三个激活函数及其导数，并与 `torch.autograd` 的结果核对；然后比较一个深层 sigmoid 网络与一个 ReLU 网络中每一层的梯度范数。

# %% [markdown] lang="en"
# # Activation functions and vanishing gradients
#
# Sigmoid, tanh and ReLU with their derivatives, checked against `torch.autograd`;
# then the gradient norm of every layer in a deep sigmoid network against a ReLU one.

# %% setup
import matplotlib.pyplot as plt
import numpy as np
import torch

torch.manual_seed(0)
torch.set_num_threads(1)
rng = np.random.default_rng(0)

# %% functions
# Each activation with its derivative, written from the formulas.
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def d_sigmoid(z):
    s = sigmoid(z)
    return s * (1 - s)


def d_tanh(z):
    return 1 - np.tanh(z) ** 2


def relu(z):
    return np.maximum(z, 0)


def d_relu(z):
    return np.where(z > 0, 1.0, 0.0)  # the derivative at 0 is taken as 0, as torch does


# %% slopes
# Each function with its derivative and torch's version; their values on a grid.
activations = {
    "sigmoid": (sigmoid, d_sigmoid, torch.sigmoid),
    "tanh": (np.tanh, d_tanh, torch.tanh),
    "ReLU": (relu, d_relu, torch.relu),
}
z = np.linspace(-6, 6, 1201)
for name, (f, df, _) in activations.items():
    print(f"{name:>7}: f(0) = {f(0.0):.4f}, max f' = {df(z).max():.4f}, f'(5) = {df(5.0):.4g}")
sigmoid_max_slope = float(d_sigmoid(z).max())
tanh_max_slope = float(d_tanh(z).max())
sigmoid_slope_at_5, tanh_slope_at_5 = float(d_sigmoid(5.0)), float(d_tanh(5.0))

# %% autograd_check
# The hand-written derivatives must equal what autograd computes.
activation_max_diff = 0.0
for name, (f, df, torch_f) in activations.items():
    t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    torch_f(t).sum().backward()
    diff = float(np.max(np.abs(t.grad.numpy() - df(z))))
    value_diff = float(np.max(np.abs(torch_f(t).detach().numpy() - f(z))))
    activation_max_diff = max(activation_max_diff, diff, value_diff)
    print(f"{name:>7}: max |f - torch| = {value_diff:.1e}, max |f' - autograd| = {diff:.1e}")
assert activation_max_diff < 1e-12, activation_max_diff

# %% plot_functions caption={"zh": "sigmoid、tanh 和 ReLU 三个激活函数 f（实线）及其导数 f′（虚线），横轴为输入 z", "en": "Sigmoid, tanh and ReLU, f (solid) with their derivatives f′ (dashed), against the input z"}
fig, axes = plt.subplots(1, 3, figsize=(9, 2.8), sharex=True)
for ax, (name, (f, df, _)) in zip(axes, activations.items()):
    ax.plot(z, f(z), label="$f(z)$")
    ax.plot(z, df(z), "--", label="$f'(z)$")
    ax.axhline(0, color="gray", lw=0.5)
    ax.set(title=name, xlabel="$z$", ylim=(-1.2, 1.6))
axes[0].legend(loc="upper left")
fig.tight_layout()
plt.show()

# %% deep_net
# A deep MLP in NumPy: depth layers of width 64, Glorot init for sigmoid, He init for ReLU.
# Each W is (d_out, d_in) as in nn.Linear; samples are rows, so a layer computes H W^T.
depth, width, batch_size = 20, 64, 128
X = rng.normal(size=(batch_size, width))
y = rng.normal(size=(batch_size, width))


def make_weights(activation, rng):
    gain = 2.0 if activation == "ReLU" else 1.0   # He (Kaiming) vs Glorot (Xavier) variance
    return [rng.normal(0, np.sqrt(gain / width), size=(width, width)) for _ in range(depth)]


# %% forward_backward
def forward_backward(Ws, X, y, f, df):
    """Forward through all layers, MSE at the top, then backprop; returns ||dL/dW_l|| per layer."""
    Zs, H = [], X
    for W in Ws:
        Z = H @ W.T
        Zs.append((H, Z))
        H = f(Z)
    loss = 0.5 * np.mean(np.sum((H - y) ** 2, axis=1))
    dH = (H - y) / len(X)
    norms = []
    for W, (H_in, Z) in zip(reversed(Ws), reversed(Zs)):
        dZ = dH * df(Z)              # through the activation: multiply by f'(z)
        norms.append(np.linalg.norm(dZ.T @ H_in))   # dL/dW_l = dZ^T H_(l-1), shaped like W_l
        dH = dZ @ W                  # through the weights: multiply by W^T (samples as rows)
    return loss, norms[::-1]


# %% layer_norms
# One forward and backward pass per activation, each with its initialisation.
grad_norms = {}
for name in ("sigmoid", "tanh", "ReLU"):
    f, df, _ = activations[name]
    Ws = make_weights(name, np.random.default_rng(1))
    _, grad_norms[name] = forward_backward(Ws, X, y, f, df)
print("||dL/dW_l||    sigmoid       tanh       relu")
for layer in (1, 2, 5, 10, 15, 19, 20):
    print(f"layer {layer:2d}  " + "".join(f"{grad_norms[name][layer - 1]:11.3e}" for name in grad_norms))

# %% deep_net_autograd
# The same sigmoid network in torch, to confirm the hand-written per-layer norms.
Ws = make_weights("sigmoid", np.random.default_rng(1))
t_Ws = [torch.tensor(W, requires_grad=True) for W in Ws]
H = torch.tensor(X)
for W in t_Ws:
    H = torch.sigmoid(H @ W.T)
loss = 0.5 * ((H - torch.tensor(y)) ** 2).sum(dim=1).mean()
loss.backward()
torch_norms = np.array([W.grad.norm().item() for W in t_Ws])
deep_rel_diff = float(np.max(np.abs(torch_norms - grad_norms["sigmoid"]) / torch_norms))
print(f"max relative difference of per-layer norms vs autograd: {deep_rel_diff:.1e}")
assert deep_rel_diff < 1e-10, deep_rel_diff

# %% vanishing
# How much of the gradient reaches the first layer, relative to the last one.
sigmoid_first_last_ratio = grad_norms["sigmoid"][0] / grad_norms["sigmoid"][-1]
tanh_first_last_ratio = grad_norms["tanh"][0] / grad_norms["tanh"][-1]
relu_first_last_ratio = grad_norms["ReLU"][0] / grad_norms["ReLU"][-1]
print(f"sigmoid: ||dL/dW_1|| / ||dL/dW_{depth}|| = {sigmoid_first_last_ratio:.3e}")
print(f"tanh:    ||dL/dW_1|| / ||dL/dW_{depth}|| = {tanh_first_last_ratio:.3g}")
print(f"relu:    ||dL/dW_1|| / ||dL/dW_{depth}|| = {relu_first_last_ratio:.3g}")
# The average shrink factor per layer for sigmoid (geometric mean over the depth - 1 steps).
sigmoid_per_layer_factor = sigmoid_first_last_ratio ** (1 / (depth - 1))
print(f"sigmoid: the gradient shrinks by a factor {sigmoid_per_layer_factor:.3f} per layer on average")
assert sigmoid_first_last_ratio < 1e-6, sigmoid_first_last_ratio   # vanished
assert 0.1 < relu_first_last_ratio < 10, relu_first_last_ratio       # preserved

# %% plot_norms caption={"zh": "深层网络中每一层权重梯度的范数（纵轴，对数坐标）对层号（横轴，1 最靠近输入）：sigmoid 的梯度越靠近输入越小，tanh 和 ReLU 的各层大致持平；图例给出激活函数与初始化方差", "en": "The gradient norm of each layer's weights (vertical, log scale) against the layer index (horizontal, 1 nearest the input) in a deep network: sigmoid's shrinks towards the input, tanh's and ReLU's stay roughly level; the legend gives the activation and the initial variance"}
fig, ax = plt.subplots(figsize=(6.5, 3.2))
layers = np.arange(1, depth + 1)
ax.semilogy(layers, grad_norms["sigmoid"], "o-", label=r"sigmoid, $\mathrm{Var}(W) = 1/d_\mathrm{in}$")
ax.semilogy(layers, grad_norms["tanh"], "^-", label=r"tanh, $\mathrm{Var}(W) = 1/d_\mathrm{in}$")
ax.semilogy(layers, grad_norms["ReLU"], "s-", label=r"ReLU, $\mathrm{Var}(W) = 2/d_\mathrm{in}$")
ax.set_xticks([1, 5, 10, 15, 20])
ax.set(xlabel="$l$", ylabel=r"$\Vert \partial \mathcal{L} / \partial W_l \Vert$")
ax.legend()
fig.tight_layout()
plt.show()
