"""Catalog test fixtures: a migrated database, app clients, tokens and data factories."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from emporium.catalog.main import create_app
from emporium.catalog.settings import CatalogSettings
from emporium.servicekit.settings import to_async_url
from emporium.servicekit.testing import (
    TokenFactory,
    app_client,
    migrated_database,
)

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]
ClientFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


def order(*lines: tuple[Json, int], order_id: str | None = None) -> Json:
    """A reservation request body: (product, quantity) lines for one order."""
    return {
        "order_id": order_id or str(uuid.uuid4()),
        "items": [{"product_id": p["id"], "quantity": q} for p, q in lines],
    }


@pytest.fixture(scope="session")
async def catalog_database_url(postgres_server_url: str) -> AsyncIterator[str]:
    """A fresh, migrated catalog database for this test session."""
    async with migrated_database(postgres_server_url, "emporium.catalog", "test_catalog") as url:
        yield url


@pytest.fixture(scope="session")
def catalog_settings(catalog_database_url: str) -> CatalogSettings:
    """Settings pointing at the test database."""
    return CatalogSettings(database_url=catalog_database_url, environment="test", log_json=False)


@pytest.fixture(scope="session")
async def engine(catalog_database_url: str) -> AsyncIterator[AsyncEngine]:
    """Direct access to the test database (for setting up rows and checking them)."""
    eng = create_async_engine(to_async_url(catalog_database_url))
    yield eng
    await eng.dispose()


@pytest.fixture
def client_factory(catalog_settings: CatalogSettings, token_factory: TokenFactory) -> ClientFactory:
    """Start an app (lifespan included) with settings overridden by keyword arguments."""

    def make(**overrides: Any) -> AbstractAsyncContextManager[httpx.AsyncClient]:
        settings = catalog_settings.model_copy(update=overrides)
        app = create_app(settings, key_provider=token_factory.key_provider())
        return app_client(app)

    return make


@pytest.fixture
async def client(client_factory: ClientFactory) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to a catalog app that trusts `token_factory`'s key."""
    async with client_factory() as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    """An Authorization header."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def writer(token_factory: TokenFactory) -> dict[str, str]:
    """Headers of a staff member (`catalog:write`)."""
    return bearer(token_factory.issue(scopes="catalog:write orders:read:all orders:manage"))


@pytest.fixture(scope="session")
def reserver(token_factory: TokenFactory) -> dict[str, str]:
    """Headers of the orders service client (`catalog:reserve`)."""
    return bearer(token_factory.issue("orders", scopes="catalog:reserve", client_id="orders"))


@pytest.fixture(scope="session")
def customer(token_factory: TokenFactory) -> dict[str, str]:
    """Headers of a customer (no scopes)."""
    return bearer(token_factory.issue(scopes=""))


def unique(prefix: str) -> str:
    """A name no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def make_category(
    client: httpx.AsyncClient, writer: dict[str, str]
) -> Callable[..., Awaitable[Json]]:
    """Create a category through the API."""

    async def make(**fields: Any) -> Json:
        slug = unique("cat")
        body = {"slug": slug, "name": f"Category {slug}", **fields}
        response = await client.post("/catalog/categories", json=body, headers=writer)
        assert response.status_code == 201, response.text
        created: Json = response.json()
        return created

    return make


@pytest.fixture
def make_product(
    client: httpx.AsyncClient,
    writer: dict[str, str],
    make_category: Callable[..., Awaitable[Json]],
) -> Callable[..., Awaitable[Json]]:
    """Create a product through the API (in a new category unless one is given)."""

    async def make(**fields: Any) -> Json:
        if "category_id" not in fields:
            fields["category_id"] = (await make_category())["id"]
        body = {
            "sku": unique("SKU"),
            "name": "Test Product",
            "description": "A product made by a test.",
            "price_cents": 1999,
            "currency": "EUR",
            "stock": 10,
            **fields,
        }
        response = await client.post("/catalog/products", json=body, headers=writer)
        assert response.status_code == 201, response.text
        created: Json = response.json()
        return created

    return make
