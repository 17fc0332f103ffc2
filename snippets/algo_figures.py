"""Teaching figures for the algorithm pages, drawn from real arrays and real runs.

A local module, not a snippet (no ``# %%`` cells): backprop.py, conv.py and
rnn.py import it, so the plotting code stays out of the cells a page shows.
Every label is a math symbol, a number or a shape (the figures serve the
Chinese and the English page alike); words live in the captions.
Only matplotlib patches, lines and arrows.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle


def _shape(a) -> str:
    return str(tuple(int(d) for d in np.shape(a))).replace(",)", ")")


def _arrow(ax, start, end, color="0.25", lw=1.2, style="-|>", rad=0.0):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=11, color=color, lw=lw,
                                 shrinkA=0, shrinkB=0, connectionstyle=f"arc3,rad={rad}"))


# ---------------------------------------------------------------- backprop
def backprop_gradients(params, X, y):
    """Forward and backward through the two-layer network (W: d_out x d_in, samples as rows).

    Returns (tensors, grads): every node's array and dL/d(node) for every node.
    """
    n = len(X)
    Z1 = X @ params["W1"].T + params["b1"]
    H = np.tanh(Z1)
    Z2 = H @ params["W2"].T + params["b2"]
    y_hat = 1 / (1 + np.exp(-Z2))
    L = -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    d_y_hat = (y_hat - y) / (y_hat * (1 - y_hat)) / n
    dZ2 = (y_hat - y) / n
    dH = dZ2 @ params["W2"]
    dZ1 = dH * (1 - H**2)
    tensors = {"X": X, "W1": params["W1"], "b1": params["b1"], "Z1": Z1, "H": H, "W2": params["W2"],
               "b2": params["b2"], "Z2": Z2, "y_hat": y_hat, "y": y, "L": np.float64(L)}
    grads = {"X": dZ1 @ params["W1"], "W1": dZ1.T @ X, "b1": dZ1.sum(axis=0), "Z1": dZ1, "H": dH,
             "W2": dZ2.T @ H, "b2": dZ2.sum(axis=0), "Z2": dZ2, "y_hat": d_y_hat}
    return tensors, grads


def draw_backprop_graph(params, X, y):
    """The computational graph: nodes with their real shapes, each edge with ||dL/d(tail)||."""
    tensors, grads = backprop_gradients(params, X, y)
    symbols = {"X": "X", "W1": "W_1", "b1": "b_1", "Z1": "Z_1", "H": "H", "W2": "W_2", "b2": "b_2",
               "Z2": "Z_2", "y_hat": r"\hat{y}", "y": "y", "L": "L"}
    pos = {"X": (0, 0), "W1": (0, 1.6), "b1": (0, -1.6), "Z1": (2.4, 0), "H": (4.8, 0), "W2": (4.8, 1.6),
           "b2": (4.8, -1.6), "Z2": (7.2, 0), "y_hat": (9.6, 0), "y": (9.6, -1.6), "L": (12.0, 0)}
    edges = [("X", "Z1"), ("W1", "Z1"), ("b1", "Z1"), ("Z1", "H"), ("H", "Z2"), ("W2", "Z2"),
             ("b2", "Z2"), ("Z2", "y_hat"), ("y_hat", "L"), ("y", "L")]
    ops = {("Z1", "H"): r"$\tanh$", ("Z2", "y_hat"): r"$\sigma$"}
    fig, ax = plt.subplots(figsize=(10, 3.6))
    for tail, head in edges:
        (x0, y0), (x1, y1) = pos[tail], pos[head]
        d = np.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / d, (y1 - y0) / d
        _arrow(ax, (x0 + 0.42 * ux, y0 + 0.42 * uy), (x1 - 0.42 * ux, y1 - 0.42 * uy))
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        if tail in grads:   # the backward pass: dL/d(tail) flows against the edge
            _arrow(ax, (x1 - 0.5 * ux + 0.12 * uy, y1 - 0.5 * uy - 0.12 * ux),
                   (x0 + 0.5 * ux + 0.12 * uy, y0 + 0.5 * uy - 0.12 * ux), color="tab:red", lw=0.9)
            norm = np.linalg.norm(grads[tail])
            ax.text(mx + 0.36 * uy, my - 0.36 * ux if uy == 0 else my - 0.3 * ux, f"{norm:.2g}", color="tab:red",
                    fontsize=8, ha="center", va="center", bbox=dict(fc="white", ec="none", pad=0.5))
        if (tail, head) in ops:
            ax.text(mx, my + 0.22, ops[(tail, head)], fontsize=10, ha="center", va="bottom")
    for name, (x0, y0) in pos.items():
        is_param = name in ("W1", "b1", "W2", "b2")
        ax.add_patch(Circle((x0, y0), 0.42, fc="#fde9c4" if is_param else "#dbe8f6", ec="0.2", lw=1.0))
        ax.text(x0, y0, f"${symbols[name]}$", ha="center", va="center", fontsize=12)
        ax.text(x0, y0 - 0.58, _shape(tensors[name]), ha="center", va="top", fontsize=8, color="0.3")
    ax.set(xlim=(-0.8, 12.8), ylim=(-2.5, 2.2), aspect="equal")
    ax.axis("off")
    fig.tight_layout()
    return {name: float(np.linalg.norm(g)) for name, g in grads.items()}


# ---------------------------------------------------------------- LSTM cell
def draw_lstm_cell(W_ih, W_hh, x_t, h, c):
    """One LSTM step with torch's gate order (i, f, g, o); shapes from the real weights and states."""
    d_x, d_h, n = W_ih.shape[1], W_hh.shape[1], x_t.shape[0]
    assert W_ih.shape == (4 * d_h, d_x) and W_hh.shape == (4 * d_h, d_h) and h.shape == c.shape == (n, d_h)
    fig, ax = plt.subplots(figsize=(9, 4.6))
    ax.add_patch(FancyBboxPatch((0, -0.2), 10, 6.0, boxstyle="round,pad=0.1,rounding_size=0.4",
                                fc="#f4f4f4", ec="0.5", lw=1.0))
    gate_y, bus_y, cell_y = 2.3, 1.0, 5.0
    gates = {"f": (2.5, r"\sigma", "#fbd3d0"), "i": (4.2, r"\sigma", "#fbd3d0"),
             "g": (5.6, r"\tanh", "#d6ecd2"), "o": (7.2, r"\sigma", "#fbd3d0")}
    # Inputs: h_{t-1} along the bus, x_t from below, then up into each gate.
    _arrow(ax, (-1.0, bus_y), (7.2, bus_y), style="-")
    _arrow(ax, (1.2, -1.1), (1.2, bus_y), style="-")
    ax.add_patch(Circle((1.2, bus_y), 0.06, color="0.25"))
    for name, (gx, fn, color) in gates.items():
        _arrow(ax, (gx, bus_y), (gx, gate_y - 0.3))
        ax.add_patch(FancyBboxPatch((gx - 0.45, gate_y - 0.3), 0.9, 0.6, boxstyle="round,pad=0.02",
                                    fc=color, ec="0.3"))
        ax.text(gx, gate_y, f"${fn}$", ha="center", va="center", fontsize=11)
        ax.text(gx - 0.55, gate_y + 0.45, f"${name}_t$", ha="right", va="bottom", fontsize=11, color="0.15")
    # Cell state: c_{t-1} -> (x f_t) -> (+ i_t g_t) -> c_t.
    ops = {"mul_f": (2.5, cell_y, r"\odot"), "add": (5.6, cell_y, "+"), "mul_ig": (5.6, 3.8, r"\odot"),
           "tanh_c": (8.6, 3.8, r"\tanh"), "mul_o": (8.6, gate_y, r"\odot")}
    _arrow(ax, (-1.0, cell_y), (2.25, cell_y))
    _arrow(ax, (2.75, cell_y), (5.35, cell_y))
    _arrow(ax, (5.85, cell_y), (11.0, cell_y))
    _arrow(ax, (2.5, gate_y + 0.3), (2.5, cell_y - 0.25))
    _arrow(ax, (4.2, gate_y + 0.3), (5.4, 3.65))
    _arrow(ax, (5.6, gate_y + 0.3), (5.6, 3.55))
    _arrow(ax, (5.6, 4.05), (5.6, cell_y - 0.25))
    _arrow(ax, (8.6, cell_y), (8.6, 4.15))
    _arrow(ax, (8.6, 3.45), (8.6, gate_y + 0.25))
    _arrow(ax, (7.65, gate_y), (8.35, gate_y))
    _arrow(ax, (8.6, gate_y - 0.25), (8.6, bus_y), style="-")
    _arrow(ax, (8.6, bus_y), (11.0, bus_y))
    for x0, y0, sym in ops.values():
        if sym == r"\tanh":
            ax.add_patch(FancyBboxPatch((x0 - 0.4, y0 - 0.25), 0.8, 0.5, boxstyle="round,pad=0.02",
                                        fc="#d6ecd2", ec="0.3"))
        else:
            ax.add_patch(Circle((x0, y0), 0.25, fc="white", ec="0.3"))
        ax.text(x0, y0, f"${sym}$", ha="center", va="center", fontsize=10)
    # Symbols with their real shapes.
    labels = [(-1.1, cell_y, r"$c_{t-1}$", c, "right"), (-1.1, bus_y, r"$h_{t-1}$", h, "right"),
              (11.1, cell_y, r"$c_t$", c, "left"), (11.1, bus_y, r"$h_t$", h, "left")]
    for x0, y0, sym, arr, ha in labels:
        ax.text(x0, y0 + 0.12, sym, ha=ha, va="bottom", fontsize=12)
        ax.text(x0, y0 - 0.12, _shape(arr), ha=ha, va="top", fontsize=8, color="0.3")
    ax.text(1.2, -1.2, r"$x_t$" + f"  {_shape(x_t)}", ha="center", va="top", fontsize=11)
    ax.text(6.4, 0.25, r"$[i_t, f_t, g_t, o_t] = x_t W_{ih}^{\top} + h_{t-1} W_{hh}^{\top} + b$", ha="center",
            va="center", fontsize=10)
    ax.text(6.4, -0.55, r"$W_{ih}$: " + _shape(W_ih) + r"$\ =(4 d_h, d_x)$,   $W_{hh}$: " + _shape(W_hh)
            + r"$\ =(4 d_h, d_h)$,   $i_t, f_t, g_t, o_t$: " + f"({n}, {d_h})", ha="center", va="center",
            fontsize=9, color="0.25")
    ax.set(xlim=(-2.6, 12.6), ylim=(-1.8, 6.1), aspect="equal")
    ax.axis("off")
    fig.tight_layout()


# ---------------------------------------------------------------- stride and padding
def draw_stride_padding(n, k, p, strides, out_sizes):
    """A padded n x n input, the kernel's positions along the top row for each stride, and the output grid."""
    fig, axes = plt.subplots(1, len(strides), figsize=(5 * len(strides), 4.4))
    m = n + 2 * p
    colors = plt.cm.tab10(np.arange(10))
    for ax, s, n_out, letter in zip(axes, strides, out_sizes, "abcdef"):
        for r in range(m):
            for col in range(m):
                pad = r < p or col < p or r >= m - p or col >= m - p
                ax.add_patch(Rectangle((col, m - 1 - r), 1, 1, fc="0.85" if pad else "white", ec="0.6", lw=0.6))
                if pad:
                    ax.text(col + 0.5, m - 0.5 - r, "0", ha="center", va="center", fontsize=7, color="0.45")
        used = (n_out - 1) * s + k      # columns the windows reach; the rest is dropped by the floor
        for col in range(used, m):
            ax.add_patch(Rectangle((col, 0), 1, m, fc="none", ec="tab:red", hatch="///", lw=0, alpha=0.5))
            ax.add_patch(Rectangle((0, m - 1 - col), m, 1, fc="none", ec="tab:red", hatch="///", lw=0, alpha=0.5))
        for j in range(n_out):
            off = 0.08 * (j % 2)
            ax.add_patch(Rectangle((j * s + off, m - k + off), k - 2 * off, k - 2 * off, fc="none",
                                   ec=colors[j % 10], lw=2.0))
            ax.text(j * s + k / 2, m + 0.25 + 0.4 * (j % 2), f"{j}", color=colors[j % 10], ha="center",
                    fontsize=9)
        x0 = m + 1.2       # the output grid, n_out x n_out, first row coloured like its windows
        for r in range(n_out):
            for col in range(n_out):
                fc = colors[col % 10] if r == 0 else "white"
                ax.add_patch(Rectangle((x0 + col * 0.6, m - 0.6 * (r + 1)), 0.6, 0.6, fc=fc, ec="0.4", lw=0.6,
                                       alpha=0.6 if r == 0 else 1))
        ax.text(x0, m + 0.25, r"$Y$" + f"  ({n_out}, {n_out})", fontsize=10, va="bottom")
        ax.text((x0 + 0.6 * n_out) / 2, -0.9,
                r"$n_\mathrm{out} = \lfloor (%d + 2 \cdot %d - %d) / %d \rfloor + 1 = %d$" % (n, p, k, s, n_out),
                ha="center", va="top", fontsize=11)
        ax.text(0, m + 1.3, f"({letter})  $n={n},\\ k={k},\\ p={p},\\ s={s}$", fontsize=11, va="bottom")
        ax.set(xlim=(-0.3, x0 + 0.6 * n_out + 0.3), ylim=(-1.9, m + 2.2), aspect="equal")
        ax.axis("off")
    fig.tight_layout()
