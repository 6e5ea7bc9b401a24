"""Password hashing (argon2 through passlib) on a bounded pool of threads.

argon2 costs tens of milliseconds of CPU and 64 MiB per hash. Run without a bound, a burst
of sign-ins or registrations takes every core and slows every other request; here at most
`concurrency` hashes run at once, `queue` more may wait, and the rest are told to retry.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from passlib.context import CryptContext

from emporium.servicekit.errors import ServiceUnavailable

T = TypeVar("T")

_context = CryptContext(schemes=["argon2"], deprecated="auto")

# Verified when the account does not exist, so a miss costs as much as a wrong password.
_DUMMY_HASH = _context.hash("emporium-timing-equaliser")


def default_concurrency() -> int:
    """One hash per usable CPU but one, so the event loop always keeps a core."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cpus or 1) - 1)


class PasswordHasher:
    """Hashes and verifies passwords off the event loop, a bounded number at a time."""

    def __init__(self, *, concurrency: int, queue: int) -> None:
        self._limiter = anyio.CapacityLimiter(concurrency)
        self._capacity = concurrency + queue
        self._in_flight = 0

    async def _run(self, work: Callable[..., T], *args: str) -> T:
        if self._in_flight >= self._capacity:
            raise ServiceUnavailable(
                "Too many password checks are in progress; retry in a moment.",
                headers={"Retry-After": "1"},
            )
        self._in_flight += 1
        try:
            return await anyio.to_thread.run_sync(work, *args, limiter=self._limiter)
        finally:
            self._in_flight -= 1

    async def hash(self, password: str) -> str:
        """The argon2 hash of `password`."""
        return await self._run(_context.hash, password)

    async def verify(self, password: str, password_hash: str | None) -> bool:
        """True when `password` matches; with no hash, spend the same time and return False."""
        if password_hash is None:
            await self._run(_context.verify, password, _DUMMY_HASH)
            return False
        return await self._run(_context.verify, password, password_hash)
