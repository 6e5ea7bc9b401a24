"""Brute-force protection: failed attempts per key in a window, kept in PostgreSQL."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import timedelta

from sqlalchemy import case, delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.auth.tokens.exceptions import too_many_attempts
from emporium.auth.tokens.models import LoginThrottle


class Throttle:
    """Counts failures per key (`user:`, `addr:`) across every replica."""

    def __init__(self, *, window_seconds: float, limits: Mapping[str, int]) -> None:
        self.window = timedelta(seconds=window_seconds)
        self._limits = dict(limits)

    def _limit(self, key: str) -> int:
        return self._limits[key.partition(":")[0]]

    async def check(self, keys: Sequence[str], *, session: AsyncSession) -> None:
        """Raise a 429 OAuth error when any key is over its limit in the current window."""
        rows = await session.execute(
            select(LoginThrottle.key, LoginThrottle.failures, LoginThrottle.window_started_at)
            .add_columns(func.now())
            .where(LoginThrottle.key.in_(keys))
        )
        retry_after = 0.0
        for key, failures, started_at, now in rows:
            remaining = (started_at + self.window - now).total_seconds()
            if failures >= self._limit(key) and remaining > 0:
                retry_after = max(retry_after, remaining)
        if retry_after > 0:
            raise too_many_attempts(max(1, math.ceil(retry_after)))

    async def record_failure(self, keys: Sequence[str], *, session: AsyncSession) -> None:
        """Count one failure for each key; a window that has passed starts over."""
        for key in sorted(keys):  # one lock order for every request: no deadlocks
            stmt = insert(LoginThrottle).values(key=key, failures=1, window_started_at=func.now())
            window_over = stmt.excluded.window_started_at - self.window >= (
                LoginThrottle.window_started_at
            )
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[LoginThrottle.key],
                    set_={
                        "failures": case((window_over, 1), else_=LoginThrottle.failures + 1),
                        "window_started_at": case(
                            (window_over, stmt.excluded.window_started_at),
                            else_=LoginThrottle.window_started_at,
                        ),
                    },
                )
            )

    async def clear(self, key: str, *, session: AsyncSession) -> None:
        """Forget the failures of `key` (after a successful sign-in)."""
        await session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))

    async def purge_expired(self, *, session: AsyncSession) -> int:
        """Delete counters whose window has passed, skipping rows other requests hold."""
        expired = (
            select(LoginThrottle.key)
            .where(LoginThrottle.window_started_at <= func.now() - self.window)
            .with_for_update(skip_locked=True)
        )
        result = await session.execute(
            delete(LoginThrottle)
            .where(LoginThrottle.key.in_(expired.scalar_subquery()))
            .returning(LoginThrottle.key)
        )
        return len(result.all())
