# %% [markdown] lang="zh"
# # 泛化一章的练习：参考答案
#
# 每个单元运行一道练习里改过的代码。隐藏的 `helpers` 单元是 `generalisation.py` 中数据、模型、损失和训练函数的原样副本。

# %% [markdown] lang="en"
# # Exercises of the generalisation chapter: worked answers
#
# Each cell runs the changed code of one exercise. The `helpers` cell is a verbatim copy
# of the data, model, loss and training functions of `generalisation.py`.

# %% setup
import numpy as np
import torch
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from digits import load_digits

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% helpers
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



loss_fn = nn.CrossEntropyLoss()


def evaluate(net, X, y):
    """(mean cross-entropy, accuracy) with dropout off and batch norm on its running statistics."""
    net.eval()
    with torch.no_grad():
        logits = net(X)
    return loss_fn(logits, y).item(), (logits.argmax(dim=1) == y).float().mean().item()


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


batch_size = 25


def make_loader(seed):
    """Mini-batches of the training set, reshuffled every epoch by a seeded generator."""
    shuffle = torch.Generator().manual_seed(seed)
    return DataLoader(TensorDataset(X_train, y_train), batch_size=batch_size,
                      shuffle=True, generator=shuffle)



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

# %% dropout_02
# configs: dropout_p = 0.5 -> 0.2; compare: the same loop, over the dropout row only.
weight_decay, dropout_p, patience = 1.0, 0.2, 10
configs = {"dropout": {"dropout": dropout_p}}
seeds = [0, 1, 2]
results = {}            # name -> (val loss, val acc, epochs trained) per seed, and the models
for name, options in configs.items():
    runs = [fit(seed, **options) for seed in seeds]
    scores = np.array([evaluate(net, X_val, y_val) + (len(h),) for net, h in runs])
    results[name] = (scores, [net for net, _ in runs])
    loss, acc = scores[:, 0], scores[:, 1]
    print(f"{name:15s} val acc {acc.mean():.3f} [{acc.min():.3f}, {acc.max():.3f}]   "
          f"val loss {loss.mean():.3f} [{loss.min():.3f}, {loss.max():.3f}]")

# %% dropout_02_values
loss, acc = results["dropout"][0][:, 0], results["dropout"][0][:, 1]
dropout_02_acc = round(float(acc.mean()), 4)
dropout_02_acc_min, dropout_02_acc_max = round(float(acc.min()), 4), round(float(acc.max()), 4)
dropout_02_loss = round(float(loss.mean()), 4)

# %% data_400
# load_digits gives a training part and a test part. We split the training part
# ourselves: a small training set and a validation set for every choice we make.
X_part, y_part, X_test, y_test = load_digits()
n_train, n_val = 400, 400
X_train, X_val, y_train, y_val = train_test_split(
    X_part, y_part, train_size=n_train, test_size=n_val, stratify=y_part, random_state=0)
X_train, y_train, X_val, y_val, X_test, y_test = (
    torch.from_numpy(a).to(device) for a in (X_train, y_train, X_val, y_val, X_test, y_test))
n_test = len(y_test)
print(f"train {tuple(X_train.shape)}, validation {tuple(X_val.shape)}, test {tuple(X_test.shape)}")
print("training images per class:", torch.bincount(y_train).tolist())

# %% curves_400
net, history = fit(seed=0)
for epoch in (1, 10, 20, 40, num_epochs):
    train_loss, train_acc, val_loss, val_acc = history[epoch - 1]
    print(f"epoch {epoch:2d}  train loss {train_loss:.3f} acc {train_acc:.3f}   "
          f"val loss {val_loss:.3f} acc {val_acc:.3f}")
best_epoch = int(history[:, 2].argmin()) + 1
print(f"lowest validation loss at epoch {best_epoch}")

# %% curves_400_values
final_train_acc_400, final_val_acc_400 = round(float(history[-1, 1]), 4), round(float(history[-1, 3]), 4)
final_gap_400 = round(final_train_acc_400 - final_val_acc_400, 4)
best_epoch_400 = best_epoch

# %% dropout_08
# Inverted dropout: in training each unit is kept with probability 1 - p and scaled
# by 1 / (1 - p), so its expectation is unchanged; eval() makes the layer the identity.
p = 0.8                     # was 0.5
drop = nn.Dropout(p)
h = torch.full((100_000,), 2.0)
drop.train()
h_train = drop(h)
dropped_fraction = (h_train == 0).double().mean().item()
kept_value = h_train.max().item()
train_mean = h_train.mean().item()
drop.eval()
eval_equal = bool(torch.equal(drop(h), h))
print(f"train: {dropped_fraction:.3f} of the units are 0, the rest are {kept_value:.1f}, "
      f"mean {train_mean:.2f} (input 2.0)")
print(f"eval:  output equals input: {eval_equal}")

# %% dropout_08_std
train_std = round(h_train.std().item(), 2)
print(f"standard deviation in training: {train_std:.2f}")

# %% checks
assert history[-1, 2] > history[:, 2].min(), history[-1, 2]
assert final_gap_400 < 0.12 and final_val_acc_400 > 0.9, (final_train_acc_400, final_val_acc_400)
assert abs(dropped_fraction - p) < 0.01 and abs(kept_value - 10.0) < 1e-9 and eval_equal
assert 0.8 < dropout_02_acc < 0.95, dropout_02_acc
