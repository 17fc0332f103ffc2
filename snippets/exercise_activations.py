# %% [markdown] lang="zh"
# # 练习：深度减半时的梯度消失
#
# 与 `activations.py` 的 `deep_net` 到 `vanishing` 单元相同，只把 `depth` 从 20 改成 10。这是“激活函数”一页练习的参考答案：网络浅了一半，第一层的梯度还会消失得那么厉害吗？

# %% [markdown] lang="en"
# # Exercise: vanishing gradients at half the depth
#
# The same as the `deep_net` to `vanishing` cells of `activations.py`, with `depth` changed from 20 to 10.
# It is the worked answer to an exercise on the activation functions page: with half as many layers,
# does the first layer's gradient still vanish as badly?

# %% setup
import numpy as np

rng = np.random.default_rng(0)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# %% deep_net
depth, width, batch_size = 10, 64, 128   # the change: depth 20 -> 10
X = rng.normal(size=(batch_size, width))
y = rng.normal(size=(batch_size, width))


def make_weights(rng):
    return [rng.normal(0, np.sqrt(1.0 / width), size=(width, width)) for _ in range(depth)]


# %% forward_backward
def sigmoid_layer_norms(Ws, X, y):
    """Forward through every sigmoid layer (H W^T), MSE at the top, backprop; ||dL/dW_l|| per layer."""
    Hs, H = [], X
    for W in Ws:
        Hs.append(H)
        H = sigmoid(H @ W.T)
    dH, norms = (H - y) / len(X), []
    for W, H_in in zip(reversed(Ws), reversed(Hs)):
        S = sigmoid(H_in @ W.T)
        dZ = dH * S * (1 - S)
        norms.append(np.linalg.norm(dZ.T @ H_in))
        dH = dZ @ W
    return norms[::-1]


# %% vanishing
grad_norms = sigmoid_layer_norms(make_weights(np.random.default_rng(1)), X, y)
sigmoid_first_last_ratio = grad_norms[0] / grad_norms[-1]
sigmoid_per_layer_factor = sigmoid_first_last_ratio ** (1 / (depth - 1))
print(f"sigmoid, depth {depth}: ||dL/dW_1|| / ||dL/dW_{depth}|| = {sigmoid_first_last_ratio:.3e}")
print(f"the gradient shrinks by a factor {sigmoid_per_layer_factor:.3f} per layer on average")
assert sigmoid_first_last_ratio < 1e-3, sigmoid_first_last_ratio
