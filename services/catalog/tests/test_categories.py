"""Categories: public list, writes with `catalog:write`, unique slugs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from .conftest import unique

Factory = Callable[..., Awaitable[dict[str, Any]]]


async def test_created_category_is_listed_and_readable_by_id_and_slug(
    client: httpx.AsyncClient, make_category: Factory
) -> None:
    category = await make_category(name="Garden Tools")
    assert set(category) == {"id", "slug", "name"}
    listing = (await client.get("/catalog/categories")).json()
    assert category in listing["items"]
    assert listing["next_cursor"] is None
    by_id = await client.get(f"/catalog/categories/{category['id']}")
    by_slug = await client.get(f"/catalog/categories/{category['slug']}")
    assert by_id.json() == by_slug.json() == category


async def test_duplicate_slug_is_409_and_bad_slug_422(
    client: httpx.AsyncClient, writer: dict[str, str], make_category: Factory
) -> None:
    category = await make_category()
    dup = await client.post(
        "/catalog/categories", json={"slug": category["slug"], "name": "Other"}, headers=writer
    )
    assert dup.status_code == 409
    assert dup.json()["errors"][0]["field"] == "slug"
    bad = await client.post(
        "/catalog/categories", json={"slug": "Not A Slug", "name": "X"}, headers=writer
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "slug"


async def test_update_category_renames_and_rejects_taken_slug(
    client: httpx.AsyncClient, writer: dict[str, str], make_category: Factory
) -> None:
    one, two = await make_category(), await make_category()
    new_slug = unique("renamed")
    renamed = await client.patch(
        f"/catalog/categories/{one['id']}",
        json={"slug": new_slug, "name": "Renamed"},
        headers=writer,
    )
    assert renamed.status_code == 200
    assert renamed.json() == {"id": one["id"], "slug": new_slug, "name": "Renamed"}
    taken = await client.patch(
        f"/catalog/categories/{one['id']}", json={"slug": two["slug"]}, headers=writer
    )
    assert taken.status_code == 409
    missing = await client.get(f"/catalog/categories/{unique('nope')}")
    assert missing.status_code == 404


async def test_category_writes_need_catalog_write(
    client: httpx.AsyncClient, customer: dict[str, str], make_category: Factory
) -> None:
    category = await make_category()
    path = f"/catalog/categories/{category['id']}"
    assert (await client.patch(path, json={"name": "X"})).status_code == 401
    assert (await client.patch(path, json={"name": "X"}, headers=customer)).status_code == 403


async def test_nul_in_the_category_key_is_a_422_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/catalog/categories/%00")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["location"]) == ("category_key", "path")


async def test_an_overlong_category_key_is_a_422(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/catalog/categories/{'a' * 65}")
    assert response.status_code == 422
