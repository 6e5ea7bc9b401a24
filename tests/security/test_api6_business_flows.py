"""API6:2023 Unrestricted Access to Sensitive Business Flows: no buying up a product.

A customer holds at most ORDERS_MAX_UNITS_PER_PRODUCT_PER_CUSTOMER (100) units of one product
in open (pending or confirmed) orders, also when placing many orders at once.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.integration.helpers import new_product, stock_of
from tests.security.traffic import new_account, place_order, served_meanwhile
from tests.system import System

pytestmark = pytest.mark.slow

CAP = 100  # ORDERS_MAX_UNITS_PER_PRODUCT_PER_CUSTOMER


async def test_one_customer_cannot_buy_up_a_product_even_concurrently(
    system: System, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    product = await new_product(gateway, admin_token, stock=1000)
    _, _, hoarder = await new_account(gateway, admin_token)
    _, _, shopper = await new_account(gateway, admin_token)
    async with served_meanwhile(system, f"/catalog/products/{product['id']}"):
        answers = await asyncio.gather(
            *(place_order(gateway, hoarder, product["id"], 30) for _ in range(5))
        )
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [201, 201, 201, 409, 409], [a.text for a in answers]
        refused = next(a for a in answers if a.status_code == 409)
        problem = refused.json()
        assert problem["type"].endswith("unit-cap-exceeded")
        assert str(product["id"]) in problem["detail"]
        assert problem["max_units_per_product"] == CAP
        # Another customer buys the same product meanwhile.
        assert (await place_order(gateway, shopper, product["id"], 30)).status_code == 201
    assert await stock_of(gateway, product["id"]) == 1000 - 4 * 30
    # Cancelling gives room back: the cap is on what is held, not on what was ever bought.
    placed = [a.json()["id"] for a in answers if a.status_code == 201]
    cancel = await gateway.post(
        f"/orders/{placed[0]}/cancel", headers={"Authorization": f"Bearer {hoarder}"}
    )
    assert cancel.status_code == 200
    assert (await place_order(gateway, hoarder, product["id"], 30)).status_code == 201
