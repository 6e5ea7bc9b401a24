"""Catalog app factory (`uvicorn --factory emporium.catalog.main:create_app`)."""

from __future__ import annotations

from fastapi import FastAPI

from emporium.catalog.categories.router import router as categories_router
from emporium.catalog.lifespan import catalog_lifespan
from emporium.catalog.products.router import router as products_router
from emporium.catalog.reservations.router import router as reservations_router
from emporium.catalog.scopes import SCOPES
from emporium.catalog.settings import CatalogSettings, get_settings
from emporium.servicekit.app import create_app as create_service_app
from emporium.servicekit.jwks import KeyProvider

OPENAPI_TAGS = [
    {"name": "products", "description": "Public product reads; writes need `catalog:write`."},
    {"name": "categories", "description": "Public category reads; writes need `catalog:write`."},
    {
        "name": "reservations",
        "description": "Stock held for orders; needs `catalog:reserve` (the orders service).",
    },
]


def create_app(
    settings: CatalogSettings | None = None, *, key_provider: KeyProvider | None = None
) -> FastAPI:
    """Build the catalog app (its lifespan also runs the reservation expiry sweeper)."""
    return create_service_app(
        settings or get_settings(),
        routers=[products_router, categories_router, reservations_router],
        lifespan=catalog_lifespan,
        key_provider=key_provider,
        description="Products, categories and stock reservations.",
        openapi_tags=OPENAPI_TAGS,
        scopes=SCOPES,
    )
