# %% [markdown] lang="zh"
# # 修正后的 GAN：圆环上的八个高斯，五个种子
#
# 让原文的生成器/判别器代码跑起来：定义两个网络，各配一个优化器，训练判别器时假样本标为 0，训练生成器时标为 1。数据是圆环上 8 个高斯组成的二维混合分布，因此可以数出生成器覆盖了 8 个模式中的几个。GAN 的结果随种子变化，所以同时训练种子 0 到 4 的五个 GAN，报告覆盖率的平均值和最差值，断言也针对这个比率。

# %% [markdown] lang="en"
# # The seed's GAN, fixed: a ring of 8 Gaussians, five seeds
#
# The seed's generator/discriminator listing made to run: both networks defined,
# one optimizer each, fakes labelled 0 for the discriminator and 1 for the
# generator. The data is a 2-D mixture of 8 Gaussians on a ring, so we can count
# how many of the 8 modes the generator covers. A GAN's outcome depends on its
# seed, so five GANs (seeds 0 to 4) train at once, and the mean and the worst
# coverage over them are reported and asserted.

# %% setup
import math
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
seeds = [0, 1, 2, 3, 4]        # one GAN per seed, trained side by side
num_seeds = len(seeds)

# %% data
num_modes, radius, sigma = 8, 2.0, 0.05
angles = torch.arange(num_modes) * 2 * math.pi / num_modes
centres = radius * torch.stack([torch.cos(angles), torch.sin(angles)], dim=1).to(device)


def sample_real(*shape):
    """Points of the given batch shape: a random centre each, plus N(0, sigma^2) noise."""
    idx = torch.randint(0, num_modes, shape, device=device)
    return centres[idx] + sigma * torch.randn(*shape, 2, device=device)


X = sample_real(2000)
print(torch.round(centres.cpu(), decimals=3) + 0.0)  # + 0.0 turns -0.0 into 0.0
X.shape

# %% model
latent_dim, num_hidden, batch_size = 2, 64, 128


def make_generator():
    """Noise z (latent_dim) -> a point in the plane."""
    return nn.Sequential(
        nn.Linear(latent_dim, num_hidden), nn.ReLU(),
        nn.Linear(num_hidden, num_hidden), nn.ReLU(),
        nn.Linear(num_hidden, 2))


def make_discriminator():
    """A point -> one logit: large means “real”."""
    return nn.Sequential(
        nn.Linear(2, num_hidden), nn.LeakyReLU(0.2),
        nn.Linear(num_hidden, num_hidden), nn.LeakyReLU(0.2),
        nn.Linear(num_hidden, 1))


print(make_generator())
print(make_discriminator())

# %% stack
class StackedLinear(nn.Module):
    """Several independent nn.Linear layers, one per seed, applied in one call:
    x (num_seeds, batch, d_in) -> x W^T + b, with W (num_seeds, d_out, d_in)."""

    def __init__(self, layers):
        super().__init__()
        self.weight = nn.Parameter(torch.stack([layer.weight.detach() for layer in layers]))
        self.bias = nn.Parameter(torch.stack([layer.bias.detach() for layer in layers])[:, None])

    def forward(self, x):
        return torch.baddbmm(self.bias, x, self.weight.transpose(1, 2))


def stack(models):
    """Same-shaped nn.Sequential models -> one whose Linear layers are stacked."""
    return nn.Sequential(*[StackedLinear([m[i] for m in models]) if isinstance(layer, nn.Linear)
                           else layer for i, layer in enumerate(models[0])])

# %% build
generators, discriminators = [], []
for seed in seeds:
    torch.manual_seed(seed)              # seed s: the networks torch.manual_seed(s) would give
    generators.append(make_generator())
    discriminators.append(make_discriminator())
generator = stack(generators).to(device)
discriminator = stack(discriminators).to(device)
num_params = sum(p.numel() for m in (generators[0], discriminators[0]) for p in m.parameters())
print(generator(torch.zeros(num_seeds, 3, latent_dim, device=device)).shape)  # (seeds, batch, 2)
num_params

# %% coverage
def mode_coverage(samples, min_share=0.02):
    """Per run: how many modes hold >= min_share of the samples within 3 sigma of
    their centre, and the share of samples within 3 sigma of some centre."""
    near = torch.cdist(samples, centres) < 3 * sigma     # (..., n, 8) booleans
    per_mode = near.float().mean(dim=-2)
    return (per_mode >= min_share).sum(dim=-1), near.any(dim=-1).float().mean(dim=-1)


real_modes, real_share = (float(t) for t in mode_coverage(X))  # the real data, for reference
print(f"real data: {real_modes:.0f} modes covered, {real_share:.1%} within 3 sigma of a mode")

# %% optimizers
def bce(logits, label):
    """Binary cross-entropy with logits, averaged within each seed's batch and summed
    over seeds: each seed's gradient is exactly the one it would get alone."""
    targets = torch.full_like(logits, label)
    return nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction="none").mean(dim=(1, 2)).sum()


lr = 1e-3
G_optimizer = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
D_optimizer = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999))

# %% record
num_steps, check_every = 3000, 250
snapshot_steps = (0, 500, 1000, 2000, num_steps)
z_eval = torch.randn(num_seeds, 2000, latent_dim, generator=torch.Generator().manual_seed(1)).to(device)
snapshots, history = {}, []


def record(step):
    """Every check_every steps: each seed's coverage on the fixed noise z_eval;
    at the snapshot steps, seed 0's points too."""
    if step % check_every:
        return
    with torch.no_grad():
        samples = generator(z_eval)
    history.append((step, *(t.tolist() for t in mode_coverage(samples))))
    if step in snapshot_steps:
        snapshots[step] = samples[0].cpu().numpy()

# %% gan_step
def gan_step(X, z):
    """One discriminator step, then one generator step, for every seed at once."""
    fake = generator(z)
    # Discriminator: real -> 1, fake -> 0. detach(): this step must not update G.
    D_optimizer.zero_grad()
    loss_d = bce(discriminator(X), 1.0) + bce(discriminator(fake.detach()), 0.0)
    loss_d.backward()
    D_optimizer.step()
    # Generator: make D call the fakes real (the non-saturating loss).
    G_optimizer.zero_grad()
    loss_g = bce(discriminator(fake), 1.0)
    loss_g.backward()
    G_optimizer.step()
    return loss_d.detach() / num_seeds, loss_g.detach() / num_seeds   # mean over seeds

# %% train tags=["volatile"]
# A GAN amplifies every rounding difference: on another CPU (or on CUDA) each seed's
# losses and coverage come out differently, so `execdoc check` compares this cell's
# numbers by shape only ("volatile"). The strict part is the rate asserted below.
start_seconds = time.perf_counter()
record(0)
for step in range(1, num_steps + 1):
    X = sample_real(num_seeds, batch_size)
    z = torch.randn(num_seeds, batch_size, latent_dim, device=device)
    loss_d, loss_g = gan_step(X, z)
    record(step)
    if step % 1000 == 0:
        print(f"step {step:5d}  loss_d {loss_d:.4f}  loss_g {loss_g:.4f}  modes per seed {history[-1][1]}")
train_seconds = time.perf_counter() - start_seconds
final_loss_d, final_loss_g = float(loss_d), float(loss_g)

# %% evaluate tags=["volatile"]
# Which seed covers how many modes changes with the machine, like the losses:
# numbers checked by shape only. The rate below is the strict part.
with torch.no_grad():
    z = torch.randn(num_seeds, 2000, latent_dim, generator=torch.Generator().manual_seed(2)).to(device)
    modes, shares = mode_coverage(generator(z))
modes_per_seed, share_per_seed = modes.tolist(), shares.tolist()
print("seed | modes covered (of 8) | share within 3 sigma")
for seed, m, s in zip(seeds, modes_per_seed, share_per_seed):
    print(f"{seed} | {m} | {s:.1%}")
mean_modes, worst_modes = float(np.mean(modes_per_seed)), min(modes_per_seed)
mean_share, worst_share = float(np.mean(share_per_seed)), min(share_per_seed)
print(f"mean | {mean_modes:.1f} | {mean_share:.1%}")
print(f"worst | {worst_modes} | {worst_share:.1%}")

# %% rate
# The quality bar, on the rate over the seeds (not on one chosen seed): a fresh set of
# seeds, or another machine, passes it too.
assert mean_modes >= 6, f"mean coverage {mean_modes} modes of {num_modes} over seeds {seeds}"
assert worst_modes >= 4, f"the worst seed covered only {worst_modes} modes of {num_modes}"
assert mean_share >= 0.5, f"on average only {mean_share:.1%} of samples near a mode"
print("mean modes >= 6, worst >= 4, mean share near a mode >= 50%: passed")

# %% snapshots caption={"zh": "种子 0 的生成点（蓝色）在第 0、500、1000、2000、3000 步的样子，以及圆环上 8 个高斯中心周围的 3σ 圆（红色）", "en": "Seed 0's generated points (blue) at steps 0, 500, 1000, 2000 and 3000, with 3σ circles (red) around the 8 Gaussian centres on the ring"}
fig, axes = plt.subplots(1, len(snapshot_steps), figsize=(10, 2.4), sharex=True, sharey=True)
for ax, step in zip(axes, snapshot_steps):
    ax.scatter(*snapshots[step][:1000].T, s=1, c="tab:blue")
    for cx, cy in centres.cpu().numpy():
        ax.add_patch(plt.Circle((cx, cy), 3 * sigma, fill=False, color="tab:red", lw=0.8))
    ax.set(title=f"$t = {step}$", xlim=(-3, 3), ylim=(-3, 3), aspect="equal", xticks=[], yticks=[])
plt.show()

# %% coverage_curve caption={"zh": "横轴为训练步数 t。左：每个种子覆盖的模式数（共 8 个）；右：每个种子落在某个模式 3σ 之内的点所占比例。每条线一个种子（图例为种子编号）", "en": "Against the training step t. Left: the modes covered (of 8) by each seed; right: each seed's share of points within 3σ of a mode. One line per seed (the legend gives the seed)"}
steps_seen = [h[0] for h in history]
modes_seen = np.array([h[1] for h in history])     # (checks, seeds)
shares_seen = np.array([h[2] for h in history])
fig, (ax_m, ax_s) = plt.subplots(1, 2, figsize=(9, 2.8))
for k, seed in enumerate(seeds):
    ax_m.plot(steps_seen, modes_seen[:, k], "o-", ms=3, label=f"{seed}")
    ax_s.plot(steps_seen, shares_seen[:, k], "s--", ms=3)
ax_m.set(xlabel="$t$", ylim=(-0.3, 8.5))
ax_s.set(xlabel="$t$", ylim=(0, 1))
ax_m.legend(fontsize=7, ncol=5, loc="lower right")
fig.tight_layout()
plt.show()
