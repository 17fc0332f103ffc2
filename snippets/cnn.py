# %% [markdown] lang="zh"
# # 卷积神经网络识别手写数字
#
# 把原文的 Keras CNN（一个有 32 个 3x3 滤波器的卷积层、ReLU、2x2 最大池化、一个输出 10 类的线性层）移植到 PyTorch，在 scikit-learn 的 8x8 手写数字（1,797 张真实扫描，按类别分层 75/25 划分）上训练。训练部分再分出五分之一作验证集，用来挑选轮次；测试集只在最后用一次。

# %% [markdown] lang="en"
# # A CNN for handwritten digits
#
# A PyTorch port of the seed's Keras CNN (one 3x3 convolution with 32 filters,
# ReLU, 2x2 max pooling, a linear layer to 10 classes), trained on scikit-learn's
# 8x8 digits (1,797 real scans, stratified 75/25 split). A fifth of the training
# part is held out for validation, which picks the epoch; the test set is used
# once, at the end.

# %% setup
import copy
import time

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import cnn_plots
from digits import load_digits, upsample

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% data
X_all, y_all, X_test, y_test = load_digits()      # or load_mnist(folder): the rest is unchanged
# Carve a stratified validation fifth out of the training part; the test set waits until the end.
X_train, X_val, y_train, y_val = train_test_split(
    X_all, y_all, test_size=0.2, stratify=y_all, random_state=0)
n_train, n_val, n_test = len(X_train), len(X_val), len(X_test)
height, width = X_train.shape[1:]
print(f"train {n_train}, validation {n_val}, test {n_test} images of {height}x{width}, "
      f"pixels in [{X_train.min():.0f}, {X_train.max():.0f}]")
print("test images per class:", np.bincount(y_test).tolist())

# %% loaders
def loader(X, y, batch_size, shuffle=False):
    """(N, H, W) images -> batches of (B, 1, H, W): one input channel, as Conv2d expects."""
    dataset = TensorDataset(torch.from_numpy(X)[:, None], torch.from_numpy(y))
    generator = torch.Generator().manual_seed(0) if shuffle else None
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator)


batch_size, eval_batch_size = 32, 256
train_loader = loader(X_train, y_train, batch_size, shuffle=True)
train_eval_loader = loader(X_train, y_train, eval_batch_size)
val_loader = loader(X_val, y_val, eval_batch_size)
test_loader = loader(X_test, y_test, eval_batch_size)

# %% model
def make_cnn(height, width):
    """Conv 3x3 (32) -> ReLU -> max pool 2 -> flatten -> linear to 10 classes."""
    features = nn.Sequential(nn.Conv2d(1, 32, kernel_size=3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())
    with torch.no_grad():       # the flatten size, from one dummy image of the input's size
        n_flat = features(torch.zeros(1, 1, height, width)).shape[1]
    return nn.Sequential(*features, nn.Linear(n_flat, 10))


net = make_cnn(height, width).to(device)
num_params = sum(p.numel() for p in net.parameters())
print(net)
print("parameters:", num_params)

# %% loss
loss_fn = nn.CrossEntropyLoss()      # takes logits: softmax and cross-entropy in one stable step


def evaluate(net, loader):
    """Mean loss and accuracy over a loader, batch by batch, in eval mode."""
    net.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            logits = net(xb)
            total_loss += loss_fn(logits, yb).item() * len(yb)
            correct += (logits.argmax(dim=1) == yb).sum().item()
    return total_loss / len(loader.dataset), correct / len(loader.dataset)

# %% train_epoch
lr, num_epochs = 1e-2, 12
optimizer = torch.optim.Adam(net.parameters(), lr=lr)


def train_epoch(net, loader):
    """One pass over the shuffled training set; returns the mean training loss."""
    net.train()
    total = 0.0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        loss = loss_fn(net(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(yb)
    return total / len(loader.dataset)

# %% train
train_losses, train_accs, val_losses, val_accs = [], [], [], []
start_seconds = time.perf_counter()
for epoch in range(num_epochs):
    train_losses.append(train_epoch(net, train_loader))
    train_accs.append(evaluate(net, train_eval_loader)[1])
    val_loss, val_acc = evaluate(net, val_loader)
    val_losses.append(val_loss)
    val_accs.append(val_acc)
    if val_acc > max(val_accs[:-1], default=-1.0):     # model selection on validation only
        best_epoch, best_state = epoch + 1, copy.deepcopy(net.state_dict())
    print(f"epoch {epoch + 1:2d}  train loss {train_losses[-1]:.4f}  "
          f"train acc {train_accs[-1]:.4f}  val acc {val_acc:.4f}")
net.load_state_dict(best_state)
train_seconds = time.perf_counter() - start_seconds
best_val_accuracy = max(val_accs)
print(f"kept epoch {best_epoch}: validation accuracy {best_val_accuracy:.4f}")

# %% evaluate
# The test set, touched once, by the model the validation set chose.
test_loss, test_accuracy = evaluate(net, test_loader)
with torch.no_grad():                  # evaluate() left the model in eval mode
    pred = torch.cat([net(xb.to(device)).argmax(dim=1).cpu() for xb, _ in test_loader]).numpy()
n_wrong = int((pred != y_test).sum())
print(f"test loss {test_loss:.4f}, accuracy {test_accuracy:.4f} ({n_test - n_wrong} of {n_test} right)")

# %% curves caption={"zh": "左：每轮的训练交叉熵（圆点）与验证交叉熵（方块）；右：训练集（圆点）与验证集（方块）上的准确率，竖虚线是验证集选中的轮次", "en": "Left: the training (dots) and validation (squares) cross-entropy per epoch; right: training (dots) and validation (squares) accuracy, the dashed line at the epoch the validation set chose"}
cnn_plots.curves(train_losses, val_losses, train_accs, val_accs, best_epoch)

# %% confusion caption={"zh": "测试集上的混淆矩阵：行是真实数字，列是预测数字，对角线上是预测正确的个数", "en": "Confusion matrix on the test set: rows are true digits, columns predicted ones, the diagonal counts correct predictions"}
# Row = true digit, column = predicted digit; np.add.at counts each pair.
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (y_test, pred), 1)
assert confusion.sum() == n_test and np.trace(confusion) == n_test - n_wrong
cnn_plots.confusion_matrix(confusion)

# %% mistakes caption={"zh": "被分错的测试图像，每张标注“真实→预测”", "en": "The misclassified test images, each labelled true→predicted"}
cnn_plots.mistakes(X_test, y_test, pred)

# %% clock
def clock():
    """time.perf_counter(), read after any queued GPU work has finished."""
    if device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter()

# %% cost-28x28
# What would upsampling to MNIST's 28x28 cost? The same training step at both sizes, fresh models.
def seconds_per_step(size, steps=20):
    images = torch.from_numpy(upsample(X_train[:batch_size], size))[:, None].to(device)
    labels = torch.from_numpy(y_train[:batch_size]).to(device)
    model = make_cnn(size, size).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for step in range(steps + 3):          # 3 warm-up steps are not timed
        if step == 3:
            began = clock()
        opt.zero_grad()
        loss_fn(model(images), labels).backward()
        opt.step()
    return (clock() - began) / steps, sum(p.numel() for p in model.parameters())


step_8x8_seconds, params_8x8 = seconds_per_step(8)
step_28x28_seconds, params_28x28 = seconds_per_step(28)
print(f"parameters: 8x8 input {params_8x8:,}, 28x28 input {params_28x28:,}")

# %% checks
assert test_accuracy >= 0.97, f"test accuracy {test_accuracy:.4f} is below 97%"
assert best_val_accuracy >= 0.95, f"validation accuracy {best_val_accuracy:.4f} is below 95%"
