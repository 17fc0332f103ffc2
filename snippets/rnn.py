# %% [markdown] lang="zh"
# # 循环连接
#
# 用 NumPy 实现 RNN 的单步计算和随时间反向传播，并与 `torch.nn.RNN` 核对；逐步测量梯度消失；再用相同的权重，把 LSTM 的各个门与 `torch.nn.LSTM` 核对。

# %% [markdown] lang="en"
# # Recurrent connections
#
# The RNN step and backpropagation through time written in NumPy and checked against
# `torch.nn.RNN`; the vanishing gradient measured step by step; the LSTM gates checked
# against `torch.nn.LSTM` with the same weights.

# %% setup
import matplotlib.pyplot as plt
import numpy as np
import torch
from algo_figures import draw_lstm_cell   # plotting only (a local module)

torch.manual_seed(0)
torch.set_num_threads(1)
rng = np.random.default_rng(0)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% data
# A batch of random sequences: num_steps time steps, batch_size sequences, input_size features.
num_steps, batch_size, input_size, hidden_size = 50, 8, 4, 32
X = rng.normal(size=(num_steps, batch_size, input_size))
v = rng.normal(size=hidden_size)   # the loss reads the last state only: L = sum_n v . h_T[n]
X.shape

# %% rnn_forward
def rnn_forward(X, W, U, b, h0=None):
    """h_t = tanh(W x_t + U h_{t-1} + b) for t = 1..T; returns all states (T, N, hidden)."""
    h = np.zeros((X.shape[1], U.shape[0])) if h0 is None else h0
    H = []
    for x_t in X:
        h = np.tanh(x_t @ W.T + h @ U.T + b)
        H.append(h)
    return np.stack(H)


# %% torch_rnn
# torch.nn.RNN computes the same step with W = weight_ih_l0, U = weight_hh_l0 and two biases.
rnn = torch.nn.RNN(input_size, hidden_size, nonlinearity="tanh").double().to(device)
W = rnn.weight_ih_l0.detach().cpu().numpy()
U = rnn.weight_hh_l0.detach().cpu().numpy()
b = (rnn.bias_ih_l0 + rnn.bias_hh_l0).detach().cpu().numpy()
H = rnn_forward(X, W, U, b)
t_X = torch.tensor(X, device=device, requires_grad=True)
t_H, t_hT = rnn(t_X)
rnn_max_diff = float(np.max(np.abs(H - t_H.detach().cpu().numpy())))
rnn_num_params = sum(p.numel() for p in rnn.parameters())
print(f"states {H.shape}; max |numpy - nn.RNN| = {rnn_max_diff:.1e}")
assert rnn_max_diff < 1e-12, rnn_max_diff

# %% bptt
def rnn_backward(X, H, W, U, dH_T):
    """Backpropagation through time from dL/dh_T: returns dW, dU, db, dL/dx_t and dL/dh_t for every t."""
    T = len(X)
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros(U.shape[0])
    dX, dHs = np.zeros_like(X), np.zeros_like(H)
    dh = dH_T
    for t in reversed(range(T)):
        dHs[t] = dh
        h_prev = H[t - 1] if t > 0 else np.zeros_like(H[0])
        da = dh * (1 - H[t] ** 2)      # through tanh
        dW += da.T @ X[t]
        dU += da.T @ h_prev
        db += da.sum(axis=0)
        dX[t] = da @ W                 # to the input of step t
        dh = da @ U                    # to the previous state: multiply by U^T diag(tanh')
    return dW, dU, db, dX, dHs


# %% bptt_check
# The loss reads the last state only; autograd on nn.RNN must give the same gradients.
dW, dU, db, dX, dHs = rnn_backward(X, H, W, U, np.tile(v, (batch_size, 1)))
loss = (t_hT[0] @ torch.tensor(v, device=device)).sum()
loss.backward()
bptt_max_diff = max(
    float(np.max(np.abs(dW - rnn.weight_ih_l0.grad.cpu().numpy()))),
    float(np.max(np.abs(dU - rnn.weight_hh_l0.grad.cpu().numpy()))),
    float(np.max(np.abs(db - rnn.bias_ih_l0.grad.cpu().numpy()))),
    float(np.max(np.abs(dX - t_X.grad.cpu().numpy()))),
)
print(f"max |BPTT by hand - autograd| over dW, dU, db, dX = {bptt_max_diff:.1e}")
assert bptt_max_diff < 1e-12, bptt_max_diff

# %% vanishing
# ||dL/dh_t|| as we go back from the last step, for recurrent matrices U of spectral radius rho.
lags = np.arange(num_steps)
state_grad_norms = {}
for rho in (0.5, 1.0, 2.0):
    G = np.random.default_rng(1).normal(size=(hidden_size, hidden_size))
    U_rho = rho * G / np.max(np.abs(np.linalg.eigvals(G)))
    H_rho = rnn_forward(X, W, U_rho, b)
    *_, dHs_rho = rnn_backward(X, H_rho, W, U_rho, np.tile(v, (batch_size, 1)))
    norms = np.linalg.norm(dHs_rho, axis=(1, 2))[::-1]   # index = steps back from T
    state_grad_norms[f"RNN rho={rho}"] = norms / norms[0]

# %% vanishing_table
# The same measurement for torch's default U (the nn.RNN above), and the ratios k steps back.
default_norms = np.linalg.norm(dHs, axis=(1, 2))[::-1]
state_grad_norms["RNN torch init"] = default_norms / default_norms[0]
default_rho = float(np.max(np.abs(np.linalg.eigvals(U))))
print(f"spectral radius of torch's default U: {default_rho:.3f}")
print("||dL/dh_(T-k)|| / ||dL/dh_T||")
print("k      " + "".join(f"{name:>16}" for name in state_grad_norms))
for k in (1, 5, 10, 20, 30, 49):
    print(f"{k:<7d}" + "".join(f"{norms[k]:16.3e}" for norms in state_grad_norms.values()))
rnn_grad_ratio_10 = float(state_grad_norms["RNN torch init"][10])
rnn_grad_ratio_49 = float(state_grad_norms["RNN torch init"][49])
rho1_grad_ratio_49 = float(state_grad_norms["RNN rho=1.0"][49])
rho2_grad_ratio_49 = float(state_grad_norms["RNN rho=2.0"][49])
assert rnn_grad_ratio_10 < 1e-2, rnn_grad_ratio_10

# %% lstm_forward
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_forward(X, W_x, W_h, b):
    """W_x: (4h, d), W_h: (4h, h), b: (4h,), gates stacked in torch's order i, f, g, o."""
    n, hs = X.shape[1], W_h.shape[1]
    h, c = np.zeros((n, hs)), np.zeros((n, hs))
    Hs = []
    for x_t in X:
        a = x_t @ W_x.T + h @ W_h.T + b
        i, f, g, o = sigmoid(a[:, :hs]), sigmoid(a[:, hs:2 * hs]), np.tanh(a[:, 2 * hs:3 * hs]), sigmoid(a[:, 3 * hs:])
        c = f * c + i * g            # forget part of the old cell, write the new candidate
        h = o * np.tanh(c)           # expose part of the cell
        Hs.append(h)
    return np.stack(Hs), c


# %% lstm_check
# torch.nn.LSTM's random weights copied into NumPy: every h_t and the last c_T must agree.
lstm = torch.nn.LSTM(input_size, hidden_size).double().to(device)
W_x = lstm.weight_ih_l0.detach().cpu().numpy()
W_h = lstm.weight_hh_l0.detach().cpu().numpy()
b_lstm = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().cpu().numpy()
H_lstm, c_T = lstm_forward(X, W_x, W_h, b_lstm)
t_H_lstm, (t_h_T, t_c_T) = lstm(torch.tensor(X, device=device))
lstm_max_diff = max(float(np.max(np.abs(H_lstm - t_H_lstm.detach().cpu().numpy()))),
                    float(np.max(np.abs(c_T - t_c_T[0].detach().cpu().numpy()))))
lstm_num_params = sum(p.numel() for p in lstm.parameters())   # 4 gates x (W_x, W_h, two biases)
print(f"weights: W_x {W_x.shape}, W_h {W_h.shape}; {lstm_num_params} parameters in nn.LSTM")
print(f"max |numpy - nn.LSTM| over h_t and c_T = {lstm_max_diff:.1e}")
assert lstm_max_diff < 1e-12, lstm_max_diff

# %% lstm_cell caption={"zh": "LSTM 的一步，形状取自本页的 nn.LSTM 和这次运行：遗忘门、输入门、输出门（σ）与候选记忆（tanh）都由当前输入和上一步的隐藏状态算出；上方的直线是记忆单元，只经过逐元素乘法和加法；四个门的权重按 i, f, g, o 堆叠在 weight_ih_l0 与 weight_hh_l0 里", "en": "One LSTM step, with the shapes of this page's nn.LSTM and this run: the forget, input and output gates (σ) and the candidate (tanh) are computed from the current input and the previous hidden state; the straight line on top is the cell state, touched only by elementwise products and a sum; the four gates' weights are stacked as i, f, g, o in weight_ih_l0 and weight_hh_l0"}
# The real weights and states of the nn.LSTM above: x_1, and h_T, c_T as the step's outputs.
draw_lstm_cell(W_x, W_h, X[0], H_lstm[-1], c_T)
plt.show()

# %% lstm_gradient
# The same measurement through the LSTM (a step-by-step loop keeps every h_t), optionally with b_f set.
def lstm_state_grad_norms(forget_bias=None):
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
state_grad_norms["LSTM torch init"] = lstm_state_grad_norms()
state_grad_norms["LSTM forget bias 1"] = lstm_state_grad_norms(forget_bias=1.0)
state_grad_norms["LSTM forget bias 3"] = lstm_state_grad_norms(forget_bias=3.0)
for name in ("RNN torch init", "LSTM torch init", "LSTM forget bias 1", "LSTM forget bias 3"):
    print(f"{name:>18}: k=10 {state_grad_norms[name][10]:.3e}   k=30 {state_grad_norms[name][30]:.3e}")
lstm_grad_ratio_10 = float(state_grad_norms["LSTM torch init"][10])
lstm_grad_ratio_30 = float(state_grad_norms["LSTM torch init"][30])
forget_gate_at_bias = [float(sigmoid(b)) for b in (0.0, 1.0, 3.0)]   # f = sigmoid(bias) when inputs are small
lstm_fb_grad_ratio_10 = float(state_grad_norms["LSTM forget bias 1"][10])
lstm_fb_grad_ratio_30 = float(state_grad_norms["LSTM forget bias 1"][30])
lstm_fb3_grad_ratio_10 = float(state_grad_norms["LSTM forget bias 3"][10])
lstm_fb3_grad_ratio_30 = float(state_grad_norms["LSTM forget bias 3"][30])
rnn_grad_ratio_30 = float(state_grad_norms["RNN torch init"][30])
assert rnn_grad_ratio_30 < lstm_fb_grad_ratio_30 < lstm_fb3_grad_ratio_30

# %% plot caption={"zh": "梯度传回 k 步之前（横轴）时的相对大小（纵轴，对数坐标）：谱半径 ρ(U) 不同的 RNN（实线）和遗忘门偏置 b_f 不同的 LSTM（虚线）", "en": "How much gradient reaches k steps back (horizontal) relative to the last step (vertical, log scale): RNNs with different spectral radii ρ(U) (solid) and LSTMs with different forget-gate biases b_f (dashed)"}
fig, ax = plt.subplots(figsize=(7, 3.4))
labels = {"RNN torch init": r"RNN $\rho(U) = %.2f$" % default_rho, "LSTM torch init": r"LSTM $b_f \approx 0$"}
for name, norms in state_grad_norms.items():
    kind, setting = name.split(" ", 1)
    value = setting.split("=")[-1].split()[-1]       # "rho=0.5" -> 0.5, "forget bias 3" -> 3
    label = labels.get(name, (r"RNN $\rho(U) = %s$" if kind == "RNN" else r"LSTM $b_f = %s$") % value)
    ax.semilogy(lags, norms, "--" if kind == "LSTM" else "-", label=label)
ax.set(xlabel="$k$", ylabel=r"$\Vert \partial L / \partial h_{T-k} \Vert \ / \ \Vert \partial L / \partial h_T \Vert$",
       ylim=(1e-16, 1e3))
ax.legend(fontsize=8, ncol=2)
fig.tight_layout()
plt.show()
