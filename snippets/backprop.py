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
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% data
# XOR of the signs: no straight line separates the two classes.
n_samples = 256
X = rng.uniform(-1, 1, size=(n_samples, 2))
y = (X[:, 0] * X[:, 1] > 0).astype(np.float64).reshape(-1, 1)
X.shape, y.shape, y.mean()

# %% init
n_in, n_hidden, n_out = 2, 16, 1
params = {
    "W1": rng.normal(0, 1 / np.sqrt(n_in), size=(n_in, n_hidden)),
    "b1": np.zeros(n_hidden),
    "W2": rng.normal(0, 1 / np.sqrt(n_hidden), size=(n_hidden, n_out)),
    "b2": np.zeros(n_out),
}
num_params = sum(p.size for p in params.values())
num_params

# %% forward
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward(params, X):
    """Z1 = X W1 + b1, H = tanh(Z1), Z2 = H W2 + b2, y_hat = sigmoid(Z2)."""
    Z1 = X @ params["W1"] + params["b1"]
    H = np.tanh(Z1)
    Z2 = H @ params["W2"] + params["b2"]
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
    dW2 = H.T @ dZ2
    db2 = dZ2.sum(axis=0)
    dH = dZ2 @ params["W2"].T
    dZ1 = dH * (1 - H**2)                 # tanh'(z) = 1 - tanh(z)^2
    dW1 = X.T @ dZ1
    db1 = dZ1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


grads = backward(params, y_hat, cache, y)
{name: g.shape for name, g in grads.items()}

# %% gradcheck
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
eps_float64, eps_float32 = float(np.finfo(np.float64).eps), float(np.finfo(np.float32).eps)


def rel_error(a, b):
    """||a - b|| / (||a|| + ||b||): scale-free, and stable when entries are tiny."""
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


rel_errors = {name: rel_error(grads[name], numeric[name]) for name in params}
for name, err in rel_errors.items():
    print(f"{name:>2}: relative error {err:.1e}")
grad_rel_error = float(max(rel_errors.values()))
assert grad_rel_error < 1e-7, grad_rel_error

# A deliberate bug, forgetting tanh' in dZ1: the check must catch it.
dW1_buggy = X.T @ (((y_hat - y) / len(X)) @ params["W2"].T)
buggy_rel_error = float(rel_error(dW1_buggy, numeric["W1"]))
print(f"W1 without tanh': relative error {buggy_rel_error:.1e}")
assert buggy_rel_error > 1e-3, buggy_rel_error

# %% autograd
# The same weights in torch (float64); autograd must give the same gradients.
t_params = {name: torch.tensor(p, dtype=torch.float64, requires_grad=True) for name, p in params.items()}
t_X, t_y = torch.tensor(X), torch.tensor(y)
t_hat = torch.sigmoid(torch.tanh(t_X @ t_params["W1"] + t_params["b1"]) @ t_params["W2"] + t_params["b2"])
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

# %% plot caption={"zh": "左：训练损失（二元交叉熵，对数坐标）随轮次下降；右：学到的决策面与异或数据点，四个象限按符号分成两类", "en": "Left: the training loss (binary cross-entropy, log scale) falling over the epochs; right: the learned decision surface over the XOR points, whose four quadrants split into two classes by sign"}
fig, (ax_loss, ax_map) = plt.subplots(1, 2, figsize=(9, 3.6))
ax_loss.plot(losses)
ax_loss.set(xlabel="epoch", ylabel="BCE loss", yscale="log", title="training loss")
grid = np.linspace(-1, 1, 200)
G1, G2 = np.meshgrid(grid, grid)
P = forward(params, np.c_[G1.ravel(), G2.ravel()])[0].reshape(G1.shape)
ax_map.contourf(G1, G2, P, levels=20, cmap="RdBu_r", alpha=0.8)
ax_map.scatter(X[:, 0], X[:, 1], c=y.ravel(), cmap="RdBu_r", edgecolors="k", s=12)
ax_map.set(xlabel="$x_1$", ylabel="$x_2$", title="decision surface", aspect="equal")
plt.show()
