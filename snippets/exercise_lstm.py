# %% [markdown] lang="zh"
# # 练习：去掉余弦退火
#
# `lstm.py` 原样，只在 `train_epoch` 单元里删去学习率调度（`schedule` 的两行）：学习率在 40 轮中一直是 0.01。数据、模型、批大小、轮数和按验证集挑选轮次都不变。

# %% [markdown] lang="en"
# # Exercise: no cosine schedule
#
# `lstm.py` as it is, except that the `train_epoch` cell loses its learning-rate
# schedule (the two `schedule` lines): the rate stays at 0.01 for all 40 epochs.
# Data, model, batch size, epochs and the choice of epoch on validation are unchanged.

# %% setup
import copy

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
# The first 500 points, as in lstm.py: the last 80 windows validate. (The test stretch
# stays untouched: an ablation is judged on validation.)
X_all, y_all = make_windows(series[:n_train_points])
n_val = 80
X_train, y_train, X_val, y_val = X_all[:-n_val], y_all[:-n_val], X_all[-n_val:], y_all[-n_val:]
X, y = torch.from_numpy(X_train).to(device), torch.from_numpy(y_train).to(device)
X_v, y_v = torch.from_numpy(X_val).to(device), torch.from_numpy(y_val).to(device)

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

# %% loss
loss_fn = nn.MSELoss()                    # the mean of (y_hat - y)^2 over the batch


def mse(net, X, y):
    """Mean squared error of the model's forecasts on a whole set, in eval mode."""
    net.eval()
    with torch.no_grad():
        return loss_fn(net(X), y).item()

# %% train_epoch_constant
lr, num_epochs, batch_size = 1e-2, 40, 64
optimizer = torch.optim.Adam(net.parameters(), lr=lr)
shuffle = torch.Generator().manual_seed(0)


def train_epoch():
    """One pass over the shuffled training windows; the learning rate stays at lr."""
    net.train()
    total = 0.0
    for idx in torch.randperm(len(X), generator=shuffle).split(batch_size):
        loss = loss_fn(net(X[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(idx)
    return total / len(X)

# %% train
train_losses, val_losses = [], []
for epoch in range(num_epochs):
    train_losses.append(train_epoch())
    val_losses.append(mse(net, X_v, y_v))
    if val_losses[-1] <= min(val_losses):          # model selection on validation only
        best_epoch, best_state = epoch + 1, copy.deepcopy(net.state_dict())
net.load_state_dict(best_state)
val_mse = min(val_losses)
val_over_noise = val_mse / noise_var
print(f"kept epoch {best_epoch}: validation MSE {val_mse:.4f} = {val_over_noise:.3f} x noise variance")

# %% checks
assert val_mse < 2 * noise_var, "even without the schedule the LSTM must learn the sine"
