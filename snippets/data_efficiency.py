# %% [markdown] lang="zh"
# # 数据量与准确率
#
# 本课程的 CNN（Conv2d 32 3x3、ReLU、MaxPool 2、Flatten、Linear 10）和常见问题 Q2 的单隐藏层 MLP（64-128-10）在 8x8 手写数字训练集的同一批分层子集上训练，子集从 5 % 到 100 %，每种大小用三个随机种子，始终在同一个留出测试集上评估。

# %% [markdown] lang="en"
# # Data efficiency of a small CNN
#
# The course's CNN (Conv2d 32 3x3, ReLU, MaxPool 2, Flatten, Linear 10) and the FAQ's
# one-hidden-layer MLP (64-128-10) trained on the same stratified subsets of the 8x8
# digits' training split, from 5 % to 100 %, three seeds per size, always evaluated on
# the same held-out test split.

# %% setup
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.model_selection import train_test_split
from torch import nn

from digits import load_digits

torch.manual_seed(0)
rng = np.random.default_rng(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% data
X_train, y_train, X_test, y_test = load_digits()
fractions = [0.05, 0.10, 0.25, 0.50, 1.00]
seeds = [0, 1, 2]


def subset(fraction, seed):
    """A stratified subset of the training split: every class keeps its share."""
    if fraction == 1.0:
        return X_train, y_train
    X_sub, _, y_sub, _ = train_test_split(X_train, y_train, train_size=fraction,
                                          stratify=y_train, random_state=seed)
    return X_sub, y_sub


sizes = [len(subset(f, 0)[1]) for f in fractions]
n_test = len(y_test)
X_test_t = torch.from_numpy(X_test)[:, None].to(device)
y_test_t = torch.from_numpy(y_test).to(device)
print("training-set sizes:", sizes, " test images:", n_test)

# %% model
def make_net():
    """The PyTorch port of the seed's Keras CNN, for 8x8 inputs."""
    return nn.Sequential(
        nn.Conv2d(1, 32, kernel_size=3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 3 * 3, 10),
    ).to(device)


def make_mlp():
    """The FAQ's fully connected network: no locality, no shared weights."""
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)).to(device)


num_params = sum(p.numel() for p in make_net().parameters())
mlp_params = sum(p.numel() for p in make_mlp().parameters())
# The same number of updates (not epochs) for every subset: only the data varies.
lr, batch_size, num_steps = 1e-2, 64, 200
num_params, mlp_params

# %% train

def train_and_test(X, y, seed, make=make_net):
    torch.manual_seed(seed)
    net, gen, step = make(), torch.Generator().manual_seed(seed), 0
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    X_t, y_t = torch.from_numpy(X)[:, None].to(device), torch.from_numpy(y).to(device)
    while step < num_steps:                      # epochs, the last one cut short
        for idx in torch.randperm(len(y_t), generator=gen).split(batch_size)[:num_steps - step]:
            loss = nn.functional.cross_entropy(net(X_t[idx]), y_t[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
    with torch.no_grad():
        return (net(X_test_t).argmax(dim=1) == y_test_t).float().mean().item()

# %% runs
start_seconds = time.perf_counter()
results = np.zeros((len(fractions), len(seeds)))
for i, fraction in enumerate(fractions):
    for j, seed in enumerate(seeds):
        results[i, j] = train_and_test(*subset(fraction, seed), seed)
    print(f"{sizes[i]:5d} images ({fraction:4.0%})  CNN test accuracy "
          f"{results[i].mean():.4f}  (seeds: {', '.join(f'{a:.4f}' for a in results[i])})")
train_seconds = time.perf_counter() - start_seconds

# %% values
accuracies = [round(float(a), 4) for a in results.mean(axis=1)]
accuracy_spreads = [round(float(s), 4) for s in results.max(axis=1) - results.min(axis=1)]
errors = [round(1 - a, 4) for a in accuracies]

# %% mlp
# The same subsets, seeds and number of updates for the MLP: the only change is the model.
mlp_results = np.zeros((len(fractions), len(seeds)))
for i, fraction in enumerate(fractions):
    for j, seed in enumerate(seeds):
        mlp_results[i, j] = train_and_test(*subset(fraction, seed), seed, make=make_mlp)
    print(f"{sizes[i]:5d} images  CNN {results[i].mean():.4f}  MLP {mlp_results[i].mean():.4f}"
          f"  (MLP seeds: {', '.join(f'{a:.4f}' for a in mlp_results[i])})")

# %% mlp-values
mlp_accuracies = [round(float(a), 4) for a in mlp_results.mean(axis=1)]
mlp_accuracy_spreads = [round(float(s), 4) for s in mlp_results.max(axis=1) - mlp_results.min(axis=1)]
gap_points = [round(100 * (c - m), 1) for c, m in zip(accuracies, mlp_accuracies)]  # CNN - MLP
seeds_cnn_ahead = [int((results[i] > mlp_results[i]).sum()) for i in range(len(fractions))]

# %% compute
# Count the floating-point operations (FLOPs) with torch's FlopCounterMode: it adds up
# the convolutions and matrix products, forward and backward. Element-wise work
# (ReLU, pooling, the Adam update) is small here and not counted.
from torch.utils.flop_counter import FlopCounterMode

net = make_net()
X_batch = torch.zeros(batch_size, 1, 8, 8, device=device)
y_batch = torch.zeros(batch_size, dtype=torch.long, device=device)
with FlopCounterMode(display=False) as counter:
    net(X_batch)
forward_flops = counter.get_total_flops() // batch_size
with FlopCounterMode(display=False) as counter:
    nn.functional.cross_entropy(net(X_batch), y_batch).backward()
train_flops_per_example = counter.get_total_flops() // batch_size
print(f"per image: forward {forward_flops:,} FLOPs, forward + backward {train_flops_per_example:,}")

# %% compare
run_flops = train_flops_per_example * batch_size * num_steps
experiment_flops = run_flops * len(fractions) * len(seeds)
rule_of_thumb_flops = 6 * num_params
print(f"'6 x parameters' rule of thumb: {rule_of_thumb_flops:,} (too low for a CNN: "
      f"each conv weight is used at 6 x 6 = 36 positions)")
print(f"one run ({num_steps} steps of {batch_size}): {run_flops:.3g} FLOPs; "
      f"all {len(fractions) * len(seeds)} CNN runs: {experiment_flops:.3g} FLOPs")
# For scale: training GPT-3 (175e9 parameters, 300e9 tokens) took about 3.14e23 FLOPs
# (Brown et al. 2020, appendix D), which is what 6 * parameters * tokens gives.
gpt3_flops = 3.14e23
gpt3_orders = round(float(np.log10(gpt3_flops / run_flops)))
print(f"GPT-3's training: about 10^{gpt3_orders} times one run here")

# %% scaling
# Test error against training-set size on log-log axes: a straight line there is a
# power law, error ~ a * n^(-b). Fit a and b by least squares on the five points.
slope, intercept = np.polyfit(np.log(sizes), np.log(errors), 1)
error_exponent = round(float(-slope), 3)
doubling_factor = round(2 ** error_exponent, 3)
print(f"fitted error ~ n^(-{error_exponent:.3f}) over n = {sizes[0]}..{sizes[-1]}")
print(f"doubling the data divides the error by about {doubling_factor:.3f}")

# %% plot caption={"zh": "(a) 留出准确率随训练图像数 n 增加：CNN 与 MLP 各自三个种子的均值（折线）及各次结果（点）；(b) 双对数坐标下 CNN（红点）与 MLP（灰点）的测试误差 ε，虚线是 CNN 误差的幂律拟合", "en": "(a) Held-out accuracy rising with the number of training images n: the mean of three seeds (lines) and each run (dots) for the CNN and the MLP; (b) test error ε of the CNN (red) and the MLP (grey) on log-log axes, the dashed line a power-law fit to the CNN's error"}
fig, (ax_acc, ax_err) = plt.subplots(1, 2, figsize=(8.5, 3.4))
for runs, mean, color, name in [(results, accuracies, "tab:blue", "CNN"),
                                (mlp_results, mlp_accuracies, "tab:orange", "MLP")]:
    ax_acc.scatter(np.repeat(sizes, len(seeds)), runs.ravel(), color=color, alpha=0.35, s=14)
    ax_acc.plot(sizes, mean, "o-", color=color, label=name)
ax_acc.set(xscale="log", xlabel=r"$n$", ylabel=r"$\mathrm{acc}$", title="(a)")
ax_acc.legend(loc="lower right")
ax_err.loglog(sizes, errors, "o", color="tab:red", label="CNN")
ax_err.loglog(sizes, [1 - a for a in mlp_accuracies], "s", color="gray", label="MLP")
fit = np.exp(intercept) * np.array(sizes, dtype=float) ** slope
ax_err.loglog(sizes, fit, "--", color="tab:red", alpha=0.6, label=rf"$a\,n^{{-{error_exponent:.2f}}}$")
ax_err.set(xlabel=r"$n$", ylabel=r"$\varepsilon$", title="(b)")
for ax in (ax_acc, ax_err):
    ax.set_xticks(sizes, [str(s) for s in sizes])
ax_err.set_yticks([0.02, 0.03, 0.05, 0.1, 0.2], ["2%", "3%", "5%", "10%", "20%"])
ax_err.minorticks_off()
ax_err.legend()
fig.tight_layout()
plt.show()

# %% checks
assert accuracies[-1] > accuracies[0] + 0.03, accuracies
assert accuracies[-1] >= 0.97, accuracies
assert all(b >= a - 0.01 for a, b in zip(accuracies, accuracies[1:])), accuracies
assert mlp_accuracies[-1] >= 0.93, mlp_accuracies
assert all(g > 0 for g in gap_points), gap_points            # the CNN ahead at every size, ...
assert 100 * mlp_accuracy_spreads[0] > gap_points[0], (mlp_accuracy_spreads, gap_points)  # ... by less than the MLP's seed spread at 67
sizes, accuracies, mlp_accuracies
