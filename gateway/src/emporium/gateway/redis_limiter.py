"""Token buckets in Redis: shared by every gateway replica, refilled atomically by a Lua script."""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from emporium.gateway.ratelimit import Decision, RatePolicy

logger = logging.getLogger("emporium.gateway.ratelimit")

# Atomic refill-and-take; the clock is Redis's own so every replica agrees.
_LUA = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local ttl_ms = tonumber(ARGV[3])
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = t
end
tokens = math.min(burst, tokens + math.max(0, t - ts) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(t))
redis.call('PEXPIRE', KEYS[1], ttl_ms)
return {allowed, tostring(tokens)}
"""


class RedisRateLimiter:
    """Buckets in Redis, shared by every gateway replica; fails open if Redis is down."""

    def __init__(self, url: str, *, prefix: str = "emporium:ratelimit:") -> None:
        self.redis: Redis = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._script = self.redis.register_script(_LUA)
        self._prefix = prefix

    async def hit(self, policy: RatePolicy, key: str) -> Decision:
        """Take a token from `key`'s bucket under `policy`."""
        ttl_ms = policy.window_seconds * 1000 + 1000
        try:
            allowed, tokens = await self._script(
                keys=[f"{self._prefix}{policy.name}:{key}"],
                args=[policy.rate, policy.burst, ttl_ms],
            )
        except RedisError as exc:
            logger.warning("rate limiter unavailable, letting the request through: %s", exc)
            return Decision(True, policy, float(policy.burst))
        return Decision(bool(int(allowed)), policy, float(tokens))

    async def close(self) -> None:
        """Close the connection pool."""
        await self.redis.aclose()
