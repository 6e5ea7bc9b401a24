"""Periodic jobs owned by an app's lifespan (sweepers, recovery rounds)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from opentelemetry.instrumentation.utils import suppress_instrumentation

logger = logging.getLogger("emporium.background")


async def repeat(job: Callable[[], Awaitable[None]], *, interval: float, name: str) -> None:
    """Run `job` every `interval` seconds until cancelled; a failed round is logged, not fatal.

    Rounds are not traced: a trace every few seconds per part (polls, sweeps) would bury the
    requests' traces. What a round does shows in the logs and metrics.
    """
    while True:
        try:
            with suppress_instrumentation():
                await job()
        except Exception:
            logger.exception("%s failed; retrying in %s s", name, interval)
        await asyncio.sleep(interval)


@contextlib.asynccontextmanager
async def periodic(
    job: Callable[[], Awaitable[None]], *, interval: float, name: str
) -> AsyncIterator[asyncio.Task[None]]:
    """Run `job` periodically while the block runs; cancel it and wait for it at the end."""
    task = asyncio.create_task(repeat(job, interval=interval, name=name), name=name)
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
