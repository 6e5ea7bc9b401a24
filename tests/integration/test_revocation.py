"""Revocation reaches every service: deactivated, demoted and revoked tokens stop within seconds."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

import httpx
import pytest

from tests.integration.helpers import bearer, new_customer, new_product

pytestmark = pytest.mark.slow

# Each part refreshes the list every 3 s (REVOCATIONS_REFRESH_SECONDS); allow for a busy machine.
DEADLINE_SECONDS = 15.0


async def refused_within(call: Callable[[], Awaitable[httpx.Response]]) -> float:
    """Seconds until `call` answers 401; fails the test past the deadline."""
    started = time.monotonic()
    while True:
        response = await call()
        if response.status_code == 401:
            return time.monotonic() - started
        assert response.status_code < 500, response.text
        assert time.monotonic() - started < DEADLINE_SECONDS, "the old token still works"
        await asyncio.sleep(0.25)


async def account_id(gateway: httpx.AsyncClient, token: str) -> str:
    """The id of the account a token belongs to."""
    me = await gateway.get("/auth/me", headers=bearer(token))
    assert me.status_code == 200, me.text
    return str(me.json()["id"])


async def test_a_deactivated_customer_can_no_longer_order(
    gateway: httpx.AsyncClient, admin_token: str
) -> None:
    _, token = await new_customer(gateway, admin_token)
    user_id = await account_id(gateway, token)
    assert (await gateway.get("/orders", headers=bearer(token))).status_code == 200

    deactivated = await gateway.post(
        f"/auth/users/{user_id}/deactivate", headers=bearer(admin_token)
    )
    assert deactivated.status_code == 200, deactivated.text

    await refused_within(lambda: gateway.get("/orders", headers=bearer(token)))
    product = await new_product(gateway, admin_token, stock=5)
    placed = await gateway.post(
        "/orders",
        json={"items": [{"product_id": product["id"], "quantity": 1}]},
        headers={**bearer(token), "Idempotency-Key": str(uuid.uuid4())},
    )
    assert placed.status_code == 401


async def sign_in(gateway: httpx.AsyncClient, email: str, password: str) -> str:
    """An access token from the password grant."""
    response = await gateway.post(
        "/auth/token", data={"grant_type": "password", "username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


async def test_demoted_staff_can_no_longer_restock(
    gateway: httpx.AsyncClient, admin_token: str
) -> None:
    email, password = f"staff-{uuid.uuid4().hex[:12]}@example.com", f"pw-{uuid.uuid4().hex}"
    created = await gateway.post(
        "/auth/users",
        json={"email": email, "password": password, "full_name": "Staff", "roles": ["staff"]},
        headers=bearer(admin_token),
    )
    assert created.status_code == 201, created.text
    staff_token = await sign_in(gateway, email, password)
    product = await new_product(gateway, admin_token, stock=1)

    async def restock() -> httpx.Response:
        return await gateway.post(
            f"/catalog/products/{product['id']}/restock",
            json={"quantity": 1},
            headers=bearer(staff_token),
        )

    assert (await restock()).status_code == 200

    demoted = await gateway.patch(
        f"/auth/users/{created.json()['id']}",
        json={"roles": ["customer"]},
        headers=bearer(admin_token),
    )
    assert demoted.status_code == 200, demoted.text
    await refused_within(restock)


async def test_a_revoked_access_token_stops_working_everywhere(
    gateway: httpx.AsyncClient, admin_token: str
) -> None:
    _, token = await new_customer(gateway, admin_token)
    assert (await gateway.get("/orders", headers=bearer(token))).status_code == 200

    revoked = await gateway.post("/auth/revoke", data={"token": token})
    assert revoked.status_code == 200

    # Each part refreshes its list on its own clock: each must get there within the deadline.
    await refused_within(lambda: gateway.get("/orders", headers=bearer(token)))
    await refused_within(lambda: gateway.get("/auth/me", headers=bearer(token)))
