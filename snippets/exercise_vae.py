# %% [markdown] lang="zh"
# # 练习：八维隐空间的 VAE
#
# “改一改”练习的参考答案：把 `vae.py` 中 `model` 单元的 `latent_dim` 从 2 改成 8，其余不变，重新训练并在留出集上计算 ELBO。

# %% [markdown] lang="en"
# # Exercise: a VAE with an 8-dimensional latent space
#
# Worked answer to the change-and-run exercise: `latent_dim` in `vae.py`'s `model`
# cell changed from 2 to 8, everything else unchanged, trained again and scored by
# the ELBO on the held-out split.

# %% setup
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from digits import load_digits

torch.manual_seed(0)
rng = np.random.default_rng(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% data
X_train, y_train, X_test, y_test = load_digits()
X = torch.tensor(X_train.reshape(-1, 64), device=device)        # pixels in [0, 1]
X_te = torch.tensor(X_test.reshape(-1, 64), device=device)
n_train, n_test = len(X), len(X_te)
X.shape, X_te.shape

# %% model
latent_dim, num_hidden = 8, 256       # the change: was 2


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(64, num_hidden), nn.ReLU(),
                                     nn.Linear(num_hidden, 2 * latent_dim))   # mean and log-variance
        self.decoder = nn.Sequential(nn.Linear(latent_dim, num_hidden), nn.ReLU(),
                                     nn.Linear(num_hidden, 64))               # pixel logits

    def encode(self, x):
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        return mu, logvar

    def forward(self, x):
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)   # reparameterisation
        return self.decoder(z), mu, logvar

# %% build
model = VAE().to(device)
num_params = sum(p.numel() for p in model.parameters())
num_params

# %% loss
def neg_elbo(x, logits, mu, logvar):
    """The two parts of the per-image negative ELBO, in nats: the reconstruction
    cross-entropy (one draw of z) and KL(q(z|x) || N(0, I)) in closed form."""
    reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(dim=1)
    kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(dim=1)
    return reconstruction, kl


reconstruction, kl = neg_elbo(X[:5], *model(X[:5]))
print(f"untrained, first 5 images: reconstruction {reconstruction.mean():.4f} + KL {kl.mean():.4f} nats")

# %% train
lr, num_epochs, batch_size = 3e-3, 30, 128
optimizer = torch.optim.Adam(model.parameters(), lr=lr)
start_seconds = time.perf_counter()
for epoch in range(1, num_epochs + 1):
    perm = torch.randperm(len(X), device=device)
    total = 0.0
    for i in range(0, len(X), batch_size):
        x = X[perm[i:i + batch_size]]
        reconstruction, kl = neg_elbo(x, *model(x))
        loss = (reconstruction + kl).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(x)
    if epoch % 5 == 0:
        print(f"epoch {epoch:3d}  train -ELBO {total / len(X):.4f}")
train_seconds = time.perf_counter() - start_seconds

# %% evaluate
@torch.no_grad()
def elbo(x, num_samples=10):
    """Mean ELBO per image (nats), its reconstruction and KL parts, averaged over
    num_samples draws of z from q(z|x)."""
    g = torch.Generator(device=device).manual_seed(0)
    mu, logvar = model.encode(x)
    reconstructions = []
    for _ in range(num_samples):
        z = mu + torch.exp(0.5 * logvar) * torch.randn(mu.shape, generator=g, device=device)
        reconstructions.append(neg_elbo(x, model.decoder(z), mu, logvar)[0])
    reconstruction = torch.stack(reconstructions).mean().item()
    kl = neg_elbo(x, model.decoder(mu), mu, logvar)[1].mean().item()
    return -(reconstruction + kl), reconstruction, kl

# %% test_elbo
train_elbo, _, _ = elbo(X)
test_elbo, test_reconstruction, test_kl = elbo(X_te)
# Pixels are grey levels, not 0/1: even a perfect decoder pays their entropy.
reconstruction_floor = F.binary_cross_entropy(X_te, X_te, reduction="none").sum(dim=1).mean().item()
print(f"ELBO per image: train {train_elbo:.4f}, held-out test {test_elbo:.4f} nats")
print(f"test: reconstruction {test_reconstruction:.4f} + KL {test_kl:.4f} nats "
      f"(reconstruction floor {reconstruction_floor:.4f})")
assert test_elbo > -27, test_elbo
latent_dim_changed = latent_dim

# %% active_dims
# How much each latent dimension is used: its KL(q(z_k|x) || N(0, 1)), averaged over the test set.
with torch.no_grad():
    mu_te, logvar_te = model.encode(X_te)
kl_per_dim = (0.5 * (mu_te.pow(2) + logvar_te.exp() - 1 - logvar_te)).mean(dim=0).tolist()
print("KL per latent dimension (nats):", " ".join(f"{v:.2f}" for v in sorted(kl_per_dim, reverse=True)))
active_dims = sum(v > 0.3 for v in kl_per_dim)
print(f"dimensions with KL > 0.3 nats: {active_dims} of {latent_dim}")
