# %% [markdown] lang="zh"
# # 用 LSTM 预测带噪正弦波
#
# 把原文的 Keras 代码移植到 PyTorch（两层堆叠、各 50 个单元的 LSTM，再接一个单输出的全连接层）：读入 20 个带噪的时间步，预测下一步，并与噪声方差比较，那是任何预测器都无法超越的误差。

# %% [markdown] lang="en"
# # Forecasting a noisy sine wave with an LSTM
#
# A PyTorch port of the seed's Keras listing (two stacked LSTM layers of 50
# units, then a dense layer with one output): read 20 noisy steps, predict the
# next one, and compare with the noise variance, the error no forecaster can beat.

# %% setup
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

torch.manual_seed(0)
rng = np.random.default_rng(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% data
# x_t = sin(2 pi t / 40) + noise, noise ~ N(0, 0.2^2) independent at every step.
period, sigma, window = 40, 0.2, 20
n_train_points, n_test_points = 500, 4000
t = np.arange(n_train_points + n_test_points)
clean = np.sin(2 * np.pi * t / period)
series = (clean + sigma * rng.standard_normal(len(t))).astype(np.float32)


def make_windows(s):
    """Inputs s[i:i+window] (as (N, window, 1)) and targets s[i+window]."""
    X = np.lib.stride_tricks.sliding_window_view(s[:-1], window)[..., None]
    return X.copy(), s[window:].copy()


# Train on the first 500 points, test on the 4,000 that follow (no overlap).
X_train, y_train = make_windows(series[:n_train_points])
X_test, y_test = make_windows(series[n_train_points:])
n_train, n_test = len(X_train), len(X_test)
clean_test = clean[n_train_points + window:]      # the noise-free value behind each test target
noise_var = sigma**2
X, y = torch.from_numpy(X_train).to(device), torch.from_numpy(y_train).to(device)
X_held, y_held = torch.from_numpy(X_test).to(device), torch.from_numpy(y_test).to(device)
print(f"train X {tuple(X.shape)}, y {tuple(y.shape)}; test X {tuple(X_held.shape)}; "
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

# %% train
lr, num_epochs, batch_size = 1e-2, 40, 64
optimizer = torch.optim.Adam(net.parameters(), lr=lr)
schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=num_epochs)
loss_fn = nn.MSELoss()
shuffle = torch.Generator().manual_seed(0)

train_losses = []
start_seconds = time.perf_counter()
for epoch in range(num_epochs):
    total = 0.0
    for idx in torch.randperm(len(X), generator=shuffle).split(batch_size):
        y_hat = net(X[idx])
        loss = loss_fn(y_hat, y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(idx)
    schedule.step()
    train_losses.append(total / len(X))
    if (epoch + 1) % 5 == 0:
        print(f"epoch {epoch + 1:2d}  train MSE {train_losses[-1]:.4f}  "
              f"= {train_losses[-1] / noise_var:.3f} x noise variance")
train_seconds = time.perf_counter() - start_seconds

# %% evaluate
with torch.no_grad():
    y_hat = net(X_held).cpu().numpy()
test_mse = float(np.mean((y_hat - y_test) ** 2))
naive_mse = float(np.mean((X_test[:, -1, 0] - y_test) ** 2))   # "tomorrow = today"
oracle_mse = float(np.mean((clean_test - y_test) ** 2))        # knows the clean sine
mse_over_noise, naive_over_noise = test_mse / noise_var, naive_mse / noise_var
print(f"{'forecast':<22}{'test MSE':>9}{'/ noise var':>12}")
for name, mse in [("LSTM", test_mse), ("last value (naive)", naive_mse),
                  ("oracle (clean sine)", oracle_mse)]:
    print(f"{name:<22}{mse:>9.4f}{mse / noise_var:>12.3f}")
assert test_mse <= 1.10 * noise_var, f"test MSE {test_mse:.4f} is not within 10% of {noise_var:.4f}"
assert test_mse < naive_mse, "the LSTM must beat the last-value forecast"

# %% curve caption={"zh": "LSTM 每轮的训练均方误差（对数坐标），虚线为噪声方差", "en": "The LSTM's training MSE per epoch (log scale), with the noise variance dashed"}
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(np.arange(1, num_epochs + 1), train_losses, "o-", ms=3, label="train MSE")
ax.axhline(noise_var, color="gray", ls="--", label="noise variance")
ax.set(title="Training loss", xlabel="epoch", ylabel="MSE", yscale="log")
ax.legend()
fig.tight_layout()
plt.show()

# %% forecast caption={"zh": "前 120 个测试步：带噪序列（灰点）、LSTM 的一步预测（红线）和干净的正弦波（黑色虚线）", "en": "The first 120 test steps: the noisy series (grey dots), the LSTM's one-step forecast (red) and the clean sine (black, dashed)"}
steps = np.arange(120)
fig, ax = plt.subplots(figsize=(8, 3.2))
ax.plot(steps, y_test[:120], ".", color="gray", label="noisy series (target)")
ax.plot(steps, y_hat[:120], "-", color="C3", lw=2, label="LSTM one-step forecast")
ax.plot(steps, clean_test[:120], "--", color="black", lw=1, label="clean sine")
ax.set(title="One-step forecasts on the first 120 test steps", xlabel="test step", ylabel="value")
ax.legend(loc="upper right", fontsize=8, ncol=3)
ax.set_ylim(-1.8, 2.0)
fig.tight_layout()
plt.show()
