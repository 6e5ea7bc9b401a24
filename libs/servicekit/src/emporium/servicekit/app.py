"""The app factory every service and the gateway start from."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
from fastapi import APIRouter, Depends, FastAPI
from httpx_aiohttp import AiohttpTransport

from emporium.servicekit.background import periodic
from emporium.servicekit.body_limit import BodyLimitMiddleware
from emporium.servicekit.context import propagation_headers
from emporium.servicekit.db import make_engine, make_read_sessionmaker, make_sessionmaker
from emporium.servicekit.health import (
    Readiness,
    ReadinessCheck,
    database_check,
    health_router,
)
from emporium.servicekit.input_guard import guard_input
from emporium.servicekit.jwks import JWKSCache, KeyProvider
from emporium.servicekit.logs import configure_logging
from emporium.servicekit.metrics import Metrics
from emporium.servicekit.middleware import RequestContextMiddleware
from emporium.servicekit.openapi import problem_openapi
from emporium.servicekit.operation_ids import operation_id_function
from emporium.servicekit.problems import install_problem_handlers
from emporium.servicekit.revocations import Revocations, RevocationSource, http_source
from emporium.servicekit.security_headers import API_POLICY, SecurityHeadersMiddleware
from emporium.servicekit.settings import ServiceSettings
from emporium.servicekit.telemetry import (
    flush,
    instrument_app,
    instrument_engine,
    instrument_http_client,
    setup_tracing,
)
from emporium.servicekit.tokens import TokenVerifier

ExtraLifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


async def _propagate(request: httpx.Request) -> None:
    for name, value in propagation_headers().items():
        request.headers.setdefault(name, value)


def make_http_client(settings: ServiceSettings, **kwargs: Any) -> httpx.AsyncClient:
    """A pooled httpx client with timeouts that forwards the request id and trace.

    httpx's API on aiohttp's transport (`httpx-aiohttp`): httpcore's own pool costs several
    times more CPU per call, and calls to other services are on every order's path.
    """
    timeout = httpx.Timeout(
        settings.http_read_timeout_seconds, connect=settings.http_connect_timeout_seconds
    )
    # Idle connections close before uvicorn's 5 s keep-alive does, so a request never goes
    # out on a socket the server is closing.
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100, keepalive_expiry=4.0)
    kwargs.setdefault("transport", AiohttpTransport(limits=limits))
    return httpx.AsyncClient(
        timeout=timeout,
        limits=limits,
        event_hooks={"request": [_propagate]},
        **kwargs,
    )


def create_app(
    settings: ServiceSettings,
    *,
    routers: Sequence[APIRouter] = (),
    lifespan: ExtraLifespan | None = None,
    readiness_checks: Mapping[str, ReadinessCheck] | None = None,
    key_provider: KeyProvider | None = None,
    revocation_source: Callable[[FastAPI], RevocationSource] | None = None,
    content_security_policy: str = API_POLICY,
    description: str = "",
    openapi_tags: list[dict[str, Any]] | None = None,
    scopes: Mapping[str, str] | None = None,  # what the app's operations check, for its docs
    docs: bool = True,
) -> FastAPI:
    """Build a FastAPI app with the project's lifespan, errors, probes, metrics and ids.

    `docs=False` leaves out FastAPI's `/openapi.json`, `/docs` and `/redoc` (the gateway
    serves the merged ones in their place).
    """
    configure_logging(settings.service_name, level=settings.log_level, json_lines=settings.log_json)
    provider = setup_tracing(settings)
    checks: dict[str, ReadinessCheck] = {}
    if settings.uses_database:
        checks["database"] = database_check
    checks.update(readiness_checks or {})

    @asynccontextmanager
    async def app_lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if provider is not None:
                stack.push_async_callback(flush)
            if settings.uses_database:
                engine = make_engine(settings)
                stack.push_async_callback(engine.dispose)
                if provider is not None:
                    instrument_engine(engine, provider)
                app.state.engine = engine
                app.state.sessionmaker = make_sessionmaker(engine)
                app.state.read_sessionmaker = make_read_sessionmaker(engine)
            http_client = make_http_client(settings)
            stack.push_async_callback(http_client.aclose)
            if provider is not None:
                instrument_http_client(http_client, provider)
            app.state.http_client = http_client
            keys = key_provider or JWKSCache(
                settings.jwks_url,
                http_client,
                ttl=settings.jwks_cache_seconds,
                min_interval=settings.jwks_min_refetch_seconds,
                on_fetch=metrics.jwks_fetched,
            )
            source = (
                revocation_source(app)
                if revocation_source is not None
                else http_source(settings.revocation_list_url, http_client)
            )
            app.state.revocations = revocations = Revocations(source)
            app.state.token_verifier = TokenVerifier(
                keys,
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
                revocations=revocations,
            )
            await stack.enter_async_context(
                periodic(
                    revocations.refresh,
                    interval=settings.revocations_refresh_seconds,
                    name="revocation-list-refresh",
                )
            )
            if lifespan is not None:
                await stack.enter_async_context(lifespan(app))
            yield

    app = FastAPI(
        title=settings.service_title,
        version=settings.service_version,
        description=description,
        lifespan=app_lifespan,
        generate_unique_id_function=operation_id_function(settings.service_name),
        openapi_tags=openapi_tags,
        openapi_url="/openapi.json" if docs else None,
        # Behind the gateway a redirect would send clients to the internal host name.
        redirect_slashes=False,
        dependencies=[Depends(guard_input)],
    )
    app.openapi = problem_openapi(  # type: ignore[method-assign]
        app, token_path=settings.token_path, scopes=scopes or {}
    )
    app.state.settings = settings
    metrics = Metrics(settings.service_name)
    app.state.metrics = metrics
    install_problem_handlers(app)
    app.state.readiness = readiness = Readiness(checks, ttl=settings.readiness_cache_seconds)
    app.include_router(health_router(readiness))
    # An empty token is no token: "Bearer " must never read the metrics.
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    scrape = metrics.scraper_endpoint(token=token or None, public=settings.metrics_public)
    app.add_api_route("/metrics", scrape, include_in_schema=False)
    for router in routers:
        app.include_router(router)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware, content_security_policy=content_security_policy)
    app.add_middleware(RequestContextMiddleware, metrics=metrics, tracing=provider is not None)
    if provider is not None:
        instrument_app(app, provider)
    return app
