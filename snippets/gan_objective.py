# %% [markdown] lang="zh"
# # 生成对抗网络的目标
#
# 数值计算极小极大价值函数及其最优判别器；说明为什么生成器最小化 -log D(G(z)) 而不是 log(1 - D(G(z)))；并用这两种方式各训练一个极小的一维 GAN。

# %% [markdown] lang="en"
# # The GAN objective
#
# The minimax value function and its optimal discriminator, computed numerically; why the
# generator minimises -log D(G(z)) instead of log(1 - D(G(z))); and a tiny 1-D GAN trained both ways.

# %% setup
import copy

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
rng = np.random.default_rng(0)

# %% densities
# V(D, G) = E_x~p_data[log D(x)] + E_x~p_g[log(1 - D(x))]. For a fixed G the best D is
# D*(x) = p_data(x) / (p_data(x) + p_g(x)), and V(D*, G) = -log 4 + 2 JS(p_data || p_g).
def gauss(x, mu, sigma):
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))


x = np.linspace(-10, 15, 200001)
dx = x[1] - x[0]
p_data = gauss(x, 4.0, 0.5)


def value_at_optimum(p_g):
    d_star = p_data / (p_data + p_g + 1e-300)
    return np.sum(p_data * np.log(d_star + 1e-300) + p_g * np.log(1 - d_star + 1e-300)) * dx

# %% optimal_d
def js_divergence(p, q):
    m = (p + q) / 2
    kl = lambda a, b: np.sum(np.where(a > 0, a * np.log((a + 1e-300) / (b + 1e-300)), 0.0)) * dx
    return 0.5 * kl(p, m) + 0.5 * kl(q, m)


print(" p_g              V(D*, G)   -log 4 + 2 JS")
for mu_g, sigma_g in [(0.0, 1.0), (3.0, 1.0), (4.0, 0.8), (4.0, 0.5)]:
    p_g = gauss(x, mu_g, sigma_g)
    print(f" N({mu_g}, {sigma_g}^2)  {value_at_optimum(p_g):10.4f}   {-np.log(4) + 2 * js_divergence(p_data, p_g):13.4f}")
value_at_equilibrium = float(value_at_optimum(p_data))
minus_log_4 = float(-np.log(4))
assert abs(value_at_equilibrium - minus_log_4) < 1e-6

# %% saturation
# D(G(z)) = sigmoid(a), a the discriminator's logit for a fake. The generator's gradient with
# respect to a, from autograd, for the two losses it could minimise.
print(" D(G(z))   d/da log(1 - D)   d/da -log D")
for d in (0.001, 0.01, 0.1, 0.5, 0.9):
    a = torch.tensor(np.log(d / (1 - d)), dtype=torch.float64, requires_grad=True)
    g_sat = torch.autograd.grad(torch.log1p(-torch.sigmoid(a)), a)[0].item()
    g_ns = torch.autograd.grad(-F.logsigmoid(a), a)[0].item()
    print(f" {d:7.3f}   {g_sat:15.4g}   {g_ns:11.4g}")
    if d == 0.01:
        sat_grad_at_001, ns_grad_at_001 = g_sat, g_ns
assert abs(sat_grad_at_001) < 0.02 and abs(ns_grad_at_001) > 0.98

# %% bce_is_ns
# The seed trains its generator with binary cross-entropy against the label "real" (1):
# that is exactly the non-saturating loss -log D(G(z)).
logits = torch.tensor(rng.normal(size=16))
bce_vs_ns = (F.binary_cross_entropy_with_logits(logits, torch.ones(16, dtype=torch.float64))
             - (-F.logsigmoid(logits)).mean()).abs().item()
print(f"|BCE(D(G(z)), 1) - mean(-log D(G(z)))| = {bce_vs_ns:.1e}")
assert bce_vs_ns < 1e-12

# %% gan_1d_data
# Real data N(4, 0.5^2). Generator G(z) = a z + b with z ~ N(0, 1): its samples are N(b, a^2).
data_mean, data_std, batch_size, num_steps, d_warmup_steps = 4.0, 0.5, 64, 300, 200
ones = torch.ones(batch_size, 1, dtype=torch.float64)
zeros = torch.zeros(batch_size, 1, dtype=torch.float64)


def noise(gen):
    return torch.randn(batch_size, 1, generator=gen, dtype=torch.float64)


def d_step(D, G, opt_D, gen):
    """One discriminator step: real -> 1, fake -> 0."""
    opt_D.zero_grad()
    real = data_mean + data_std * noise(gen)
    fake = G(noise(gen)).detach()                       # D's step must not update G
    (F.binary_cross_entropy_with_logits(D(real), ones)
     + F.binary_cross_entropy_with_logits(D(fake), zeros)).backward()
    opt_D.step()

# %% gan_1d_warmup
# D (a small MLP) first trains alone for d_warmup_steps against G = N(0, 1), far from
# the data, so it confidently rejects the fakes. Every run below starts from this state.
D0 = torch.nn.Sequential(torch.nn.Linear(1, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1)).double()
G0 = torch.nn.Linear(1, 1).double()
with torch.no_grad():
    G0.weight.fill_(1.0)
    G0.bias.fill_(0.0)
opt_D0 = torch.optim.Adam(D0.parameters(), lr=0.01, betas=(0.5, 0.999))
gen0 = torch.Generator().manual_seed(1)
for _ in range(d_warmup_steps):
    d_step(D0, G0, opt_D0, gen0)

# %% gan_1d_restart
def from_warmup(opt_kind, lr):
    """Copies of the warmed-up D, G, D's optimizer and noise stream; a fresh G optimizer."""
    D, G = copy.deepcopy(D0), copy.deepcopy(G0)
    opt_D = torch.optim.Adam(D.parameters(), lr=0.01, betas=(0.5, 0.999))
    opt_D.load_state_dict(copy.deepcopy(opt_D0.state_dict()))   # deep copy: torch would share the moment tensors
    opt_G = (torch.optim.SGD(G.parameters(), lr=lr) if opt_kind == "sgd"
             else torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999)))
    gen = torch.Generator()
    gen.set_state(gen0.get_state())
    return D, G, opt_D, opt_G, gen

# %% gan_1d_train
def train_gan(loss_kind, opt_kind="sgd", lr=0.05):
    """Alternate D and G steps; G minimises log(1 - D) ("saturating") or -log D."""
    D, G, opt_D, opt_G, gen = from_warmup(opt_kind, lr)
    history = []
    for step in range(num_steps):
        d_step(D, G, opt_D, gen)
        opt_G.zero_grad()
        logit = D(G(noise(gen)))
        if loss_kind == "saturating":
            loss = torch.log1p(-torch.sigmoid(logit)).mean()                # minimise log(1 - D(G(z)))
        else:
            loss = F.binary_cross_entropy_with_logits(logit, ones)          # minimise -log D(G(z))
        loss.backward()
        grad_norm = torch.cat([p.grad.flatten() for p in G.parameters()]).norm().item()
        opt_G.step()
        history.append((torch.sigmoid(logit).mean().item(), grad_norm, G.bias.item(), abs(G.weight.item())))
    return np.array(history)   # columns: mean D(G(z)), ||grad G||, generated mean, generated std

# %% gan_1d
def steps_to_mean(h, tol=0.25):
    close = np.flatnonzero(np.abs(h[:, 2] - data_mean) < tol)
    return int(close[0]) if len(close) else num_steps


runs = {(kind, opt): train_gan(kind, opt) for opt in ("sgd", "adam") for kind in ("saturating", "non-saturating")}
print(f"{'G loss':>15} {'G optim':>8} | {'D(G(z)) at 0':>12} {'|grad G| at 0':>13} | steps to |mean-4|<0.25 | mean, std at {num_steps}")
for (kind, opt), h in runs.items():
    steps = steps_to_mean(h)
    reached = f"{steps:22d}" if steps < num_steps else f"{'not within ' + str(num_steps):>22}"
    print(f"{kind:>15} {opt:>8} | {h[0, 0]:12.4f} {h[0, 1]:13.4f} | {reached} | {h[-1, 2]:.3f}, {h[-1, 3]:.3f}")

# %% gan_1d_values
# Plumbing for the page's prose, and the quality bar.
d_fake_at_start = float(runs["saturating", "sgd"][0, 0])
sat_grad_at_start = float(runs["saturating", "sgd"][0, 1])
ns_grad_at_start = float(runs["non-saturating", "sgd"][0, 1])
sat_steps_sgd = steps_to_mean(runs["saturating", "sgd"])
ns_steps_sgd = steps_to_mean(runs["non-saturating", "sgd"])
sat_steps_adam = steps_to_mean(runs["saturating", "adam"])
ns_steps_adam = steps_to_mean(runs["non-saturating", "adam"])
sat_final_mean_sgd = float(runs["saturating", "sgd"][-1, 2])
ns_final_mean_sgd = float(runs["non-saturating", "sgd"][-1, 2])
ns_final_std_sgd = float(runs["non-saturating", "sgd"][-1, 3])
ns_final_std_adam = float(runs["non-saturating", "adam"][-1, 3])
grad_ratio_at_start = ns_grad_at_start / sat_grad_at_start
assert d_fake_at_start < 0.01 and grad_ratio_at_start > 10
assert ns_steps_sgd < sat_steps_sgd

# %% plot caption={"zh": "(a) 两种生成器损失随 D(G(z)) 的变化：饱和损失 log(1 − D)（蓝）在 D 接近 0 处几乎是平的，非饱和损失 −log D（橙）在那里最陡；(b) 一维 GAN 中 G(z) 的均值随生成器步数 t 的变化，蓝色为饱和损失、橙色为非饱和损失，实线用 SGD、点线用 Adam，横线是数据的均值", "en": "(a) The two generator losses against D(G(z)): the saturating log(1 − D) (blue) is nearly flat where D is near 0, the non-saturating −log D (orange) steepest there; (b) the mean of G(z) over the generator steps t of a 1-D GAN, blue for the saturating loss and orange for the non-saturating one, solid with SGD and dotted with Adam, the horizontal line at the data mean"}
fig, (ax_loss, ax_mean) = plt.subplots(1, 2, figsize=(9.5, 3.4))
d = np.linspace(0.001, 0.999, 500)
ax_loss.plot(d, np.log(1 - d), label=r"$\log(1 - D)$")
ax_loss.plot(d, -np.log(d), label=r"$-\log D$")
ax_loss.set(xlabel=r"$D(G(z))$", ylabel=r"$\mathcal{L}_G$", title="(a)")
ax_loss.legend(fontsize=8)
for (kind, opt), h in runs.items():
    ax_mean.plot(h[:, 2], color="C0" if kind == "saturating" else "C1", ls="-" if opt == "sgd" else ":",
                 label=(r"$\log(1 - D)$" if kind == "saturating" else r"$-\log D$") + f", {opt.upper() if opt == 'sgd' else 'Adam'}")
ax_mean.axhline(data_mean, color="k", lw=0.8)
ax_mean.set(xlabel="$t$", ylabel=r"$\mathbb{E}[G(z)]$", title="(b)")
ax_mean.legend(fontsize=8)
fig.tight_layout()
plt.show()
