# %% [markdown] lang="zh"
# # 变分自编码器
#
# 一个 MLP 编码器把数字映射为二维潜在编码上的高斯分布，一个 MLP 解码器再把编码映射回像素概率。在训练集上通过最大化 ELBO（重建项减去 KL 项）来训练，在留出集上评估。

# %% [markdown] lang="en"
# # Variational autoencoder on 8×8 digits
#
# An MLP encoder maps a digit to a Gaussian over a 2-D latent code, an MLP decoder
# maps a code back to pixel probabilities. Trained by maximising the ELBO
# (reconstruction minus KL) on the training split; evaluated on the held-out split.

# %% setup
import time

import matplotlib.pyplot as plt
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
latent_dim, num_hidden = 2, 256


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
print(model)
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

# %% reconstructions caption={"zh": "每个数字各一张留出图像 x（上排）及其 VAE 重建 x̂（下排，由后验均值解码）", "en": "One held-out image x of each digit (top row) and its VAE reconstruction x̂ (bottom row, decoded from the posterior mean)"}
def tile(images, pad=2):
    """(rows, cols, 8, 8) images -> one picture, with white gaps between tiles."""
    rows, cols = images.shape[:2]
    canvas = np.zeros((rows * (8 + pad) - pad, cols * (8 + pad) - pad))
    for r in range(rows):
        for c in range(cols):
            canvas[r * (8 + pad):r * (8 + pad) + 8, c * (8 + pad):c * (8 + pad) + 8] = images[r, c]
    return canvas


with torch.no_grad():
    mu_te, _ = model.encode(X_te)
    recon = torch.sigmoid(model.decoder(mu_te)).cpu().numpy().reshape(-1, 8, 8)
first_of_class = [int(np.flatnonzero(y_test == j)[0]) for j in range(10)]   # first test image of each digit
pairs = np.stack([X_test[first_of_class], recon[first_of_class]])            # (2, 10, 8, 8)
fig, ax = plt.subplots(figsize=(8, 2))
ax.imshow(tile(pairs), cmap="gray_r", vmin=0, vmax=1)
ax.set(xticks=[], yticks=[3.5, 13.5], yticklabels=[r"$\mathbf{x}$", r"$\hat{\mathbf{x}}$"])
plt.show()

# %% samples caption={"zh": "(a) 从 z ~ N(0, I) 采样并解码得到的 100 个数字；(b) 二维隐空间中均匀网格上的编码解码出的图像，z₁ 从左到右、z₂ 从下到上取 −2.5 到 2.5", "en": "(a) 100 digits decoded from z ~ N(0, I); (b) the images decoded from an even grid of codes over the 2-D latent space, z₁ left to right and z₂ bottom to top from −2.5 to 2.5"}
with torch.no_grad():
    z = torch.randn(100, latent_dim, generator=torch.Generator().manual_seed(0)).to(device)
    samples = torch.sigmoid(model.decoder(z)).cpu().numpy().reshape(10, 10, 8, 8)
    # Decode a grid of codes: z1 left to right, z2 bottom to top, both in [-2.5, 2.5].
    ticks = np.linspace(-2.5, 2.5, 10, dtype=np.float32)
    codes = torch.tensor([[a, b] for b in ticks[::-1] for a in ticks], device=device)
    manifold = torch.sigmoid(model.decoder(codes)).cpu().numpy().reshape(10, 10, 8, 8)
fig, (ax_s, ax_m) = plt.subplots(1, 2, figsize=(8, 4))
ax_s.imshow(tile(samples), cmap="gray_r", vmin=0, vmax=1)
ax_s.set(title=r"(a) $\mathbf{z} \sim \mathcal{N}(\mathbf{0}, I)$", xticks=[], yticks=[])
ax_m.imshow(tile(manifold), cmap="gray_r", vmin=0, vmax=1)
ax_m.set(title="(b)", xlabel=r"$z_1 \in [-2.5, 2.5]$", ylabel=r"$z_2 \in [-2.5, 2.5]$",
         xticks=[], yticks=[])
plt.show()

# %% latent_space caption={"zh": "留出数字在二维隐空间 (z₁, z₂) 中的后验均值，按数字类别着色（图例为数字）", "en": "Posterior means of the held-out digits in the 2-D latent space (z₁, z₂), coloured by digit (the legend gives the digit)"}
fig, ax = plt.subplots(figsize=(5.5, 4.5))
points = ax.scatter(*mu_te.cpu().numpy().T, c=y_test, cmap="tab10", s=10)
ax.legend(*points.legend_elements(), fontsize=7, loc="center left", bbox_to_anchor=(1, 0.5))
ax.set(xlabel="$z_1$", ylabel="$z_2$")
plt.show()
