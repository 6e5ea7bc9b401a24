"""Product writes: scopes, conflicts, validation, ETag / If-Match, deactivation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from .conftest import unique

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]


async def test_create_product_returns_201_location_and_etag(
    client: httpx.AsyncClient, writer: dict[str, str], make_category: Factory
) -> None:
    category = await make_category()
    body = {
        "sku": unique("NEW"),
        "name": "  Espresso Machine  ",
        "description": "Fifteen bar pump.",
        "price_cents": 29900,
        "currency": "EUR",
        "category_id": category["id"],
        "stock": 3,
    }
    response = await client.post("/catalog/products", json=body, headers=writer)
    assert response.status_code == 201, response.text
    product = response.json()
    assert set(product) == {
        "id", "sku", "name", "description", "price_cents", "currency",
        "category_id", "stock", "active", "created_at", "updated_at",
    }  # fmt: skip
    assert product["name"] == "Espresso Machine"
    assert product["active"] is True
    assert response.headers["location"] == f"/catalog/products/{product['id']}"
    assert response.headers["etag"] == '"1"'
    fetched = await client.get(response.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == product
    assert fetched.headers["etag"] == '"1"'


async def test_duplicate_sku_is_409(
    client: httpx.AsyncClient, writer: dict[str, str], make_product: Factory
) -> None:
    existing = await make_product()
    body = {**existing, "name": "Another"}
    for key in ("id", "created_at", "updated_at"):
        body.pop(key)
    response = await client.post("/catalog/products", json=body, headers=writer)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("duplicate-sku")
    assert problem["errors"][0]["field"] == "sku"


async def test_invalid_fields_are_422_naming_each_field(
    client: httpx.AsyncClient, writer: dict[str, str], make_category: Factory
) -> None:
    category = await make_category()
    body = {
        "sku": unique("BAD"),
        "name": "Bad",
        "price_cents": -1,
        "currency": "euro",
        "category_id": category["id"],
        "stock": -5,
    }
    response = await client.post("/catalog/products", json=body, headers=writer)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"price_cents", "currency", "stock"}


async def test_unknown_category_is_422_naming_category_id(
    client: httpx.AsyncClient, writer: dict[str, str]
) -> None:
    body = {
        "sku": unique("ORPHAN"),
        "name": "Orphan",
        "price_cents": 100,
        "currency": "EUR",
        "category_id": "00000000-0000-4000-8000-000000000000",
    }
    response = await client.post("/catalog/products", json=body, headers=writer)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "category_id"


async def test_writes_without_token_are_401_and_with_customer_token_403(
    client: httpx.AsyncClient, customer: dict[str, str], make_product: Factory
) -> None:
    product = await make_product()
    path = f"/catalog/products/{product['id']}"
    body = {
        "sku": unique("X"),
        "name": "X",
        "price_cents": 1,
        "currency": "EUR",
        "category_id": product["category_id"],
    }
    calls = [
        ("POST", "/catalog/products", body),
        ("PATCH", path, {"name": "Hacked"}),
        ("DELETE", path, None),
        ("POST", "/catalog/categories", {"slug": unique("c"), "name": "C"}),
    ]
    for method, url, payload in calls:
        anonymous = await client.request(method, url, json=payload)
        assert anonymous.status_code == 401, (method, url)
        assert anonymous.headers["www-authenticate"].startswith("Bearer")
        forbidden = await client.request(method, url, json=payload, headers=customer)
        assert forbidden.status_code == 403, (method, url)
        assert forbidden.json()["required_scopes"] == ["catalog:write"]
    unchanged = await client.get(path)
    assert unchanged.json()["name"] == product["name"]
    assert unchanged.json()["active"] is True


async def test_patch_with_current_etag_succeeds_and_stale_etag_is_412(
    client: httpx.AsyncClient, writer: dict[str, str], make_product: Factory
) -> None:
    product = await make_product(price_cents=1000)
    path = f"/catalog/products/{product['id']}"
    etag = (await client.get(path)).headers["etag"]

    first = await client.patch(
        path, json={"price_cents": 1200}, headers={**writer, "If-Match": etag}
    )
    assert first.status_code == 200, first.text
    assert first.json()["price_cents"] == 1200
    assert first.json()["updated_at"] > product["updated_at"]
    new_etag = first.headers["etag"]
    assert new_etag != etag

    stale = await client.patch(path, json={"price_cents": 1}, headers={**writer, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.headers["etag"] == new_etag
    assert (await client.get(path)).json()["price_cents"] == 1200

    weak = await client.patch(
        path, json={"price_cents": 2}, headers={**writer, "If-Match": f"W/{new_etag}"}
    )
    assert weak.status_code == 412

    wildcard = await client.patch(
        path, json={"name": "Renamed"}, headers={**writer, "If-Match": "*"}
    )
    assert wildcard.status_code == 200
    assert wildcard.json()["name"] == "Renamed"


async def test_patch_rejects_null_and_unknown_fields_and_duplicate_sku(
    client: httpx.AsyncClient, writer: dict[str, str], make_product: Factory
) -> None:
    one, two = await make_product(), await make_product()
    path = f"/catalog/products/{one['id']}"
    null = await client.patch(path, json={"name": None}, headers=writer)
    assert null.status_code == 422
    assert null.json()["errors"][0]["field"] == "name"
    unknown = await client.patch(path, json={"colour": "red"}, headers=writer)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "colour"
    taken = await client.patch(path, json={"sku": two["sku"]}, headers=writer)
    assert taken.status_code == 409
    assert (await client.get(path)).json()["sku"] == one["sku"]


async def test_patch_unknown_product_is_404(
    client: httpx.AsyncClient, writer: dict[str, str]
) -> None:
    response = await client.patch(
        "/catalog/products/00000000-0000-4000-8000-000000000000", json={"name": "X"}, headers=writer
    )
    assert response.status_code == 404
    assert response.json()["type"].endswith("product-not-found")


async def test_deactivated_product_leaves_the_list_but_stays_readable(
    client: httpx.AsyncClient, writer: dict[str, str], make_product: Factory
) -> None:
    product = await make_product()
    listing = {"category": product["category_id"]}
    assert len((await client.get("/catalog/products", params=listing)).json()["items"]) == 1

    path = f"/catalog/products/{product['id']}"
    deleted = await client.delete(path, headers=writer)
    assert deleted.status_code == 204
    again = await client.delete(path, headers=writer)
    assert again.status_code == 204

    assert (await client.get("/catalog/products", params=listing)).json()["items"] == []
    fetched = await client.get(path)
    assert fetched.status_code == 200
    assert fetched.json()["active"] is False

    revived = await client.patch(path, json={"active": True}, headers=writer)
    assert revived.status_code == 200
    assert len((await client.get("/catalog/products", params=listing)).json()["items"]) == 1
