# %% [markdown] lang="zh"
# # 练习：GAN 的两处改动
#
# 两道“改一改”练习的参考答案：在圆环 GAN 的 `gan_step` 里去掉 `fake.detach()`；在一维 GAN 里把饱和损失的 SGD 学习率放大 10 倍。

# %% [markdown] lang="en"
# # Exercises: two changes to the GANs
#
# Worked answers to two change-and-run exercises: drop `fake.detach()` from the
# ring GAN's `gan_step`; give the 1-D GAN's saturating loss a ten times larger
# SGD learning rate.

# %% setup
import copy
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% ring_gan
# gan_ring.py's data, networks (one seed) and optimizers, unchanged.
num_modes, radius, sigma = 8, 2.0, 0.05
angles = torch.arange(num_modes) * 2 * math.pi / num_modes
centres = radius * torch.stack([torch.cos(angles), torch.sin(angles)], dim=1).to(device)
latent_dim, num_hidden, batch_size, lr = 2, 64, 128, 1e-3
generator = nn.Sequential(nn.Linear(latent_dim, num_hidden), nn.ReLU(), nn.Linear(num_hidden, num_hidden),
                          nn.ReLU(), nn.Linear(num_hidden, 2)).to(device)
discriminator = nn.Sequential(nn.Linear(2, num_hidden), nn.LeakyReLU(0.2), nn.Linear(num_hidden, num_hidden),
                              nn.LeakyReLU(0.2), nn.Linear(num_hidden, 1)).to(device)
G_optimizer = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
D_optimizer = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999))


def bce(logits, label):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, label))

# %% no_detach tags=["raises-exception"]
# gan_step with fake instead of fake.detach() in the discriminator's loss.
X = centres[torch.randint(0, num_modes, (batch_size,), device=device)] + sigma * torch.randn(batch_size, 2, device=device)
fake = generator(torch.randn(batch_size, latent_dim, device=device))
D_optimizer.zero_grad()
loss_d = bce(discriminator(X), 1.0) + bce(discriminator(fake), 0.0)   # was fake.detach()
loss_d.backward()
leaked = max(p.grad.abs().max().item() for p in generator.parameters())   # D's loss reached G
D_optimizer.step()
G_optimizer.zero_grad()
loss_g = bce(discriminator(fake), 1.0)
loss_g.backward()          # the generator's graph was freed by loss_d.backward()
G_optimizer.step()

# %% leaked_gradient
# What the discriminator's backward left on the generator, and what zero_grad() kept of it.
kept = [p.grad for p in generator.parameters()]
print(f"largest gradient left on G by the discriminator's step: {leaked:.2g}")
print(f"after G_optimizer.zero_grad(): {kept}")
leaked_is_nonzero = leaked > 0
assert leaked_is_nonzero and all(g is None for g in kept)

# %% gan_1d
# gan_objective.py's 1-D GAN (cells gan_1d_data to gan_1d_train), unchanged.
data_mean, data_std, batch_size, num_steps, d_warmup_steps = 4.0, 0.5, 64, 300, 200
ones = torch.ones(batch_size, 1, dtype=torch.float64)
zeros = torch.zeros(batch_size, 1, dtype=torch.float64)


def noise(gen):
    return torch.randn(batch_size, 1, generator=gen, dtype=torch.float64)


def d_step(D, G, opt_D, gen):
    opt_D.zero_grad()
    real = data_mean + data_std * noise(gen)
    fake = G(noise(gen)).detach()
    (F.binary_cross_entropy_with_logits(D(real), ones)
     + F.binary_cross_entropy_with_logits(D(fake), zeros)).backward()
    opt_D.step()

# %% gan_1d_runs
torch.manual_seed(0)
D0 = torch.nn.Sequential(torch.nn.Linear(1, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1)).double()
G0 = torch.nn.Linear(1, 1).double()
with torch.no_grad():
    G0.weight.fill_(1.0)
    G0.bias.fill_(0.0)
opt_D0 = torch.optim.Adam(D0.parameters(), lr=0.01, betas=(0.5, 0.999))
gen0 = torch.Generator().manual_seed(1)
for _ in range(d_warmup_steps):
    d_step(D0, G0, opt_D0, gen0)

# %% gan_1d_saturating
def saturating_sgd(lr):
    """gan_objective's train_gan("saturating", "sgd", lr): the generated mean per step."""
    D, G = copy.deepcopy(D0), copy.deepcopy(G0)
    opt_D = torch.optim.Adam(D.parameters(), lr=0.01, betas=(0.5, 0.999))
    opt_D.load_state_dict(copy.deepcopy(opt_D0.state_dict()))
    opt_G = torch.optim.SGD(G.parameters(), lr=lr)
    gen = torch.Generator()
    gen.set_state(gen0.get_state())
    means = []
    for step in range(num_steps):
        d_step(D, G, opt_D, gen)
        opt_G.zero_grad()
        torch.log1p(-torch.sigmoid(D(G(noise(gen))))).mean().backward()
        opt_G.step()
        means.append(G.bias.item())
    return np.array(means)

# %% lr_times_10
# The change: lr=0.05 -> lr=0.5 for the saturating loss with SGD.
def steps_to_mean(means, tol=0.25):
    close = np.flatnonzero(np.abs(means - data_mean) < tol)
    return int(close[0]) if len(close) else num_steps


for lr in (0.05, 0.5):
    means = saturating_sgd(lr)
    print(f"lr {lr}: steps to |mean - 4| < 0.25: {steps_to_mean(means)} (of {num_steps}), "
          f"mean at the end {means[-1]:.3f}")
steps_lr_05, final_mean_lr_05 = steps_to_mean(means), float(means[-1])
steps_lr_005 = steps_to_mean(saturating_sgd(0.05))
assert steps_lr_005 == num_steps      # as on the page: lr 0.05 does not get there
