# %% [markdown] lang="zh"
# # 用 LSTM 预测带噪正弦波
#
# 把原文的 Keras 代码移植到 PyTorch（两层堆叠、各 50 个单元的 LSTM，再接一个单输出的全连接层）：读入 20 个带噪的时间步，预测下一步，并与噪声方差比较，那是任何预测器都无法超越的误差。训练段的最后 80 个窗口作验证集，用来挑选轮次；测试段只在最后用一次。

# %% [markdown] lang="en"
# # Forecasting a noisy sine wave with an LSTM
#
# A PyTorch port of the seed's Keras listing (two stacked LSTM layers of 50
# units, then a dense layer with one output): read 20 noisy steps, predict the
# next one, and compare with the noise variance, the error no forecaster can beat.
# The last 80 windows of the training stretch validate (they pick the epoch); the
# test stretch is used once, at the end.

# %% setup
import copy
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

torch.manual_seed(0)
rng = np.random.default_rng(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% series
# x_t = sin(2 pi t / 40) + noise, noise ~ N(0, 0.2^2) independent at every step.
period, sigma, window = 40, 0.2, 20
n_train_points, n_test_points = 500, 4000
t = np.arange(n_train_points + n_test_points)
clean = np.sin(2 * np.pi * t / period)
series = (clean + sigma * rng.standard_normal(len(t))).astype(np.float32)
noise_var = sigma**2


def make_windows(s):
    """Inputs s[i:i+window] (as (N, window, 1)) and targets s[i+window]."""
    X = np.lib.stride_tricks.sliding_window_view(s[:-1], window)[..., None]
    return X.copy(), s[window:].copy()

# %% data
# The first 500 points train, the 4,000 after them test (no overlap). The last 80
# training windows, the latest in time, validate: they pick the epoch.
X_all, y_all = make_windows(series[:n_train_points])
n_val = 80
X_train, y_train, X_val, y_val = X_all[:-n_val], y_all[:-n_val], X_all[-n_val:], y_all[-n_val:]
X_test, y_test = make_windows(series[n_train_points:])
clean_test = clean[n_train_points + window:]      # the noise-free value behind each test target
n_train, n_test = len(X_train), len(X_test)
X, y = torch.from_numpy(X_train).to(device), torch.from_numpy(y_train).to(device)
X_v, y_v = torch.from_numpy(X_val).to(device), torch.from_numpy(y_val).to(device)
print(f"train X {tuple(X.shape)}, validation X {tuple(X_v.shape)}, test X {X_test.shape}; "
      f"noise variance {noise_var:.4f}")

# %% model
class Forecaster(nn.Module):
    """LSTM(50) -> LSTM(50) -> Linear(1), reading the last time step."""

    def __init__(self, hidden=50):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden, num_layers=2, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, X):                 # X: (batch, window, 1)
        H, _ = self.lstm(X)               # H: (batch, window, hidden), top layer
        return self.head(H[:, -1]).squeeze(-1)


net = Forecaster().to(device)
num_params = sum(p.numel() for p in net.parameters())
print(net)
print("parameters:", num_params)

# %% loss
loss_fn = nn.MSELoss()                    # the mean of (y_hat - y)^2 over the batch


def mse(net, X, y):
    """Mean squared error of the model's forecasts on a whole set, in eval mode."""
    net.eval()
    with torch.no_grad():
        return loss_fn(net(X), y).item()

# %% train_epoch
lr, num_epochs, batch_size = 1e-2, 40, 64
optimizer = torch.optim.Adam(net.parameters(), lr=lr)
schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=num_epochs)
shuffle = torch.Generator().manual_seed(0)


def train_epoch():
    """One pass over the shuffled training windows, then one step of the schedule."""
    net.train()
    total = 0.0
    for idx in torch.randperm(len(X), generator=shuffle).split(batch_size):
        loss = loss_fn(net(X[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(idx)
    schedule.step()
    return total / len(X)

# %% train
train_losses, val_losses = [], []
start_seconds = time.perf_counter()
for epoch in range(num_epochs):
    train_losses.append(train_epoch())
    val_losses.append(mse(net, X_v, y_v))
    if val_losses[-1] <= min(val_losses):          # model selection on validation only
        best_epoch, best_state = epoch + 1, copy.deepcopy(net.state_dict())
    if (epoch + 1) % 5 == 0:
        print(f"epoch {epoch + 1:2d}  train MSE {train_losses[-1]:.4f}  validation MSE {val_losses[-1]:.4f}")
net.load_state_dict(best_state)
train_seconds = time.perf_counter() - start_seconds
val_mse = min(val_losses)
print(f"kept epoch {best_epoch}: validation MSE {val_mse:.4f}")

# %% evaluate
# The test stretch, touched once, by the model the validation windows chose.
net.eval()
with torch.no_grad():
    y_hat = net(torch.from_numpy(X_test).to(device)).cpu().numpy()
test_mse = float(np.mean((y_hat - y_test) ** 2))
naive_mse = float(np.mean((X_test[:, -1, 0] - y_test) ** 2))   # "tomorrow = today"
oracle_mse = float(np.mean((clean_test - y_test) ** 2))        # knows the clean sine
mse_over_noise, naive_over_noise = test_mse / noise_var, naive_mse / noise_var
print(f"{'forecast':<22}{'test MSE':>9}{'/ noise var':>12}")
for name, value in [("LSTM", test_mse), ("last value (naive)", naive_mse), ("oracle (clean sine)", oracle_mse)]:
    print(f"{name:<22}{value:>9.4f}{value / noise_var:>12.3f}")

# %% curve caption={"zh": "LSTM 每轮的训练均方误差（圆点）与验证均方误差（方块），对数坐标；水平虚线为噪声方差，竖虚线是验证集选中的轮次", "en": "The LSTM's training (dots) and validation (squares) MSE per epoch, log scale; the horizontal dashed line is the noise variance, the vertical one the epoch the validation windows chose"}
epochs = np.arange(1, num_epochs + 1)
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(epochs, train_losses, "o-", epochs, val_losses, "s-", ms=3)
ax.axhline(noise_var, color="gray", ls="--")
ax.axvline(best_epoch, color="gray", ls=":")
ax.set(xlabel=r"$e$", ylabel=r"$\mathcal{L}_\mathrm{MSE}$", yscale="log")
fig.tight_layout()
plt.show()

# %% forecast caption={"zh": "前 120 个测试步：带噪序列（灰点）、LSTM 的一步预测（红线）和干净的正弦波（黑色虚线）", "en": "The first 120 test steps: the noisy series (grey dots), the LSTM's one-step forecast (red) and the clean sine (black, dashed)"}
steps = np.arange(120)
fig, ax = plt.subplots(figsize=(8, 3.2))
ax.plot(steps, y_test[:120], ".", color="gray", label=r"$x_{t+1}$")
ax.plot(steps, y_hat[:120], "-", color="C3", lw=2, label=r"$\hat{x}_{t+1}$")
ax.plot(steps, clean_test[:120], "--", color="black", lw=1, label=r"$s_{t+1}$")
ax.set(xlabel=r"$t$")
ax.legend(loc="upper right", fontsize=8, ncol=3)
ax.set_ylim(-1.8, 2.0)
fig.tight_layout()
plt.show()

# %% checks
assert test_mse <= 1.10 * noise_var, f"test MSE {test_mse:.4f} is not within 10% of {noise_var:.4f}"
assert test_mse < naive_mse, "the LSTM must beat the last-value forecast"
