"""API5:2023 Broken Function Level Authorization: each function needs its own scope.

A customer's token cannot do what staff, administrators or service clients do; a staff
member demoted to customer loses those functions everywhere within seconds (see API2).
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.integration.helpers import bearer, new_product
from tests.security.traffic import new_account, place_order, served_meanwhile
from tests.system import System

pytestmark = pytest.mark.slow


async def test_a_customer_token_cannot_use_staff_admin_or_service_functions(
    system: System, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    product = await new_product(gateway, admin_token, stock=5, price_cents=1000)
    _, _, customer = await new_account(gateway, admin_token)
    me = bearer(customer)
    own = await place_order(gateway, customer, product["id"], 1)
    assert own.status_code == 201, own.text
    attempts = [
        ("POST", "/catalog/categories", {"slug": f"x-{uuid.uuid4().hex[:8]}", "name": "X"}),
        ("PATCH", f"/catalog/products/{product['id']}", {"price_cents": 1}),
        ("POST", f"/catalog/products/{product['id']}/restock", {"quantity": 1000}),
        ("POST", "/catalog/reservations", {
            "order_id": str(uuid.uuid4()),
            "items": [{"product_id": product["id"], "quantity": 5}],
            "confirm": True,
        }),
        ("GET", "/auth/users", None),
        ("POST", "/auth/users", {
            "email": f"x-{uuid.uuid4().hex[:8]}@example.com",
            "password": "a-long-password",
            "full_name": "X",
            "roles": ["admin"],
        }),
        ("GET", "/orders?user_id=" + str(uuid.uuid4()), None),
        ("POST", f"/orders/{own.json()['id']}/ship", None),
        ("POST", f"/orders/{own.json()['id']}/deliver", None),
    ]  # fmt: skip
    async with served_meanwhile(system, "/orders", token=customer):
        for method, path, body in attempts:
            answer = await gateway.request(method, path, json=body, headers=me)
            assert answer.status_code == 403, (method, path, answer.text)
    fresh = await gateway.get(f"/catalog/products/{product['id']}")
    assert (fresh.json()["price_cents"], fresh.json()["stock"]) == (1000, 4)
    order = await gateway.get(f"/orders/{own.json()['id']}", headers=me)
    assert order.json()["status"] == "confirmed"
    # The same functions work for the admin (the checks are not simply closed doors).
    restocked = await gateway.post(
        f"/catalog/products/{product['id']}/restock",
        json={"quantity": 1},
        headers=bearer(admin_token),
    )
    assert restocked.status_code == 200
    assert (await gateway.get("/auth/users", headers=bearer(admin_token))).status_code == 200
