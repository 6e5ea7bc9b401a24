"""An upstream as the gateway holds it: its own connection pool, timeouts and circuit breaker."""

from __future__ import annotations

import aiohttp

from emporium.gateway.settings import GatewaySettings, Upstream
from emporium.servicekit.resilience import CircuitBreaker


class UpstreamRuntime:
    """An upstream with its own connection pool, timeouts and circuit breaker."""

    def __init__(self, upstream: Upstream, settings: GatewaySettings) -> None:
        self.config = upstream
        self.name = upstream.name
        self.base_url = upstream.url
        self.pool_size = upstream.pool_size or settings.pool_size
        self.keepalive_seconds = settings.keepalive_seconds
        self.timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=upstream.connect_timeout_seconds or settings.connect_timeout_seconds,
            sock_read=upstream.read_timeout_seconds or settings.read_timeout_seconds,
        )
        self.breaker = CircuitBreaker(
            failure_threshold=settings.breaker_failure_threshold,
            open_seconds=settings.breaker_open_seconds,
        )
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """This upstream's pooled session (opened by the lifespan)."""
        assert self._session is not None, "the gateway lifespan has not run"
        return self._session

    def open(self) -> None:
        """Open this upstream's pool."""
        self._session = client_session(self.pool_size, self.keepalive_seconds)

    async def close(self) -> None:
        """Close this upstream's pool."""
        if self._session is not None:
            await self._session.close()
            self._session = None


def client_session(pool_size: int, keepalive_seconds: float) -> aiohttp.ClientSession:
    """A session that passes requests through untouched, over at most `pool_size` sockets."""
    connector = aiohttp.TCPConnector(
        limit=pool_size,
        limit_per_host=0,
        keepalive_timeout=keepalive_seconds,
        ttl_dns_cache=60,
    )
    return aiohttp.ClientSession(
        connector=connector,
        auto_decompress=False,
        cookie_jar=aiohttp.DummyCookieJar(),
        skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
        timeout=aiohttp.ClientTimeout(total=None),
    )
