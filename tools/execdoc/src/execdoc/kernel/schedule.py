"""Several snippets at once: a fixed number of kernels, longest first, and
Ctrl-C for all of them."""

from __future__ import annotations

import asyncio
import signal
from dataclasses import dataclass
from typing import Awaitable, Callable, TypeVar

from ..check.machine import Profile
from ..snippets import Snippet

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


@dataclass
class Stop:
    """Set when Ctrl-C arrived: work that finishes afterwards keeps nothing."""
    requested: bool = False


def run_all(runs: list[tuple[Snippet, Profile]], jobs: int, expected_seconds: dict[str, float],
            work: Callable[[Snippet, Profile], Awaitable[T]], stop: Stop) -> None:
    """:func:`run_many` in an event loop of its own. Ctrl-C (SIGINT) cancels
    every run, so each kernel is shut down, sets ``stop`` and raises
    KeyboardInterrupt; what ``work`` already wrote is whole."""

    async def main() -> None:
        task = asyncio.current_task()

        def on_sigint() -> None:
            stop.requested = True
            task.cancel()

        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGINT, on_sigint)
        except (ValueError, RuntimeError, NotImplementedError):
            pass  # not the main thread: Ctrl-C is the host's business
        try:
            await run_many(runs, jobs, expected_seconds, work)
        finally:
            try:
                loop.remove_signal_handler(signal.SIGINT)
            except (ValueError, RuntimeError, NotImplementedError):
                pass

    try:
        asyncio.run(main())
    except asyncio.CancelledError:
        if not stop.requested:
            raise
    if stop.requested:
        raise KeyboardInterrupt
