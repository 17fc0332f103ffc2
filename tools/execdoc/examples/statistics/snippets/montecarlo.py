# %% [markdown]
# # Estimating pi by throwing darts
#
# Points uniform in the unit square; the fraction inside the quarter circle
# tends to pi/4, with an error that shrinks like one over the square root of n.

# %% darts
import math
import random

random.seed(2024)


def estimate(n):
    inside = sum(random.random() ** 2 + random.random() ** 2 <= 1 for _ in range(n))
    return 4 * inside / n


sizes = [100, 1_000, 10_000, 100_000]
estimates = [estimate(n) for n in sizes]
for n, pi_hat in zip(sizes, estimates):
    print(f"n = {n:>7,}: pi ≈ {pi_hat:.4f} (error {abs(pi_hat - math.pi):.4f})")

# %% error
pi_estimate = estimates[-1]
error = abs(pi_estimate - math.pi)
# One standard error of 4 * (fraction inside) at n darts:
standard_error = 4 * math.sqrt(math.pi / 4 * (1 - math.pi / 4) / sizes[-1])
print(f"error {error:.5f}, standard error {standard_error:.5f}")
assert error < 4 * standard_error, "the estimate should be within four standard errors"

# %% darts_needed
# Darts for one standard error of 0.001:
math.ceil(16 * (math.pi / 4) * (1 - math.pi / 4) / 0.001 ** 2)
