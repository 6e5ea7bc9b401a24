"""What the gateway holds while it runs: upstream pools, the proxy, the limiter and the docs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from fastapi import FastAPI

from emporium.gateway.body import BodyLimits
from emporium.gateway.docs.registry import SpecRegistry
from emporium.gateway.proxy import Proxy
from emporium.gateway.ratelimit import MemoryRateLimiter, RateLimiter
from emporium.gateway.runtime import GatewayRuntime
from emporium.gateway.settings import GatewaySettings
from emporium.gateway.upstream import client_session
from emporium.servicekit.background import periodic

logger = logging.getLogger("emporium.gateway")


def _control_session(settings: GatewaySettings, upstreams: int) -> aiohttp.ClientSession:
    # Readiness probes and document fetches get a small pool of their own, apart from traffic.
    return client_session(2 * upstreams, settings.keepalive_seconds)


def _limiter(settings: GatewaySettings) -> RateLimiter | None:
    if not settings.rate_limit_enabled:
        return None
    if settings.redis_url:
        from emporium.gateway.redis_limiter import RedisRateLimiter  # only when configured

        return RedisRateLimiter(settings.redis_url, prefix=settings.redis_key_prefix)
    return MemoryRateLimiter()


@asynccontextmanager
async def gateway_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the upstream pools, fill in `app.state.runtime`, and keep the merged docs fresh."""
    settings: GatewaySettings = app.state.settings
    runtime: GatewayRuntime = app.state.runtime
    upstreams = runtime.upstreams
    session = _control_session(settings, len(upstreams))
    app.state.upstream_session = session
    for upstream in upstreams.values():
        upstream.open()
    runtime.proxy = Proxy(
        BodyLimits(
            max_bytes=settings.max_body_bytes,
            timeout_seconds=settings.body_timeout_seconds,
            min_rate=settings.body_min_rate,
        ),
        tracing=runtime.tracing,
    )
    runtime.verifier = app.state.token_verifier
    runtime.limiter = _limiter(settings)
    registry = SpecRegistry(settings, upstreams, session)
    app.state.spec_registry = registry
    for name, upstream in upstreams.items():
        upstream.breaker.on_recover = lambda name=name: registry.upstream_recovered(name)
    try:
        try:
            await asyncio.wait_for(registry.refresh(), settings.readiness_timeout_seconds * 2 + 1)
        except TimeoutError:
            logger.warning("some upstream documents were not fetched at start-up; retrying")
        async with periodic(
            registry.refresh_due,
            interval=settings.openapi_retry_seconds,
            name="gateway-docs-refresh",
        ):
            yield
    finally:
        await registry.stop()
        if runtime.limiter is not None:
            await runtime.limiter.close()
        await session.close()
        for upstream in upstreams.values():
            await upstream.close()
