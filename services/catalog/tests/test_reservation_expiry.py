"""Pending reservations expire on their own and give their stock back."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from emporium.catalog.reservations.expiry import sweep_once

from .conftest import ClientFactory

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]


async def wait_for_stock(client: httpx.AsyncClient, product: Json, stock: int) -> None:
    """Poll the product until its stock is `stock` (fails after about 5 s)."""
    seen = None
    for _ in range(100):
        seen = (await client.get(f"/catalog/products/{product['id']}")).json()["stock"]
        if seen == stock:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"stock stayed at {seen}, expected {stock}")


async def test_expired_reservation_gives_its_stock_back_without_any_request(
    client_factory: ClientFactory, reserver: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(stock=5)
    async with client_factory(reservation_ttl=0.5, reservation_sweep_interval=0.1) as short:
        body = {
            "order_id": str(uuid.uuid4()),
            "items": [{"product_id": product["id"], "quantity": 3}],
        }
        created = await short.post("/catalog/reservations", json=body, headers=reserver)
        assert created.status_code == 201
        assert (await short.get(f"/catalog/products/{product['id']}")).json()["stock"] == 2

        await wait_for_stock(short, product, 5)
        path = f"/catalog/reservations/{created.json()['id']}"
        assert (await short.get(path, headers=reserver)).json()["status"] == "expired"
        late = await short.post(f"{path}/confirm", headers=reserver)
        assert late.status_code == 409
        assert (await short.post(f"{path}/release", headers=reserver)).json()["status"] == "expired"
        await asyncio.sleep(0.3)
        assert (await short.get(f"/catalog/products/{product['id']}")).json()["stock"] == 5
        app = short._transport.app  # type: ignore[attr-defined]
        sweeper = app.state.reservation_sweeper
    assert sweeper.done()
    assert sweeper.cancelled()


async def test_confirm_after_ttl_is_409_even_before_the_sweep(
    client_factory: ClientFactory, reserver: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(stock=5)
    async with client_factory(reservation_ttl=0.2, reservation_sweep_interval=600) as lazy:
        body = {
            "order_id": str(uuid.uuid4()),
            "items": [{"product_id": product["id"], "quantity": 1}],
        }
        created = await lazy.post("/catalog/reservations", json=body, headers=reserver)
        await asyncio.sleep(0.3)
        late = await lazy.post(
            f"/catalog/reservations/{created.json()['id']}/confirm", headers=reserver
        )
        assert late.status_code == 409
        repeat = await lazy.post(
            "/catalog/reservations", json={**body, "confirm": True}, headers=reserver
        )
        assert repeat.status_code == 409
        assert repeat.json()["reservation_status"] == "expired"


async def test_sweepers_of_several_replicas_return_each_reservation_once(
    client_factory: ClientFactory,
    reserver: dict[str, str],
    make_product: Factory,
    engine: AsyncEngine,
) -> None:
    product = await make_product(stock=30)
    ids: list[str] = []
    async with client_factory(reservation_ttl=0.05, reservation_sweep_interval=600) as app:
        for _ in range(30):
            body = {
                "order_id": str(uuid.uuid4()),
                "items": [{"product_id": product["id"], "quantity": 1}],
            }
            created = await app.post("/catalog/reservations", json=body, headers=reserver)
            assert created.status_code == 201
            ids.append(created.json()["id"])
        assert (await app.get(f"/catalog/products/{product['id']}")).json()["stock"] == 0
        await asyncio.sleep(0.1)
        replicas = [async_sessionmaker(engine, expire_on_commit=False) for _ in range(4)]
        counts = await asyncio.gather(*(sweep_once(sm, batch=3) for sm in replicas))
        assert sum(counts) >= 30  # also any overdue reservation other tests left behind
        assert (await app.get(f"/catalog/products/{product['id']}")).json()["stock"] == 30
        for reservation_id in ids:
            fetched = await app.get(f"/catalog/reservations/{reservation_id}", headers=reserver)
            assert fetched.json()["status"] == "expired"
        assert await asyncio.gather(*(sweep_once(sm, batch=3) for sm in replicas)) == [0] * 4
        assert (await app.get(f"/catalog/products/{product['id']}")).json()["stock"] == 30
