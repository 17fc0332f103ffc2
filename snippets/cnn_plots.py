"""Figures for cnn.py: kept here so the page shows the code that learns, not the plotting.

A local module (no ``# %%`` cells): cnn.py imports it, and editing it re-executes
cnn.py. Every figure is language-neutral: numbers and math symbols only, the
words are in each page's caption.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def curves(train_losses, val_losses, train_accs, val_accs, best_epoch):
    """(a) cross-entropy per epoch, (b) accuracy per epoch; dots train, squares validation."""
    epochs = np.arange(1, len(train_losses) + 1)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8, 3.2))
    ax1.plot(epochs, train_losses, "o-", epochs, val_losses, "s-")
    ax1.set(xlabel=r"$e$", ylabel=r"$\mathcal{L}$")
    ax2.plot(epochs, train_accs, "o-", epochs, val_accs, "s-")
    ax2.set(xlabel=r"$e$", ylim=(0.8, 1.0))
    for ax, letter in ((ax1, "(a)"), (ax2, "(b)")):
        ax.axvline(best_epoch, color="gray", ls="--", lw=1)
        ax.set_title(letter, loc="left", fontsize=10)
    fig.tight_layout()
    plt.show()


def confusion_matrix(confusion):
    """Counts per (true, predicted) pair, the counts written in the cells."""
    fig, ax = plt.subplots(figsize=(4.6, 4))
    im = ax.imshow(confusion, cmap="Blues")
    for i, j in zip(*np.nonzero(confusion)):
        ax.text(j, i, confusion[i, j], ha="center", va="center", fontsize=8,
                color="white" if confusion[i, j] > confusion.max() / 2 else "black")
    ax.set(xlabel=r"$\hat{y}$", ylabel=r"$y$", xticks=range(10), yticks=range(10))
    fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    plt.show()


def mistakes(images, labels, pred):
    """Every misclassified image, titled true→predicted."""
    wrong = np.flatnonzero(pred != labels)
    fig, axes = plt.subplots(1, len(wrong), figsize=(min(8, 1.1 * len(wrong)), 1.6), squeeze=False)
    for ax, i in zip(axes[0], wrong):
        ax.imshow(images[i], cmap="gray_r")
        ax.set_title(f"{labels[i]}→{pred[i]}", fontsize=9)
        ax.axis("off")
    fig.tight_layout()
    plt.show()
