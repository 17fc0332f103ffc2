# %% [markdown] lang="zh"
# # 正则化的数学，逐条核对
#
# 用 PyTorch 逐条验证泛化一章数学页上的公式：SGD 的权重衰减等于 L2 正则，Adam 的不等于（于是有 AdamW）；dropout 的反向缩放让期望不变；批归一化在训练和评估时用的是不同的统计量。

# %% [markdown] lang="en"
# # The mathematics of regularisation, checked
#
# Each formula on the generalisation chapter's mathematics page, checked with PyTorch:
# weight decay in SGD is L2 regularisation, in Adam it is not (hence AdamW); dropout's
# inverted scaling keeps the expectation; batch norm uses different statistics in
# training and in evaluation.

# %% setup
import torch
from torch import nn

torch.manual_seed(0)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)       # exact comparisons: round-off far below 1e-12

# %% problem
# A small least-squares problem: L(w) = mean((X w - y)^2) / 2, and its L2-regularised
# version L(w) + lam / 2 * ||w||^2.
X, y = torch.randn(32, 5), torch.randn(32)
lr, lam, num_steps = 0.1, 0.01, 20


def data_loss(w):
    return ((X @ w - y) ** 2).mean() / 2


def l2_loss(w):
    return data_loss(w) + lam / 2 * (w ** 2).sum()


# %% run
def run(optimizer_class, loss, steps=num_steps, **options):
    """Some steps of an optimizer from the same start; returns the final weights."""
    w = torch.ones(5, requires_grad=True)
    optimizer = optimizer_class([w], lr=lr, **options)
    for _ in range(steps):
        optimizer.zero_grad()
        loss(w).backward()
        optimizer.step()
    return w.detach()


# %% sgd
# SGD: the weight_decay option and the L2 term in the loss give the same steps.
sgd_decay = run(torch.optim.SGD, data_loss, weight_decay=lam)
sgd_l2 = run(torch.optim.SGD, l2_loss)
sgd_gap = (sgd_decay - sgd_l2).abs().max().item()
print(f"SGD,  weight_decay vs L2 in the loss: equal to 1e-12: {sgd_gap < 1e-12}")

# %% adam
# Adam: its weight_decay option adds lam * w to the gradient, which is the L2 term
# again; AdamW instead shrinks w directly, outside the adaptive scaling.
adam_decay = run(torch.optim.Adam, data_loss, weight_decay=lam)
adam_l2 = run(torch.optim.Adam, l2_loss)
adamw = run(torch.optim.AdamW, data_loss, weight_decay=lam)
adam_gap = (adam_decay - adam_l2).abs().max().item()
adamw_gap = (adamw - adam_l2).abs().max().item()
print(f"Adam, weight_decay vs L2 in the loss: equal to 1e-12: {adam_gap < 1e-12}")
print(f"AdamW vs Adam with L2:                max difference {adamw_gap:.2g}")

# %% adamw_step
# One AdamW step by hand: w <- w - lr * lam * w - lr * m_hat / (sqrt(v_hat) + eps).
w0 = torch.ones(5)
g = torch.func.grad(data_loss)(w0)
beta1, beta2, eps = 0.9, 0.999, 1e-8
m_hat, v_hat = (1 - beta1) * g / (1 - beta1), (1 - beta2) * g ** 2 / (1 - beta2)
w_hand = w0 - lr * lam * w0 - lr * m_hat / (v_hat.sqrt() + eps)
w_torch = run(torch.optim.AdamW, data_loss, steps=1, weight_decay=lam)
adamw_step_gap = (w_hand - w_torch).abs().max().item()
print(f"one AdamW step, by hand vs torch: equal to 1e-12: {adamw_step_gap < 1e-12}")

# %% dropout
# Inverted dropout: in training each unit is kept with probability 1 - p and scaled
# by 1 / (1 - p), so its expectation is unchanged; eval() makes the layer the identity.
p = 0.5
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

# %% batchnorm_train
# Batch norm in training: normalise with the batch's own mean and (biased) variance,
# then update the running statistics with momentum 0.1 (running_var uses the unbiased one).
bn = nn.BatchNorm1d(3)
H = torch.randn(16, 3) * torch.tensor([1.0, 5.0, 0.2]) + torch.tensor([0.0, 10.0, -3.0])
bn.train()
out_train = bn(H)
mu, var = H.mean(dim=0), H.var(dim=0, unbiased=False)
by_hand = (H - mu) / torch.sqrt(var + bn.eps)
bn_train_gap = (out_train - by_hand).abs().max().item()
running_gap = max((bn.running_mean - 0.1 * mu).abs().max().item(),
                  (bn.running_var - (0.9 + 0.1 * H.var(dim=0))).abs().max().item())
print(f"train mode equals the formula: {bn_train_gap < 1e-9}; "
      f"running statistics equal theirs: {running_gap < 1e-12}")
print("batch mean of the output:", [round(v, 6) + 0.0 for v in out_train.mean(dim=0).tolist()])

# %% batchnorm_eval
# Batch norm in evaluation: the running statistics, so one sample's output does not
# depend on the others in its batch (and a batch of one works).
bn.eval()
out_eval = bn(H)
by_hand_eval = (H - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps)
bn_eval_gap = (out_eval - by_hand_eval).abs().max().item()
single = bn(H[:1])
batch_independent = bool(torch.allclose(single, out_eval[:1]))
print(f"eval mode equals the formula: {bn_eval_gap < 1e-9}; "
      f"first sample alone equals it in the batch: {batch_independent}")

# %% checks
assert sgd_gap < 1e-12 and adam_gap < 1e-12 and adamw_gap > 1e-4, (sgd_gap, adam_gap, adamw_gap)
assert adamw_step_gap < 1e-12 and bn_train_gap < 1e-9 and bn_eval_gap < 1e-9
assert running_gap < 1e-12 and eval_equal and batch_independent
assert abs(dropped_fraction - p) < 0.01 and abs(train_mean - 2.0) < 0.02
