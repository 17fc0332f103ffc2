# %% [markdown] lang="zh"
# # 练习：遗忘门偏置取 5
#
# `rnn.py` 的 `lstm_table` 单元里再测一个遗忘门偏置 5（权重、数据与 `rnn.py` 相同）。这是“循环连接”一页练习的参考答案：遗忘门的偏置更大，远处的梯度是不是在每个距离上都更大？

# %% [markdown] lang="en"
# # Exercise: a forget-gate bias of 5
#
# One more forget-gate bias, 5, in the `lstm_table` cell of `rnn.py` (same weights and data as `rnn.py`).

# %% setup
import numpy as np
import torch

torch.manual_seed(0)
torch.set_num_threads(1)
rng = np.random.default_rng(0)

# %% data
# As in rnn.py: the same sequences, the same v, and nn.RNN made first so that nn.LSTM gets the same weights.
num_steps, batch_size, input_size, hidden_size = 50, 8, 4, 32
X = rng.normal(size=(num_steps, batch_size, input_size))
v = rng.normal(size=hidden_size)
torch.nn.RNN(input_size, hidden_size, nonlinearity="tanh")
lstm = torch.nn.LSTM(input_size, hidden_size).double()


# %% lstm_gradient
def lstm_state_grad_norms(forget_bias=None):
    """||dL/dh_(T-k)|| / ||dL/dh_T|| through the LSTM, as in rnn.py."""
    cell = torch.nn.LSTMCell(input_size, hidden_size).double()
    cell.load_state_dict({k.replace("_l0", ""): p for k, p in lstm.state_dict().items()})
    if forget_bias is not None:
        with torch.no_grad():
            cell.bias_ih[hidden_size:2 * hidden_size] = forget_bias
            cell.bias_hh[hidden_size:2 * hidden_size] = 0.0
    h = c = torch.zeros(batch_size, hidden_size, dtype=torch.float64)
    hs = []
    for x_t in torch.tensor(X):
        h, c = cell(x_t, (h, c))
        h.retain_grad()
        hs.append(h)
    (hs[-1] @ torch.tensor(v)).sum().backward()
    norms = np.array([h.grad.norm().item() for h in hs])[::-1]
    return norms / norms[0]


# %% lstm_table
ratios = {fb: lstm_state_grad_norms(forget_bias=fb) for fb in (3.0, 5.0)}   # the change: 5 added
for fb, r in ratios.items():
    print(f"forget bias {fb:.0f}: f = {1 / (1 + np.exp(-fb)):.4f}   k=10 {r[10]:.3e}   k=30 {r[30]:.3e}   k=49 {r[49]:.3e}")
fb3_ratio_30, fb5_ratio_30 = float(ratios[3.0][30]), float(ratios[5.0][30])
fb3_ratio_49, fb5_ratio_49 = float(ratios[3.0][49]), float(ratios[5.0][49])
forget_gate_at_5 = float(1 / (1 + np.exp(-5.0)))
assert min(fb3_ratio_30, fb5_ratio_30) > 1e-3, (fb3_ratio_30, fb5_ratio_30)   # both keep the gradient alive
