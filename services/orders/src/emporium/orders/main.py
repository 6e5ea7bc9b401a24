"""Orders app factory (`uvicorn --factory emporium.orders.main:create_app`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI

from emporium.orders.catalog.client import CATALOG_SCOPE, CatalogClient
from emporium.orders.orders.recovery import pending_order_recovery
from emporium.orders.orders.router import router as orders_router
from emporium.orders.orders.schemas import Problem
from emporium.orders.settings import OrdersSettings, get_settings
from emporium.servicekit import KeyProvider
from emporium.servicekit import create_app as create_service_app
from emporium.servicekit.client_credentials import ClientCredentials
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
    """The catalog client, then the task that recovers stale pending orders through it."""
    catalog = catalog_lifespan(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with catalog(app), pending_order_recovery(app):
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
    )
    _publish_problem_schema(app)
    return app


def _publish_problem_schema(app: FastAPI) -> None:
    """Add the Problem schema the routes' problem+json responses refer to by `$ref`."""
    # FastAPI files a response `model` under application/json only; ours are problem+json.
    render = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        schema = render()  # cached by FastAPI after the first call
        if first:
            problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = problem
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
