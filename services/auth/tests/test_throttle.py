"""Brute-force protection: growing delays per (account, address) and per address, no lockout."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from emporium.auth.main import create_app
from emporium.auth.settings import AuthSettings
from emporium.auth.tokens.throttle import DelayRule
from emporium.servicekit.testing import app_client

BASE = 2.0  # the first delay; argon2 is slow on busy machines, so not much shorter


@pytest.fixture
async def strict_client(auth_settings: AuthSettings) -> AsyncIterator[httpx.AsyncClient]:
    """Auth that allows 3 free failures per (account, address), 4 per address, then delays."""
    settings = auth_settings.model_copy(
        update={
            "login_free_failures": 3,
            "login_free_failures_per_address": 4,
            "login_delay_base_seconds": BASE,
            "login_delay_max_seconds": 60.0,
            "registrations_free_per_address": 2,
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


def test_delays_double_after_the_free_failures_and_stop_at_the_cap() -> None:
    rule = DelayRule(free=2, base_seconds=1.0, max_seconds=10.0, forget_after_seconds=60.0)
    delays = [rule.delay_seconds(n) for n in range(1, 9)]
    assert delays == [0.0, 0.0, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert rule.delay_seconds(10_000) == 10.0  # no overflow for a determined attacker


async def test_a_strangers_failures_never_lock_the_owner_out(
    strict_client: httpx.AsyncClient, customer: Any
) -> None:
    stranger = address()
    for _ in range(5):
        await sign_in(strict_client, customer.email, "wrong-password", stranger)
    blocked = await sign_in(strict_client, customer.email, customer.password, stranger)
    assert blocked.status_code == 429
    assert blocked.json()["error"] == "slow_down"

    owner = await sign_in(strict_client, customer.email, customer.password, address())
    assert owner.status_code == 200
    assert owner.json()["access_token"]


async def test_failures_for_one_account_from_one_address_get_growing_delays(
    strict_client: httpx.AsyncClient, customer: Any
) -> None:
    here = address()
    for _ in range(3):  # the free failures
        response = await sign_in(strict_client, customer.email, "wrong-password", here)
        assert response.status_code == 400
    first = await sign_in(strict_client, customer.email, "wrong-password", here)
    assert first.status_code == 400  # the 4th failure is counted and starts the first delay
    blocked = await sign_in(strict_client, customer.email, customer.password, here)
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["retry-after"]) <= BASE

    await asyncio.sleep(int(blocked.headers["retry-after"]))  # what the client was told
    again = await sign_in(strict_client, customer.email, "wrong-password", here)
    assert again.status_code == 400
    longer = await sign_in(strict_client, customer.email, customer.password, here)
    assert longer.status_code == 429
    assert int(longer.headers["retry-after"]) > BASE  # the delay doubled

    await asyncio.sleep(int(longer.headers["retry-after"]))
    allowed = await sign_in(strict_client, customer.email, customer.password, here)
    assert allowed.status_code == 200


async def test_repeated_failures_from_one_address_get_429(
    strict_client: httpx.AsyncClient, customer: Any
) -> None:
    headers = address()
    for n in range(5):
        response = await sign_in(strict_client, f"ghost{n}-{customer.email}", "nope-nope", headers)
        assert response.status_code == 400
    blocked = await sign_in(strict_client, customer.email, customer.password, headers)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    # Another address is not affected.
    assert (
        await sign_in(strict_client, customer.email, customer.password, address())
    ).status_code == 200


async def test_success_resets_the_account_and_address_counter(
    strict_client: httpx.AsyncClient, customer: Any
) -> None:
    here = address()
    for _ in range(2):
        await sign_in(strict_client, customer.email, "wrong-password", here)
    signed_in = await sign_in(strict_client, customer.email, customer.password, here)
    assert signed_in.status_code == 200
    for _ in range(2):  # 4 in all: over the pair's 3 free ones unless the success reset it
        response = await sign_in(strict_client, customer.email, "wrong-password", here)
        assert response.status_code == 400
    signed_in = await sign_in(strict_client, customer.email, customer.password, here)
    assert signed_in.status_code == 200


async def test_failed_client_authentication_is_throttled(
    strict_client: httpx.AsyncClient, orders_secret: str
) -> None:
    headers = address()
    for n in range(5):
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


def registration(email: str) -> dict[str, str]:
    """A valid registration body."""
    return {"email": email, "password": "a-long-enough-password", "full_name": "Reg Istrant"}


async def test_registrations_from_one_address_are_rationed(
    strict_client: httpx.AsyncClient, new_email: Any
) -> None:
    here = address()
    for _ in range(2):
        created = await strict_client.post(
            "/auth/register", json=registration(new_email("ration")), headers=here
        )
        assert created.status_code == 202, created.text

    refused = await strict_client.post(
        "/auth/register", json=registration(new_email("ration")), headers=here
    )
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1
    assert "registrations" in refused.json()["detail"]

    elsewhere = await strict_client.post(
        "/auth/register", json=registration(new_email("ration")), headers=address()
    )
    assert elsewhere.status_code == 202


async def test_concurrent_registrations_never_all_pass_the_ration(
    strict_client: httpx.AsyncClient, new_email: Any
) -> None:
    here = address()
    answers = await asyncio.gather(
        *(
            strict_client.post(
                "/auth/register", json=registration(new_email("burst")), headers=here
            )
            for _ in range(8)
        )
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [202, 202] + [429] * 6


async def test_an_invalid_registration_does_not_use_up_the_ration(
    strict_client: httpx.AsyncClient, new_email: Any
) -> None:
    here = address()
    for _ in range(3):
        bad = await strict_client.post(
            "/auth/register", json={"email": "not-an-email", "password": "x"}, headers=here
        )
        assert bad.status_code == 422
    created = await strict_client.post(
        "/auth/register", json=registration(new_email("ration")), headers=here
    )
    assert created.status_code == 202
