# %% [markdown] lang="zh"
# # 原文的 GAN 代码
#
# 原文中的 PyTorch GAN 代码清单，逐字照录。它无法运行：下面每个单元都预期会抛出异常，并展示它抛出的错误。

# %% [markdown] lang="en"
# # The seed's GAN listing, as published
#
# The PyTorch GAN listing from the source article, copied verbatim. It does not
# run: each cell below is expected to raise, and shows the error it raises.

# %% seed_listing tags=["raises-exception"]
import torch
import torch.nn as nn
import torch.optim as optim

# 构建生成器
class Generator(nn.Module):
    def __init__(self):
        super(Generator, self).__init__()
        # 构建生成器的神经网络层

    def forward(self, x):
        # 构建生成器的前向传播过程

# 构建判别器
class Discriminator(nn.Module):
    def __init__(self):
        super(Discriminator, self).__init__()
        # 构建判别器的神经网络层

    def forward(self, x):
        # 构建判别器的前向传播过程

# 训练生成对抗网络
generator = Generator()
discriminator = Discriminator()
G_optimizer = optim.Adam(generator.parameters(), lr=0.0002, betas=(0.5, 0.999))
D_optimizer = optim.Adam(discriminator.parameters(), lr=0.0002, betas=(0.5, 0.999))

# 训练生成器和判别器
for epoch in range(1000):
    for x in data:
        # 训练判别器
        optimizer.zero_grad()
        pred = discriminator(x)
        loss_d = binary_crossentropy(pred, y.float())
        loss_d.backward()
        optimizer_d.step()

        # 训练生成器
        noise = torch.randn(batch_size, latent_dim).to(device)
        pred = discriminator(generator(noise))
        loss_g = binary_crossentropy(pred.view(-1), y.float().view(-1))
        loss_g.backward()
        optimizer_g.step()

# %% names_filled tags=["raises-exception"]
# The same listing with the minimum added so that Python gets past the first
# error: class bodies filled in, and the names it uses but never defines
# (data, y, batch_size, latent_dim, device, binary_crossentropy) supplied.
# The training loop is unchanged from the listing.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"


class Generator(nn.Module):
    def __init__(self):
        super(Generator, self).__init__()
        self.net = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 2))

    def forward(self, x):
        return self.net(x)


class Discriminator(nn.Module):
    def __init__(self):
        super(Discriminator, self).__init__()
        self.net = nn.Sequential(nn.Linear(2, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1), nn.Sigmoid())

    def forward(self, x):
        return self.net(x)


batch_size, latent_dim = 256, 2
data = [torch.randn(batch_size, 2, device=device)]      # one batch of "real" points
y = torch.ones(batch_size, 1, device=device)            # labels: all real
binary_crossentropy = F.binary_cross_entropy

generator = Generator().to(device)
discriminator = Discriminator().to(device)
G_optimizer = optim.Adam(generator.parameters(), lr=0.0002, betas=(0.5, 0.999))
D_optimizer = optim.Adam(discriminator.parameters(), lr=0.0002, betas=(0.5, 0.999))

for epoch in range(1000):
    for x in data:
        # 训练判别器
        optimizer.zero_grad()
        pred = discriminator(x)
        loss_d = binary_crossentropy(pred, y.float())
        loss_d.backward()
        optimizer_d.step()

        # 训练生成器
        noise = torch.randn(batch_size, latent_dim).to(device)
        pred = discriminator(generator(noise))
        loss_g = binary_crossentropy(pred.view(-1), y.float().view(-1))
        loss_g.backward()
        optimizer_g.step()
