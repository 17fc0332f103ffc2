# %% [markdown] lang="zh"
# # 卷积神经网络识别手写数字
#
# 把原文的 Keras CNN（一个有 32 个 3x3 滤波器的卷积层、ReLU、2x2 最大池化、一个输出 10 类的线性层）移植到 PyTorch，在 scikit-learn 的 8x8 手写数字（1,797 张真实扫描，按类别分层 75/25 划分）上训练，并在留出的四分之一上评估。

# %% [markdown] lang="en"
# # A CNN for handwritten digits
#
# A PyTorch port of the seed's Keras CNN (one 3x3 convolution with 32 filters,
# ReLU, 2x2 max pooling, a linear layer to 10 classes), trained on scikit-learn's
# 8x8 digits (1,797 real scans, stratified 75/25 split) and evaluated on the
# held-out quarter.

# %% setup
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from digits import load_digits, upsample

torch.manual_seed(0)
rng = np.random.default_rng(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% data
X_train, y_train, X_test, y_test = load_digits()
n_train, n_test = len(X_train), len(X_test)
# (N, 8, 8) -> (N, 1, 8, 8): one input channel, as Conv2d expects.
X = torch.from_numpy(X_train)[:, None].to(device)
y = torch.from_numpy(y_train).to(device)
X_held = torch.from_numpy(X_test)[:, None].to(device)
y_held = torch.from_numpy(y_test).to(device)
print(f"train {tuple(X.shape)}, test {tuple(X_held.shape)}, pixels in [{X.min():.0f}, {X.max():.0f}]")
print("test images per class:", np.bincount(y_test).tolist())

# %% model
# 8x8 -> conv 3x3 (no padding) -> 6x6 -> max pool 2 -> 3x3, times 32 channels.
net = nn.Sequential(
    nn.Conv2d(1, 32, kernel_size=3),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 3 * 3, 10),
).to(device)
num_params = sum(p.numel() for p in net.parameters())
print(net)
print("parameters:", num_params)

# %% train
lr, num_epochs, batch_size = 1e-2, 12, 32
optimizer = torch.optim.Adam(net.parameters(), lr=lr)
loss_fn = nn.CrossEntropyLoss()
shuffle = torch.Generator().manual_seed(0)


def accuracy(net, X, y):
    with torch.no_grad():
        return (net(X).argmax(dim=1) == y).float().mean().item()


train_losses, train_accs, test_accs = [], [], []
start_seconds = time.perf_counter()
for epoch in range(num_epochs):
    net.train()
    total = 0.0
    for idx in torch.randperm(n_train, generator=shuffle).split(batch_size):
        y_hat = net(X[idx])
        loss = loss_fn(y_hat, y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(idx)
    net.eval()
    train_losses.append(total / n_train)
    train_accs.append(accuracy(net, X, y))
    test_accs.append(accuracy(net, X_held, y_held))
    print(f"epoch {epoch + 1:2d}  loss {train_losses[-1]:.4f}  "
          f"train acc {train_accs[-1]:.4f}  test acc {test_accs[-1]:.4f}")
train_seconds = time.perf_counter() - start_seconds

# %% evaluate
with torch.no_grad():
    y_hat = net(X_held)
    test_loss = loss_fn(y_hat, y_held).item()
pred = y_hat.argmax(dim=1).cpu().numpy()
test_accuracy = float((pred == y_test).mean())
n_wrong = int((pred != y_test).sum())
print(f"held-out loss {test_loss:.4f}, accuracy {test_accuracy:.4f} "
      f"({n_test - n_wrong} of {n_test} right)")
assert test_accuracy >= 0.97, f"held-out accuracy {test_accuracy:.4f} is below 97%"

# %% cost-28x28
# What would upsampling to MNIST's 28x28 cost? Time the same training step
# (batch of 32, forward + backward + Adam) at both sizes, on fresh copies.
def seconds_per_step(size, steps=20):
    images = X[:batch_size] if size == 8 else (
        torch.from_numpy(upsample(X_train[:batch_size], size))[:, None].to(device))
    side = (size - 2) // 2
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(32 * side * side, 10)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for step in range(steps + 3):          # 3 warm-up steps are not timed
        if step == 3:
            began = time.perf_counter()
        opt.zero_grad()
        loss_fn(model(images), y[:batch_size]).backward()
        opt.step()
    return (time.perf_counter() - began) / steps, sum(p.numel() for p in model.parameters())


step_8x8_seconds, params_8x8 = seconds_per_step(8)
step_28x28_seconds, params_28x28 = seconds_per_step(28)
print(f"parameters: 8x8 input {params_8x8:,}, 28x28 input {params_28x28:,}")

# %% curves caption={"zh": "左：每轮的训练交叉熵损失；右：训练集与留出集上的准确率随轮次的变化", "en": "Left: the training cross-entropy per epoch; right: training and held-out accuracy per epoch"}
epochs = np.arange(1, num_epochs + 1)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8, 3.2))
ax1.plot(epochs, train_losses, "o-")
ax1.set(title="Training loss", xlabel="epoch", ylabel="cross-entropy")
ax2.plot(epochs, train_accs, "o-", label="train")
ax2.plot(epochs, test_accs, "s-", label="held-out")
ax2.set(title="Accuracy", xlabel="epoch", ylim=(0.8, 1.0))
ax2.legend()
fig.tight_layout()
plt.show()

# %% confusion caption={"zh": "留出集上的混淆矩阵：行是真实数字，列是预测数字，对角线上是预测正确的个数", "en": "Confusion matrix on the held-out set: rows are true digits, columns predicted ones, the diagonal counts correct predictions"}
# Row = true digit, column = predicted digit; np.add.at counts each pair.
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (y_test, pred), 1)
assert confusion.sum() == n_test and np.trace(confusion) == n_test - n_wrong

fig, ax = plt.subplots(figsize=(4.6, 4))
im = ax.imshow(confusion, cmap="Blues")
for i in range(10):
    for j in range(10):
        if confusion[i, j]:
            ax.text(j, i, confusion[i, j], ha="center", va="center", fontsize=8,
                    color="white" if confusion[i, j] > confusion.max() / 2 else "black")
ax.set(title="Confusion matrix (held-out)", xlabel="predicted", ylabel="true",
       xticks=range(10), yticks=range(10))
fig.colorbar(im, ax=ax, shrink=0.8)
fig.tight_layout()
plt.show()

# %% mistakes caption={"zh": "被分错的留出图像，每张标注“真实→预测”", "en": "The misclassified held-out images, each labelled true→predicted"}
wrong = np.flatnonzero(pred != y_test)
fig, axes = plt.subplots(1, len(wrong), figsize=(min(8, 1.1 * len(wrong)), 1.6), squeeze=False)
for ax, i in zip(axes[0], wrong):
    ax.imshow(X_test[i], cmap="gray_r")
    ax.set_title(f"{y_test[i]}→{pred[i]}", fontsize=9)
    ax.axis("off")
fig.suptitle("Misclassified (true→predicted)", fontsize=10)
fig.tight_layout()
plt.show()
