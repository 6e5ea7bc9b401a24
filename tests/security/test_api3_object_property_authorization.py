"""API3:2023 Broken Object Property Level Authorization: no mass assignment, no leaked fields.

A client cannot set properties it does not own (roles, stock, prices, status, owner) by
adding them to a body, and no answer carries a property the caller should not see.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.integration.helpers import bearer, new_product
from tests.security.traffic import address, new_account, served_meanwhile
from tests.system import System

pytestmark = pytest.mark.slow


def _rejected_fields(answer: httpx.Response) -> set[str]:
    assert answer.status_code == 422, answer.text
    return {e["field"] for e in answer.json()["errors"]}


async def test_extra_properties_are_refused_not_assigned(
    system: System, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    product = await new_product(gateway, admin_token, stock=5, price_cents=1000)
    _, _, customer = await new_account(gateway, admin_token)
    email = f"sec-{uuid.uuid4().hex[:12]}@example.com"
    async with served_meanwhile(system):
        registration = await gateway.post(
            "/auth/register",
            json={
                "email": email,
                "password": "a-long-password",
                "full_name": "Eve",
                "roles": ["admin"],
                "active": True,
            },
            headers={"X-Forwarded-For": address()},
        )
        assert _rejected_fields(registration) == {"roles", "active"}
        patch = await gateway.patch(
            f"/catalog/products/{product['id']}",
            json={"stock": 1_000_000},
            headers=bearer(admin_token),  # even staff cannot set stock outright
        )
        assert _rejected_fields(patch) == {"stock"}
        order = await gateway.post(
            "/orders",
            json={
                "items": [{"product_id": product["id"], "quantity": 1, "unit_price_cents": 1}],
                "status": "delivered",
                "user_id": str(uuid.uuid4()),
                "total_cents": 1,
            },
            headers={**bearer(customer), "Idempotency-Key": str(uuid.uuid4())},
        )
        assert _rejected_fields(order) == {
            "items.0.unit_price_cents",
            "status",
            "user_id",
            "total_cents",
        }
    stored = (await gateway.get(f"/catalog/products/{product['id']}")).json()
    assert (stored["stock"], stored["price_cents"]) == (5, 1000)
    signed_in = await gateway.post(
        "/auth/token",
        data={"grant_type": "password", "username": email, "password": "a-long-password"},
    )
    assert signed_in.status_code == 400  # the refused registration opened no account


async def test_answers_carry_no_secret_properties(
    system: System, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    _, password, customer = await new_account(gateway, admin_token)
    async with served_meanwhile(system):
        me = await gateway.get("/auth/me", headers=bearer(customer))
        users = await gateway.get("/auth/users", headers=bearer(admin_token))
    assert me.status_code == 200
    assert users.status_code == 200
    for answer in (me, users):
        assert "password" not in answer.text
        assert "$argon2" not in answer.text
        assert password not in answer.text
    assert set(me.json()) == {
        "id", "email", "full_name", "roles", "scopes", "active", "created_at", "updated_at"
    }  # fmt: skip
