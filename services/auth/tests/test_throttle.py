"""Brute-force protection: 429 with Retry-After, and sign-in works again after the window."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from emporium.auth.main import create_app
from emporium.auth.settings import AuthSettings
from emporium.servicekit.testing import app_client

WINDOW = 8.0  # argon2 is slow on busy machines: every failure must fit in the window


@pytest.fixture
async def strict_client(auth_settings: AuthSettings) -> AsyncIterator[httpx.AsyncClient]:
    """An auth app that allows 3 failures per account, 4 per address, in a short window."""
    settings = auth_settings.model_copy(
        update={
            "login_max_failures": 3,
            "login_max_failures_per_address": 4,
            "login_failure_window_seconds": WINDOW,
            "admin_email": None,
            "admin_password": None,
        }
    )
    async with app_client(create_app(settings)) as client:
        yield client


def address() -> dict[str, str]:
    """An X-Forwarded-For header with a fresh caller address (behind a trusted proxy)."""
    return {"X-Forwarded-For": f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}, 10.0.0.7"}


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str, headers: dict[str, str]
) -> httpx.Response:
    """A password grant."""
    return await client.post(
        "/auth/token",
        data={"grant_type": "password", "username": email, "password": password},
        headers=headers,
    )


async def test_repeated_failures_for_one_account_get_429_then_work_after_the_window(
    strict_client: httpx.AsyncClient, customer: Any
) -> None:
    for _ in range(3):
        headers = address()  # spread over addresses: the per-account limit must hold alone
        response = await sign_in(strict_client, customer.email, "wrong-password", headers)
        assert response.status_code == 400
    blocked = await sign_in(strict_client, customer.email, customer.password, address())
    assert blocked.status_code == 429
    assert blocked.json()["error"] == "slow_down"
    retry_after = int(blocked.headers["retry-after"])
    assert 1 <= retry_after <= WINDOW

    await asyncio.sleep(retry_after)  # exactly what the client was told to wait
    allowed = await sign_in(strict_client, customer.email, customer.password, address())
    assert allowed.status_code == 200
    assert allowed.json()["access_token"]


async def test_repeated_failures_from_one_address_get_429(
    strict_client: httpx.AsyncClient, customer: Any
) -> None:
    headers = address()
    for n in range(4):
        response = await sign_in(strict_client, f"ghost{n}-{customer.email}", "nope-nope", headers)
        assert response.status_code == 400
    blocked = await sign_in(strict_client, customer.email, customer.password, headers)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    # Another address is not affected.
    assert (
        await sign_in(strict_client, customer.email, customer.password, address())
    ).status_code == 200


async def test_success_resets_the_account_counter(
    strict_client: httpx.AsyncClient, customer: Any
) -> None:
    for _ in range(2):
        await sign_in(strict_client, customer.email, "wrong-password", address())
    assert (
        await sign_in(strict_client, customer.email, customer.password, address())
    ).status_code == 200
    for _ in range(2):
        response = await sign_in(strict_client, customer.email, "wrong-password", address())
        assert response.status_code == 400
    assert (
        await sign_in(strict_client, customer.email, customer.password, address())
    ).status_code == 200


async def test_failed_client_authentication_is_throttled(
    strict_client: httpx.AsyncClient, orders_secret: str
) -> None:
    headers = address()
    for n in range(4):
        response = await strict_client.post(
            "/auth/token",
            data={"grant_type": "client_credentials"},
            auth=("orders" if n % 2 else "intruder", "guess"),
            headers=headers,
        )
        assert response.status_code == 401
    blocked = await strict_client.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        auth=("orders", orders_secret),
        headers=headers,
    )
    assert blocked.status_code == 429
    assert "retry-after" in blocked.headers
