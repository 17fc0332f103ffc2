# %% [markdown] lang="zh"
# # 练习：SGD 的学习率越过 2/25
#
# `optimizers.py` 的 `quadratic` 单元，只把 SGD 的学习率从 0.07 改成 0.09（超过 2/25 = 0.08），其余不变。这是“损失函数与优化”一页练习的参考答案：学习率越过这条界线以后，梯度下降还会收敛吗？

# %% [markdown] lang="en"
# # Exercise: SGD's learning rate past 2/25
#
# `optimizers.py`'s `quadratic` cell with SGD's learning rate changed from 0.07 to
# 0.09 (past 2/25 = 0.08), nothing else changed.

# %% setup
import numpy as np


class SGD:
    """p <- p - lr * g  (as in optimizers.py)"""
    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def step(self, grads):
        for p, g in zip(self.params, grads):
            p -= self.lr * g

# %% quadratic_lr009
# An ill-conditioned bowl f(w) = (w1^2 + 25 w2^2) / 2, its gradient (w1, 25 w2).
def bowl_grad(w):
    return np.array([w[0], 25 * w[1]])


w = np.array([-9.0, 2.0])
opt = SGD([w], lr=0.09)
for _ in range(40):
    opt.step([bowl_grad(w)])
sgd_bowl = float(0.5 * (w[0] ** 2 + 25 * w[1] ** 2))
w2_factor = abs(1 - 25 * 0.09)             # each step multiplies w2 by 1 - 25 lr
print(f"SGD lr=0.09: f after 40 steps = {sgd_bowl:.3g}; |w2| grows by {w2_factor:.2f} per step")
assert sgd_bowl > 0.5 * (9.0**2 + 25 * 2.0**2), "past 2/25 the iterates must move away from the minimum"
