# %% [markdown]
# # A bootstrap confidence interval
#
# Twenty waiting times (minutes). How sure are we of their mean? Resample the
# data with replacement many times and look at the spread of the means.

# %% data
import random
import statistics

random.seed(7)
waits = [round(random.expovariate(1 / 6), 1) for _ in range(20)]
sample_mean = statistics.fmean(waits)
print(f"{len(waits)} waits, mean {sample_mean:.2f} min")
print(waits)

# %% resample
resamples = 2000
means = sorted(statistics.fmean(random.choices(waits, k=len(waits))) for _ in range(resamples))
low = means[int(0.025 * resamples)]
high = means[int(0.975 * resamples) - 1]
print(f"95% bootstrap interval: [{low:.2f}, {high:.2f}] min")

# %% check
# The interval holds the sample mean, and is no wider than the data's own range.
assert low < sample_mean < high and min(waits) < low and high < max(waits)
width = high - low
round(width, 2)
