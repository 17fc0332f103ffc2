# %% [markdown] lang="zh"
# # 练习：反向传播页的学习率
#
# 与 `backprop.py` 相同的数据、初始化、前向和反向传播，只把 `train` 单元里的学习率 `lr` 从 1.0 改成 0.1。

# %% [markdown] lang="en"
# # Exercise: the learning rate on the backpropagation page
#
# The same data, initialisation, forward and backward pass as `backprop.py`; only the
# learning rate `lr` in the `train` cell goes from 1.0 to 0.1.

# %% setup
import numpy as np

rng = np.random.default_rng(0)

# %% model
# As in backprop.py: XOR of the signs, W of shape (d_out, d_in), samples as rows.
n_samples = 256
X = rng.uniform(-1, 1, size=(n_samples, 2))
y = (X[:, 0] * X[:, 1] > 0).astype(np.float64).reshape(-1, 1)
n_in, n_hidden, n_out = 2, 16, 1
params = {
    "W1": rng.normal(0, 1 / np.sqrt(n_in), size=(n_hidden, n_in)),
    "b1": np.zeros(n_hidden),
    "W2": rng.normal(0, 1 / np.sqrt(n_hidden), size=(n_out, n_hidden)),
    "b2": np.zeros(n_out),
}

# %% functions
def forward(params, X):
    H = np.tanh(X @ params["W1"].T + params["b1"])
    return 1 / (1 + np.exp(-(H @ params["W2"].T + params["b2"]))), (X, H)


def bce_loss(y_hat, y):
    eps = 1e-12
    return -np.mean(y * np.log(y_hat + eps) + (1 - y) * np.log(1 - y_hat + eps))


def backward(params, y_hat, cache, y):
    X, H = cache
    dZ2 = (y_hat - y) / X.shape[0]
    dZ1 = (dZ2 @ params["W2"]) * (1 - H**2)
    return {"W1": dZ1.T @ X, "b1": dZ1.sum(axis=0), "W2": dZ2.T @ H, "b2": dZ2.sum(axis=0)}

# %% train
lr, num_epochs = 0.1, 2000          # the change: 1.0 -> 0.1
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

# %% check
# Ten times smaller steps: the network still learns, only more slowly.
check_epoch = 400
loss_at_check = float(losses[check_epoch])
assert final_loss < losses[0], final_loss
