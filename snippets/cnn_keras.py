# %% [markdown] lang="zh"
# # 原文的 Keras CNN 代码
#
# 原文中的代码清单，一字未改，运行在以 PyTorch 为后端的 Keras 3 上。在它之前只定义了它需要的数据：scikit-learn 的 8x8 手写数字（按类别分层 75/25 划分），上采样到 28x28，形状为 (N, 28, 28, 1)，标签为 one-hot 编码。

# %% [markdown] lang="en"
# # The seed's Keras CNN listing, run as published
#
# The listing from the source article, unchanged, on Keras 3 with the PyTorch
# backend. Only the data it needs is defined before it: scikit-learn's 8x8 digits
# (stratified 75/25 split) upsampled to 28x28, shaped (N, 28, 28, 1), one-hot labels.

# %% setup
import os

os.environ["KERAS_BACKEND"] = "torch"   # must be set before keras is imported

import time

import keras
import torch

from digits import load_digits, upsample

keras.utils.set_random_seed(0)          # seeds Python, NumPy and the backend
torch.set_num_threads(1)
print("Keras", keras.__version__, "backend:", keras.backend.backend())

# %% data
X_train, y_train, X_test, y_test = load_digits()
x_train = upsample(X_train, 28)[..., None]          # (N, 28, 28, 1), channels last
x_test = upsample(X_test, 28)[..., None]
y_train = keras.utils.to_categorical(y_train, 10)   # one-hot, for categorical_crossentropy
y_test = keras.utils.to_categorical(y_test, 10)
n_train, n_test = len(x_train), len(x_test)
print("x_train", x_train.shape, "y_train", y_train.shape, "x_test", x_test.shape)
start_seconds = time.perf_counter()

# %% listing
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

# 构建卷积神经网络
model = Sequential()
model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))
model.add(MaxPooling2D((2, 2)))
model.add(Flatten())
model.add(Dense(10, activation='softmax'))

# 编译卷积神经网络
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])

# 训练卷积神经网络
model.fit(x_train, y_train, epochs=10, batch_size=32)

# 测试卷积神经网络
loss, accuracy = model.evaluate(x_test, y_test)

# %% result
train_seconds = time.perf_counter() - start_seconds   # the whole listing: build, fit, evaluate
test_accuracy = float(accuracy)
test_loss = float(loss)
num_params = model.count_params()
print(f"held-out loss {test_loss:.4f}, accuracy {test_accuracy:.4f}; parameters {num_params:,}")
assert test_accuracy >= 0.95, f"held-out accuracy {test_accuracy:.4f} is below 95%"
