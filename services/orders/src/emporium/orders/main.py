"""Orders app factory (`uvicorn --factory emporium.orders.main:create_app`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from emporium.orders.catalog.client import CATALOG_SCOPE, CatalogClient
from emporium.orders.orders.outcomes import OrderOutcomes
from emporium.orders.orders.recovery import pending_order_recovery
from emporium.orders.orders.router import router as orders_router
from emporium.orders.releases.relay import stock_release_relay
from emporium.orders.scopes import SCOPES
from emporium.orders.settings import OrdersSettings, get_settings
from emporium.servicekit.app import create_app as create_service_app
from emporium.servicekit.client_credentials import ClientCredentials
from emporium.servicekit.jwks import KeyProvider
from emporium.servicekit.service_client import CircuitBreaker, ServiceClient


def catalog_lifespan(
    settings: OrdersSettings,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Create the catalog client (token cache, circuit breaker) on the app's HTTP client."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        secret = await asyncio.to_thread(settings.read_client_secret)
        credentials = ClientCredentials(
            app.state.http_client,
            settings.token_url,
            settings.client_id,
            secret,
            scope=CATALOG_SCOPE,
            timeout=settings.catalog_timeout_seconds,
        )
        client = ServiceClient(
            "catalog",
            app.state.http_client,
            settings.gateway_url,
            credentials=credentials,
            timeout=settings.catalog_timeout_seconds,
            retries=settings.catalog_retries,
            breaker=CircuitBreaker(
                failure_threshold=settings.catalog_breaker_failures,
                reset_seconds=settings.catalog_breaker_reset_seconds,
            ),
        )
        app.state.service_clients = {"catalog": client}
        app.state.catalog_client = CatalogClient(client)
        yield

    return lifespan


def orders_lifespan(
    settings: OrdersSettings,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The catalog client, then the tasks that recover stale pending orders and settle owed
    stock releases through it."""
    catalog = catalog_lifespan(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with catalog(app), pending_order_recovery(app), stock_release_relay(app):
            yield

    return lifespan


def create_app(
    settings: OrdersSettings | None = None, *, key_provider: KeyProvider | None = None
) -> FastAPI:
    """Build the orders app (its lifespan also runs the pending-order recovery task)."""
    settings = settings or get_settings()
    app = create_service_app(
        settings,
        routers=[orders_router],
        lifespan=orders_lifespan(settings),
        key_provider=key_provider,
        description="Idempotent order placement over the catalog.",
        openapi_tags=[
            {"name": "orders", "description": "Place, read, cancel, ship and deliver orders."}
        ],
        scopes=SCOPES,
    )
    app.state.order_outcomes = OrderOutcomes(app.state.metrics)
    return app
