# %% [markdown] lang="zh"
# # 卷积网络与全连接网络
#
# 在 8x8 手写数字（scikit-learn 的 1,797 张图像，固定的分层划分）上比较本课程的 CNN 与一个单隐藏层的 MLP：参数量、留出准确率，以及把每张测试图像平移一个像素后的准确率。

# %% [markdown] lang="en"
# # A CNN against a fully connected network
#
# The course's CNN and a one-hidden-layer MLP on the 8x8 digits (scikit-learn's
# 1,797 images, the fixed stratified split): parameters, held-out accuracy, and
# accuracy when every test image is shifted by one pixel.

# %% setup
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from digits import load_digits

torch.manual_seed(0)
rng = np.random.default_rng(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% data
X_train, y_train, X_test, y_test = load_digits()
X_t = torch.from_numpy(X_train)[:, None].to(device)
y_t = torch.from_numpy(y_train).to(device)
X_test_t = torch.from_numpy(X_test)[:, None].to(device)
y_test_t = torch.from_numpy(y_test).to(device)
X_t.shape, X_test_t.shape

# %% models
def count(net):
    return sum(p.numel() for p in net.parameters())


torch.manual_seed(0)
cnn = nn.Sequential(nn.Conv2d(1, 32, kernel_size=3), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(32 * 3 * 3, 10)).to(device)
mlp = nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)).to(device)
cnn_params, mlp_params = count(cnn), count(mlp)
for name, net in [("CNN", cnn), ("MLP", mlp)]:
    print(f"{name}: {count(net):6,d} parameters  " +
          "  ".join(f"{type(m).__name__}={count(m)}" for m in net if count(m)))

# %% weight-sharing
# The conv layer maps an 8x8 image to 32 maps of 6x6 with 32 * 3 * 3 + 32 weights.
# A dense layer with the same input and output shape needs a weight per (pixel, output).
conv_layer_params = count(cnn[0])
dense_equivalent_params = 8 * 8 * (32 * 6 * 6) + 32 * 6 * 6
print(f"conv layer: {conv_layer_params:,d} parameters; "
      f"dense layer of the same shape: {dense_equivalent_params:,d} "
      f"({dense_equivalent_params / conv_layer_params:.0f} times more)")

# %% train
lr, batch_size, num_epochs = 1e-2, 32, 15
loss_fn = nn.CrossEntropyLoss()


def accuracy(net, X, y):
    with torch.no_grad():
        return (net(X).argmax(dim=1) == y).float().mean().item()


for name, net in [("CNN", cnn), ("MLP", mlp)]:
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(0)
    for epoch in range(num_epochs):
        for idx in torch.randperm(len(y_t), generator=gen).split(batch_size):
            loss = loss_fn(net(X_t[idx]), y_t[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    print(f"{name}: last batch loss {loss.item():.4f}  held-out accuracy {accuracy(net, X_test_t, y_test_t):.4f}")
cnn_accuracy, mlp_accuracy = accuracy(cnn, X_test_t, y_test_t), accuracy(mlp, X_test_t, y_test_t)
n_test = len(y_test)
cnn_correct, mlp_correct = round(cnn_accuracy * n_test), round(mlp_accuracy * n_test)

# %% shifted
# Move every test digit by one pixel (up, down, left, right; zeros fill the gap)
# and average the accuracy over the four directions. Nothing is retrained.
def shift(X, dy, dx):
    out = torch.zeros_like(X)
    h, w = X.shape[-2:]
    out[..., max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        X[..., max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


directions = [(-1, 0), (1, 0), (0, -1), (0, 1)]
cnn_shifted_accuracy = float(np.mean([accuracy(cnn, shift(X_test_t, *d), y_test_t) for d in directions]))
mlp_shifted_accuracy = float(np.mean([accuracy(mlp, shift(X_test_t, *d), y_test_t) for d in directions]))
print(f"{'':4s} {'params':>7s} {'test acc':>9s} {'shifted 1 px':>13s}")
print(f"CNN  {cnn_params:7,d} {cnn_accuracy:9.4f} {cnn_shifted_accuracy:13.4f}")
print(f"MLP  {mlp_params:7,d} {mlp_accuracy:9.4f} {mlp_shifted_accuracy:13.4f}")

# %% confidence
# Does a model notice that the inputs moved? Its confidence is the largest softmax
# probability; a "confident mistake" is a wrong answer given with probability >= 0.9.
def confidence(net, X, y):
    with torch.no_grad():
        p_max, y_hat = torch.softmax(net(X), dim=1).max(dim=1)
    wrong = y_hat != y
    return p_max.mean().item(), (wrong & (p_max >= 0.9)).float().mean().item()


confidences = {}   # name -> (mean confidence, confident mistakes) on original, then shifted images
for name, net in [("CNN", cnn), ("MLP", mlp)]:
    original = confidence(net, X_test_t, y_test_t)
    shifted = np.mean([confidence(net, shift(X_test_t, *d), y_test_t) for d in directions], axis=0)
    confidences[name] = [round(float(v), 3) for v in (*original, *shifted)]
    print(f"{name}: mean confidence {original[0]:.3f} -> {shifted[0]:.3f} shifted; "
          f"confident mistakes {original[1]:.1%} -> {shifted[1]:.1%} of the test images")
cnn_confidence, mlp_confidence = confidences["CNN"], confidences["MLP"]

# %% plot caption={"zh": "一张测试数字（最左），以及它向上、下、左、右各平移一个像素后的样子（箭头标出方向）", "en": "A test digit (left) and its copies shifted by one pixel up, down, left and right (the arrows give the direction)"}
fig, axes = plt.subplots(1, 5, figsize=(7.5, 1.9))
sample = X_test_t[:1]
for ax, (title, (dy, dx)) in zip(axes, [(r"$x$", (0, 0)), ("↑", (-1, 0)), ("↓", (1, 0)),
                                        ("←", (0, -1)), ("→", (0, 1))]):
    ax.imshow(shift(sample, dy, dx)[0, 0].cpu(), cmap="gray_r")
    ax.set_title(title, fontsize=11)
    ax.set_xticks([])
    ax.set_yticks([])
fig.tight_layout()
plt.show()

# %% checks
assert cnn_accuracy >= 0.97, cnn_accuracy
assert mlp_accuracy >= 0.93, mlp_accuracy
assert cnn_params < mlp_params, (cnn_params, mlp_params)
assert cnn_shifted_accuracy > mlp_shifted_accuracy, (cnn_shifted_accuracy, mlp_shifted_accuracy)
assert mlp_confidence[3] > mlp_confidence[1], mlp_confidence   # more confident mistakes when shifted
assert cnn_confidence[2] > cnn_shifted_accuracy + 0.1, cnn_confidence  # confidence stays far above accuracy
cnn_params, mlp_params, cnn_accuracy, mlp_accuracy
