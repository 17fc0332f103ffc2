# %% [markdown] lang="zh"
# # 手写反向传播
#
# 用 NumPy 写一个两层网络，手工推导它的梯度，再用中心差分和 `torch.autograd` 核对，最后训练它。

# %% [markdown] lang="en"
# # Backpropagation by hand
#
# A two-layer network in NumPy, its gradients derived by hand, checked against
# central differences and against `torch.autograd`, then trained.

# %% setup
import matplotlib.pyplot as plt
import numpy as np
import torch

torch.manual_seed(0)
torch.set_num_threads(1)
rng = np.random.default_rng(0)
from algo_figures import draw_backprop_graph   # plotting only (a local module)

# %% data
# XOR of the signs: no straight line separates the two classes.
n_samples = 256
X = rng.uniform(-1, 1, size=(n_samples, 2))
y = (X[:, 0] * X[:, 1] > 0).astype(np.float64).reshape(-1, 1)
X.shape, y.shape, y.mean()

# %% init
n_in, n_hidden, n_out = 2, 16, 1
params = {
    "W1": rng.normal(0, 1 / np.sqrt(n_in), size=(n_hidden, n_in)),     # (d_out, d_in), as nn.Linear
    "b1": np.zeros(n_hidden),
    "W2": rng.normal(0, 1 / np.sqrt(n_hidden), size=(n_out, n_hidden)),
    "b2": np.zeros(n_out),
}
num_params = sum(p.size for p in params.values())
num_params

# %% forward
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward(params, X):
    """Samples as rows: Z1 = X W1^T + b1, H = tanh(Z1), Z2 = H W2^T + b2, y_hat = sigmoid(Z2)."""
    Z1 = X @ params["W1"].T + params["b1"]
    H = np.tanh(Z1)
    Z2 = H @ params["W2"].T + params["b2"]
    return sigmoid(Z2), (X, H)


def bce_loss(y_hat, y):
    """Mean binary cross-entropy."""
    eps = 1e-12
    return -np.mean(y * np.log(y_hat + eps) + (1 - y) * np.log(1 - y_hat + eps))


y_hat, cache = forward(params, X)
initial_loss = bce_loss(y_hat, y)
print(f"initial loss {initial_loss:.4f}  (ln 2 = {np.log(2):.4f})")

# %% backward
def backward(params, y_hat, cache, y):
    """The chain rule, layer by layer, in matrix form."""
    X, H = cache
    n = X.shape[0]
    dZ2 = (y_hat - y) / n                 # sigmoid + cross-entropy
    dW2 = dZ2.T @ H                       # (n_out, n_hidden), the shape of W2
    db2 = dZ2.sum(axis=0)
    dH = dZ2 @ params["W2"]
    dZ1 = dH * (1 - H**2)                 # tanh'(z) = 1 - tanh(z)^2
    dW1 = dZ1.T @ X
    db1 = dZ1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


grads = backward(params, y_hat, cache, y)
{name: g.shape for name, g in grads.items()}

# %% numerical
def numerical_grads(params, X, y, h=1e-6):
    """Central differences, one parameter entry at a time (float64)."""
    numeric = {}
    for name, p in params.items():
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + h
            plus = bce_loss(forward(params, X)[0], y)
            p[i] = old - h
            minus = bce_loss(forward(params, X)[0], y)
            p[i] = old
            g[i] = (plus - minus) / (2 * h)
        numeric[name] = g
    return numeric


numeric = numerical_grads(params, X, y)
gradcheck_forward_passes = 2 * num_params   # central differences: two forward passes per parameter

# %% gradcheck
eps_float64, eps_float32 = float(np.finfo(np.float64).eps), float(np.finfo(np.float32).eps)


def rel_error(a, b):
    """||a - b|| / (||a|| + ||b||): scale-free, and stable when entries are tiny."""
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


rel_errors = {name: rel_error(grads[name], numeric[name]) for name in params}
for name, err in rel_errors.items():
    print(f"{name:>2}: relative error {err:.1e}")
grad_rel_error = float(max(rel_errors.values()))
assert grad_rel_error < 1e-7, grad_rel_error

# %% gradcheck_bug
# A deliberate bug, forgetting tanh' in dZ1: the check must catch it.
dW1_buggy = (((y_hat - y) / len(X)) @ params["W2"]).T @ X
buggy_rel_error = float(rel_error(dW1_buggy, numeric["W1"]))
print(f"W1 without tanh': relative error {buggy_rel_error:.1e}")
assert buggy_rel_error > 1e-3, buggy_rel_error

# %% autograd
# The same weights in torch (float64); autograd must give the same gradients.
t_params = {name: torch.tensor(p, dtype=torch.float64, requires_grad=True) for name, p in params.items()}
t_X, t_y = torch.tensor(X), torch.tensor(y)
t_hat = torch.sigmoid(torch.tanh(t_X @ t_params["W1"].T + t_params["b1"]) @ t_params["W2"].T + t_params["b2"])
torch.nn.functional.binary_cross_entropy(t_hat, t_y).backward()
autograd_max_diff = max(float(np.max(np.abs(t_params[n].grad.numpy() - grads[n]))) for n in params)
print(f"max |autograd - hand-written| = {autograd_max_diff:.1e}")
assert autograd_max_diff < 1e-12, autograd_max_diff

# %% train
lr, num_epochs = 1.0, 2000
losses = []
for epoch in range(num_epochs):
    y_hat, cache = forward(params, X)
    losses.append(bce_loss(y_hat, y))
    grads = backward(params, y_hat, cache, y)
    for name in params:
        params[name] -= lr * grads[name]
    if epoch % 400 == 0:
        print(f"epoch {epoch:4d}  loss {losses[-1]:.4f}")
y_hat, _ = forward(params, X)
final_loss = bce_loss(y_hat, y)
accuracy = float(np.mean((y_hat > 0.5) == (y > 0.5)))
print(f"final loss {final_loss:.4f}, training accuracy {accuracy:.1%}")
assert accuracy > 0.95, accuracy

# %% plot caption={"zh": "(a) 训练损失（二元交叉熵，对数坐标）随轮次下降；(b) 学到的决策面与异或数据点，四个象限按符号分成两类", "en": "(a) The training loss (binary cross-entropy, log scale) falling over the epochs; (b) the learned decision surface over the XOR points, whose four quadrants split into two classes by sign"}
fig, (ax_loss, ax_map) = plt.subplots(1, 2, figsize=(9, 3.6))
ax_loss.plot(losses)
ax_loss.set(xlabel="$t$", ylabel="$L$", yscale="log", title="(a)")
grid = np.linspace(-1, 1, 200)
G1, G2 = np.meshgrid(grid, grid)
P = forward(params, np.c_[G1.ravel(), G2.ravel()])[0].reshape(G1.shape)
ax_map.contourf(G1, G2, P, levels=20, cmap="RdBu_r", alpha=0.8)
ax_map.scatter(X[:, 0], X[:, 1], c=y.ravel(), cmap="RdBu_r", edgecolors="k", s=12)
ax_map.set(xlabel="$x_1$", ylabel="$x_2$", title="(b)", aspect="equal")
plt.show()

# %% graph caption={"zh": "这个网络的计算图：每个节点标出它在本次运行中的真实形状（样本按行排列），参数为橙色；黑色箭头是前向传播，红色箭头是反向传播，红色数字是初始化时沿该边传回的梯度的范数，即损失对该边起点的梯度", "en": "This network's computational graph: each node carries its real shape in this run (samples as rows), parameters in orange; black arrows are the forward pass, red arrows the backward pass, and each red number is the norm of the gradient flowing back along that edge at initialisation, the gradient of the loss with respect to the edge's tail"}
# The weights before training (the float64 copies of the autograd cell) and the gradient norm on every edge;
# the figure's gradients must match autograd's.
params0 = {name: t.detach().cpu().numpy() for name, t in t_params.items()}
edge_grad_norms = draw_backprop_graph(params0, X, y)
graph_max_diff = max(abs(edge_grad_norms[n] - float(t_params[n].grad.norm())) for n in params0)
assert graph_max_diff < 1e-12, graph_max_diff
grad_norm_W1, grad_norm_W2 = edge_grad_norms["W1"], edge_grad_norms["W2"]
plt.show()
