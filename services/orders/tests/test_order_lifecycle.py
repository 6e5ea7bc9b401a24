"""Reading orders (own vs all, pagination) and moving them through their statuses."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import jsonschema

from .catalog_double import CatalogDouble, closed_port_url
from .conftest import AppFactory, key, order_body

Customer = Callable[[], dict[str, str]]


async def _place(
    client: httpx.AsyncClient, catalog: CatalogDouble, headers: dict[str, str], quantity: int = 1
) -> dict[str, Any]:
    product = catalog.add_product(stock=10)
    response = await client.post(
        "/orders", json=order_body((product, quantity)), headers={**headers, **key()}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_customers_see_only_their_own_orders_newest_first_page_by_page(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    alice, bob = customer(), customer()
    placed = [await _place(client, catalog, alice) for _ in range(5)]
    await _place(client, catalog, bob)

    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/orders", params=params, headers=alice)).json()
        seen += [o["id"] for o in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == [o["id"] for o in reversed(placed)]


async def test_another_customers_order_is_404(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    alice, bob = customer(), customer()
    order = await _place(client, catalog, alice)

    assert (await client.get(f"/orders/{order['id']}", headers=alice)).status_code == 200
    response = await client.get(f"/orders/{order['id']}", headers=bob)
    assert response.status_code == 404
    assert (await client.post(f"/orders/{order['id']}/cancel", headers=bob)).status_code == 404
    assert (await client.get(f"/orders/{uuid.uuid4()}", headers=alice)).status_code == 404


async def test_read_all_scope_lists_everyone_filtered_by_user_and_status(
    client: httpx.AsyncClient,
    catalog: CatalogDouble,
    customer: Customer,
    staff_headers: dict[str, str],
) -> None:
    alice = customer()
    first = await _place(client, catalog, alice)
    second = await _place(client, catalog, alice)
    await client.post(f"/orders/{second['id']}/cancel", headers=alice)

    by_user = await client.get(
        "/orders", params={"user_id": first["user_id"]}, headers=staff_headers
    )
    assert [o["id"] for o in by_user.json()["items"]] == [second["id"], first["id"]]
    cancelled = await client.get(
        "/orders",
        params={"user_id": first["user_id"], "status": "cancelled"},
        headers=staff_headers,
    )
    assert [o["id"] for o in cancelled.json()["items"]] == [second["id"]]
    assert (await client.get(f"/orders/{first['id']}", headers=staff_headers)).status_code == 200


async def test_customer_cannot_filter_by_another_user(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    response = await client.get(
        "/orders", params={"user_id": str(uuid.uuid4())}, headers=customer()
    )
    assert response.status_code == 403


async def test_bad_cursor_is_422(client: httpx.AsyncClient, customer: Customer) -> None:
    response = await client.get("/orders", params={"cursor": "not-a-cursor"}, headers=customer())
    assert response.status_code == 422


async def test_bad_cursor_problem_has_the_documented_validation_shape(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    response = await client.get("/orders", params={"cursor": "not-a-cursor"}, headers=customer())
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert set(error) == {"field", "location", "message", "type"}
    assert (error["field"], error["location"]) == ("cursor", "query")


async def test_cancel_gives_the_stock_back_and_cannot_happen_twice(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    alice = customer()
    product = catalog.add_product(stock=4)
    placed = await client.post("/orders", json=order_body((product, 3)), headers={**alice, **key()})
    order_id = placed.json()["id"]
    assert catalog.products[product].stock == 1

    cancelled = await client.post(f"/orders/{order_id}/cancel", headers=alice)

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert catalog.products[product].stock == 4
    again = await client.post(f"/orders/{order_id}/cancel", headers=alice)
    assert again.status_code == 409
    assert again.json()["detail"] == "The order cannot go from cancelled to cancelled."
    assert catalog.products[product].stock == 4


async def test_ship_and_deliver_need_orders_manage(
    client: httpx.AsyncClient,
    catalog: CatalogDouble,
    customer: Customer,
    staff_headers: dict[str, str],
) -> None:
    alice = customer()
    order = await _place(client, catalog, alice)
    assert (await client.post(f"/orders/{order['id']}/ship", headers=alice)).status_code == 403

    shipped = await client.post(f"/orders/{order['id']}/ship", headers=staff_headers)
    assert shipped.status_code == 200
    assert shipped.json()["status"] == "shipped"
    delivered = await client.post(f"/orders/{order['id']}/deliver", headers=staff_headers)
    assert delivered.json()["status"] == "delivered"
    assert (await client.get(f"/orders/{order['id']}", headers=alice)).json()[
        "status"
    ] == "delivered"


async def test_invalid_transitions_say_from_and_to(
    client: httpx.AsyncClient,
    catalog: CatalogDouble,
    customer: Customer,
    staff_headers: dict[str, str],
) -> None:
    alice = customer()
    order = await _place(client, catalog, alice)

    early = await client.post(f"/orders/{order['id']}/deliver", headers=staff_headers)
    assert early.status_code == 409
    assert early.json()["from_status"] == "confirmed"
    assert early.json()["to_status"] == "delivered"

    await client.post(f"/orders/{order['id']}/ship", headers=staff_headers)
    late = await client.post(f"/orders/{order['id']}/cancel", headers=alice)
    assert late.status_code == 409
    assert late.json()["detail"] == "The order cannot go from shipped to cancelled."


async def test_cancel_with_the_catalog_down_cancels_and_the_relay_gives_the_stock_back(
    make_client: AppFactory, client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    alice = customer()
    product = catalog.add_product(stock=4)
    placed = await client.post("/orders", json=order_body((product, 3)), headers={**alice, **key()})
    order_id = placed.json()["id"]
    async with make_client(gateway_url=closed_port_url()) as down:
        response = await down.post(f"/orders/{order_id}/cancel", headers=alice)
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert catalog.products[product].stock == 1  # owed, not yet given back

    async with make_client(stock_release_interval_seconds=0.05):
        await _until(lambda: catalog.products[product].stock == 4)


async def test_cancel_whose_release_fails_owes_it_until_the_catalog_takes_it(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    alice = customer()
    product = catalog.add_product(stock=4)
    async with make_client(stock_release_interval_seconds=0.05) as client:
        placed = await client.post(
            "/orders", json=order_body((product, 3)), headers={**alice, **key()}
        )
        order_id = uuid.UUID(placed.json()["id"])
        reservation = catalog.reservation_of(order_id)
        assert reservation is not None
        catalog.fail_release = True

        response = await client.post(f"/orders/{order_id}/cancel", headers=alice)

        assert response.status_code == 200
        status = "SELECT status FROM customer_order WHERE id = $1"
        assert await db.fetchval(status, order_id) == "cancelled"
        owed = "SELECT count(*) FROM stock_release WHERE order_id = $1"
        assert await db.fetchval(owed, order_id) == 1
        assert reservation.status == "confirmed"
        assert catalog.products[product].stock == 1

        catalog.reset_faults()
        await _until(lambda: catalog.products[product].stock == 4)
        assert reservation.status == "released"
        for _ in range(100):  # the relay strikes the debt just after the release
            if await db.fetchval(owed, order_id) == 0:
                break
            await asyncio.sleep(0.02)
        assert await db.fetchval(owed, order_id) == 0
        again = await client.post(f"/orders/{order_id}/cancel", headers=alice)
        assert again.status_code == 409
    assert catalog.products[product].stock == 4


async def test_cancel_whose_commit_fails_gives_no_stock_back(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    # The release must follow the committed status, never precede it: were it sent first, a
    # commit that fails (the connection lost, the process killed) would leave the order
    # confirmed and its stock back on sale, to be sold twice.
    alice = customer()
    product = catalog.add_product(stock=4)
    placed = await client.post("/orders", json=order_body((product, 3)), headers={**alice, **key()})
    order_id = uuid.UUID(placed.json()["id"])
    await db.execute(
        "CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'connection lost' USING ERRCODE = '08006'; END $$"
    )
    await db.execute(
        "CREATE CONSTRAINT TRIGGER refuse_cancel_commit AFTER UPDATE ON customer_order "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        f"WHEN (NEW.id = '{order_id}' AND NEW.status = 'cancelled') "
        "EXECUTE FUNCTION refuse_commit()"
    )
    try:
        response = await client.post(f"/orders/{order_id}/cancel", headers=alice)
    finally:
        await db.execute("DROP TRIGGER refuse_cancel_commit ON customer_order")
        await db.execute("DROP FUNCTION refuse_commit()")

    assert response.status_code == 503
    status = "SELECT status FROM customer_order WHERE id = $1"
    assert await db.fetchval(status, order_id) == "confirmed"
    assert catalog.products[product].stock == 1  # still sold to the confirmed order
    reservation = catalog.reservation_of(order_id)
    assert reservation is not None
    assert reservation.status == "confirmed"


async def _until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the relay did not settle in time"
        await asyncio.sleep(0.02)


async def test_cancel_documents_its_problems_and_answers_them_in_that_shape(
    client: httpx.AsyncClient, catalog: CatalogDouble, customer: Customer
) -> None:
    spec = (await client.get("/openapi.json")).json()
    responses = spec["paths"]["/orders/{order_id}/cancel"]["post"]["responses"]
    problem_schema = spec["components"]["schemas"]["Problem"]
    for status in ("404", "409"):
        assert responses[status]["content"] == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    alice = customer()
    order = await _place(client, catalog, alice)
    await client.post(f"/orders/{order['id']}/cancel", headers=alice)

    again = await client.post(f"/orders/{order['id']}/cancel", headers=alice)
    missing = await client.post(f"/orders/{uuid.uuid4()}/cancel", headers=alice)

    for answer, expected in ((again, 409), (missing, 404)):
        assert answer.status_code == expected
        assert answer.headers["content-type"] == "application/problem+json"
        jsonschema.validate(answer.json(), problem_schema)
        assert set(problem_schema["required"]) <= set(answer.json())
