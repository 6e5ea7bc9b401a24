"""Orders test fixtures: a migrated database, a stand-in catalog and app clients."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import asyncpg
import httpx
import pytest
from jose import jwt
from pydantic import SecretStr

from emporium.orders.main import create_app
from emporium.orders.settings import OrdersSettings
from emporium.servicekit.testing import (
    TokenFactory,
    app_client,
    migrated_database,
)

from .catalog_double import CLIENT_SECRET, CatalogDouble, serve

AppFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture(scope="session")
async def orders_database_url(postgres_server_url: str) -> AsyncIterator[str]:
    """A fresh, migrated orders database for this test session."""
    async with migrated_database(postgres_server_url, "emporium.orders", "test_orders") as url:
        yield url


@pytest.fixture(scope="session")
def catalog_double(token_factory: TokenFactory) -> CatalogDouble:
    """The stand-in gateway/auth/catalog (state shared by the session; tests own their products)."""
    return CatalogDouble(token_factory)


@pytest.fixture(scope="session")
async def catalog_url(catalog_double: CatalogDouble) -> AsyncIterator[str]:
    """Base URL of the stand-in, served by uvicorn on a free port."""
    async with serve(catalog_double.app()) as url:
        yield url


@pytest.fixture
def catalog(catalog_double: CatalogDouble) -> AsyncIterator[CatalogDouble] | Any:
    """The stand-in, healthy at the start and end of each test."""
    catalog_double.reset_faults()
    yield catalog_double
    catalog_double.reset_faults()


@pytest.fixture(scope="session")
def orders_settings(orders_database_url: str, catalog_url: str) -> OrdersSettings:
    """Settings pointing at the test database and the stand-in catalog."""
    return OrdersSettings(
        database_url=orders_database_url,
        environment="test",
        log_json=False,
        gateway_url=catalog_url,
        client_secret=SecretStr(CLIENT_SECRET),
        catalog_timeout_seconds=1.0,
        catalog_breaker_failures=3,
        catalog_breaker_reset_seconds=1.0,
    )


@pytest.fixture
def make_client(orders_settings: OrdersSettings, token_factory: TokenFactory) -> AppFactory:
    """Build an orders app (optionally with changed settings) and a client talking to it."""

    @asynccontextmanager
    async def build(**changes: Any) -> AsyncIterator[httpx.AsyncClient]:
        settings = orders_settings.model_copy(update=changes) if changes else orders_settings
        app = create_app(settings, key_provider=token_factory.key_provider())
        async with app_client(app) as client:
            yield client

    return build


@pytest.fixture
async def client(make_client: AppFactory) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an orders app wired to the healthy stand-in catalog."""
    async with make_client() as c:
        yield c


@pytest.fixture
def customer(token_factory: TokenFactory) -> Callable[[], dict[str, str]]:
    """Make a new customer; returns Authorization headers for them."""

    def make() -> dict[str, str]:
        return {"Authorization": f"Bearer {token_factory.issue(str(uuid.uuid4()))}"}

    return make


@pytest.fixture
def staff_headers(token_factory: TokenFactory) -> dict[str, str]:
    """Headers of a staff member (orders:read:all, orders:manage)."""
    token = token_factory.issue(str(uuid.uuid4()), "orders:read:all orders:manage catalog:write")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def db(orders_database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection to the orders database, to check what was (not) written."""
    conn = await asyncpg.connect(
        orders_database_url.replace("postgresql+asyncpg://", "postgresql://")
    )
    yield conn
    await conn.close()


def order_body(*lines: tuple[uuid.UUID, int]) -> dict[str, Any]:
    """A POST /orders body."""
    return {"items": [{"product_id": str(p), "quantity": q} for p, q in lines]}


def key() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": str(uuid.uuid4())}


def user_of(headers: dict[str, str]) -> uuid.UUID:
    """The user id in the bearer token of `headers`."""
    return uuid.UUID(jwt.get_unverified_claims(headers["Authorization"].split()[1])["sub"])


async def stored_orders(db: asyncpg.Connection, headers: dict[str, str]) -> int:
    """How many order rows (any status, pending included) the database holds for that user."""
    count: int = await db.fetchval(
        "SELECT count(*) FROM customer_order WHERE user_id = $1", user_of(headers)
    )
    return count
