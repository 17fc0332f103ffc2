# %% [markdown] lang="zh"
# # 生成手写数字的 GAN
#
# 与圆环 GAN 相同的做法，换成真实数据：scikit-learn 的 8×8 手写数字（只用训练集）。再用一个在同一训练集上训练的小型 CNN 分类器，判断生成的数字中有多少看起来像某个数字，以及像哪一个。

# %% [markdown] lang="en"
# # A GAN that draws 8×8 digits
#
# The same recipe as the ring GAN, on real data: scikit-learn's 8×8 handwritten
# digits (training split only). A small CNN classifier, trained here on the same
# split, then tells us how many generated digits look like some digit, and which.

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
images = torch.tensor(X_train[:, None], device=device)       # (1347, 1, 8, 8) in [0, 1]
labels = torch.tensor(y_train, device=device)
X_real = images.reshape(-1, 64) * 2 - 1                      # the GAN sees [-1, 1] (tanh output)
n_train = len(images)
images.shape, X_real.shape

# %% classifier
# The judge: Conv2d 32 3x3, ReLU, MaxPool 2, Linear 10, trained on the same split.
classifier = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 4 * 4, 10)).to(device)
clf_optimizer = torch.optim.Adam(classifier.parameters(), lr=1e-2)
for epoch in range(15):
    perm = torch.randperm(len(images), device=device)
    for i in range(0, len(images), 64):
        idx = perm[i:i + 64]
        clf_optimizer.zero_grad()
        F.cross_entropy(classifier(images[idx]), labels[idx]).backward()
        clf_optimizer.step()
with torch.no_grad():
    X_te = torch.tensor(X_test[:, None], device=device)
    test_probs = F.softmax(classifier(X_te), dim=1)
classifier_accuracy = float((test_probs.argmax(1).cpu().numpy() == y_test).mean())
# For reference: the share of REAL held-out digits classified with confidence >= 0.8.
real_confident_share = float((test_probs.max(1).values >= 0.8).float().mean())
print(f"classifier held-out accuracy: {classifier_accuracy:.1%}")
print(f"real held-out digits with confidence >= 0.8: {real_confident_share:.1%}")
assert classifier_accuracy >= 0.95, classifier_accuracy

# %% model
latent_dim, num_hidden, batch_size = 16, 128, 64

generator = nn.Sequential(
    nn.Linear(latent_dim, num_hidden), nn.ReLU(),
    nn.Linear(num_hidden, num_hidden), nn.ReLU(),
    nn.Linear(num_hidden, 64), nn.Tanh()).to(device)
discriminator = nn.Sequential(
    nn.Linear(64, num_hidden), nn.LeakyReLU(0.2), nn.Dropout(0.3),
    nn.Linear(num_hidden, num_hidden), nn.LeakyReLU(0.2), nn.Dropout(0.3),
    nn.Linear(num_hidden, 1)).to(device)
num_params = sum(p.numel() for m in (generator, discriminator) for p in m.parameters())
num_params

# %% train tags=["volatile"]
# The losses depend on the machine's floating-point paths (a GAN amplifies every
# rounding difference), so `execdoc check` compares this cell's numbers by shape only.
lr, num_steps = 1e-3, 3000
loss = nn.BCEWithLogitsLoss()
G_optimizer = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
D_optimizer = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999))
real_labels = torch.ones(batch_size, 1, device=device)
fake_labels = torch.zeros(batch_size, 1, device=device)
z_show = torch.randn(10, latent_dim, generator=torch.Generator().manual_seed(1)).to(device)
snapshot_steps = (250, 500, 1000, 2000, num_steps)
snapshots = {}

start_seconds = time.perf_counter()
for step in range(1, num_steps + 1):
    X = X_real[torch.randint(0, len(X_real), (batch_size,), device=device)]
    fake = generator(torch.randn(batch_size, latent_dim, device=device))

    D_optimizer.zero_grad()
    loss_d = loss(discriminator(X), real_labels) + loss(discriminator(fake.detach()), fake_labels)
    loss_d.backward()
    D_optimizer.step()

    G_optimizer.zero_grad()
    loss_g = loss(discriminator(fake), real_labels)
    loss_g.backward()
    G_optimizer.step()

    if step in snapshot_steps:
        with torch.no_grad():
            snapshots[step] = generator(z_show).cpu().numpy()
    if step % 500 == 0:
        print(f"step {step:5d}  loss_d {loss_d.item():.4f}  loss_g {loss_g.item():.4f}")
train_seconds = time.perf_counter() - start_seconds

# %% evaluate tags=["volatile"]
# Which digits the generator favours changes from machine to machine, like the losses:
# numbers checked by shape only. The asserts below are the strict part of the check.
with torch.no_grad():
    z = torch.randn(1000, latent_dim, generator=torch.Generator().manual_seed(2)).to(device)
    generated = (generator(z).reshape(-1, 1, 8, 8) + 1) / 2    # back to [0, 1]
    probs = F.softmax(classifier(generated), dim=1)
confidence, predicted = (t.cpu().numpy() for t in probs.max(dim=1))
confident = confidence >= 0.8
confident_share = float(confident.mean())
class_counts = np.bincount(predicted[confident], minlength=10).tolist()
classes_seen = int(np.count_nonzero(class_counts))
rarest_class, commonest_class = int(np.argmin(class_counts)), int(np.argmax(class_counts))
rarest_count, commonest_count = min(class_counts), max(class_counts)
print(f"classified with confidence >= 0.8: {confident_share:.1%} of 1000 samples")
print(f"confident samples per class: {class_counts}")
print(f"classes seen: {classes_seen} of 10")
assert confident_share >= 0.5, confident_share
assert classes_seen >= 8, classes_seen

# %% samples caption={"zh": "生成器画出的 10×10 个 8×8 数字，每个上方是分类器给出的标签和置信度，置信度低于 0.8 的标为红色", "en": "A 10×10 grid of 8×8 digits drawn by the generator, each under the classifier's label and confidence, in red when below 0.8"}
def tile(images, pad_x=2, pad_y=2):
    """(rows, cols, 8, 8) images -> one picture, with white gaps between tiles."""
    rows, cols = images.shape[:2]
    canvas = np.zeros((rows * (8 + pad_y), cols * (8 + pad_x) - pad_x))
    for r in range(rows):
        for c in range(cols):
            canvas[pad_y + r * (8 + pad_y):(r + 1) * (8 + pad_y), c * (8 + pad_x):c * (8 + pad_x) + 8] = images[r, c]
    return canvas


# 10 x 10 generated digits; above each, the classifier's label and confidence.
grid = generated[:100, 0].cpu().numpy().reshape(10, 10, 8, 8)
fig, ax = plt.subplots(figsize=(5.6, 7.2))
ax.imshow(tile(grid, pad_y=5), cmap="gray_r", vmin=0, vmax=1)
for k in range(100):
    r, c = divmod(k, 10)
    ax.text(c * 10 + 3.5, r * 13 + 4, f"{predicted[k]} {confidence[k]:.2f}", ha="center", va="bottom",
            fontsize=6, color="black" if confident[k] else "tab:red")
ax.set(xticks=[], yticks=[], title="generated digits: classifier label and confidence (red: below 0.8)")
ax.title.set_fontsize(9)
plt.show()

# %% progress caption={"zh": "同样 10 个噪声向量在不同训练步数时生成的数字，自上而下训练步数增加", "en": "The same ten noise vectors decoded at growing training steps, one row per step"}
# The same 10 noise vectors decoded by the generator at several training steps.
grid = np.stack([(snapshots[step] + 1) / 2 for step in snapshot_steps]).reshape(-1, 10, 8, 8)
fig, ax = plt.subplots(figsize=(6, 3.3))
ax.imshow(tile(grid), cmap="gray_r", vmin=0, vmax=1)
ax.set(xticks=[], yticks=[10 * r + 6 for r in range(len(snapshot_steps))],
       yticklabels=[f"step {step}" for step in snapshot_steps])
ax.set_title("same noise, growing training step", fontsize=9)
plt.show()
