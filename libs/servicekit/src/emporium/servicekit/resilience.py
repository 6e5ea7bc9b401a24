"""Failing fast and retrying safely: the circuit breaker and retry policy of every outgoing call.

The service client (`service_client`) and the gateway's proxy both use these, so an upstream
that keeps failing is treated the same way wherever it is called from.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

# RFC 9110 §9.2.2: repeating one of these has the same effect as sending it once.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})


class BreakerState(StrEnum):
    """Where a circuit breaker is in its cycle."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitBreaker:
    """Opens after `failure_threshold` failures in a row; lets one trial call through after
    `open_seconds` (a trial still running after another `open_seconds` is given up on)."""

    def __init__(
        self,
        *,
        failure_threshold: int = 5,
        open_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        on_recover: Callable[[], None] | None = None,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.open_seconds = open_seconds
        self.on_recover = on_recover
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_started_at: float | None = None

    @property
    def state(self) -> BreakerState:
        """Closed, open, or half-open (the pause is over: a trial may go)."""
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at < self.open_seconds:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN

    def allow(self) -> bool:
        """True when a call may go out now (and, half-open, mark it as the one trial)."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.OPEN:
            return False
        now = self._clock()
        if self._trial_started_at is not None and now - self._trial_started_at < self.open_seconds:
            return False
        self._trial_started_at = now
        return True

    def retry_after(self) -> int:
        """Whole seconds until a call may be let through again (at least 1)."""
        if self._opened_at is None:
            return 1
        now = self._clock()
        if self._trial_started_at is not None:
            left = self._trial_started_at + self.open_seconds - now
        else:
            left = self._opened_at + self.open_seconds - now
        return max(1, math.ceil(left))

    def record_success(self) -> None:
        """The upstream answered: close the circuit."""
        recovered = self._opened_at is not None
        self._failures = 0
        self._opened_at = None
        self._trial_started_at = None
        if recovered and self.on_recover is not None:
            self.on_recover()

    def record_failure(self) -> None:
        """The upstream failed: count it, and open (or re-open) the circuit at the threshold."""
        self._failures += 1
        if self._trial_started_at is not None or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
        self._trial_started_at = None

    def release_trial(self) -> None:
        """A call ended without saying anything about the upstream (e.g. it was cancelled)."""
        self._trial_started_at = None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often a failed idempotent call is sent again, and how long to wait in between."""

    retries: int = 2
    backoff_seconds: float = 0.05

    def applies(self, method: str, *, idempotent: bool | None = None) -> bool:
        """True when a call may be retried: `idempotent` when given, else by its method."""
        return method.upper() in IDEMPOTENT_METHODS if idempotent is None else idempotent

    def delay(self, attempt: int) -> float | None:
        """Seconds to wait before retrying after failed `attempt` (1-based); None: give up.

        Exponential backoff with jitter, so that callers that failed together do not all
        come back at the same moment.
        """
        if attempt > self.retries:
            return None
        if self.backoff_seconds <= 0:
            return 0.0
        jitter = 0.5 + random.random()  # nosec B311 # noqa: S311 (spreads retries, not a secret)
        return float(self.backoff_seconds * 2 ** (attempt - 1) * jitter)
