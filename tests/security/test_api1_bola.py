"""API1:2023 Broken Object Level Authorization: nobody reaches another's objects by their id.

Customers see only their own orders; a service client sees only its own reservations, so a
stolen `catalog:reserve` secret of one client cannot read, confirm or release another's
(issue 13, item 7: reserve for a real order, learn its reservation id from a 409, release a
sale and oversell).
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.integration.helpers import bearer, new_product, stock_of
from tests.security.conftest import WAREHOUSE
from tests.security.traffic import client_token, new_account, place_order, served_meanwhile
from tests.system import System

pytestmark = pytest.mark.slow


async def test_a_customer_cannot_read_or_cancel_anothers_order(
    system: System, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    product = await new_product(gateway, admin_token, stock=10)
    _, _, alice = await new_account(gateway, admin_token)
    _, _, mallory = await new_account(gateway, admin_token)
    placed = await place_order(gateway, alice, product["id"], 2)
    assert placed.status_code == 201, placed.text
    order = f"/orders/{placed.json()['id']}"
    async with served_meanwhile(system, order, token=alice):
        assert (await gateway.get(order, headers=bearer(mallory))).status_code == 404
        cancel = await gateway.post(f"{order}/cancel", headers=bearer(mallory))
        assert cancel.status_code == 404
        listed = await gateway.get(
            "/orders", params={"user_id": placed.json()["user_id"]}, headers=bearer(mallory)
        )
        assert listed.status_code == 403
        mine = await gateway.get("/orders", headers=bearer(mallory))
        assert mine.json()["items"] == []
    assert (await gateway.get(order, headers=bearer(alice))).json()["status"] == "confirmed"
    assert await stock_of(gateway, product["id"]) == 8


async def _orders_reservation(
    gateway: httpx.AsyncClient, orders_token: str, order: dict[str, object]
) -> dict[str, object]:
    """The catalog's reservation of an order, as the orders client sees it (a replay)."""
    items = order["items"]
    assert isinstance(items, list)
    body = {
        "order_id": order["id"],
        "items": [{"product_id": i["product_id"], "quantity": i["quantity"]} for i in items],
        "confirm": True,
    }
    replay = await gateway.post("/catalog/reservations", json=body, headers=bearer(orders_token))
    assert replay.status_code == 200, replay.text
    return dict(replay.json())


async def test_a_stolen_service_secret_does_not_control_another_clients_stock(
    system: System, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    orders_secret = system.key_path("orders-client-secret").read_text().strip()
    orders_token = await client_token(gateway, "orders", orders_secret)
    thief = await client_token(gateway, *WAREHOUSE)
    product = await new_product(gateway, admin_token, stock=3)
    _, _, alice = await new_account(gateway, admin_token)
    placed = await place_order(gateway, alice, product["id"], 3)
    assert placed.status_code == 201, placed.text
    reservation = await _orders_reservation(gateway, orders_token, placed.json())
    path = f"/catalog/reservations/{reservation['id']}"

    async with served_meanwhile(system, f"/orders/{placed.json()['id']}", token=alice):
        # Another client's reservation does not exist for the thief: not to read, confirm or
        # release (which would give a sold order's units back and sell them twice).
        for method, suffix in (("GET", ""), ("POST", "/confirm"), ("POST", "/release")):
            answer = await gateway.request(method, f"{path}{suffix}", headers=bearer(thief))
            assert answer.status_code == 404, answer.text
            assert answer.json()["detail"] == f"No reservation has the id {reservation['id']}."
        # Reserving for the real order id is refused without naming its reservation.
        for lines in (
            [{"product_id": product["id"], "quantity": 3}],
            [{"product_id": product["id"], "quantity": 1}],
        ):
            body = {"order_id": placed.json()["id"], "items": lines, "confirm": True}
            conflict = await gateway.post("/catalog/reservations", json=body, headers=bearer(thief))
            assert conflict.status_code == 409, conflict.text
            assert str(reservation["id"]) not in conflict.text
            assert "reservation_id" not in conflict.json()
        assert await stock_of(gateway, product["id"]) == 0  # still sold: nothing oversold

    # The owner's own work goes on: the customer cancels, orders releases, the units return.
    cancelled = await gateway.post(f"/orders/{placed.json()['id']}/cancel", headers=bearer(alice))
    assert cancelled.status_code == 200, cancelled.text
    assert await stock_of(gateway, product["id"]) == 3
    # The thief's own reservations are its own business, and limited to real stock.
    mine = await gateway.post(
        "/catalog/reservations",
        json={
            "order_id": str(uuid.uuid4()),
            "items": [{"product_id": product["id"], "quantity": 4}],
        },
        headers=bearer(thief),
    )
    assert mine.status_code == 409
    assert mine.json()["type"].endswith("insufficient-stock")
