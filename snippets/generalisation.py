# %% [markdown] lang="zh"
# # 泛化：过拟合与正则化
#
# 在 8x8 手写数字上用一个很小的训练集（每类约 10 张）训练一个 MLP，画出训练集与验证集上的损失曲线，再把权重衰减、dropout、批归一化、早停和数据增强各用三个随机种子测一遍，只在验证集上比较和选择；测试集只在最后用一次。

# %% [markdown] lang="en"
# # Generalisation: overfitting and regularisation
#
# An MLP trained on a deliberately small part of the 8x8 digits (about 10 images a
# class), its training and validation curves, then weight decay, dropout, batch
# normalisation, early stopping and data augmentation, each measured over three
# seeds and compared on the validation set only; the test set is used once, at the end.

# %% setup
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from digits import load_digits

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% data
# load_digits gives a training part and a test part. We split the training part
# ourselves: a small training set and a validation set for every choice we make.
X_part, y_part, X_test, y_test = load_digits()
n_train, n_val = 100, 400
X_train, X_val, y_train, y_val = train_test_split(
    X_part, y_part, train_size=n_train, test_size=n_val, stratify=y_part, random_state=0)
X_train, y_train, X_val, y_val, X_test, y_test = (
    torch.from_numpy(a).to(device) for a in (X_train, y_train, X_val, y_val, X_test, y_test))
n_test = len(y_test)
print(f"train {tuple(X_train.shape)}, validation {tuple(X_val.shape)}, test {tuple(X_test.shape)}")
print("training images per class:", torch.bincount(y_train).tolist())

# %% loader
batch_size = 25


def make_loader(seed):
    """Mini-batches of the training set, reshuffled every epoch by a seeded generator."""
    shuffle = torch.Generator().manual_seed(seed)
    return DataLoader(TensorDataset(X_train, y_train), batch_size=batch_size,
                      shuffle=True, generator=shuffle)


X_batch, y_batch = next(iter(make_loader(0)))
batches_per_epoch = len(make_loader(0))
print("one batch:", tuple(X_batch.shape), tuple(y_batch.shape), "batches per epoch:", batches_per_epoch)

# %% augment
max_degrees, max_move = 10.0, 0.1


def augment(images, gen, degrees=max_degrees, move=max_move):
    """Rotate each image by up to `degrees` and move it by up to `move` of its half-width:
    a slightly turned or shifted 3 is still a 3 (a label-preserving transform)."""
    n = len(images)
    angle = (torch.rand(n, generator=gen) * 2 - 1) * degrees * torch.pi / 180
    shift = (torch.rand(n, 2, generator=gen) * 2 - 1) * move
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1),
                         torch.stack([sin, cos, shift[:, 1]], 1)], 1).to(images.device)
    grid = nn.functional.affine_grid(theta, (n, 1, 8, 8), align_corners=False)
    return nn.functional.grid_sample(images[:, None], grid, align_corners=False)[:, 0]


# %% augment_plot caption={"zh": "上行：五张训练图像；下面两行：同一批图像的两次随机增强（小角度旋转与平移）", "en": "Top row: five training images; the two rows below: two random augmentations of the same images (small rotations and shifts)"}
fig, axes = plt.subplots(3, 5, figsize=(5, 3))
examples = X_train[:5]
views = [examples] + [augment(examples, torch.Generator().manual_seed(k)) for k in (1, 2)]
for row, images in zip(axes, views):
    for ax, image in zip(row, images):
        ax.imshow(image.cpu().numpy(), cmap="gray_r", vmin=0, vmax=1)
        ax.axis("off")
fig.tight_layout()
plt.show()

# %% model
def make_mlp(hidden=128, dropout=0.0, batch_norm=False):
    """64 -> 128 -> 128 -> 10, optionally with batch norm and dropout in each hidden layer."""
    layers, width = [nn.Flatten()], 64
    for _ in range(2):
        layers.append(nn.Linear(width, hidden))
        if batch_norm:
            layers.append(nn.BatchNorm1d(hidden))
        layers.append(nn.ReLU())
        if dropout:
            layers.append(nn.Dropout(dropout))
        width = hidden
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(*layers).to(device)


make_mlp(dropout=0.5, batch_norm=True)

# %% loss
loss_fn = nn.CrossEntropyLoss()


def evaluate(net, X, y):
    """(mean cross-entropy, accuracy) with dropout off and batch norm on its running statistics."""
    net.eval()
    with torch.no_grad():
        logits = net(X)
    return loss_fn(logits, y).item(), (logits.argmax(dim=1) == y).float().mean().item()


# %% epoch
lr, num_epochs = 3e-3, 60


def train_epoch(net, optimizer, loader, augment_gen=None):
    """One pass over the training set; augment_gen, when given, augments every batch."""
    net.train()
    for X, y in loader:
        if augment_gen is not None:
            X = augment(X, augment_gen)
        loss = loss_fn(net(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


# %% fit
def fit(seed, weight_decay=0.0, dropout=0.0, batch_norm=False, augmented=False, patience=None):
    """Train one model; history rows are (train loss, train acc, val loss, val acc) per epoch."""
    torch.manual_seed(seed)
    net = make_mlp(dropout=dropout, batch_norm=batch_norm)
    optimizer = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
    loader, gen = make_loader(seed), torch.Generator().manual_seed(seed) if augmented else None
    history, best = [], (float("inf"), 0, None)      # (val loss, epoch, weights)
    for epoch in range(num_epochs):
        train_epoch(net, optimizer, loader, gen)
        history.append(evaluate(net, X_train, y_train) + evaluate(net, X_val, y_val))
        if history[-1][2] < best[0]:
            best = (history[-1][2], epoch, {k: v.clone() for k, v in net.state_dict().items()})
        elif patience is not None and epoch - best[1] >= patience:
            net.load_state_dict(best[2])             # early stopping: back to the best epoch
            break
    return net, np.array(history)


# %% curves
net, history = fit(seed=0)
for epoch in (1, 10, 20, 40, num_epochs):
    train_loss, train_acc, val_loss, val_acc = history[epoch - 1]
    print(f"epoch {epoch:2d}  train loss {train_loss:.3f} acc {train_acc:.3f}   "
          f"val loss {val_loss:.3f} acc {val_acc:.3f}")
best_epoch = int(history[:, 2].argmin()) + 1
print(f"lowest validation loss at epoch {best_epoch}")

# %% curves_values
final_train_loss, final_train_acc, final_val_loss, final_val_acc = (round(float(v), 4) for v in history[-1])
lowest_val_loss = round(float(history[:, 2].min()), 4)
final_gap = round(final_train_acc - final_val_acc, 4)

# %% curves_plot caption={"zh": "基线 MLP（种子 0）：左为训练集（蓝）与验证集（橙）上的交叉熵损失随轮次的变化，虚线标出验证损失最低的一轮；右为两者的准确率", "en": "The baseline MLP (seed 0): left, the cross-entropy on the training set (blue) and the validation set (orange) over the epochs, the dashed line at the epoch of lowest validation loss; right, their accuracy"}
epochs = np.arange(1, len(history) + 1)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(8, 3.2))
ax_loss.plot(epochs, history[:, 0], label=r"$\mathcal{L}_{\mathrm{train}}$")
ax_loss.plot(epochs, history[:, 2], label=r"$\mathcal{L}_{\mathrm{val}}$")
ax_loss.axvline(best_epoch, color="gray", linestyle="--")
ax_loss.set(xlabel=r"$t$", ylabel=r"$\mathcal{L}$", yscale="log")
ax_loss.legend()
ax_acc.plot(epochs, history[:, 1], label=r"$\mathrm{acc}_{\mathrm{train}}$")
ax_acc.plot(epochs, history[:, 3], label=r"$\mathrm{acc}_{\mathrm{val}}$")
ax_acc.set(xlabel=r"$t$", ylim=(0.5, 1.01))
ax_acc.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %% configs
weight_decay, dropout_p, patience = 1.0, 0.5, 10
configs = {
    "baseline": {},
    "weight decay": {"weight_decay": weight_decay},
    "dropout": {"dropout": dropout_p},
    "batch norm": {"batch_norm": True},
    "early stopping": {"patience": patience},
    "augmentation": {"augmented": True},
}
seeds = [0, 1, 2]

# %% compare
results = {}            # name -> (val loss, val acc, epochs trained) per seed, and the models
for name, options in configs.items():
    runs = [fit(seed, **options) for seed in seeds]
    scores = np.array([evaluate(net, X_val, y_val) + (len(h),) for net, h in runs])
    results[name] = (scores, [net for net, _ in runs])
    loss, acc = scores[:, 0], scores[:, 1]
    print(f"{name:15s} val acc {acc.mean():.3f} [{acc.min():.3f}, {acc.max():.3f}]   "
          f"val loss {loss.mean():.3f} [{loss.min():.3f}, {loss.max():.3f}]")

# %% compare_values
val_acc_mean = [round(float(results[n][0][:, 1].mean()), 4) for n in configs]
val_acc_min = [round(float(results[n][0][:, 1].min()), 4) for n in configs]
val_acc_max = [round(float(results[n][0][:, 1].max()), 4) for n in configs]
val_acc_std = [round(float(results[n][0][:, 1].std()), 4) for n in configs]
val_loss_mean = [round(float(results[n][0][:, 0].mean()), 4) for n in configs]
val_loss_min = [round(float(results[n][0][:, 0].min()), 4) for n in configs]
val_loss_max = [round(float(results[n][0][:, 0].max()), 4) for n in configs]
val_acc_gain = [round(a - val_acc_mean[0], 4) for a in val_acc_mean]
val_loss_change = [round(v - val_loss_mean[0], 4) for v in val_loss_mean]
one_val_image = 1 / n_val            # the accuracy step of one validation image
epochs_trained = [round(float(results[n][0][:, 2].mean()), 1) for n in configs]
early_stop_epochs = [int(e) for e in results["early stopping"][0][:, 2]]

# %% compare_plot caption={"zh": "六种设置在验证集上的准确率（左）和交叉熵（右）：每个点是一个种子，横线是三个种子的均值。从左到右：基线、权重衰减（λ）、dropout（p）、批归一化（BN）、早停（t*）、数据增强（T）", "en": "Validation accuracy (left) and cross-entropy (right) of the six settings: each dot is one seed, each bar the mean of the three. Left to right: baseline, weight decay (λ), dropout (p), batch norm (BN), early stopping (t*), augmentation (T)"}
ticks = [r"$\varnothing$", r"$\lambda$", r"$p$", "BN", r"$t^{\star}$", r"$T$"]
fig, axes = plt.subplots(1, 2, figsize=(8, 3.2))
for ax, column in zip(axes, (1, 0)):
    for i, name in enumerate(configs):
        values = results[name][0][:, column]
        ax.scatter([i] * len(values), values, color="tab:blue", alpha=0.5, s=16)
        ax.hlines(values.mean(), i - 0.3, i + 0.3, color="black")
    ax.set_xticks(range(len(configs)), ticks)
axes[0].set_ylabel(r"$\mathrm{acc}_{\mathrm{val}}$")
axes[1].set_ylabel(r"$\mathcal{L}_{\mathrm{val}}$")
fig.tight_layout()
plt.show()

# %% test_once
# Model selection used the validation set only. Now, once: the setting with the best
# mean validation accuracy, its three models, on the test set nobody has looked at.
mean_val_acc = {name: scores[:, 1].mean() for name, (scores, _) in results.items()}
chosen = max(mean_val_acc, key=mean_val_acc.get)
test_scores = np.array([evaluate(net, X_test, y_test) for net in results[chosen][1]])
test_acc = test_scores[:, 1]
print(f"chosen on validation: {chosen}")
print(f"test accuracy {test_acc.mean():.3f} [{test_acc.min():.3f}, {test_acc.max():.3f}] "
      f"on {n_test} images (validation said {mean_val_acc[chosen]:.3f})")

# %% test_values
test_acc_mean = round(float(test_acc.mean()), 4)
test_acc_min, test_acc_max = round(float(test_acc.min()), 4), round(float(test_acc.max()), 4)
chosen_val_acc = round(float(mean_val_acc[chosen]), 4)

# %% checks
assert final_train_acc == 1.0 and final_gap > 0.08, (final_train_acc, final_val_acc)
assert final_val_loss > lowest_val_loss + 0.05, (final_val_loss, lowest_val_loss)
assert abs(final_val_acc - history[best_epoch - 1, 3]) < 0.03, final_val_acc   # accuracy flat
assert max(early_stop_epochs) < num_epochs, early_stop_epochs
assert test_acc_mean > 0.8, test_acc_mean
# The claims the pages make about this run.
assert chosen == "augmentation" and test_acc_mean < chosen_val_acc, (chosen, test_acc_mean)
assert min(val_acc_mean[1:4]) > val_acc_mean[0] and val_acc_min[5] > val_acc_max[0], val_acc_mean
assert val_acc_min[0] <= val_acc_mean[4] <= val_acc_max[0], val_acc_mean
assert all(v < val_loss_mean[0] for v in val_loss_mean[1:]), val_loss_mean
assert int(np.argmin(val_loss_mean)) == 3, val_loss_mean
val_acc_mean, test_acc_mean
