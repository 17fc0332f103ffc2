"""The drawings of concepts.py: block diagrams and plots, kept apart so that the notebook shows
the ideas (each figure cell of concepts.py is one call here, then plt.show())."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle


def box(ax, xy, text, w=1.7, h=0.8, color="#dbe9f6", fontsize=9):
    """A rounded box centred at xy with a label."""
    x, y = xy
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05",
                                fc=color, ec="#333333", lw=1))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def arrow(ax, start, end, text=None, color="#333333", rad=0.0, offset=(0, 0.18), **kw):
    """An arrow from start to end, with an optional label near its middle."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, lw=1.2,
                                 color=color, connectionstyle=f"arc3,rad={rad}", **kw))
    if text:
        mx, my = (start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1]
        ax.text(mx, my, text, ha="center", va="bottom", fontsize=8, color=color)


def canvas(ax, xlim, ylim):
    ax.set(xlim=xlim, ylim=ylim, aspect="equal")
    ax.axis("off")



def mlp_diagram():
    """The 2-4-1 network of the mlp_params cell: nodes, connections, the shape of each layer."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    canvas(ax, (-0.6, 6.6), (-0.4, 4.6))
    layers = {0: [1.25, 2.75], 3: [0.5, 1.5, 2.5, 3.5], 6: [2.0]}
    names = {0: ["$x_2$", "$x_1$"], 3: [f"$h_{i}$" for i in range(4, 0, -1)], 6: [r"$\hat{y}$"]}  # bottom to top
    colors = {0: "#fde7c8", 3: "#dbe9f6", 6: "#d9f0d3"}
    for xa, xb in ((0, 3), (3, 6)):
        for ya in layers[xa]:
            for yb in layers[xb]:
                ax.plot([xa, xb], [ya, yb], color="#888888", lw=0.8, zorder=1)
    for xc, ys in layers.items():
        for yc, name in zip(ys, names[xc]):
            ax.add_patch(Circle((xc, yc), 0.32, fc=colors[xc], ec="#333333", zorder=2))
            ax.text(xc, yc, name, ha="center", va="center", fontsize=10, zorder=3)
    ax.text(1.5, 4.15, r"$W_1 \in \mathbb{R}^{4\times 2},\ \mathbf{b}_1 \in \mathbb{R}^{4}$", ha="center", fontsize=9)
    ax.text(4.5, 4.15, r"$W_2 \in \mathbb{R}^{1\times 4},\ b_2 \in \mathbb{R}$", ha="center", fontsize=9)
    for xc, label in ((0, r"$\mathbf{x}$"), (3, "ReLU"), (6, "sigmoid")):
        ax.text(xc, -0.3, label, ha="center", fontsize=9)



def conv_slide(image, kernel, feature_map, row, col, conv_out_size):
    """Input with one window boxed, the kernel, the feature map with that window's value boxed."""
    fig, axes = plt.subplots(1, 3, figsize=(9, 3.4), gridspec_kw={"width_ratios": [8, 3.6, 6]})
    img, ker, fmap = image.cpu().numpy(), kernel.cpu().numpy(), feature_map.cpu().numpy()
    axes[0].imshow(img, cmap="gray_r", vmin=0, vmax=1)
    axes[0].add_patch(Rectangle((col - 0.5, row - 0.5), 3, 3, fill=False, ec="#d62728", lw=2.5))
    for i in range(3):
        for j in range(3):
            v_ij = img[row + i, col + j]
            axes[0].text(col + j, row + i, f"{v_ij:.2f}", ha="center", va="center", fontsize=7,
                         color="white" if v_ij > 0.5 else "black")
    axes[0].set_title(r"(a) $X$: $8\times 8$", fontsize=10)
    axes[1].imshow(ker, cmap="RdBu_r", vmin=-2, vmax=2)
    for i in range(3):
        for j in range(3):
            axes[1].text(j, i, f"{ker[i, j]:g}", ha="center", va="center", fontsize=10)
    axes[1].set_title(r"(b) $K$: $3\times 3$", fontsize=10)
    lim = np.abs(fmap).max()
    axes[2].imshow(fmap, cmap="RdBu_r", vmin=-lim, vmax=lim)
    axes[2].add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, ec="#d62728", lw=2.5))
    for i in range(fmap.shape[0]):
        for j in range(fmap.shape[1]):
            axes[2].text(j, i, f"{fmap[i, j]:.1f}", ha="center", va="center", fontsize=7)
    axes[2].set_title(r"(c) $Y$: $%d\times %d$" % (conv_out_size, conv_out_size), fontsize=10)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])



def rnn_unrolled():
    """An RNN folded, and unrolled over four steps that share W, U, b."""
    fig, ax = plt.subplots(figsize=(9, 3.0))
    canvas(ax, (-0.3, 14.5), (-0.1, 4.1))
    # Folded: one cell whose output feeds back into itself.
    box(ax, (1.2, 2.0), "RNN", w=1.6)
    arrow(ax, (1.2, 0.5), (1.2, 1.55))
    ax.text(1.2, 0.2, "$x_t$", ha="center", fontsize=10)
    arrow(ax, (1.2, 2.45), (1.2, 3.45))
    ax.text(1.2, 3.65, "$h_t$", ha="center", fontsize=10)
    arrow(ax, (2.05, 2.3), (2.05, 1.7), rad=-1.6, color="#d62728")
    ax.text(2.6, 2.0, "$h_{t-1}$", color="#d62728", fontsize=9, va="center")
    ax.text(3.75, 2.0, "=", fontsize=18, ha="center", va="center")
    # Unrolled: the same cell (same W, U, b) at every time step.
    centres = [5.75, 8.4, 11.05, 13.7]
    for t, xc in enumerate(centres, start=1):
        box(ax, (xc, 2.0), r"$W, U, \mathbf{b}$", w=1.5, h=0.9, fontsize=9)
        arrow(ax, (xc, 0.5), (xc, 1.5))
        ax.text(xc, 0.2, f"$x_{t}$", ha="center", fontsize=10)
        arrow(ax, (xc, 2.5), (xc, 3.45))
        ax.text(xc, 3.65, f"$h_{t}$", ha="center", fontsize=10)
        start = (xc - 1.87, 2.0) if t > 1 else (4.2, 2.0)
        arrow(ax, start, (xc - 0.78, 2.0), text=f"$h_{t - 1}$", color="#d62728")



def gan_diagram():
    """Noise through G to a fake sample; D scores real and fake; the two players' goals."""
    fig, ax = plt.subplots(figsize=(9, 3.4))
    canvas(ax, (-0.2, 12.6), (-0.3, 4.4))
    box(ax, (0.9, 1.0), r"$z\sim \mathcal{N}(0, I)$", w=1.8, h=1.0, color="#eeeeee")
    box(ax, (3.6, 1.0), "$G$", w=2.0, color="#d9f0d3", fontsize=12)
    box(ax, (6.4, 1.0), "$G(z)$", w=1.8, color="#d9f0d3")
    box(ax, (6.4, 3.2), r"$x\sim p_{\mathrm{data}}$", w=1.8, h=1.0, color="#fde7c8")
    box(ax, (9.0, 2.1), "$D$", w=2.1, color="#dbe9f6", fontsize=12)
    box(ax, (11.6, 2.1), r"$D(\cdot)\in(0,1)$", w=1.6, h=1.0, color="#eeeeee")
    arrow(ax, (1.85, 1.0), (2.55, 1.0))
    arrow(ax, (4.65, 1.0), (5.45, 1.0))
    arrow(ax, (7.35, 1.0), (8.2, 1.8))
    arrow(ax, (7.35, 3.2), (8.2, 2.4))
    arrow(ax, (10.1, 2.1), (10.75, 2.1))
    arrow(ax, (11.6, 1.55), (3.6, 0.55), rad=-0.25, color="#2ca02c", ls="--")
    ax.text(8.0, -0.2, r"$G$: $D(G(z))\to 1$", color="#2ca02c", fontsize=9, ha="center")
    ax.text(11.6, 3.4, r"$D$: $D(x)\to 1,\ D(G(z))\to 0$", color="#1f77b4", fontsize=9, ha="center")



def gan_optimal_d(grid, normal_pdf, value_at_optimum):
    """p_data, p_g and the optimal discriminator D* for two generators: apart and identical."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)
    sub = slice(None, None, 50)
    for ax, mu_g, letter in zip(axes, (3.0, 0.0), "ab"):
        _, _, d_star = value_at_optimum(mu_g)
        ax.plot(grid[sub], normal_pdf(grid, 0.0)[sub], label=r"$p_{\mathrm{data}}$")
        ax.plot(grid[sub], normal_pdf(grid, mu_g)[sub], label="$p_g$")
        ax.plot(grid[sub], d_star[sub], "k--", label="$D^*(x)$")
        ax.set(xlim=(-4, 7), xlabel="$x$", title=r"(%s) $p_g = \mathcal{N}(%g, 1)$" % (letter, mu_g))
    axes[0].legend(fontsize=8)



def gan_saturation():
    """The two generator losses and their gradients against the logit a, D = sigma(a)."""
    a = np.linspace(-8, 4, 241)
    sig = 1 / (1 + np.exp(-a))
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    axes[0].plot(a, np.log1p(-sig), label=r"$\log(1-D)$")
    axes[0].plot(a, -np.log(sig), label=r"$-\log D$")
    axes[1].semilogy(a, sig, label=r"$|\partial_a \log(1-D)| = \sigma(a)$")
    axes[1].semilogy(a, 1 - sig, label=r"$|\partial_a (-\log D)| = 1-\sigma(a)$")
    for ax, letter in zip(axes, "ab"):
        ax.set(xlabel=r"$a$  ($D=\sigma(a)$)", title=f"({letter})")
        ax.legend(fontsize=8)



def vae_diagram():
    """Encoder, reparameterised sample, decoder, and the ELBO's two terms."""
    fig, ax = plt.subplots(figsize=(9, 3.4))
    canvas(ax, (-0.2, 13.4), (-0.5, 4.0))
    box(ax, (0.7, 2.0), "$x$", w=1.3, color="#fde7c8")
    box(ax, (2.9, 2.0), r"$q_\phi(z|x)$", w=1.8, h=1.0, color="#dbe9f6")
    box(ax, (5.2, 2.9), r"$\mu$", w=0.9, h=0.6, color="#dbe9f6")
    box(ax, (5.2, 1.1), r"$\log\sigma^2$", w=1.1, h=0.6, color="#dbe9f6")
    box(ax, (7.7, 2.0), r"$z=\mu+\sigma\odot\varepsilon$", w=2.2, color="#eeeeee")
    box(ax, (7.7, 0.0), r"$\varepsilon\sim \mathcal{N}(0, I)$", w=1.9, h=0.6, color="#eeeeee")
    box(ax, (10.3, 2.0), r"$p_\theta(x|z)$", w=1.8, h=1.0, color="#d9f0d3")
    box(ax, (12.5, 2.0), r"$\hat{x}$", w=1.0, color="#d9f0d3")
    for start, end in (((1.35, 2.0), (1.95, 2.0)), ((3.85, 2.25), (4.7, 2.85)), ((3.85, 1.75), (4.6, 1.15)),
                       ((5.7, 2.85), (6.55, 2.2)), ((5.8, 1.15), (6.55, 1.8)), ((7.7, 0.35), (7.7, 1.55)),
                       ((8.85, 2.0), (9.35, 2.0)), ((11.25, 2.0), (11.95, 2.0))):
        arrow(ax, start, end)
    ax.text(5.2, 3.55, r"$\mathrm{KL}(q_\phi(z|x)\,\|\,\mathcal{N}(0,I))$", ha="center", fontsize=9, color="#1f77b4")
    ax.text(10.9, 3.0, r"$\log p_\theta(x|z)$", ha="center", fontsize=9, color="#2ca02c")



def elbo(elbo, post_var, post_mean, log_evidence):
    """The ELBO of q = N(m, posterior variance) against m, under log p(x)."""
    means = np.linspace(-0.5, 2.5, 121)
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot(means, [elbo(m, post_var) for m in means], label=r"$\mathrm{ELBO}(q_m)$")
    ax.axhline(log_evidence, color="k", ls="--", label=r"$\log p(x)$")
    ax.axvline(post_mean, color="#888888", lw=0.8)
    ax.set(xlabel="$m$", ylim=(log_evidence - 5, log_evidence + 0.5))
    ax.legend(fontsize=8, loc="lower center")
