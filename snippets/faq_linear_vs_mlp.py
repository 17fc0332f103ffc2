# %% [markdown] lang="zh"
# # 线性模型与多层感知机
#
# 两个相互交错的半月形点集（用 NumPy 生成，固定种子）。分别训练原始坐标上的逻辑回归、手工构造的多项式特征上的逻辑回归，以及一个自己学习特征的小型 MLP，全部用 torch 训练，并在留出的点上评分。

# %% [markdown] lang="en"
# # A linear model against an MLP
#
# Two interleaved half-moons (generated with NumPy, seeded). Logistic regression on
# the raw coordinates, logistic regression on hand-made polynomial features, and a
# small MLP that learns its own features, all trained in torch, scored on held-out points.

# %% setup
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

torch.manual_seed(0)
rng = np.random.default_rng(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% data
def make_moons(n, noise, rng):
    """Two half-circles, one shifted into the other's mouth, plus Gaussian noise."""
    t = rng.uniform(0, np.pi, size=n)
    label = rng.integers(0, 2, size=n)
    x1 = np.where(label == 0, np.cos(t), 1 - np.cos(t))
    x2 = np.where(label == 0, np.sin(t), 0.5 - np.sin(t))
    X = np.c_[x1, x2] + rng.normal(0, noise, size=(n, 2))
    return X.astype(np.float32), label.astype(np.float32)


X, y = make_moons(1000, noise=0.2, rng=rng)
X_train, y_train, X_test, y_test = X[:500], y[:500], X[500:], y[500:]
X_train.shape, X_test.shape, float(y_train.mean())

# %% models
def poly_features(X, degree=3):
    """Hand-made features: every monomial x1^i * x2^j with 1 <= i + j <= degree."""
    x1, x2 = X[..., :1], X[..., 1:]
    return torch.cat([x1**i * x2**(d - i) for d in range(1, degree + 1) for i in range(d + 1)], dim=-1)


linear = nn.Linear(2, 1)                         # logistic regression on (x1, x2)
poly = nn.Linear(9, 1)                           # logistic regression on 9 monomials
mlp = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
models = {"linear": (linear, lambda X: X), "poly": (poly, poly_features), "mlp": (mlp, lambda X: X)}
linear_params, poly_params, mlp_params = (sum(p.numel() for p in m.parameters()) for m in (linear, poly, mlp))
linear_params, poly_params, mlp_params

# %% train
lr, num_epochs = 1e-2, 1000
X_t, y_t = torch.from_numpy(X_train).to(device), torch.from_numpy(y_train).to(device)
X_test_t, y_test_t = torch.from_numpy(X_test).to(device), torch.from_numpy(y_test).to(device)
loss_fn = nn.BCEWithLogitsLoss()
for name, (net, features) in models.items():
    net.to(device)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    for epoch in range(num_epochs):              # full batch: 500 points
        loss = loss_fn(net(features(X_t)).squeeze(1), y_t)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"{name:6s}  train loss {loss.item():.4f}")

# %% evaluate
# Accuracy on the 500 training points and on the 500 held-out points.
def accuracy_of(net, features, X, y):
    with torch.no_grad():
        return ((net(features(X)).squeeze(1) > 0).float() == y).float().mean().item()


train_accuracy = {name: accuracy_of(net, f, X_t, y_t) for name, (net, f) in models.items()}
accuracy = {name: accuracy_of(net, f, X_test_t, y_test_t) for name, (net, f) in models.items()}
for name in models:
    print(f"{name:6s}  train accuracy {train_accuracy[name]:.4f}  held-out accuracy {accuracy[name]:.4f}")

# %% values
linear_accuracy, poly_accuracy, mlp_accuracy = accuracy["linear"], accuracy["poly"], accuracy["mlp"]
poly_train_accuracy, mlp_train_accuracy = train_accuracy["poly"], train_accuracy["mlp"]

# %% boundaries caption={"zh": "三个模型在两个交错半月上的决策区域：(a) 原始坐标上的逻辑回归（直线边界），(b) 三次特征上的逻辑回归（曲线边界），(c) MLP 2-32-32-1（学到的分段线性边界）；标题中是各自的测试准确率，横轴 x₁，纵轴 x₂", "en": "Decision regions on two interleaved half-moons: (a) logistic regression on the raw coordinates (a straight boundary), (b) on cubic features (a curved one), (c) an MLP 2-32-32-1 (a learned, piecewise linear one); each titled with its test accuracy, x₁ across and x₂ up"}
grid = np.linspace(-1.6, 2.6, 200, dtype=np.float32)
G1, G2 = np.meshgrid(grid, grid)
points = torch.from_numpy(np.c_[G1.ravel(), G2.ravel()]).to(device)
fig, axes = plt.subplots(1, 3, figsize=(10, 3.3), sharex=True, sharey=True)
for ax, letter, (name, (net, features)) in zip(axes, "abc", models.items()):
    with torch.no_grad():
        P = torch.sigmoid(net(features(points))).reshape(G1.shape).cpu().numpy()
    ax.contourf(G1, G2, P, levels=20, cmap="RdBu_r", alpha=0.7)
    ax.contour(G1, G2, P, levels=[0.5], colors="k", linewidths=1)
    ax.scatter(X_test[:, 0], X_test[:, 1], c=y_test, cmap="RdBu_r", edgecolors="k", linewidths=0.3, s=8)
    ax.set(title=f"({letter}) {accuracy[name]:.1%}", xlabel="$x_1$")
    ax.title.set_fontsize(10)
axes[0].set_ylabel("$x_2$")
fig.tight_layout()
plt.show()

# %% checks
assert mlp_accuracy >= 0.95, mlp_accuracy
assert mlp_accuracy > linear_accuracy + 0.05, (linear_accuracy, mlp_accuracy)
assert mlp_accuracy >= max(linear_accuracy, poly_accuracy), accuracy   # the page: the best held-out accuracy
linear_accuracy, poly_accuracy, mlp_accuracy
