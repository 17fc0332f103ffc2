# %% [markdown] lang="zh"
# # 测验题生成：泛化
#
# 每个带标题的单元生成泛化一章一道测验题的若干变体，并以 JSON 打印出来。正确答案是 torch 算出的结果（`nn.Dropout`、`torch.optim.SGD`）；每个错误选项是犯了某个典型错误之后算出的结果，并标注了这个错误。

# %% [markdown] lang="en"
# # Quiz generators: generalisation
#
# Each titled cell generates the variants of one question of the generalisation chapter
# and prints them as JSON. The answer is what torch computes (`nn.Dropout`,
# `torch.optim.SGD`); every wrong option is the result of a typical mistake, labelled with it.

# %% setup
import numpy as np
import torch
from torch import nn

from quizgen import emit, generate, variant

torch.manual_seed(0)
torch.set_num_threads(1)
seed = 0


# %% dropout_kept
# nn.Dropout(p) in training mode on a tensor of one value h: what the surviving entries become.
def dropout_kept(rng):
    p, h = float(rng.choice([0.1, 0.2, 0.25, 0.5, 0.75, 0.8])), float(rng.choice([1.0, 2.0, 3.0, 6.0]))
    drop = nn.Dropout(p).train()
    out = drop(torch.full((1000,), h, dtype=torch.float64))
    kept = round(out.max().item(), 6)
    return variant({"p": p, "h": h}, kept,
                   {"no_scale": h,                                    # survivors left as they were
                    "times_keep": round(h * (1 - p), 6),              # multiplied by 1 - p (eval-time scaling)
                    "divide_p": round(h / p, 6)})                     # divided by p instead of 1 - p


dropout_kept_variants = generate(dropout_kept, np.random.default_rng(seed + 1), distinct=3)
emit(dropout_kept_variants)


# %% decay_step
# One step of torch.optim.SGD with weight_decay on the loss g * w.
def decay_step(rng):
    w0, g = float(rng.choice([1.0, 2.0, -1.0, 4.0])), float(rng.choice([0.5, 1.0, -2.0]))
    lr, lam = float(rng.choice([0.1, 0.5])), float(rng.choice([0.1, 0.2, 0.5]))
    w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, weight_decay=lam)
    (g * w).backward()
    optimizer.step()
    return variant({"w": w0, "g": g, "lr": lr, "lam": lam}, round(w.item(), 6),
                   {"no_decay": round(w0 - lr * g, 6),                # weight decay left out
                    "no_lr_on_decay": round(w0 - lr * g - lam * w0, 6),  # decay not scaled by lr
                    "decay_grows": round(w0 - lr * (g - lam * w0), 6)})  # the decay's sign flipped


decay_step_variants = generate(decay_step, np.random.default_rng(seed + 2), distinct=3)
emit(decay_step_variants)
