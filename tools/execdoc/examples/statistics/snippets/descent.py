# %% [markdown]
# # Gradient descent on a straight line
#
# Fit y = w x + b to six points by minimising the mean squared error with
# plain gradient descent, and compare with the exact least-squares answer.

# %% data
xs = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
ys = [1.1, 2.9, 5.2, 7.1, 8.8, 11.2]
n = len(xs)

# %% descend
learning_rate = 0.05
w, b = 0.0, 0.0
for step in range(1, 2001):
    errors = [w * x + b - y for x, y in zip(xs, ys)]
    grad_w = 2 / n * sum(e * x for e, x in zip(errors, xs))
    grad_b = 2 / n * sum(errors)
    w, b = w - learning_rate * grad_w, b - learning_rate * grad_b
    if max(abs(grad_w), abs(grad_b)) < 1e-8:
        break
steps = step
loss = sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / n
print(f"{steps} steps: w = {w:.4f}, b = {b:.4f}, loss {loss:.5f}")

# %% exact
mean_x, mean_y = sum(xs) / n, sum(ys) / n
w_exact = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
b_exact = mean_y - w_exact * mean_x
print(f"exact: w = {w_exact:.4f}, b = {b_exact:.4f}")
assert abs(w - w_exact) < 1e-6 and abs(b - b_exact) < 1e-6, "descent should reach the exact fit"

# %% too_fast
# A learning rate too large for this data: the steps overshoot and grow.
fast_w, fast_b = 0.0, 0.0
for _ in range(20):
    errors = [fast_w * x + fast_b - y for x, y in zip(xs, ys)]
    fast_w -= 0.2 * 2 / n * sum(e * x for e, x in zip(errors, xs))
    fast_b -= 0.2 * 2 / n * sum(errors)
abs(fast_w) > 1000
