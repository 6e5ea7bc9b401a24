"""Token-bucket rate limiting: in memory per process, or shared by every replica in Redis."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from emporium.gateway.settings import GatewaySettings
    from emporium.servicekit.tokens import Principal

MAX_MEMORY_BUCKETS = 100_000


@dataclass(frozen=True, slots=True)
class RatePolicy:
    """A bucket of `burst` tokens refilled at `rate` tokens per second."""

    name: str
    rate: float
    burst: int

    @property
    def window_seconds(self) -> int:
        """Seconds an empty bucket takes to fill up."""
        return max(1, math.ceil(self.burst / self.rate))


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of taking one token."""

    allowed: bool
    policy: RatePolicy
    tokens: float

    @property
    def retry_after(self) -> int:
        """Whole seconds until one token is back (0 when allowed)."""
        if self.allowed:
            return 0
        return max(1, math.ceil((1.0 - self.tokens) / self.policy.rate))

    def headers(self) -> list[tuple[bytes, bytes]]:
        """`RateLimit-*` headers (IETF draft) plus `Retry-After` when refused."""
        p = self.policy
        reset = math.ceil((p.burst - self.tokens) / p.rate) if self.tokens < p.burst else 0
        out = [
            (b"ratelimit-limit", str(p.burst).encode()),
            (b"ratelimit-remaining", str(max(0, math.floor(self.tokens))).encode()),
            (b"ratelimit-reset", str(reset).encode()),
            (b"ratelimit-policy", f"{p.burst};w={p.window_seconds}".encode()),
        ]
        if not self.allowed:
            out.append((b"retry-after", str(self.retry_after).encode()))
        return out


@dataclass(frozen=True, slots=True)
class RatePolicies:
    """One policy per kind of caller, so no kind can use up what another needs."""

    anonymous: RatePolicy
    customer: RatePolicy
    customer_address: RatePolicy
    service: RatePolicy
    token: RatePolicy

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> RatePolicies:
        """The policies the gateway settings describe."""
        s = settings
        return cls(
            anonymous=RatePolicy(
                "anonymous", s.anonymous_rate_limit_per_second, s.anonymous_rate_limit_burst
            ),
            customer=RatePolicy(
                "customer", s.customer_rate_limit_per_second, s.customer_rate_limit_burst
            ),
            customer_address=RatePolicy(
                "customer-address",
                s.customer_address_rate_limit_per_second,
                s.customer_address_rate_limit_burst,
            ),
            service=RatePolicy(
                "service", s.service_rate_limit_per_second, s.service_rate_limit_burst
            ),
            token=RatePolicy("token", s.token_rate_limit_per_second, s.token_rate_limit_burst),
        )

    def buckets(
        self, *, token_request: bool, principal: Principal | None, address: str | None
    ) -> list[tuple[RatePolicy, str]]:
        """The buckets one request takes a token from, in order; all must allow it.

        The token endpoint has its own strict bucket per address; a service client (client
        credentials) its own large bucket; a customer one per account and one per address
        (so many accounts behind one address cannot multiply the limit); anonymous callers
        one per address.
        """
        if token_request:
            return [(self.token, f"ip:{address}")]
        if principal is None:
            return [(self.anonymous, f"ip:{address}")]
        if principal.is_client:
            return [(self.service, f"client:{principal.subject}")]
        return [
            (self.customer, f"sub:{principal.subject}"),
            (self.customer_address, f"ip:{address}"),
        ]


class RateLimiter(Protocol):
    """Takes one token from a bucket."""

    async def hit(self, policy: RatePolicy, key: str) -> Decision:
        """Take a token from `key`'s bucket under `policy`."""
        ...

    async def close(self) -> None:
        """Release resources."""
        ...


class MemoryRateLimiter:
    """Buckets in this process (one replica; the default)."""

    def __init__(self, *, max_buckets: int = MAX_MEMORY_BUCKETS) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}
        self._max = max_buckets

    async def hit(self, policy: RatePolicy, key: str) -> Decision:
        """Take a token from `key`'s bucket under `policy`."""
        now = time.monotonic()
        bucket_key = f"{policy.name}:{key}"
        tokens, last = self._buckets.get(bucket_key, (float(policy.burst), now))
        tokens = min(float(policy.burst), tokens + (now - last) * policy.rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[bucket_key] = (tokens, now)
        if len(self._buckets) > self._max:
            for old in list(self._buckets)[: self._max // 10]:
                del self._buckets[old]
        return Decision(allowed, policy, tokens)

    async def close(self) -> None:
        """Nothing to release."""
