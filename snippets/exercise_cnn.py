# %% [markdown] lang="zh"
# # 练习：把卷积核从 3×3 换成 5×5
#
# `cnn.py` 的 `model` 单元，只把 `kernel_size=3` 改成 `kernel_size=5`，在同样的 8×8 输入上建出网络，数一数参数。这是“卷积神经网络代码”一页练习的参考答案：卷积核变大，哪一层的参数变多，哪一层的反而变少？

# %% [markdown] lang="en"
# # Exercise: a 5x5 kernel instead of 3x3
#
# `cnn.py`'s `model` cell with `kernel_size=3` changed to `kernel_size=5`, built
# for the same 8x8 input, its parameters counted.

# %% setup
import torch
from torch import nn

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
height, width = 8, 8                       # the digits' size, as cnn.py's data cell finds it

# %% model_5x5
def make_cnn(height, width):
    """Conv 5x5 (32) -> ReLU -> max pool 2 -> flatten -> linear to 10 classes."""
    features = nn.Sequential(nn.Conv2d(1, 32, kernel_size=5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())
    with torch.no_grad():       # the flatten size, from one dummy image of the input's size
        n_flat = features(torch.zeros(1, 1, height, width)).shape[1]
    return nn.Sequential(*features, nn.Linear(n_flat, 10))


net = make_cnn(height, width).to(device)
num_params = sum(p.numel() for p in net.parameters())
print(net)
print("parameters:", num_params)

# %% count
conv_params = net[0].weight.numel() + net[0].bias.numel()
n_flat = net[-1].in_features
linear_params = num_params - conv_params
print(f"conv {conv_params}, flatten {n_flat}, linear {linear_params}")
assert (conv_params, n_flat, linear_params) == (32 * 25 + 32, 32 * 2 * 2, 32 * 2 * 2 * 10 + 10)
