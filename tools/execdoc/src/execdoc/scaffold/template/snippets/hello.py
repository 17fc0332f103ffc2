# %% [markdown]
# # Hello, execdoc
#
# A straight line fitted by least squares to noisy points, in plain Python.
# Every number the pages quote comes from this file's last run: change it,
# rebuild, and the pages follow.

# %% data
import random

random.seed(1)  # the same points on every machine
xs = [i / 10 for i in range(50)]
ys = [2.0 * x + 1.0 + random.gauss(0, 0.3) for x in xs]
n = len(xs)
print(f"{n} points, first ({xs[0]:.1f}, {ys[0]:.3f})")

# %% fit
mean_x = sum(xs) / n
mean_y = sum(ys) / n
slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
intercept = mean_y - slope * mean_x
print(f"y = {slope:.3f} x + {intercept:.3f}")

# %% quality
ss_res = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(xs, ys))
ss_tot = sum((y - mean_y) ** 2 for y in ys)
r_squared = 1 - ss_res / ss_tot
print(f"R^2 = {r_squared:.4f}")
# A snippet checks its own result: a failed assert fails the build, naming this line.
assert abs(slope - 2.0) < 0.1 and r_squared > 0.9, "the fit should recover the line y = 2x + 1"

# %% rounded
round(slope), round(intercept)
