# %% [markdown] lang="zh"
# # 测验题生成：形状、参数与计算量
#
# 每个带标题的单元生成一道测验题的若干变体，并以 JSON 打印出来；测验从这个笔记本的记录中读取它们。正确答案是 torch 算出的结果。每个错误选项是 torch（或公式）在犯了某个典型错误之后算出的结果，例如忘了填充、把向下取整换成向上取整、丢掉批维度或漏掉偏置，并带有这个错误的标签。

# %% [markdown] lang="en"
# # Quiz generators: shapes, parameters and FLOPs
#
# Each titled cell generates the variants of one quiz question and prints them as
# JSON; the quiz reads them from this notebook's record. The answer is what torch
# computes. Every wrong option is what torch (or the formula) computes after a
# typical mistake, such as forgetting the padding, replacing floor by ceil, dropping
# the batch dimension or leaving out the bias, and carries that mistake's label.

# %% setup
import math

import numpy as np
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from quizgen import NUM_VARIANTS as num_variants, count, emit, generate, variant

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
seed = 0


def shape(tensor):
    return str(tuple(tensor.shape))


# %% conv_shape
# The output shape of nn.Conv2d on a batch, where padding, stride and floor all matter.
def conv_shape(rng):
    batch, c_in, c_out = (int(rng.choice(c)) for c in ([4, 8, 16], [1, 3], [8, 16, 32]))
    size, k, s, p = int(rng.choice([15, 28, 31, 32])), int(rng.choice([3, 5])), 2, int(rng.choice([1, 2]))
    if (size + 2 * p - k) % s == 0:
        return None  # floor and ceil would agree
    x = torch.zeros(batch, c_in, size, size)
    conv = nn.Conv2d(c_in, c_out, k, stride=s, padding=p)
    side_ceil = math.ceil((size + 2 * p - k) / s) + 1
    with torch.no_grad():
        return variant(
            {"input": str((batch, c_in, size, size)), "c_in": c_in, "c_out": c_out, "k": k, "s": s, "p": p},
            shape(conv(x)),
            {"no_padding": shape(nn.Conv2d(c_in, c_out, k, stride=s)(x)),
             "ceil": str((batch, c_out, side_ceil, side_ceil)),
             "no_batch": shape(conv(x[0])),                       # an unbatched input: (C, H, W) out
             "no_stride": shape(nn.Conv2d(c_in, c_out, k, padding=p)(x))})


conv_shape_variants = generate(conv_shape, np.random.default_rng(seed + 1), distinct=3)
emit(conv_shape_variants)

# %% pool_size
# The side of a max-pooled feature map, with overlapping windows (stride < kernel).
def pool_size(rng):
    size, k, s = int(rng.choice([13, 14, 27, 28, 55, 56])), int(rng.choice([3, 5])), 2
    if (size - k) % s == 0:
        return None
    x = torch.zeros(1, 1, size, size)
    return variant(
        {"size": size, "k": k, "s": s},
        nn.MaxPool2d(k, stride=s)(x).shape[-1],
        {"ceil": nn.MaxPool2d(k, stride=s, ceil_mode=True)(x).shape[-1],
         "no_floor": (size - k) / s + 1,
         "stride_one": nn.MaxPool2d(k, stride=1)(x).shape[-1]})


pool_size_variants = generate(pool_size, np.random.default_rng(seed + 2), distinct=3)
emit(pool_size_variants)

# %% conv_params
# Parameters of one conv layer: C_out (C_in k^2 + 1).
def conv_params(rng):
    c_in, c_out, k = int(rng.choice([1, 3, 8, 16])), int(rng.choice([8, 16, 32, 64])), int(rng.choice([3, 5]))
    return variant(
        {"c_in": c_in, "c_out": c_out, "k": k},
        count(nn.Conv2d(c_in, c_out, k)),
        {"no_bias": count(nn.Conv2d(c_in, c_out, k, bias=False)),
         "no_channels": count(nn.Conv2d(1, c_out, k)),               # one input channel assumed
         "kernel_not_squared": count(nn.Conv1d(c_in, c_out, k))})     # k weights per channel, not k x k


conv_params_variants = generate(conv_params, np.random.default_rng(seed + 3), distinct=2)
emit(conv_params_variants)

# %% seed_cnn_params
# The seed's Keras CNN (Conv2D(32, 3x3), MaxPooling2D(2), Flatten, Dense(10)) written in torch,
# for several input sizes: the dense layer's input is found by running the layers, as Keras does.
def seed_cnn(size, pool=True, bias=True, padding=0):
    features = [nn.Conv2d(1, 32, 3, padding=padding, bias=bias), nn.ReLU()] + ([nn.MaxPool2d(2)] if pool else [])
    flat = nn.Sequential(*features, nn.Flatten())(torch.zeros(1, 1, size, size)).shape[1]
    return nn.Sequential(*features, nn.Flatten(), nn.Linear(flat, 10, bias=bias))


def seed_cnn_params(rng):
    size = int(rng.choice([8, 12, 16, 20, 28]))
    return variant(
        {"size": size},
        count(seed_cnn(size)),
        {"no_pool": count(seed_cnn(size, pool=False)),
         "no_bias": count(seed_cnn(size, bias=False)),
         "same_padding": count(seed_cnn(size, padding=1))})


seed_cnn_params_variants = generate(seed_cnn_params, np.random.default_rng(seed + 4), distinct=3)
emit(seed_cnn_params_variants)

# %% batch_shape
# Grey images as a NumPy array (N, H, W): the tensor nn.Conv2d expects is (N, C, H, W).
def batch_shape(rng):
    n, side = int(rng.choice([32, 64, 100, 256])), int(rng.choice([8, 28]))
    X = np.zeros((n, side, side), dtype=np.float32)
    return variant(
        {"n": n, "side": side},
        shape(torch.from_numpy(X)[:, None]),
        {"no_channel": shape(torch.from_numpy(X)),
         "channels_last": shape(torch.from_numpy(X)[..., None]),      # Keras' layout
         "no_batch": shape(torch.from_numpy(X[0])[None])})


batch_shape_variants = generate(batch_shape, np.random.default_rng(seed + 5), distinct=3)
emit(batch_shape_variants)

# %% dense_vs_conv
# A dense layer with the same input and output shape as Conv2d(1, C, 3) on an n x n image.
def dense_vs_conv(rng):
    size, c_out = int(rng.choice([8, 10, 12, 16])), int(rng.choice([8, 16, 32]))
    out = nn.Conv2d(1, c_out, 3)(torch.zeros(1, 1, size, size)).numel()
    return variant(
        {"size": size, "c_out": c_out},
        count(nn.Linear(size * size, out)),
        {"no_bias": count(nn.Linear(size * size, out, bias=False)),
         "same_size": count(nn.Linear(size * size, c_out * size * size)),   # forgot that the output shrinks
         "conv_count": count(nn.Conv2d(1, c_out, 3))})                      # counted the shared kernel instead


dense_vs_conv_variants = generate(dense_vs_conv, np.random.default_rng(seed + 6), distinct=3)
emit(dense_vs_conv_variants)

# %% conv_flops
# Forward FLOPs of one conv layer on one image, counted by torch's FlopCounterMode
# (a multiply-add counts as 2).
def conv_flops(rng):
    c_in, c_out, size, k = int(rng.choice([1, 3, 8])), int(rng.choice([8, 16, 32])), int(rng.choice([8, 16, 28])), 3
    conv = nn.Conv2d(c_in, c_out, k, bias=False)
    with FlopCounterMode(display=False) as counter:
        conv(torch.zeros(1, c_in, size, size))
    flops = counter.get_total_flops()
    side = size - k + 1
    return variant(
        {"c_in": c_in, "c_out": c_out, "size": size, "k": k},
        flops,
        {"macs": c_out * c_in * k * k * side * side,                        # a multiply-add counted once
         "per_weight": 2 * count(conv),                                     # each weight used once, as in a dense layer
         "input_positions": 2 * c_out * c_in * k * k * size * size})        # positions of the input, not the output


conv_flops_variants = generate(conv_flops, np.random.default_rng(seed + 7), distinct=3)
emit(conv_flops_variants)

# %% missing_flatten tags=["raises-exception"]
# The seed's dense layer expects 32 * 13 * 13 features; without Flatten it gets a 4-D tensor.
dense = nn.Linear(32 * 13 * 13, 10)
features = nn.MaxPool2d(2)(nn.Conv2d(1, 32, 3)(torch.zeros(1, 1, 28, 28)))
dense(features)

# %% checks
# Every generated answer is what torch computes, and no wrong option equals it.
all_variants = [conv_shape_variants, pool_size_variants, conv_params_variants, seed_cnn_params_variants,
                batch_shape_variants, dense_vs_conv_variants, conv_flops_variants]
assert all(len(vs) == num_variants for vs in all_variants)
assert all(d["value"] != v["answer"] for vs in all_variants for v in vs for d in v["distractors"])
num_generated = sum(len(vs) for vs in all_variants)
num_generated
