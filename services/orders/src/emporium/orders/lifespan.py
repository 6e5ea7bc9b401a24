"""What the orders app holds while it runs: the catalog client and the recovery tasks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from emporium.orders.catalog.client import CATALOG_SCOPE, CatalogClient
from emporium.orders.placement.recovery import pending_order_recovery
from emporium.orders.releases.relay import stock_release_relay
from emporium.orders.settings import OrdersSettings
from emporium.servicekit.client_credentials import ClientCredentials
from emporium.servicekit.resilience import CircuitBreaker, RetryPolicy
from emporium.servicekit.service_client import ServiceClient


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
            retry=RetryPolicy(retries=settings.catalog_retries),
            breaker=CircuitBreaker(
                failure_threshold=settings.catalog_breaker_failures,
                open_seconds=settings.catalog_breaker_reset_seconds,
            ),
            metrics=app.state.metrics,
        )
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
