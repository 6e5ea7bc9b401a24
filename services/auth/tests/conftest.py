"""Auth test fixtures: a migrated database, an app client, ready-made accounts and tokens."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from emporium.auth.main import create_app
from emporium.auth.settings import AuthSettings, ClientConfig
from emporium.servicekit.testing import (
    migrated_database,
    new_rsa_pem,
)

ORDERS_SECRET = "orders-test-secret-" + uuid.uuid4().hex
ADMIN_PASSWORD = "admin-password-" + uuid.uuid4().hex[:8]


@dataclass(frozen=True)
class Account:
    """A registered account and its credentials."""

    id: str
    email: str
    password: str


@dataclass(frozen=True)
class Tokens:
    """A token response."""

    access_token: str
    refresh_token: str | None
    scope: str
    body: dict[str, Any]

    @property
    def bearer(self) -> dict[str, str]:
        """The Authorization header for the access token."""
        return {"Authorization": f"Bearer {self.access_token}"}


def unique_email(prefix: str = "user") -> str:
    """An email no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def random_address() -> str:
    """A documentation-range IPv6 address, one per test client (throttle keys)."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


@pytest.fixture(scope="session")
async def auth_database_url(postgres_server_url: str) -> AsyncIterator[str]:
    """A fresh, migrated auth database for this test session."""
    async with migrated_database(postgres_server_url, "emporium.auth", "test_auth") as url:
        yield url


@pytest.fixture(scope="session")
def signing_pem() -> str:
    """The PEM key the test apps sign with (stable across app instances)."""
    return new_rsa_pem().decode()


@pytest.fixture(scope="session")
def admin_email() -> str:
    """The first administrator created by the app's start-up."""
    return unique_email("admin")


@pytest.fixture(scope="session")
def auth_settings(auth_database_url: str, signing_pem: str, admin_email: str) -> AuthSettings:
    """Settings pointing at the test database, with a key, a client and a first admin."""
    return AuthSettings(
        database_url=auth_database_url,
        environment="test",
        log_json=False,
        signing_keys=[SecretStr(signing_pem)],
        clients={
            "orders": ClientConfig(secret=SecretStr(ORDERS_SECRET), scopes=["catalog:reserve"])
        },
        admin_email=admin_email,
        admin_password=SecretStr(ADMIN_PASSWORD),
    )


@pytest.fixture(scope="session")
async def auth_app(auth_settings: AuthSettings) -> AsyncIterator[FastAPI]:
    """The running auth app, shared by the session (it verifies tokens with its own keys)."""
    app = create_app(auth_settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(auth_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the auth app, as a caller with its own address."""
    transport = httpx.ASGITransport(app=auth_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        c.headers["X-Forwarded-For"] = random_address()
        yield c


@pytest.fixture
def register(client: httpx.AsyncClient) -> Callable[..., Awaitable[Account]]:
    """Register a new customer account (unique email unless given)."""

    async def _register(email: str | None = None, password: str | None = None) -> Account:
        email = email or unique_email()
        password = password or "pw-" + uuid.uuid4().hex[:12]
        response = await client.post(
            "/auth/register",
            json={"email": email, "password": password, "full_name": "Test Person"},
        )
        assert response.status_code == 202, response.text
        # The answer names no account: sign in to learn its id.
        email = response.json()["email"]
        token = await client.post(
            "/auth/token", data={"grant_type": "password", "username": email, "password": password}
        )
        assert token.status_code == 200, token.text
        me = await client.get(
            "/auth/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
        )
        assert me.status_code == 200, me.text
        return Account(me.json()["id"], email, password)

    return _register


@pytest.fixture
def login(client: httpx.AsyncClient) -> Callable[..., Awaitable[Tokens]]:
    """Password grant for an account; fails the test unless it succeeds."""

    async def _login(email: str, password: str, scope: str | None = None) -> Tokens:
        data = {"grant_type": "password", "username": email, "password": password}
        if scope is not None:
            data["scope"] = scope
        response = await client.post("/auth/token", data=data)
        assert response.status_code == 200, response.text
        body = response.json()
        return Tokens(body["access_token"], body.get("refresh_token"), body["scope"], body)

    return _login


@pytest.fixture
async def customer(register: Callable[..., Awaitable[Account]]) -> Account:
    """A fresh customer account."""
    return await register()


@pytest.fixture
async def customer_tokens(customer: Account, login: Callable[..., Awaitable[Tokens]]) -> Tokens:
    """Tokens of the fresh customer."""
    return await login(customer.email, customer.password)


@pytest.fixture
async def admin_tokens(admin_email: str, login: Callable[..., Awaitable[Tokens]]) -> Tokens:
    """Tokens of the first administrator."""
    return await login(admin_email, ADMIN_PASSWORD)


@pytest.fixture(scope="session")
def admin_password() -> str:
    """The first administrator's password."""
    return ADMIN_PASSWORD


@pytest.fixture(scope="session")
def orders_secret() -> str:
    """The configured secret of the `orders` service client."""
    return ORDERS_SECRET


@pytest.fixture
def new_email() -> Callable[[str], str]:
    """Make an email no other test uses."""
    return unique_email
