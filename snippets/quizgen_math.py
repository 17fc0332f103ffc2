# %% [markdown] lang="zh"
# # 测验题生成：梯度、优化与规律
#
# 每个带标题的单元生成一道测验题的若干变体，并以 JSON 打印出来；测验从这个笔记本的记录中读取它们。正确答案是 torch 算出的结果（autograd、torch.optim、torch.distributions）；每个错误选项是 torch 在犯了某个典型错误之后算出的结果（步长的符号弄反、丢掉平方求导得到的系数 2、漏掉 Adam 的偏差修正……），并标注了这个错误。

# %% [markdown] lang="en"
# # Quiz generators: gradients, optimisers and laws
#
# Each titled cell generates the variants of one quiz question and prints them as
# JSON; the quiz reads them from this notebook's record. The answer is what torch
# computes (autograd, torch.optim, torch.distributions); every wrong option is what
# torch computes after a typical mistake (the sign of the step flipped, the factor 2
# of a square dropped, Adam's bias correction left out, ...), labelled with it.

# %% setup
import numpy as np
import torch

from quizgen import NUM_VARIANTS as num_variants, emit, generate, variant

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
seed = 0


# %% gd_step
# One gradient-descent step on the squared error of a one-weight model f(x) = w x.
def gd_step(rng):
    w0, x = float(rng.choice([0.5, 1.0, 2.0])), float(rng.choice([1.0, 2.0, 3.0]))
    y, lr = float(rng.choice([1.0, 2.0, 4.0, 6.0])), float(rng.choice([0.1, 0.05, 0.01]))
    if w0 * x == y:
        return None  # the gradient is zero

    def step(loss, sign=1.0, rate=lr):
        w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
        loss(w).backward()
        return round((w - sign * rate * w.grad).item(), 6)

    squared = lambda w: (w * x - y) ** 2  # noqa: E731
    return variant({"w": w0, "x": x, "y": y, "lr": lr}, step(squared),
                   {"ascent": step(squared, sign=-1.0),                 # moved along the gradient
                    "no_lr": step(squared, rate=1.0),                   # the learning rate left out
                    "no_two": step(lambda w: (w * x - y) ** 2 / 2)})    # the 2 of d/dw (.)^2 dropped


gd_step_variants = generate(gd_step, np.random.default_rng(seed + 1), distinct=3)
emit(gd_step_variants)

# %% line_fit
# Least squares: the slope of the line y = a x + b that best fits four points.
def line_fit(rng):
    xs = torch.arange(4, dtype=torch.float64)
    a, b = float(rng.choice([0.5, 1.0, 2.0, -1.0])), float(rng.choice([1.0, 2.0, 3.0]))
    ys = a * xs + b + torch.tensor(rng.integers(-1, 2, size=4), dtype=torch.float64)
    ones = torch.ones_like(xs)
    slope = torch.linalg.lstsq(torch.stack([xs, ones], 1), ys[:, None]).solution[0, 0].item()
    through_origin = torch.linalg.lstsq(xs[:, None], ys[:, None]).solution[0, 0].item()
    x_on_y = torch.linalg.lstsq(torch.stack([ys, ones], 1), xs[:, None]).solution[0, 0].item()
    if abs(slope) < 0.05 or abs(x_on_y) < 0.05:
        return None
    points = ", ".join(f"({int(x)}, {y:g})" for x, y in zip(xs.tolist(), ys.tolist()))
    return variant({"points": points}, round(slope, 2),
                   {"no_intercept": round(through_origin, 2),          # the line forced through the origin
                    "swapped": round(1 / x_on_y, 2)})                  # x regressed on y


line_fit_variants = generate(line_fit, np.random.default_rng(seed + 2))
emit(line_fit_variants)

# %% sigmoid_grad
# The slope of the sigmoid, sigma'(z) = sigma(z) (1 - sigma(z)), from autograd.
def sigmoid_grad(rng):
    z = torch.tensor(float(rng.choice([-3.0, -2.0, -1.0, 0.0, 0.5, 1.0, 2.0, 3.0])), requires_grad=True)
    s = torch.sigmoid(z)
    s.backward()
    return variant({"z": z.item()}, round(z.grad.item(), 4),
                   {"value": round(s.item(), 4),                        # the value, not the slope
                    "tanh_formula": round(1 - s.item() ** 2, 4),        # tanh's 1 - f^2 applied to sigmoid
                    "one_minus": round(1 - s.item(), 4)})               # the factor sigma(z) dropped


sigmoid_grad_variants = generate(sigmoid_grad, np.random.default_rng(seed + 3))
emit(sigmoid_grad_variants)

# %% adam_first_step
# The first step of torch.optim.Adam (default betas) from w0 on the loss g * w: about lr * sign(g).
def adam_first_step(rng):
    w0, g, lr = float(rng.choice([0.5, 1.0])), float(rng.choice([-4.0, -2.0, 0.5, 3.0])), float(rng.choice([0.1, 0.01]))

    def after(make):
        w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
        opt = make([w])
        (g * w).backward()
        opt.step()
        return round(w.item(), 6)

    beta1, beta2, eps = 0.9, 0.999, 1e-8
    m, v = (1 - beta1) * g, (1 - beta2) * g ** 2                      # Adam's moments after one step
    uncorrected = w0 - lr * m / (np.sqrt(v) + eps)
    return variant({"w": w0, "g": g, "lr": lr}, after(lambda ps: torch.optim.Adam(ps, lr=lr)),
                   {"sgd": after(lambda ps: torch.optim.SGD(ps, lr=lr)),  # plain gradient descent
                    "no_bias_correction": round(float(uncorrected), 6)})   # m and v not divided by 1 - beta^t


adam_first_step_variants = generate(adam_first_step, np.random.default_rng(seed + 4))
emit(adam_first_step_variants)

# %% power_law
# Test error falling as a power law of the training-set size: err(n) = a n^(-b).
def power_law(rng):
    err0, n0 = float(rng.choice([0.2, 0.1, 0.08])), int(rng.choice([500, 1000]))
    k, b = int(rng.choice([4, 9, 16, 100])), float(rng.choice([0.5, 0.25]))
    a = err0 * n0 ** b
    predict = lambda n, exponent=b: round((a * torch.tensor(float(n), dtype=torch.float64) ** -exponent).item(), 6)  # noqa: E731
    return variant({"err0": err0, "n0": n0, "n1": k * n0, "k": k, "b": b}, predict(k * n0),
                   {"inverse": round(err0 / k, 6),                      # error proportional to 1/n
                    "once": round(err0 / 2 ** b, 6),                    # the doubling factor applied once
                    "grows": round(err0 * k ** b, 6)})                  # the exponent's sign flipped


power_law_variants = generate(power_law, np.random.default_rng(seed + 5), distinct=3)
emit(power_law_variants)

# %% kl_gauss
# The VAE's KL term for one latent dimension, KL(N(mu, sigma^2) || N(0, 1)), from torch.distributions.
def kl_gauss(rng):
    mu, sigma = float(rng.choice([0.0, 0.5, 1.0, 2.0])), float(rng.choice([0.5, 1.0, 2.0]))
    normal = torch.distributions.Normal
    kl = torch.distributions.kl_divergence(normal(mu, sigma), normal(0.0, 1.0)).item()
    log = np.log
    return variant({"mu": mu, "sigma": sigma}, round(kl, 6),
                   {"no_half": round(mu**2 + sigma**2 - 1 - log(sigma**2), 6),                  # the 1/2 dropped
                    "sigma_not_squared": round(0.5 * (mu**2 + sigma - 1 - log(sigma)), 6),      # sigma for sigma^2
                    "no_log": round(0.5 * (mu**2 + sigma**2 - 1), 6)})                          # - log sigma^2 dropped


kl_gauss_variants = generate(kl_gauss, np.random.default_rng(seed + 6))
emit(kl_gauss_variants)

# %% checks
all_variants = [gd_step_variants, line_fit_variants, sigmoid_grad_variants, adam_first_step_variants,
                power_law_variants, kl_gauss_variants]
assert all(len(vs) == num_variants for vs in all_variants)
assert all(d["value"] != v["answer"] for vs in all_variants for v in vs for d in v["distractors"])
num_generated = sum(len(vs) for vs in all_variants)
num_generated
