"""A circuit breaker per upstream: open after consecutive failures, probe when half-open."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum


class BreakerState(StrEnum):
    """Where the breaker is in its cycle."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitBreaker:
    """Fail fast while an upstream keeps failing; let one probe through after a pause."""

    def __init__(
        self,
        *,
        failure_threshold: int,
        open_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        on_recover: Callable[[], None] | None = None,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.open_seconds = open_seconds
        self._clock = clock
        self.on_recover = on_recover
        self.state = BreakerState.CLOSED
        self.failures = 0
        self._opened_at = 0.0
        self._probe_started_at: float | None = None

    def retry_after(self) -> float | None:
        """None when a request may go through now, else the seconds until the next try."""
        if self.state is BreakerState.CLOSED:
            return None
        now = self._clock()
        if self.state is BreakerState.OPEN:
            remaining = self._opened_at + self.open_seconds - now
            if remaining > 0:
                return remaining
            self.state = BreakerState.HALF_OPEN
        # Half-open: exactly one probe at a time (a stuck probe is replaced after a pause).
        if self._probe_started_at is not None and now - self._probe_started_at < self.open_seconds:
            return max(self._probe_started_at + self.open_seconds - now, 1.0)
        self._probe_started_at = now
        return None

    def record_success(self) -> None:
        """The upstream answered: close the breaker."""
        if self.state is BreakerState.CLOSED:
            self.failures = 0
            return
        self.state = BreakerState.CLOSED
        self.failures = 0
        self._probe_started_at = None
        if self.on_recover is not None:
            self.on_recover()

    def record_failure(self) -> None:
        """The upstream could not be reached or timed out."""
        self.failures += 1
        if self.state is BreakerState.HALF_OPEN or self.failures >= self.failure_threshold:
            self.state = BreakerState.OPEN
            self._opened_at = self._clock()
            self._probe_started_at = None
