# %% [markdown] lang="zh"
# # 损失函数与优化器
#
# 先是均方误差和交叉熵，然后用 NumPy 实现 SGD、动量法和 Adam，逐步与 `torch.optim` 核对，并在同一个问题上比较它们：手写数字上的 softmax 回归。

# %% [markdown] lang="en"
# # Loss functions and optimizers
#
# MSE and cross-entropy, then SGD, momentum and Adam written in NumPy, checked step by
# step against `torch.optim`, and compared on the same problem: softmax regression on digits.

# %% setup
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from digits import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0)
torch.set_num_threads(1)      # NumPy trains here; torch only checks our code, on the CPU
rng = np.random.default_rng(0)

# %% losses
def mse_loss(y_hat, y):
    """Mean squared error, averaged over every entry."""
    return np.mean((y_hat - y) ** 2)


def softmax(Z):
    Z = Z - Z.max(axis=1, keepdims=True)       # shift for numerical stability
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def cross_entropy(Z, y):
    """Mean of -log softmax(Z)[i, y_i], computed from logits Z (n, classes) via log-sum-exp."""
    Z = Z - Z.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(len(y)), y])

# %% losses_check
Z_demo = rng.normal(size=(5, 10)) * 3
y_demo = rng.integers(0, 10, size=5)
t_demo = rng.normal(size=(5, 10))
ce_ours, ce_torch = cross_entropy(Z_demo, y_demo), F.cross_entropy(torch.tensor(Z_demo), torch.tensor(y_demo)).item()
mse_ours, mse_torch = mse_loss(Z_demo, t_demo), F.mse_loss(torch.tensor(Z_demo), torch.tensor(t_demo)).item()
print(f"cross-entropy  numpy {ce_ours:.6f}  torch {ce_torch:.6f}")
print(f"MSE            numpy {mse_ours:.6f}  torch {mse_torch:.6f}")
loss_max_diff = max(abs(ce_ours - ce_torch), abs(mse_ours - mse_torch))
assert loss_max_diff < 1e-12, loss_max_diff

# %% saturation
# One sigmoid output p = sigmoid(z), true label 1, and a confidently wrong logit z.
# d/dz of MSE (p - 1)^2 is 2 (p - 1) p (1 - p); d/dz of BCE -log p is p - 1.
print("   z   p=sigmoid(z)   dMSE/dz     dBCE/dz")
for z in (-8.0, -4.0, -2.0, 0.0, 2.0):
    p = 1 / (1 + np.exp(-z))
    print(f"{z:5.1f}   {p:11.4g}   {2 * (p - 1) * p * (1 - p):9.3g}   {p - 1:9.4g}")
z_wrong = -8.0
p_wrong = 1 / (1 + np.exp(-z_wrong))
mse_grad_wrong = 2 * (p_wrong - 1) * p_wrong * (1 - p_wrong)
bce_grad_wrong = p_wrong - 1

# %% data
X_all, y_all, X_test, y_test = load_digits()
X_all = X_all.reshape(len(X_all), -1).astype(np.float64)
X_test = X_test.reshape(len(X_test), -1).astype(np.float64)
# A stratified validation fifth of the training part ranks the optimizers; the test set waits.
X_train, X_val, y_train, y_val = train_test_split(
    X_all, y_all, test_size=0.2, stratify=y_all, random_state=0)
n_features, n_classes = X_train.shape[1], 10
X_all.shape, X_train.shape, X_val.shape, X_test.shape

# %% model
# Softmax regression, W of shape (classes, features) as in nn.Linear: logits Z = X W^T + b.
# With G = (softmax(Z) - Y) / n (Y one-hot), the mean cross-entropy has dW = G^T X, db = sum of G's rows.
def init_params(seed=0):
    r = np.random.default_rng(seed)
    return [r.normal(0, 0.01, size=(n_classes, n_features)), np.zeros(n_classes)]


def loss_and_grads(params, X, y):
    W, b = params
    Z = X @ W.T + b
    G = softmax(Z)
    G[np.arange(len(y)), y] -= 1
    G /= len(y)
    return cross_entropy(Z, y), [G.T @ X, G.sum(axis=0)]


def accuracy(params, X, y):
    W, b = params
    return float(np.mean(np.argmax(X @ W.T + b, axis=1) == y))


num_params = n_features * n_classes + n_classes
num_params

# %% sgd
class SGD:
    """p <- p - lr * g"""
    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def step(self, grads):
        for p, g in zip(self.params, grads):
            p -= self.lr * g


class Momentum:
    """v <- mu * v + g;  p <- p - lr * v   (torch.optim.SGD with momentum=mu)"""
    def __init__(self, params, lr, mu=0.9):
        self.params, self.lr, self.mu = params, lr, mu
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, v in zip(self.params, grads, self.v):
            v *= self.mu
            v += g
            p -= self.lr * v

# %% adam
class Adam:
    """m, v: moving averages of g and g^2; bias-corrected; p <- p - lr * m_hat / (sqrt(v_hat) + eps)"""
    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params, self.lr, self.beta1, self.beta2, self.eps = params, lr, beta1, beta2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m[:] = self.beta1 * m + (1 - self.beta1) * g
            v[:] = self.beta2 * v + (1 - self.beta2) * g**2
            m_hat = m / (1 - self.beta1**self.t)
            v_hat = v / (1 - self.beta2**self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

# %% adam_defaults
adam_defaults = torch.optim.Adam([torch.zeros(1, requires_grad=True)]).defaults
adam_default_lr, (adam_beta1, adam_beta2), adam_eps = adam_defaults["lr"], adam_defaults["betas"], adam_defaults["eps"]
print(f"torch.optim.Adam defaults: lr={adam_default_lr}, betas=({adam_beta1}, {adam_beta2}), eps={adam_eps}")

# %% torch_pairs
# 50 minibatch steps of each optimizer in NumPy and in torch.optim, from the same
# weights on the same batches: the parameters must agree (float64).
batch_size = 32
check_batches = [rng.choice(len(X_train), batch_size, replace=False) for _ in range(50)]
configs = {
    "SGD": (lambda ps: SGD(ps, lr=0.1), lambda ts: torch.optim.SGD(ts, lr=0.1)),
    "Momentum": (lambda ps: Momentum(ps, lr=0.1, mu=0.9), lambda ts: torch.optim.SGD(ts, lr=0.1, momentum=0.9)),
    "Adam": (lambda ps: Adam(ps, lr=0.01), lambda ts: torch.optim.Adam(ts, lr=0.01)),
}

# %% torch_check
optim_max_diff = 0.0
for name, (make_ours, make_torch) in configs.items():
    params = init_params()
    t_params = [torch.tensor(p, requires_grad=True) for p in params]
    ours, theirs = make_ours(params), make_torch(t_params)
    for idx in check_batches:
        _, grads = loss_and_grads(params, X_train[idx], y_train[idx])
        ours.step(grads)
        theirs.zero_grad()
        loss = F.cross_entropy(F.linear(torch.tensor(X_train[idx]), *t_params), torch.tensor(y_train[idx]))
        loss.backward()
        theirs.step()
    diff = max(float(np.max(np.abs(p - t.detach().numpy()))) for p, t in zip(params, t_params))
    optim_max_diff = max(optim_max_diff, diff)
    print(f"{name:>8}: max |numpy - torch.optim| after 50 steps = {diff:.1e}")
assert optim_max_diff < 1e-10, optim_max_diff

# %% train
# The same problem, the same initial weights and the same minibatch order for each optimizer.
num_epochs = 30
epoch_orders = [rng.permutation(len(X_train)) for _ in range(num_epochs)]
steps_per_epoch = len(range(0, len(X_train), batch_size))


def fit(make_optimizer):
    """Train from init_params(); returns the parameters and the training loss after each epoch."""
    params = init_params()
    opt = make_optimizer(params)
    curve = [loss_and_grads(params, X_train, y_train)[0]]
    for order in epoch_orders:
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            opt.step(loss_and_grads(params, X_train[idx], y_train[idx])[1])
        curve.append(loss_and_grads(params, X_train, y_train)[0])
    return params, curve

# %% compare
runs = {
    "SGD lr=0.1": lambda ps: SGD(ps, lr=0.1),
    "Momentum lr=0.1": lambda ps: Momentum(ps, lr=0.1, mu=0.9),
    "Adam lr=0.001": lambda ps: Adam(ps, lr=0.001),
    "Adam lr=0.01": lambda ps: Adam(ps, lr=0.01),
}
fitted, curves, final_losses, val_accuracies = {}, {}, [], []
for name, make in runs.items():
    fitted[name], curves[name] = fit(make)
    final_losses.append(float(curves[name][-1]))
    val_accuracies.append(accuracy(fitted[name], X_val, y_val))
    print(f"{name:>16}: train loss {curves[name][1]:.4f} (epoch 1) -> {curves[name][-1]:.4f} "
          f"(epoch {num_epochs}), validation accuracy {val_accuracies[-1]:.1%}")
sgd_final_loss, momentum_final_loss, adam_slow_final_loss, adam_final_loss = final_losses

# %% test
# Validation picks one run (the first of any tie); the test set, used once, rates that pick.
chosen = list(runs)[int(np.argmax(val_accuracies))]
test_accuracy = accuracy(fitted[chosen], X_test, y_test)
print(f"chosen on validation: {chosen}; test accuracy {test_accuracy:.1%}")

# %% plot_losses caption={"zh": "在 8×8 手写数字上做 softmax 回归（批大小 32）时，各优化器的训练交叉熵随轮次的变化（对数坐标）", "en": "Training cross-entropy per epoch (log scale) of each optimizer on softmax regression over the 8×8 digits, batch 32"}
fig, ax = plt.subplots(figsize=(6.5, 3.4))
labels = [r"SGD $\eta=0.1$", r"SGD $\eta=0.1,\ \mu=0.9$", r"Adam $\eta=0.001$", r"Adam $\eta=0.01$"]
for label, curve in zip(labels, curves.values()):
    ax.plot(range(num_epochs + 1), curve, label=label)
ax.set(xlabel=r"$e$", ylabel=r"$\mathcal{L}$", yscale="log")
ax.legend()
fig.tight_layout()
plt.show()

# %% quadratic
# An ill-conditioned bowl f(w) = (w1^2 + 25 w2^2) / 2, its gradient (w1, 25 w2): the paths.
def bowl_grad(w):
    return np.array([w[0], 25 * w[1]])


paths, bowl_final = {}, []
for name, make in {"SGD lr=0.07": lambda ps: SGD(ps, lr=0.07),
                   "Momentum lr=0.04 mu=0.7": lambda ps: Momentum(ps, lr=0.04, mu=0.7),
                   "Adam lr=0.3": lambda ps: Adam(ps, lr=0.3)}.items():
    w = np.array([-9.0, 2.0])
    opt, path = make([w]), [w.copy()]
    for _ in range(40):
        opt.step([bowl_grad(w)])
        path.append(w.copy())
    paths[name] = np.array(path)
    bowl_final.append(float(0.5 * (w[0] ** 2 + 25 * w[1] ** 2)))
    print(f"{name:>23}: f after 40 steps = {bowl_final[-1]:.3g}")
sgd_bowl, momentum_bowl, adam_bowl = bowl_final

# %% plot_paths caption={"zh": "在病态二次函数 f(w) = (w1² + 25 w2²)/2 的等高线上，SGD、动量法和 Adam 各走 40 步的轨迹，星号是最小值", "en": "Forty steps of SGD, momentum and Adam on the contours of the ill-conditioned quadratic f(w) = (w1² + 25 w2²)/2, the minimum starred"}
fig, ax = plt.subplots(figsize=(7, 3))
g1, g2 = np.meshgrid(np.linspace(-10, 2, 200), np.linspace(-2.5, 2.5, 200))
ax.contour(g1, g2, 0.5 * (g1**2 + 25 * g2**2), levels=15, colors="lightgray")
labels = [r"SGD $\eta=0.07$", r"SGD $\eta=0.04,\ \mu=0.7$", r"Adam $\eta=0.3$"]
for label, path in zip(labels, paths.values()):
    ax.plot(path[:, 0], path[:, 1], ".-", lw=1, ms=3, label=label)
ax.plot(0, 0, "k*", ms=10)
ax.set(xlabel="$w_1$", ylabel="$w_2$")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% checks
assert min(val_accuracies) > 0.9, val_accuracies
assert test_accuracy > 0.9, test_accuracy
assert momentum_final_loss < sgd_final_loss and adam_final_loss < sgd_final_loss
assert momentum_bowl < sgd_bowl
