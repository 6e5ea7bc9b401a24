"""The cap on units of one product a customer may hold in open orders (pending or confirmed)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import asyncpg

from .catalog_double import CatalogDouble
from .conftest import AppFactory, key, order_body, stored_orders

Customer = Callable[[], dict[str, str]]


async def test_an_order_past_the_cap_is_a_409_naming_the_product_and_the_cap(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    product, other = catalog.add_product(stock=50), catalog.add_product(stock=50)
    alice, bob = customer(), customer()
    async with make_client(max_units_per_product_per_customer=5) as client:
        first = await client.post(
            "/orders", json=order_body((product, 3)), headers={**alice, **key()}
        )
        assert first.status_code == 201, first.text

        refused = await client.post(
            "/orders", json=order_body((other, 1), (product, 3)), headers={**alice, **key()}
        )
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert problem["type"].endswith("unit-cap-exceeded")
        assert str(product) in problem["detail"]
        assert "at most 5 units" in problem["detail"]
        assert problem["max_units_per_product"] == 5
        assert problem["over_cap"] == [{"product_id": str(product), "held": 3, "requested": 3}]
        assert catalog.products[product].stock == 47  # nothing was sold for the refused order
        assert catalog.products[other].stock == 50
        assert await stored_orders(db, alice) == 1

        # Up to the cap is fine, and the cap is per customer and per product.
        for headers, lines in (
            (alice, ((product, 2),)),
            (alice, ((other, 5),)),
            (bob, ((product, 5),)),
        ):
            placed = await client.post(
                "/orders", json=order_body(*lines), headers={**headers, **key()}
            )
            assert placed.status_code == 201, placed.text


async def test_a_cancelled_order_no_longer_counts(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product(stock=50)
    alice = customer()
    async with make_client(max_units_per_product_per_customer=4) as client:
        first = await client.post(
            "/orders", json=order_body((product, 4)), headers={**alice, **key()}
        )
        assert first.status_code == 201, first.text
        again = order_body((product, 1))
        assert (
            await client.post("/orders", json=again, headers={**alice, **key()})
        ).status_code == 409
        cancel = await client.post(f"/orders/{first.json()['id']}/cancel", headers=alice)
        assert cancel.status_code == 200, cancel.text
        placed = await client.post("/orders", json=again, headers={**alice, **key()})
        assert placed.status_code == 201, placed.text


async def test_concurrent_orders_of_one_customer_never_pass_the_cap_together(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    product = catalog.add_product(stock=100)
    alice = customer()
    async with make_client(max_units_per_product_per_customer=4) as client:
        answers = await asyncio.gather(
            *(
                client.post("/orders", json=order_body((product, 1)), headers={**alice, **key()})
                for _ in range(12)
            )
        )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] * 4 + [409] * 8, [a.text for a in answers if a.status_code != 201]
    assert catalog.products[product].stock == 96
    assert await stored_orders(db, alice) == 4


async def test_a_retry_re_driving_its_pending_order_at_the_cap_is_not_counted_twice(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    product = catalog.add_product(stock=50)
    headers = {**customer(), **key()}
    async with make_client(max_units_per_product_per_customer=4) as client:
        catalog.lose_answers = True  # sold, but the answer is lost: the order stays pending
        lost = await client.post("/orders", json=order_body((product, 4)), headers=headers)
        assert lost.status_code == 502, lost.text

        catalog.reset_faults()
        # The retry re-drives the same pending order: its 4 units are not held by another.
        retry = await client.post("/orders", json=order_body((product, 4)), headers=headers)
        assert retry.status_code == 201, retry.text
        assert [line["quantity"] for line in retry.json()["items"]] == [4]
        assert catalog.products[product].stock == 46
        assert await stored_orders(db, headers) == 1
