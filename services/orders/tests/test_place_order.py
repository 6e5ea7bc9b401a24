"""Placing orders: prices from the catalog, idempotency keys, validation, concurrency."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import asyncpg
import httpx

from emporium.orders.main import create_app
from emporium.orders.settings import OrdersSettings
from emporium.servicekit.testing import threadpool_dependencies

from .catalog_double import CatalogDouble
from .conftest import AppFactory, key, order_body, stored_orders

Customer = Callable[[], dict[str, str]]


async def test_order_snapshots_catalog_prices_and_confirms_the_reservation(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    first = catalog.add_product(stock=5, price_cents=1999)
    second = catalog.add_product(stock=3, price_cents=500)
    body = order_body((first, 2), (second, 3))

    response = await client.post("/orders", json=body, headers={**customer(), **key()})

    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "confirmed"
    assert order["total_cents"] == 2 * 1999 + 3 * 500
    assert order["currency"] == "EUR"
    assert [(i["product_id"], i["quantity"], i["unit_price_cents"]) for i in order["items"]] == [
        (str(first), 2, 1999),
        (str(second), 3, 500),
    ]
    assert order["items"][0]["sku"] == catalog.products[first].sku
    assert response.headers["location"] == f"/orders/{order['id']}"
    assert catalog.products[first].stock == 3
    assert catalog.products[second].stock == 0
    reservation = catalog.reservation_of(uuid.UUID(order["id"]))
    assert reservation is not None
    assert reservation.status == "confirmed"


async def test_the_201_body_is_the_stored_order_as_read_back(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    product, other = catalog.add_product(stock=5), catalog.add_product(stock=5)
    headers = {**customer(), **key()}
    placed = await client.post(
        "/orders", json=order_body((other, 1), (product, 2)), headers=headers
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["created_at"] <= order["updated_at"]

    read = await client.get(f"/orders/{order['id']}", headers=headers)
    assert read.json() == order  # timestamps, prices and line order as stored


async def test_client_supplied_prices_are_rejected(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product()
    body = {"items": [{"product_id": str(product), "quantity": 1, "unit_price_cents": 1}]}
    response = await client.post("/orders", json=body, headers={**customer(), **key()})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "items.0.unit_price_cents"


async def test_replayed_key_returns_the_same_answer_without_reserving_again(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product(stock=10)
    headers = {**customer(), **key()}
    first = await client.post("/orders", json=order_body((product, 2)), headers=headers)
    calls = catalog.reserve_calls

    again = await client.post("/orders", json=order_body((product, 2)), headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert first.headers["idempotent-replayed"] == "false"
    assert catalog.reserve_calls == calls
    assert catalog.products[product].stock == 8
    listing = await client.get("/orders", headers={"Authorization": headers["Authorization"]})
    assert [o["id"] for o in listing.json()["items"]] == [first.json()["id"]]


async def test_same_key_with_another_body_is_422(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product(stock=10)
    headers = {**customer(), **key()}
    assert (
        await client.post("/orders", json=order_body((product, 1)), headers=headers)
    ).status_code == 201

    response = await client.post("/orders", json=order_body((product, 2)), headers=headers)

    assert response.status_code == 422
    assert response.json()["type"].endswith("idempotency-key-reused")
    assert catalog.products[product].stock == 9


async def test_keys_belong_to_one_customer(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product(stock=10)
    shared = key()
    a = await client.post(
        "/orders", json=order_body((product, 1)), headers={**customer(), **shared}
    )
    b = await client.post(
        "/orders", json=order_body((product, 1)), headers={**customer(), **shared}
    )
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


async def test_concurrent_requests_with_one_key_reserve_once(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product(stock=10)
    headers = {**customer(), **key()}
    calls = catalog.reserve_calls

    responses = await asyncio.gather(
        *(client.post("/orders", json=order_body((product, 1)), headers=headers) for _ in range(8))
    )

    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}
    assert 201 in statuses
    assert catalog.reserve_calls == calls + 1
    assert catalog.products[product].stock == 9
    created = {r.content for r in responses if r.status_code == 201}
    assert len(created) == 1
    in_progress = [r for r in responses if r.status_code == 409]
    assert all(r.headers["retry-after"] == "1" for r in in_progress)


async def test_insufficient_stock_is_409_naming_the_items_and_stores_nothing(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    plenty = catalog.add_product(stock=10)
    scarce = catalog.add_product(stock=1)
    headers = customer()

    response = await client.post(
        "/orders", json=order_body((plenty, 1), (scarce, 2)), headers={**headers, **key()}
    )

    assert response.status_code == 409
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert [i["product_id"] for i in problem["short_items"]] == [str(scarce)]
    assert catalog.products[scarce].sku in problem["detail"]
    assert catalog.products[plenty].stock == 10
    assert await stored_orders(db, headers) == 0


async def test_unknown_or_inactive_products_are_422_naming_their_lines(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    known = catalog.add_product(stock=5)
    inactive = catalog.add_product(stock=5)
    catalog.products[inactive].active = False
    headers = customer()

    response = await client.post(
        "/orders",
        json=order_body((known, 1), (uuid.uuid4(), 1), (inactive, 1)),
        headers={**headers, **key()},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:emporium:problem:unreservable-items"
    assert problem["detail"] == "Some items cannot be reserved."
    assert [(e["field"], e["location"], e["message"]) for e in problem["errors"]] == [
        ("items.1.product_id", "body", "no such product"),
        ("items.2.product_id", "body", "the product is not for sale (inactive)"),
    ]
    assert catalog.products[known].stock == 5
    assert await stored_orders(db, headers) == 0


async def test_order_bodies_out_of_bounds_are_422(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product()
    headers = {**customer(), **key()}
    cases = {
        "items": {"items": []},
        "items.0.quantity": order_body((product, 0)),
        "items.0.quantity ": order_body((product, 101)),
        "items ": order_body(*[(uuid.uuid4(), 1) for _ in range(51)]),
    }
    for field, body in cases.items():
        response = await client.post("/orders", json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field.strip()


async def test_duplicate_product_lines_are_rejected_clearly(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product()
    response = await client.post(
        "/orders", json=order_body((product, 1), (product, 2)), headers={**customer(), **key()}
    )
    assert response.status_code == 422
    assert "appears more than once" in response.json()["detail"]


async def test_missing_idempotency_key_is_400(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product()
    response = await client.post("/orders", json=order_body((product, 1)), headers=customer())
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]


async def test_placing_an_order_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.post("/orders", json=order_body((uuid.uuid4(), 1)), headers=key())
    assert response.status_code == 401


async def test_thirty_concurrent_orders_on_stock_five_confirm_exactly_five(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product(stock=5)

    responses = await asyncio.gather(
        *(
            client.post("/orders", json=order_body((product, 1)), headers={**customer(), **key()})
            for _ in range(30)
        )
    )

    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 5
    assert statuses.count(409) == 25
    assert catalog.products[product].stock == 0


async def test_token_is_fetched_once_and_refreshed_after_a_401(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product(stock=10)
    async with make_client() as client:
        before = catalog.token_requests
        for _ in range(3):
            r = await client.post(
                "/orders", json=order_body((product, 1)), headers={**customer(), **key()}
            )
            assert r.status_code == 201
        assert catalog.token_requests == before + 1

        catalog.revoke_tokens()
        r = await client.post(
            "/orders", json=order_body((product, 1)), headers={**customer(), **key()}
        )

        assert r.status_code == 201
        assert catalog.token_requests == before + 2


async def test_request_id_and_trace_reach_the_catalog(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    product = catalog.add_product()
    request_id = f"test-{uuid.uuid4().hex}"
    trace_id = uuid.uuid4().hex
    headers = {
        **customer(),
        **key(),
        "X-Request-ID": request_id,
        "traceparent": f"00-{trace_id}-{'1' * 16}-01",
    }
    response = await client.post("/orders", json=order_body((product, 1)), headers=headers)
    assert response.status_code == 201
    calls = [h for h in catalog.seen_headers if h.get("x-request-id") == request_id]
    assert len(calls) == 1  # one call sells the lines
    assert all(h["traceparent"].split("-")[1] == trace_id for h in calls)


def test_no_route_dependency_runs_in_the_threadpool(orders_settings: OrdersSettings) -> None:
    assert threadpool_dependencies(create_app(orders_settings)) == []
