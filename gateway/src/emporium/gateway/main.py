"""Gateway app factory (`uvicorn --factory emporium.gateway.main:create_app`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from emporium.gateway.breaker import BreakerState
from emporium.gateway.docs.pages import PORTAL_POLICY
from emporium.gateway.docs.registry import SpecRegistry
from emporium.gateway.docs.router import router as docs_router
from emporium.gateway.edge import EdgeApp, GatewayRuntime
from emporium.gateway.proxy import BodyLimits, Proxy, UpstreamRuntime, client_session
from emporium.gateway.ratelimit import MemoryRateLimiter, RateLimiter, RatePolicies
from emporium.gateway.readiness import upstream_checks
from emporium.gateway.settings import GatewaySettings, get_settings
from emporium.gateway.tracing import EdgeTracer
from emporium.servicekit.app import create_app as create_service_app
from emporium.servicekit.jwks import KeyProvider
from emporium.servicekit.metrics import Metrics
from emporium.servicekit.security_headers import SecurityHeadersMiddleware
from emporium.servicekit.telemetry import tracer_provider

logger = logging.getLogger("emporium.gateway")

STATIC_DIR = Path(__file__).parent / "static"
# FastAPI's own documentation routes; the gateway serves the merged ones instead.
_FASTAPI_DOC_PATHS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


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


def create_app(
    settings: GatewaySettings | None = None, *, key_provider: KeyProvider | None = None
) -> ASGIApp:
    """Build the gateway: the edge proxy layer in front of a FastAPI app for its own pages."""
    settings = settings or get_settings()
    upstreams = {u.name: UpstreamRuntime(u, settings) for u in settings.upstreams}
    runtime_box: list[GatewayRuntime] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = runtime_box[0]
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
            await asyncio.wait_for(registry.refresh(), settings.readiness_timeout_seconds * 2 + 1)
        except TimeoutError:
            logger.warning("some upstream documents were not fetched at start-up; retrying")
        refresher = asyncio.create_task(registry.run())
        try:
            yield
        finally:
            refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await refresher
            await registry.stop()
            if runtime.limiter is not None:
                await runtime.limiter.close()
            await session.close()
            for upstream in upstreams.values():
                await upstream.close()

    checks = upstream_checks(upstreams, settings.readiness_timeout_seconds)
    app = create_service_app(
        settings,
        lifespan=lifespan,
        readiness_checks=checks,
        key_provider=key_provider,
        description="The edge of Emporium: one origin for every service, and their docs.",
        content_security_policy=PORTAL_POLICY,
    )
    app.router.routes[:] = [
        r for r in app.router.routes if getattr(r, "path", None) not in _FASTAPI_DOC_PATHS
    ]
    app.include_router(docs_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    metrics: Metrics = app.state.metrics
    metrics.states(
        "gateway_circuit_breaker_state",
        "Circuit breaker of each upstream: 1 for its current state.",
        "upstream",
        lambda: [(name, u.breaker.state.value) for name, u in upstreams.items()],
        [state.value for state in BreakerState],
    )
    provider = tracer_provider()
    runtime = GatewayRuntime(
        settings=settings,
        metrics=metrics,
        upstreams=upstreams,
        policies=RatePolicies.from_settings(settings),
        rate_limited=metrics.counter(
            "gateway_rate_limit_rejections",
            "Requests the edge refused with 429, by rate-limit policy.",
            ["policy"],
        ),
        tracing=EdgeTracer(
            provider.get_tracer("emporium.gateway") if provider is not None else None,
            settings.trace_incoming,
        ),
    )
    runtime_box.append(runtime)
    app.state.runtime = runtime
    runtime.readiness = app.state.readiness
    # Answers the edge makes itself (401, 429, 502…) get the API headers too; the gateway's
    # pages and proxied answers already carry their own, which this keeps.
    edge: ASGIApp = SecurityHeadersMiddleware(EdgeApp(app, runtime))
    if settings.cors_origins:
        edge = CORSMiddleware(
            edge,
            allow_origins=list(settings.cors_origins),
            allow_methods=["*"],
            allow_headers=["*"],
            allow_credentials=settings.cors_allow_credentials,
            expose_headers=[
                "X-Request-ID",
                "Retry-After",
                "RateLimit-Limit",
                "RateLimit-Remaining",
                "RateLimit-Reset",
                "RateLimit-Policy",
                "Location",
                "ETag",
            ],
            max_age=settings.cors_max_age_seconds,
        )
    return edge
