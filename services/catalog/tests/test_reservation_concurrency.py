"""Concurrent reservations never oversell and never deadlock."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from emporium.catalog.reservations.models import ReservationItem

from .conftest import ClientFactory, Factory, Json, order


async def reserve(
    client: httpx.AsyncClient, headers: dict[str, str], *lines: tuple[Json, int]
) -> int:
    """POST one reservation for a new order; returns the status code."""
    response = await client.post("/catalog/reservations", json=order(*lines), headers=headers)
    return response.status_code


async def test_fifty_concurrent_single_unit_reservations_on_stock_ten(
    client_factory: ClientFactory,
    reserver: dict[str, str],
    make_product: Factory,
    engine: AsyncEngine,
) -> None:
    product = await make_product(stock=10)
    async with client_factory(db_pool_size=25, db_max_overflow=30) as fast:
        codes = await asyncio.wait_for(
            asyncio.gather(*(reserve(fast, reserver, (product, 1)) for _ in range(50))),
            timeout=30,
        )
        assert Counter(codes) == {201: 10, 409: 40}
        assert (await fast.get(f"/catalog/products/{product['id']}")).json()["stock"] == 0
    async with engine.connect() as conn:
        held = await conn.scalar(
            select(func.sum(ReservationItem.quantity)).where(
                ReservationItem.product_id == uuid.UUID(product["id"])
            )
        )
    assert held == 10


async def test_multi_item_reservations_in_opposite_orders_do_not_deadlock(
    client_factory: ClientFactory, reserver: dict[str, str], make_product: Factory
) -> None:
    one, two, three = [await make_product(stock=100) for _ in range(3)]
    orders = [
        ((one, 1), (two, 1), (three, 1)),
        ((three, 1), (two, 1), (one, 1)),
        ((two, 1), (three, 1), (one, 1)),
    ]
    async with client_factory(db_pool_size=25, db_max_overflow=30) as fast:
        codes = await asyncio.wait_for(
            asyncio.gather(*(reserve(fast, reserver, *orders[i % 3]) for i in range(45))),
            timeout=30,
        )
        assert codes == [201] * 45
        for product in (one, two, three):
            stock = (await fast.get(f"/catalog/products/{product['id']}")).json()["stock"]
            assert stock == 55


async def test_concurrent_replays_of_one_order_reserve_once(
    client_factory: ClientFactory, reserver: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(stock=10)
    body = {"order_id": str(uuid.uuid4()), "items": [{"product_id": product["id"], "quantity": 2}]}
    async with client_factory(db_pool_size=15) as fast:
        responses = await asyncio.gather(
            *(fast.post("/catalog/reservations", json=body, headers=reserver) for _ in range(10))
        )
        assert sorted(r.status_code for r in responses) == [200] * 9 + [201]
        assert len({r.json()["id"] for r in responses}) == 1
        assert (await fast.get(f"/catalog/products/{product['id']}")).json()["stock"] == 8
