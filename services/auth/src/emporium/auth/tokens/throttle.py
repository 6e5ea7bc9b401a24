"""Brute-force protection with growing delays, kept in PostgreSQL for every replica.

Each key (`pair:<email>|<address>`, `addr:<address>`, `register:<address>`) may fail a few
times for free; each further failure blocks the key for a delay that doubles (base, twice that, …
up to a cap). A key with no failure for its rule's `forget_after_seconds` starts over. There is
no account-wide lock: a stranger guessing at an account slows down only their own address,
never the owner signing in from theirs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Interval,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.auth.tokens.models import LoginThrottle

# 2**30 seconds is decades: the exponent is capped so PostgreSQL never overflows a double.
_MAX_DOUBLINGS = 30


@dataclass(frozen=True, slots=True)
class DelayRule:
    """`free` failures cost nothing; then each blocks for `base_seconds`, doubling, capped."""

    free: int
    base_seconds: float
    max_seconds: float
    forget_after_seconds: float

    def delay_seconds(self, failures: int) -> float:
        """How long a key is blocked after its `failures`-th failure (0 while free)."""
        if failures <= self.free:
            return 0.0
        doublings = min(failures - self.free - 1, _MAX_DOUBLINGS)
        return float(min(self.max_seconds, self.base_seconds * 2**doublings))

    def blocked_until(self, failures: ColumnElement[int]) -> ColumnElement[datetime | None]:
        """`delay_seconds` as SQL, counted from the database's clock."""
        doublings = func.least(failures - self.free - 1, _MAX_DOUBLINGS)
        seconds = func.least(self.max_seconds, self.base_seconds * func.power(2, doublings))
        blocked = func.now() + func.make_interval(0, 0, 0, 0, 0, 0, seconds)
        return case((failures > self.free, blocked), else_=None)


def _seconds_up(wait: timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds()))


class Throttle:
    """Counts failures per key and blocks a key with growing delays."""

    def __init__(self, rules: Mapping[str, DelayRule]) -> None:
        self._rules = dict(rules)

    def _rule(self, key: str) -> DelayRule:
        return self._rules[key.partition(":")[0]]

    async def blocked_for(self, keys: Sequence[str], *, session: AsyncSession) -> int | None:
        """Whole seconds until every key may try again, or None when none is blocked."""
        waits = await session.scalars(
            select(type_coerce(LoginThrottle.blocked_until - func.now(), Interval())).where(
                LoginThrottle.key.in_(keys), LoginThrottle.blocked_until > func.now()
            )
        )
        longest = max(waits, default=None)
        return None if longest is None else _seconds_up(longest)

    async def record_failure(self, keys: Sequence[str], *, session: AsyncSession) -> None:
        """Count one failure for each key and block it for as long as its rule says."""
        for key in sorted(keys):  # one lock order for every request: no deadlocks
            await self._count(key, session=session)

    async def take(self, key: str, *, session: AsyncSession) -> int | None:
        """Count one use of a rationed action; the seconds to wait when it is over its ration.

        The count is taken under the row's lock, so concurrent callers never all pass.
        """
        blocked = await self.blocked_for([key], session=session)
        if blocked is not None:
            return blocked
        failures, blocked_until, now = await self._count(key, session=session)
        if failures > self._rule(key).free and blocked_until is not None:
            return _seconds_up(blocked_until - now)
        return None

    async def _count(
        self, key: str, *, session: AsyncSession
    ) -> tuple[int, datetime | None, datetime]:
        rule = self._rule(key)
        stmt = insert(LoginThrottle).values(
            key=key,
            failures=1,
            last_failure_at=func.now(),
            blocked_until=rule.blocked_until(literal(1)),
        )
        forget = timedelta(seconds=rule.forget_after_seconds)
        forgotten = LoginThrottle.last_failure_at <= func.now() - forget
        failures = case((forgotten, 1), else_=LoginThrottle.failures + 1)
        row = (
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[LoginThrottle.key],
                    set_={
                        "failures": failures,
                        "last_failure_at": func.now(),
                        "blocked_until": rule.blocked_until(failures),
                    },
                ).returning(LoginThrottle.failures, LoginThrottle.blocked_until, func.now())
            )
        ).one()
        return row[0], row[1], row[2]

    async def clear(self, key: str, *, session: AsyncSession) -> None:
        """Forget the failures of `key` (after a successful sign-in)."""
        await session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))

    async def purge_expired(self, *, session: AsyncSession) -> int:
        """Delete forgotten, unblocked counters, skipping rows other requests hold."""
        purged = 0
        for prefix, rule in self._rules.items():
            forget = timedelta(seconds=rule.forget_after_seconds)
            expired = (
                select(LoginThrottle.key)
                .where(
                    LoginThrottle.key.startswith(f"{prefix}:", autoescape=True),
                    LoginThrottle.last_failure_at <= func.now() - forget,
                    or_(
                        LoginThrottle.blocked_until.is_(None),
                        LoginThrottle.blocked_until <= func.now(),
                    ),
                )
                .with_for_update(skip_locked=True)
            )
            result = await session.execute(
                delete(LoginThrottle)
                .where(LoginThrottle.key.in_(expired.scalar_subquery()))
                .returning(LoginThrottle.key)
            )
            purged += len(result.all())
        return purged
