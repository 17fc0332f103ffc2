"""Split checks over N machines by the seconds their records took.

Greedy, longest first, each into the least loaded shard (ties: the lowest
number): deterministic for the same records, and within one check of the best
split, so shards stay balanced while no single check dominates.
"""

from __future__ import annotations

from typing import Hashable, Mapping, TypeVar

K = TypeVar("K", bound=Hashable)


def parse(text: str) -> tuple[int, int]:
    """``"2/3"`` → (2, 3); shards count from 1."""
    index, _, count = text.partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        raise ValueError(f"--execdoc-shard wants I/N (e.g. 1/3), not {text!r}") from None
    if not 1 <= i <= n:
        raise ValueError(f"--execdoc-shard {text}: I must be between 1 and N")
    return i, n


def split(seconds: Mapping[K, float], count: int) -> list[list[K]]:
    """``count`` lists of keys, longest first into the least loaded; sorted by
    (-seconds, key) so the same records always give the same shards."""
    shards: list[list[K]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for key in sorted(seconds, key=lambda k: (-seconds[k], str(k))):
        target = min(range(count), key=lambda i: (loads[i], i))
        shards[target].append(key)
        loads[target] += seconds[key]
    return shards


def loads(seconds: Mapping[K, float], shards: list[list[K]]) -> list[float]:
    return [sum(seconds[k] for k in shard) for shard in shards]
