"""Stock moves only by restock and reservations, and every move gives the product a new ETag."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from emporium.catalog.products.schemas import MAX_INT32
from emporium.catalog.reservations.expiry import sweep_once

from .conftest import ClientFactory, Factory, Json, order


async def read(client: httpx.AsyncClient, product: Json) -> tuple[Json, str]:
    """The product as the API shows it now, and its ETag."""
    response = await client.get(f"/catalog/products/{product['id']}")
    assert response.status_code == 200, response.text
    body: Json = response.json()
    return body, response.headers["etag"]


async def reserve(
    client: httpx.AsyncClient, headers: dict[str, str], product: Json, quantity: int
) -> httpx.Response:
    """Reserve `quantity` units of one product for a new order."""
    return await client.post(
        "/catalog/reservations", json=order((product, quantity)), headers=headers
    )


async def test_patch_with_stock_is_422_naming_stock_and_pointing_to_restock(
    client: httpx.AsyncClient, writer: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(stock=10, name="Lamp")
    path = f"/catalog/products/{product['id']}"
    _, etag = await read(client, product)

    for body in ({"stock": 15}, {"stock": 15, "name": "Renamed"}, {"stock": None}):
        response = await client.patch(path, json=body, headers={**writer, "If-Match": etag})
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert [e["field"] for e in problem["errors"]] == ["stock"]
        error = problem["errors"][0]
        assert error["type"] == "stock_not_editable"
        assert "/catalog/products/{product_id}/restock" in error["message"]
        assert "stock" in problem["detail"]
        assert "restock" in problem["detail"]

    current, current_etag = await read(client, product)
    assert (current["stock"], current["name"], current_etag) == (10, "Lamp", etag)


async def test_restock_adds_units_and_returns_the_product_with_its_new_etag(
    client: httpx.AsyncClient, writer: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(stock=3)
    _, before = await read(client, product)

    response = await client.post(
        f"/catalog/products/{product['id']}/restock", json={"quantity": 7}, headers=writer
    )
    assert response.status_code == 200, response.text
    restocked = response.json()
    assert restocked["stock"] == 10
    assert restocked["updated_at"] > product["updated_at"]
    assert {k: v for k, v in restocked.items() if k not in ("stock", "updated_at")} == {
        k: v for k, v in product.items() if k not in ("stock", "updated_at")
    }
    assert response.headers["etag"] != before
    assert await read(client, product) == (restocked, response.headers["etag"])


async def test_twenty_concurrent_restocks_of_one_add_twenty(
    client_factory: ClientFactory, writer: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(stock=5)
    path = f"/catalog/products/{product['id']}/restock"
    async with client_factory(db_pool_size=25, db_max_overflow=5) as fast:
        responses = await asyncio.wait_for(
            asyncio.gather(
                *(fast.post(path, json={"quantity": 1}, headers=writer) for _ in range(20))
            ),
            timeout=30,
        )
        assert [r.status_code for r in responses] == [200] * 20
        # Each restock saw its predecessors' units and produced its own version.
        assert sorted(r.json()["stock"] for r in responses) == list(range(6, 26))
        assert len({r.headers["etag"] for r in responses}) == 20
        assert (await read(fast, product))[0]["stock"] == 25


async def test_restocks_racing_reservations_lose_no_units(
    client_factory: ClientFactory,
    writer: dict[str, str],
    reserver: dict[str, str],
    make_product: Factory,
) -> None:
    product = await make_product(stock=10)
    path = f"/catalog/products/{product['id']}/restock"
    async with client_factory(db_pool_size=25, db_max_overflow=10) as fast:
        calls = [fast.post(path, json={"quantity": 2}, headers=writer) for _ in range(10)]
        calls += [reserve(fast, reserver, product, 1) for _ in range(10)]
        responses = await asyncio.wait_for(asyncio.gather(*calls), timeout=30)
        assert Counter(r.status_code for r in responses) == {200: 10, 201: 10}
        assert (await read(fast, product))[0]["stock"] == 10 + 20 - 10


async def test_restock_needs_catalog_write(
    client: httpx.AsyncClient,
    customer: dict[str, str],
    reserver: dict[str, str],
    make_product: Factory,
) -> None:
    product = await make_product(stock=4)
    path = f"/catalog/products/{product['id']}/restock"
    _, etag = await read(client, product)

    anonymous = await client.post(path, json={"quantity": 1})
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    for headers in (customer, reserver):
        forbidden = await client.post(path, json={"quantity": 1}, headers=headers)
        assert forbidden.status_code == 403
        assert forbidden.headers["content-type"] == "application/problem+json"
        assert forbidden.json()["required_scopes"] == ["catalog:write"]
    assert await read(client, product) == (product, etag)


async def test_restock_of_unknown_product_is_404_and_bad_quantity_422(
    client: httpx.AsyncClient, writer: dict[str, str], make_product: Factory
) -> None:
    missing = await client.post(
        f"/catalog/products/{uuid.uuid4()}/restock", json={"quantity": 1}, headers=writer
    )
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["type"].endswith("product-not-found")

    product = await make_product(stock=4)
    path = f"/catalog/products/{product['id']}/restock"
    for body in ({"quantity": 0}, {"quantity": -3}, {"quantity": 1_000_001}, {}):
        response = await client.post(path, json=body, headers=writer)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == ["quantity"], body
    extra = await client.post(path, json={"quantity": 1, "stock": 9}, headers=writer)
    assert extra.status_code == 422
    assert [e["field"] for e in extra.json()["errors"]] == ["stock"]
    largest = await client.post(path, json={"quantity": 1_000_000}, headers=writer)
    assert largest.status_code == 200
    assert largest.json()["stock"] == 1_000_004


async def test_restock_past_the_largest_stock_is_409_and_changes_nothing(
    client: httpx.AsyncClient, writer: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(stock=MAX_INT32 - 5)
    path = f"/catalog/products/{product['id']}/restock"
    _, etag = await read(client, product)

    over = await client.post(path, json={"quantity": 6}, headers=writer)
    assert over.status_code == 409
    assert over.headers["content-type"] == "application/problem+json"
    problem = over.json()
    assert problem["type"].endswith("stock-limit-exceeded")
    assert problem["errors"][0]["field"] == "quantity"
    assert await read(client, product) == (product, etag)

    exact = await client.post(path, json={"quantity": 5}, headers=writer)
    assert exact.status_code == 200
    assert exact.json()["stock"] == MAX_INT32


async def test_reservation_changes_the_etag_so_a_patch_with_the_old_one_is_412(
    client: httpx.AsyncClient,
    writer: dict[str, str],
    reserver: dict[str, str],
    make_product: Factory,
) -> None:
    product = await make_product(stock=10, price_cents=1000)
    path = f"/catalog/products/{product['id']}"
    _, seen = await read(client, product)

    reserved = await reserve(client, reserver, product, 5)
    assert reserved.status_code == 201
    after_reserve, reserved_etag = await read(client, product)
    assert after_reserve["stock"] == 5
    assert reserved_etag != seen

    stale = await client.patch(path, json={"price_cents": 1}, headers={**writer, "If-Match": seen})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.headers["etag"] == reserved_etag
    assert await read(client, product) == (after_reserve, reserved_etag)

    released = await client.post(
        f"/catalog/reservations/{reserved.json()['id']}/release", headers=reserver
    )
    assert released.status_code == 200
    after_release, released_etag = await read(client, product)
    assert after_release["stock"] == 10
    assert released_etag not in (seen, reserved_etag)
    late = await client.patch(
        path, json={"price_cents": 1}, headers={**writer, "If-Match": reserved_etag}
    )
    assert late.status_code == 412

    fresh = await client.patch(
        path, json={"price_cents": 1200}, headers={**writer, "If-Match": released_etag}
    )
    assert fresh.status_code == 200
    assert (fresh.json()["price_cents"], fresh.json()["stock"]) == (1200, 10)


async def test_restock_changes_the_etag_so_a_patch_with_the_old_one_is_412(
    client: httpx.AsyncClient, writer: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(stock=10, price_cents=1000)
    path = f"/catalog/products/{product['id']}"
    _, seen = await read(client, product)
    restocked = await client.post(f"{path}/restock", json={"quantity": 5}, headers=writer)
    assert restocked.status_code == 200

    stale = await client.patch(path, json={"price_cents": 1}, headers={**writer, "If-Match": seen})
    assert stale.status_code == 412
    assert stale.headers["etag"] == restocked.headers["etag"]
    assert (await read(client, product))[0]["price_cents"] == 1000


async def test_expiry_gives_stock_back_under_a_new_etag(
    client_factory: ClientFactory,
    reserver: dict[str, str],
    make_product: Factory,
    engine: AsyncEngine,
) -> None:
    product = await make_product(stock=6)
    async with client_factory(reservation_ttl=0.05, reservation_sweep_interval=600) as app:
        assert (await reserve(app, reserver, product, 4)).status_code == 201
        held, held_etag = await read(app, product)
        assert held["stock"] == 2
        await asyncio.sleep(0.1)
        assert await sweep_once(async_sessionmaker(engine, expire_on_commit=False), batch=50) >= 1
        returned, returned_etag = await read(app, product)
    assert returned["stock"] == 6
    assert returned_etag != held_etag


async def test_openapi_documents_restock_and_no_stock_in_patch(
    client: httpx.AsyncClient,
) -> None:
    spec = (await client.get("/openapi.json")).json()
    operation = spec["paths"]["/catalog/products/{product_id}/restock"]["post"]
    assert operation["operationId"] == "catalog-products-restock-product"
    assert operation["summary"] == "Restock a product"
    assert operation["security"]
    for status in ("401", "403", "404", "409", "422"):
        assert "application/problem+json" in operation["responses"][status]["content"], status
    body_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    quantity = spec["components"]["schemas"][body_ref.rsplit("/", 1)[1]]["properties"]["quantity"]
    assert (quantity["minimum"], quantity["maximum"]) == (1, 1_000_000)
    update = spec["components"]["schemas"]["ProductUpdate"]
    assert "stock" not in update["properties"]
    assert update["additionalProperties"] is False
