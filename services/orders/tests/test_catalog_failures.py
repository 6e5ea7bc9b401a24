"""When the catalog is down, slow or failing: 503 fast, nothing shown, stock sold at most once."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

import asyncpg
import httpx
import pytest

from emporium.servicekit.problems import PROBLEM_TYPE_PREFIX

from .catalog_double import CatalogDouble, closed_port_url
from .conftest import AppFactory, key, order_body, stored_orders

Customer = Callable[[], dict[str, str]]


async def test_unreachable_catalog_is_503_with_retry_after_and_no_order(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    product = catalog.add_product(stock=4)
    headers = {**customer(), **key()}
    async with make_client(gateway_url=closed_port_url()) as client:
        started = time.monotonic()
        response = await client.post("/orders", json=order_body((product, 1)), headers=headers)
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1
    assert elapsed < 1.0
    assert await stored_orders(db, headers) == 0
    assert catalog.products[product].stock == 4

    async with make_client() as client:  # the catalog is back: the same key now succeeds
        retry = await client.post("/orders", json=order_body((product, 1)), headers=headers)
    assert retry.status_code == 201
    assert catalog.products[product].stock == 3


async def test_slow_catalog_is_503_within_the_timeout_and_a_retry_learns_the_outcome(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    product = catalog.add_product(stock=4)
    headers = {**customer(), **key()}
    catalog.delay_seconds = 1.0
    async with make_client(catalog_timeout_seconds=0.5) as client:
        await client.get("/orders", headers=headers)  # a warm connection pool, as in service
        started = time.monotonic()
        response = await client.post("/orders", json=order_body((product, 1)), headers=headers)
        elapsed = time.monotonic() - started

        assert response.status_code == 503
        assert "retry-after" in response.headers
        assert elapsed < 1.0
        assert (await client.get("/orders", headers=headers)).json()["items"] == []

        await asyncio.sleep(0.7)  # the slow catalog meanwhile sold the stock
        catalog.reset_faults()
        retry = await client.post("/orders", json=order_body((product, 1)), headers=headers)
        again = await client.post("/orders", json=order_body((product, 1)), headers=headers)

    # The retry re-drove the same order: one order, the stock sold once.
    assert retry.status_code == 201, retry.text
    assert again.json()["id"] == retry.json()["id"]
    assert catalog.products[product].stock == 3
    assert [r.status for r in catalog.reservations.values() if r.lines == [(product, 1)]] == [
        "confirmed"
    ]
    assert await stored_orders(db, headers) == 1


async def test_open_circuit_answers_without_calling_the_catalog(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product(stock=10)
    catalog.delay_seconds = 2.0
    async with make_client(catalog_timeout_seconds=0.6, catalog_breaker_failures=2) as client:
        for _ in range(2):
            failed = await client.post(
                "/orders", json=order_body((product, 1)), headers={**customer(), **key()}
            )
            assert failed.status_code == 503
        calls = len(catalog.seen_headers)
        headers = {**customer(), **key()}  # signing a test token is not the app's time

        started = time.monotonic()
        response = await client.post("/orders", json=order_body((product, 1)), headers=headers)

        assert time.monotonic() - started < 0.3
        assert response.status_code == 503
        assert "circuit" in response.json()["detail"]
        assert int(response.headers["retry-after"]) >= 1
        assert len(catalog.seen_headers) == calls


async def test_circuit_closes_again_when_the_catalog_recovers(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product(stock=10)
    catalog.delay_seconds = 1.0
    async with make_client(
        catalog_timeout_seconds=0.2, catalog_breaker_failures=1, catalog_breaker_reset_seconds=0.3
    ) as client:
        failed = await client.post(
            "/orders", json=order_body((product, 1)), headers={**customer(), **key()}
        )
        assert failed.status_code == 503
        catalog.reset_faults()
        await asyncio.sleep(0.35)
        response = await client.post(
            "/orders", json=order_body((product, 1)), headers={**customer(), **key()}
        )
    assert response.status_code == 201


async def test_lost_answer_is_502_and_a_retry_of_the_key_sells_once(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    product = catalog.add_product(stock=3)
    headers = {**customer(), **key()}
    catalog.lose_answers = True  # the catalog sells, but its answer never arrives

    response = await client.post("/orders", json=order_body((product, 2)), headers=headers)

    assert response.status_code == 502
    assert catalog.products[product].stock == 1
    assert (await client.get("/orders", headers=headers)).json()["items"] == []

    catalog.reset_faults()
    retry = await client.post("/orders", json=order_body((product, 2)), headers=headers)
    assert retry.status_code == 201
    assert retry.json()["status"] == "confirmed"
    read = await client.get(f"/orders/{retry.json()['id']}", headers=headers)
    assert read.json() == retry.json()  # the re-driven order's answer is what was stored
    assert catalog.products[product].stock == 1
    assert len([r for r in catalog.reservations.values() if r.lines == [(product, 2)]]) == 1
    assert await stored_orders(db, headers) == 1


async def test_retry_that_cannot_reach_the_catalog_keeps_an_order_an_earlier_try_sold(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    product = catalog.add_product(stock=5)
    headers = {**customer(), **key()}
    catalog.lose_answers = True  # the first try sells, but its answer never arrives
    async with make_client() as client:
        lost = await client.post("/orders", json=order_body((product, 2)), headers=headers)
    assert lost.status_code == 502
    catalog.reset_faults()

    # The retry never reaches the catalog: that says nothing of what the first try did.
    async with make_client(gateway_url=closed_port_url()) as client:
        unreachable = await client.post("/orders", json=order_body((product, 2)), headers=headers)
    assert unreachable.status_code == 503

    async with make_client() as client:
        retry = await client.post("/orders", json=order_body((product, 2)), headers=headers)
    assert retry.status_code == 201, retry.text
    assert catalog.products[product].stock == 3  # sold once, to the one order
    assert len([r for r in catalog.reservations.values() if r.lines == [(product, 2)]]) == 1
    assert await stored_orders(db, headers) == 1


async def test_refused_sale_stores_nothing_and_the_key_starts_afresh(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    product = catalog.add_product(stock=1)
    headers = {**customer(), **key()}

    refused = await client.post("/orders", json=order_body((product, 2)), headers=headers)
    assert refused.status_code == 409
    assert await stored_orders(db, headers) == 0

    catalog.products[product].stock = 5  # restocked
    retry = await client.post("/orders", json=order_body((product, 2)), headers=headers)
    assert retry.status_code == 201
    assert catalog.products[product].stock == 3


@pytest.mark.parametrize(
    ("catalog_type", "answered"),
    [
        ("order-reserved-elsewhere", "order-reserved-elsewhere"),
        ("reservation-not-pending", "reservation-not-pending"),
        ("reservation-mismatch", "reservation-mismatch"),
        ("stock-frozen", "catalog-conflict"),  # a type orders does not know
    ],
)
async def test_a_catalog_409_is_answered_by_its_problem_type_not_as_short_stock(
    client: httpx.AsyncClient,
    catalog: CatalogDouble,
    customer: Customer,
    db: asyncpg.Connection,
    catalog_type: str,
    answered: str,
) -> None:
    product = catalog.add_product(stock=5)
    headers = {**customer(), **key()}
    catalog.conflict_type = catalog_type

    refused = await client.post("/orders", json=order_body((product, 1)), headers=headers)

    assert refused.status_code == 409, refused.text
    assert refused.json()["type"] == f"{PROBLEM_TYPE_PREFIX}{answered}"
    assert not refused.json()["detail"].startswith("Not enough stock")
    assert "short_items" not in refused.json()
    assert await stored_orders(db, headers) == 0
    catalog.reset_faults()  # the key was reopened: a retry places the order
    retry = await client.post("/orders", json=order_body((product, 1)), headers=headers)
    assert retry.status_code == 201, retry.text


async def test_failure_storing_the_order_releases_the_reservation(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    # The catalog's name is longer than the order line's column: the INSERT really fails.
    product = catalog.add_product(stock=3, name="x" * 300)
    headers = {**customer(), **key()}

    response = await client.post("/orders", json=order_body((product, 1)), headers=headers)

    assert response.status_code == 500
    assert catalog.products[product].stock == 3
    assert [r.status for r in catalog.reservations.values() if r.lines == [(product, 1)]] == [
        "released"
    ]
    assert await stored_orders(db, headers) == 0


async def test_request_that_outlived_its_lease_leaves_the_order_its_takeover_confirmed(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    # The first request is slow past its lease; a retry of the key takes over the same order,
    # and the first one confirms it meanwhile. The retry must not then "compensate" by
    # releasing the stock and deleting the order the first request has just confirmed.
    product = catalog.add_product(stock=5)
    headers = {**customer(), **key()}
    catalog.delay_seconds = 0.6
    async with make_client(idempotency_lease_seconds=0.2, catalog_timeout_seconds=2.0) as client:
        first = asyncio.create_task(
            client.post("/orders", json=order_body((product, 2)), headers=headers)
        )
        await asyncio.sleep(0.3)  # the first request's lease has run out
        takeover = await client.post("/orders", json=order_body((product, 2)), headers=headers)
        placed = await first
        catalog.reset_faults()
        replay = await client.post("/orders", json=order_body((product, 2)), headers=headers)

    assert placed.status_code == 201, placed.text
    assert takeover.status_code == 409, takeover.text
    assert takeover.json()["type"].endswith("idempotency-key-in-progress")
    assert replay.status_code == 201
    assert replay.json()["id"] == placed.json()["id"]
    assert catalog.products[product].stock == 3
    assert [r.status for r in catalog.reservations.values() if r.lines == [(product, 2)]] == [
        "confirmed"
    ]
    status = "SELECT status FROM customer_order WHERE id = $1"
    assert await db.fetchval(status, uuid.UUID(placed.json()["id"])) == "confirmed"
