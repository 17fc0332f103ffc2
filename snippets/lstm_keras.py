# %% [markdown] lang="zh"
# # 原文的 Keras LSTM 代码
#
# 原文中的代码清单，一字未改，运行在以 PyTorch 为后端的 Keras 3 上。在它之前只定义了它需要的数据：与 PyTorch 移植版（`lstm.py`）相同的带噪正弦波，切成长度为 20 步的窗口。

# %% [markdown] lang="en"
# # The seed's Keras LSTM listing, run as published
#
# The listing from the source article, unchanged, on Keras 3 with the PyTorch
# backend. Only the data it needs is defined before it: the same noisy sine wave
# as the PyTorch port (`lstm.py`), cut into windows of 20 steps.

# %% setup
import os

os.environ["KERAS_BACKEND"] = "torch"   # must be set before keras is imported

import time

import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)          # seeds Python, NumPy and the backend
rng = np.random.default_rng(0)          # the data: identical to lstm.py
torch.set_num_threads(1)
print("Keras", keras.__version__, "backend:", keras.backend.backend())

# %% data
period, sigma, window = 40, 0.2, 20
n_train_points, n_test_points = 500, 4000
t = np.arange(n_train_points + n_test_points)
clean = np.sin(2 * np.pi * t / period)
series = (clean + sigma * rng.standard_normal(len(t))).astype(np.float32)


def make_windows(s):
    """Inputs s[i:i+window] (as (N, window, 1)) and targets s[i+window]."""
    X = np.lib.stride_tricks.sliding_window_view(s[:-1], window)[..., None]
    return X.copy(), s[window:].copy()


timesteps, input_dim = window, 1
x_train, y_train = make_windows(series[:n_train_points])
x_test, y_test = make_windows(series[n_train_points:])
noise_var = sigma**2
print("x_train", x_train.shape, "y_train", y_train.shape, "x_test", x_test.shape)
start_seconds = time.perf_counter()

# %% listing
from keras.models import Sequential
from keras.layers import LSTM, Dense

# 构建递归神经网络
model = Sequential()
model.add(LSTM(50, return_sequences=True, input_shape=(timesteps, input_dim)))
model.add(LSTM(50, return_sequences=False))
model.add(Dense(1))

# 编译递归神经网络
model.compile(optimizer='adam', loss='mse')

# 训练递归神经网络
model.fit(x_train, y_train, epochs=100, batch_size=32)

# 测试递归神经网络
loss = model.evaluate(x_test, y_test)

# %% result
train_seconds = time.perf_counter() - start_seconds   # the whole listing: build, fit, evaluate
test_mse = float(loss)
naive_mse = float(np.mean((x_test[:, -1, 0] - y_test) ** 2))
mse_over_noise = test_mse / noise_var
num_params = model.count_params()
print(f"test MSE {test_mse:.4f} = {mse_over_noise:.3f} x noise variance {noise_var:.4f}; "
      f"last-value forecast {naive_mse:.4f}; parameters {num_params:,}")
assert test_mse < naive_mse, "the LSTM must beat the last-value forecast"
