"""Several snippets at once: a fixed number of kernels, longest first."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, TypeVar

from ..snippets import Snippet
from .machine import Profile

T = TypeVar("T")


async def run_many(runs: list[tuple[Snippet, Profile]], jobs: int, expected_seconds: dict[str, float],
                   work: Callable[[Snippet, Profile], Awaitable[T]]) -> list[T]:
    """Apply ``work`` to every (snippet, profile) run, ``jobs`` at a time, longest first."""
    # Unknown durations first (a new snippet may be long), the larger file first among them.
    order = sorted(runs, key=lambda r: (-expected_seconds.get(r[0].name, float("inf")), -r[0].path.stat().st_size))
    gate = asyncio.Semaphore(jobs)

    async def one(snippet: Snippet, profile: Profile) -> T:
        async with gate:
            return await work(snippet, profile)

    return list(await asyncio.gather(*(one(*r) for r in order)))
