"""Several snippets at once: a fixed number of kernels, longest first, and
Ctrl-C or SIGTERM for all of them."""

from __future__ import annotations

import asyncio
import signal
from dataclasses import dataclass
from typing import Awaitable, Callable, TypeVar

from .. import Interrupted
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
    """Set when Ctrl-C or SIGTERM arrived: work that finishes afterwards keeps nothing."""
    requested: bool = False
    signum: int = signal.SIGINT


def run_all(runs: list[tuple[Snippet, Profile]], jobs: int, expected_seconds: dict[str, float],
            work: Callable[[Snippet, Profile], Awaitable[T]], stop: Stop) -> None:
    """:func:`run_many` in an event loop of its own. Ctrl-C (SIGINT) or SIGTERM
    cancels every run, so each kernel and its processes end and its temporary
    folders go, sets ``stop`` and raises :class:`execdoc.Interrupted`; what
    ``work`` already wrote is whole."""
    signals = (signal.SIGINT, signal.SIGTERM)

    async def main() -> None:
        task = asyncio.current_task()

        def on_signal(signum: int) -> None:
            stop.requested, stop.signum = True, signum
            task.cancel()

        loop = asyncio.get_running_loop()
        before = {}
        try:
            for signum in signals:
                before[signum] = signal.getsignal(signum)
                loop.add_signal_handler(signum, on_signal, signum)
        except (ValueError, RuntimeError, NotImplementedError):
            pass  # not the main thread: signals are the host's business
        try:
            await run_many(runs, jobs, expected_seconds, work)
        finally:
            for signum, handler in before.items():
                try:
                    loop.remove_signal_handler(signum)
                    signal.signal(signum, handler)  # asyncio would leave the default, not the host's
                except (ValueError, RuntimeError, NotImplementedError, TypeError):
                    pass

    try:
        asyncio.run(main())
    except asyncio.CancelledError:
        if not stop.requested:
            raise
    if stop.requested:
        raise Interrupted(stop.signum)
