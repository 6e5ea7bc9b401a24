"""Reservations: all-or-nothing holds, idempotency, confirm and release."""

from __future__ import annotations

import uuid

import httpx

from emporium.catalog.main import create_app
from emporium.catalog.settings import CatalogSettings
from emporium.servicekit.testing import threadpool_dependencies

from .conftest import Factory, Json, order


async def stock_of(client: httpx.AsyncClient, product: Json) -> int:
    """The product's current stock, read through the API."""
    stock: int = (await client.get(f"/catalog/products/{product['id']}")).json()["stock"]
    return stock


async def test_reservation_holds_stock_and_returns_prices(
    client: httpx.AsyncClient, reserver: dict[str, str], make_product: Factory
) -> None:
    lamp = await make_product(name="Desk Lamp", price_cents=3999, stock=5)
    kettle = await make_product(name="Kettle", price_cents=2500, stock=2)
    body = order((kettle, 2), (lamp, 3))
    response = await client.post("/catalog/reservations", json=body, headers=reserver)
    assert response.status_code == 201, response.text
    reservation = response.json()
    assert set(reservation) == {"id", "order_id", "status", "expires_at", "items"}
    assert reservation["status"] == "pending"
    assert reservation["order_id"] == body["order_id"]
    assert response.headers["location"] == f"/catalog/reservations/{reservation['id']}"
    assert reservation["items"] == [
        {"product_id": kettle["id"], "sku": kettle["sku"], "name": "Kettle", "quantity": 2,
         "unit_price_cents": 2500, "currency": "EUR"},
        {"product_id": lamp["id"], "sku": lamp["sku"], "name": "Desk Lamp", "quantity": 3,
         "unit_price_cents": 3999, "currency": "EUR"},
    ]  # fmt: skip
    assert await stock_of(client, lamp) == 2
    assert await stock_of(client, kettle) == 0
    fetched = await client.get(f"/catalog/reservations/{reservation['id']}", headers=reserver)
    assert fetched.json() == reservation


async def test_short_stock_is_409_naming_short_items_and_reserves_nothing(
    client: httpx.AsyncClient, reserver: dict[str, str], make_product: Factory
) -> None:
    plenty = await make_product(stock=10)
    scarce = await make_product(stock=1)
    response = await client.post(
        "/catalog/reservations", json=order((plenty, 4), (scarce, 2)), headers=reserver
    )
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"].endswith("insufficient-stock")
    assert problem["short_items"] == [
        {"product_id": scarce["id"], "sku": scarce["sku"], "requested": 2, "available": 1}
    ]
    assert await stock_of(client, plenty) == 10
    assert await stock_of(client, scarce) == 1


async def test_unknown_inactive_or_repeated_products_are_422(
    client: httpx.AsyncClient,
    reserver: dict[str, str],
    writer: dict[str, str],
    make_product: Factory,
) -> None:
    good = await make_product(stock=5)
    retired = await make_product(stock=5)
    await client.delete(f"/catalog/products/{retired['id']}", headers=writer)
    ghost = {"id": str(uuid.uuid4())}

    response = await client.post(
        "/catalog/reservations", json=order((good, 1), (ghost, 1), (retired, 1)), headers=reserver
    )
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["items.1.product_id", "items.2.product_id"]

    repeated = await client.post(
        "/catalog/reservations", json=order((good, 1), (good, 2)), headers=reserver
    )
    assert repeated.status_code == 422
    assert repeated.json()["errors"][0]["field"] == "items.1.product_id"
    assert await stock_of(client, good) == 5


async def test_mixed_currencies_are_422(
    client: httpx.AsyncClient, reserver: dict[str, str], make_product: Factory
) -> None:
    euro = await make_product(currency="EUR")
    dollar = await make_product(currency="USD")
    response = await client.post(
        "/catalog/reservations", json=order((euro, 1), (dollar, 1)), headers=reserver
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "items"
    assert await stock_of(client, euro) == 10


async def test_replayed_reservation_returns_the_same_one_without_reserving_twice(
    client: httpx.AsyncClient, reserver: dict[str, str], make_product: Factory
) -> None:
    a, b = await make_product(stock=10), await make_product(stock=10)
    body = order((a, 3), (b, 1))
    first = await client.post("/catalog/reservations", json=body, headers=reserver)
    assert first.status_code == 201
    reordered = {**body, "items": list(reversed(body["items"]))}
    for replay_body in (body, reordered):
        replay = await client.post("/catalog/reservations", json=replay_body, headers=reserver)
        assert replay.status_code == 200
        assert replay.json() == first.json()
    assert await stock_of(client, a) == 7
    assert await stock_of(client, b) == 9

    different = order((a, 4), (b, 1), order_id=body["order_id"])
    conflict = await client.post("/catalog/reservations", json=different, headers=reserver)
    assert conflict.status_code == 409
    assert conflict.json()["type"].endswith("reservation-mismatch")
    assert conflict.json()["reservation_id"] == first.json()["id"]
    assert await stock_of(client, a) == 7


async def test_confirm_then_release_restocks_and_release_twice_is_a_no_op(
    client: httpx.AsyncClient, reserver: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(stock=4)
    created = await client.post("/catalog/reservations", json=order((product, 3)), headers=reserver)
    path = f"/catalog/reservations/{created.json()['id']}"

    confirmed = await client.post(f"{path}/confirm", headers=reserver)
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"
    assert (await client.post(f"{path}/confirm", headers=reserver)).json()["status"] == "confirmed"
    assert await stock_of(client, product) == 1

    for _ in range(2):
        released = await client.post(f"{path}/release", headers=reserver)
        assert released.status_code == 200
        assert released.json()["status"] == "released"
        assert await stock_of(client, product) == 4

    again = await client.post(f"{path}/confirm", headers=reserver)
    assert again.status_code == 409
    assert again.json()["type"].endswith("reservation-not-pending")


async def test_reserve_with_confirm_sells_in_one_call_and_repeats_safely(
    client: httpx.AsyncClient, reserver: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(stock=5)
    body = {**order((product, 2)), "confirm": True}
    created = await client.post("/catalog/reservations", json=body, headers=reserver)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "confirmed"
    assert await stock_of(client, product) == 3

    replay = await client.post("/catalog/reservations", json=body, headers=reserver)
    assert replay.status_code == 200
    assert replay.json() == created.json()
    assert await stock_of(client, product) == 3

    path = f"/catalog/reservations/{created.json()['id']}"
    assert (await client.post(f"{path}/release", headers=reserver)).status_code == 200
    assert await stock_of(client, product) == 5
    # Released: a repeat of the order's call must not sell the stock again.
    again = await client.post("/catalog/reservations", json=body, headers=reserver)
    assert again.status_code == 409
    assert again.json()["type"].endswith("reservation-not-pending")
    assert again.json()["reservation_status"] == "released"
    assert await stock_of(client, product) == 5


async def test_reserve_with_confirm_confirms_the_orders_pending_reservation(
    client: httpx.AsyncClient, reserver: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(stock=5)
    body = order((product, 2))
    pending = await client.post("/catalog/reservations", json=body, headers=reserver)
    assert pending.json()["status"] == "pending"

    confirmed = await client.post(
        "/catalog/reservations", json={**body, "confirm": True}, headers=reserver
    )
    assert confirmed.status_code == 200
    assert confirmed.json()["id"] == pending.json()["id"]
    assert confirmed.json()["status"] == "confirmed"
    assert await stock_of(client, product) == 3


async def test_release_of_pending_reservation_gives_stock_back(
    client: httpx.AsyncClient, reserver: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(stock=2)
    created = await client.post("/catalog/reservations", json=order((product, 2)), headers=reserver)
    assert await stock_of(client, product) == 0
    released = await client.post(
        f"/catalog/reservations/{created.json()['id']}/release", headers=reserver
    )
    assert released.json()["status"] == "released"
    assert await stock_of(client, product) == 2


async def test_reservations_need_catalog_reserve(
    client: httpx.AsyncClient,
    customer: dict[str, str],
    writer: dict[str, str],
    make_product: Factory,
) -> None:
    product = await make_product(stock=3)
    body = order((product, 1))
    assert (await client.post("/catalog/reservations", json=body)).status_code == 401
    for headers in (customer, writer):
        response = await client.post("/catalog/reservations", json=body, headers=headers)
        assert response.status_code == 403
        assert response.json()["required_scopes"] == ["catalog:reserve"]
    missing = f"/catalog/reservations/{uuid.uuid4()}"
    assert (await client.get(missing)).status_code == 401
    assert (await client.post(f"{missing}/release", headers=customer)).status_code == 403
    assert await stock_of(client, product) == 3


async def test_unknown_reservation_is_404_and_bad_body_422(
    client: httpx.AsyncClient, reserver: dict[str, str]
) -> None:
    missing = await client.post(f"/catalog/reservations/{uuid.uuid4()}/confirm", headers=reserver)
    assert missing.status_code == 404
    empty = await client.post(
        "/catalog/reservations", json={"order_id": str(uuid.uuid4()), "items": []}, headers=reserver
    )
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "items"
    zero = await client.post(
        "/catalog/reservations",
        json={
            "order_id": str(uuid.uuid4()),
            "items": [{"product_id": str(uuid.uuid4()), "quantity": 0}],
        },
        headers=reserver,
    )
    assert zero.status_code == 422
    assert zero.json()["errors"][0]["field"] == "items.0.quantity"


def test_no_route_dependency_runs_in_the_threadpool(catalog_settings: CatalogSettings) -> None:
    assert threadpool_dependencies(create_app(catalog_settings)) == []


async def test_a_sale_stores_each_line_as_sold_and_touches_each_product(
    client: httpx.AsyncClient, reserver: dict[str, str], make_product: Factory
) -> None:
    products = [await make_product(price_cents=100 * (i + 1), stock=9) for i in range(3)]
    body = {**order((products[2], 3), (products[0], 1), (products[1], 2)), "confirm": True}
    created = await client.post("/catalog/reservations", json=body, headers=reserver)
    assert created.status_code == 201, created.text
    answer = created.json()
    assert answer["status"] == "confirmed"
    assert [(i["product_id"], i["quantity"], i["unit_price_cents"]) for i in answer["items"]] == [
        (products[2]["id"], 3, 300),
        (products[0]["id"], 1, 100),
        (products[1]["id"], 2, 200),
    ]
    # The answer is built from what was written; a fresh read shows the same reservation.
    fetched = await client.get(f"/catalog/reservations/{answer['id']}", headers=reserver)
    assert fetched.json() == answer
    for product, quantity in ((products[2], 3), (products[0], 1), (products[1], 2)):
        now = (await client.get(f"/catalog/products/{product['id']}")).json()
        assert now["stock"] == 9 - quantity
        assert now["updated_at"] > product["updated_at"]
