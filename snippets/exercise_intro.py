# %% [markdown] lang="zh"
# # 练习：从数据中学出一条直线
#
# 背景介绍一页的练习：“学习”就是调整参数 θ = (a, b)，让 f_θ(x) = a x + b 接近数据中的 y。用梯度下降最小化均方误差，再比较不同的学习率。只用 NumPy。

# %% [markdown] lang="en"
# # Exercise: learning a line from data
#
# The background page's exercise: “learning” adjusts the parameters θ = (a, b) so that
# f_θ(x) = a x + b comes close to the data's y. Gradient descent minimises the mean squared
# error; then the learning rates are compared. NumPy only.

# %% setup
import numpy as np

rng = np.random.default_rng(0)

# %% data
# 50 noisy samples of y = 2x - 1 on [-1, 1]: the rule the program must learn.
x = rng.uniform(-1, 1, size=50)
y = 2 * x - 1 + rng.normal(0, 0.1, size=50)

# %% learn
def learn(lr, num_steps=50):
    """Gradient descent on L(a, b) = mean((a x + b - y)^2), from a = b = 0."""
    a, b = 0.0, 0.0
    for step in range(num_steps):
        residual = a * x + b - y
        a, b = a - lr * 2 * np.mean(residual * x), b - lr * 2 * np.mean(residual)
    return a, b, float(np.mean((a * x + b - y) ** 2))


a, b, loss = learn(lr=0.1)
print(f"lr = 0.1: a = {a:.3f}, b = {b:.3f}, loss = {loss:.4f}")

# %% rates
# The exercise's change: the same 50 steps with other learning rates.
rate_results = {}
for lr in (0.01, 0.1, 0.5, 1.1):
    rate_results[lr] = learn(lr)
    print(f"lr = {lr:4}: a = {rate_results[lr][0]:10.3f}, b = {rate_results[lr][1]:7.3f}, "
          f"loss = {rate_results[lr][2]:.4g}")
a_slow, a_good, a_fast, a_diverged = (round(rate_results[lr][0], 3) for lr in (0.01, 0.1, 0.5, 1.1))
loss_slow, loss_good, loss_fast, loss_diverged = (rate_results[lr][2] for lr in (0.01, 0.1, 0.5, 1.1))

# %% checks
assert abs(a_good - 2) < 0.2 and loss_good < 0.05, (a_good, loss_good)
assert loss_slow > 10 * loss_good and loss_diverged > 100, (loss_slow, loss_diverged)
a_good, loss_good
