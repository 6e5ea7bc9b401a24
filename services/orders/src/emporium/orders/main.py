"""Orders app factory (`uvicorn --factory emporium.orders.main:create_app`)."""

from __future__ import annotations

from fastapi import FastAPI

from emporium.orders.lifecycle.router import router as orders_router
from emporium.orders.lifespan import orders_lifespan
from emporium.orders.placement.outcomes import OrderOutcomes
from emporium.orders.scopes import SCOPES
from emporium.orders.settings import OrdersSettings, get_settings
from emporium.servicekit.app import create_app as create_service_app
from emporium.servicekit.jwks import KeyProvider


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
