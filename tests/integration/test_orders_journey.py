"""Orders across the real system: auth, catalog, orders and PostgreSQL behind the gateway."""

from __future__ import annotations

import asyncio
import time
import uuid

import asyncpg
import httpx
import pytest
from jose import jwt

from tests.integration.helpers import bearer, new_customer, new_product, stock_of
from tests.system import System

pytestmark = pytest.mark.slow

CATALOG_TIMEOUT_SECONDS = 3.0  # ORDERS_CATALOG_TIMEOUT_SECONDS given to the booted system


def _order(*lines: tuple[dict[str, object], int]) -> dict[str, object]:
    return {"items": [{"product_id": p["id"], "quantity": q} for p, q in lines]}


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


async def test_customer_orders_two_products_then_cancels_and_stock_returns(
    gateway: httpx.AsyncClient, admin_token: str
) -> None:
    _, token = await new_customer(gateway, admin_token)
    lamp = await new_product(gateway, admin_token, stock=10, price_cents=4500)
    bulb = await new_product(gateway, admin_token, stock=20, price_cents=350)

    placed = await gateway.post(
        "/orders", json=_order((lamp, 2), (bulb, 5)), headers={**bearer(token), **_key()}
    )

    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "confirmed"
    assert order["total_cents"] == 2 * 4500 + 5 * 350
    assert {i["sku"] for i in order["items"]} == {lamp["sku"], bulb["sku"]}
    assert await stock_of(gateway, lamp["id"]) == 8
    assert await stock_of(gateway, bulb["id"]) == 15
    mine = await gateway.get("/orders", headers=bearer(token))
    assert [o["id"] for o in mine.json()["items"]] == [order["id"]]

    cancelled = await gateway.post(f"/orders/{order['id']}/cancel", headers=bearer(token))

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert await stock_of(gateway, lamp["id"]) == 10
    assert await stock_of(gateway, bulb["id"]) == 20


async def test_replayed_idempotency_key_creates_one_order_and_reserves_once(
    gateway: httpx.AsyncClient, admin_token: str
) -> None:
    _, token = await new_customer(gateway, admin_token)
    product = await new_product(gateway, admin_token, stock=10)
    headers = {**bearer(token), **_key()}

    first = await gateway.post("/orders", json=_order((product, 3)), headers=headers)
    again = await gateway.post("/orders", json=_order((product, 3)), headers=headers)
    other = await gateway.post("/orders", json=_order((product, 4)), headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert other.status_code == 422
    assert await stock_of(gateway, product["id"]) == 7
    mine = await gateway.get("/orders", headers=bearer(token))
    assert len(mine.json()["items"]) == 1


async def test_thirty_concurrent_orders_for_stock_five_confirm_exactly_five(
    gateway: httpx.AsyncClient, admin_token: str
) -> None:
    product = await new_product(gateway, admin_token, stock=5)
    customers = [await new_customer(gateway, admin_token) for _ in range(3)]

    responses = await asyncio.gather(
        *(
            gateway.post(
                "/orders",
                json=_order((product, 1)),
                headers={**bearer(customers[i % 3][1]), **_key()},
            )
            for i in range(30)
        )
    )

    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 5, statuses
    assert statuses.count(409) == 25, statuses
    assert all(r.json()["short_items"] for r in responses if r.status_code == 409)
    assert await stock_of(gateway, product["id"]) == 0


async def test_customer_b_gets_404_on_customer_a_order(
    gateway: httpx.AsyncClient, admin_token: str
) -> None:
    _, alice = await new_customer(gateway, admin_token)
    _, bob = await new_customer(gateway, admin_token)
    product = await new_product(gateway, admin_token, stock=3)
    placed = await gateway.post(
        "/orders", json=_order((product, 1)), headers={**bearer(alice), **_key()}
    )
    order_id = placed.json()["id"]

    assert (await gateway.get(f"/orders/{order_id}", headers=bearer(alice))).status_code == 200
    response = await gateway.get(f"/orders/{order_id}", headers=bearer(bob))
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert (
        await gateway.get(f"/orders/{order_id}", headers=bearer(admin_token))
    ).status_code == 200


async def test_request_id_travels_from_orders_to_the_catalog(
    system: System, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    _, token = await new_customer(gateway, admin_token)
    product = await new_product(gateway, admin_token, stock=3)
    request_id = f"it-orders-{uuid.uuid4().hex}"
    headers = {**bearer(token), **_key(), "X-Request-ID": request_id}

    placed = await gateway.post("/orders", json=_order((product, 1)), headers=headers)

    assert placed.status_code == 201
    if system.is_local:
        assert request_id in system.log_path("catalog").read_text()


async def test_catalog_down_means_fast_503_and_no_order_row(
    system: System, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    if not system.is_local:
        pytest.skip("stops a service and reads its database: needs a system booted by the suite")
    _, token = await new_customer(gateway, admin_token)
    product = await new_product(gateway, admin_token, stock=3)
    headers = {**bearer(token), **_key()}
    user_id = jwt.get_unverified_claims(token)["sub"]

    await system.stop_service("catalog")
    try:
        started = time.monotonic()
        response = await gateway.post("/orders", json=_order((product, 1)), headers=headers)
        elapsed = time.monotonic() - started
    finally:
        await system.start_service("catalog")

    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1
    assert elapsed < CATALOG_TIMEOUT_SECONDS + 0.5
    conn = await asyncpg.connect(system.database_url("orders").replace("+asyncpg", ""))
    try:
        rows = await conn.fetchval(
            "SELECT count(*) FROM customer_order WHERE user_id = $1", uuid.UUID(user_id)
        )
    finally:
        await conn.close()
    assert rows == 0
    assert await stock_of(gateway, product["id"]) == 3

    # Once the catalog is back (and the breaker has let a trial through) the same key works.
    retry = None
    for _ in range(40):
        retry = await gateway.post("/orders", json=_order((product, 1)), headers=headers)
        if retry.status_code != 503:
            break
        await asyncio.sleep(0.5)
    assert retry is not None
    assert retry.status_code == 201, retry.text
    assert await stock_of(gateway, product["id"]) == 2
