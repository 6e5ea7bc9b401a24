"""The public product list: filters, sorts and keyset cursors."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from emporium.catalog.products.models import Product
from emporium.servicekit.cursors import encode_cursor

from .conftest import unique

Json = dict[str, Any]

PRODUCT_FIELDS = (
    "id", "sku", "name", "description", "price_cents", "currency",
    "category_id", "stock", "active", "created_at", "updated_at",
)  # fmt: skip
COMPARED = ("sku", "name", "description", "price_cents", "currency", "stock")
NAMES = ["Alpha Lamp", "Bravo Kettle", "Charlie Lamp", "Delta Speaker", "Echo Kettle"]
PRICES = [500, 1500, 1500, 2500, 9900]


@pytest.fixture
async def seeded(
    engine: AsyncEngine, make_category: Callable[..., Awaitable[Json]]
) -> tuple[Json, list[Json]]:
    """A category of 27 products with tied prices, names and timestamps; 3 are inactive."""
    category = await make_category()
    marker = uuid.uuid4().hex[:8]
    base = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        {
            "id": uuid.uuid4(),
            "sku": f"LIST-{marker}-{i:02d}",
            "name": NAMES[i % len(NAMES)],
            "description": f"zq{marker} item {i}" + (" waterproof" if i % 4 == 0 else ""),
            "price_cents": PRICES[(i * 3) % len(PRICES)],
            "currency": "EUR",
            "category_id": uuid.UUID(category["id"]),
            "stock": 0 if i % 5 == 0 else i,
            "active": i % 9 != 4,
            "version": 1,
            "created_at": base + timedelta(seconds=i // 3),
            "updated_at": base,
        }
        for i in range(27)
    ]
    async with engine.begin() as conn:
        await conn.execute(insert(Product), rows)
    return category, rows


SORTS: dict[str, tuple[str, bool]] = {
    "newest": ("created_at", True),
    "price": ("price_cents", False),
    "-price": ("price_cents", True),
    "name": ("name", False),
    "-name": ("name", True),
}


def expected_ids(rows: list[Json], sort: str) -> list[str]:
    """The ids in the documented order: sort key, then id, both in the sort's direction."""
    column, descending = SORTS[sort]
    ordered = sorted(rows, key=lambda r: (r[column], r["id"]), reverse=descending)
    return [str(r["id"]) for r in ordered]


async def page_through(
    client: httpx.AsyncClient, params: dict[str, Any], limit: int
) -> tuple[list[str], int]:
    """Follow next_cursor to the end; returns every id seen and the number of pages."""
    ids: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/catalog/products", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= limit
        ids += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, pages
        assert len(body["items"]) == limit


async def test_list_products_returns_a_page(
    client: httpx.AsyncClient, seeded: tuple[Json, list[Json]]
) -> None:
    category, rows = seeded
    active = {str(r["id"]): r for r in rows if r["active"]}
    newest = expected_ids(list(active.values()), "newest")

    response = await client.get("/catalog/products", params={"limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "next_cursor"}
    assert len(body["items"]) == 5
    assert body["next_cursor"] is not None  # the 24 seeded active products alone need 5 pages
    for item in body["items"]:
        assert (await client.get(f"/catalog/products/{item['id']}")).json() == item

    params = {"category": category["id"], "limit": 5}
    first = (await client.get("/catalog/products", params=params)).json()
    assert [item["id"] for item in first["items"]] == newest[:5]
    for item in first["items"]:
        row = active[item["id"]]
        assert set(item) == set(PRODUCT_FIELDS)
        assert {k: item[k] for k in COMPARED} == {k: row[k] for k in COMPARED}
        assert (item["category_id"], item["active"]) == (category["id"], True)
    assert first["next_cursor"] is not None
    second = await client.get(
        "/catalog/products", params={**params, "cursor": first["next_cursor"]}
    )
    assert [item["id"] for item in second.json()["items"]] == newest[5:10]


async def test_limit_above_maximum_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/catalog/products", params={"limit": 1000})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["errors"][0]["field"] == "limit"


@pytest.mark.parametrize("sort", list(SORTS))
async def test_every_sort_pages_without_duplicates_or_gaps(
    client: httpx.AsyncClient, seeded: tuple[Json, list[Json]], sort: str
) -> None:
    category, rows = seeded
    active = [r for r in rows if r["active"]]
    ids, pages = await page_through(client, {"category": category["id"], "sort": sort}, limit=4)
    assert ids == expected_ids(active, sort)
    assert len(set(ids)) == len(active) == 24
    assert pages == 6


async def test_default_page_is_20_newest_first(
    client: httpx.AsyncClient, seeded: tuple[Json, list[Json]]
) -> None:
    category, rows = seeded
    body = (await client.get("/catalog/products", params={"category": category["slug"]})).json()
    active = [r for r in rows if r["active"]]
    assert [item["id"] for item in body["items"]] == expected_ids(active, "newest")[:20]
    assert body["next_cursor"] is not None


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"min_price": 1500}, lambda r: r["price_cents"] >= 1500),
        ({"max_price": 1500}, lambda r: r["price_cents"] <= 1500),
        (
            {"min_price": 1000, "max_price": 3000},
            lambda r: 1000 <= r["price_cents"] <= 3000,
        ),
        ({"in_stock": "true"}, lambda r: r["stock"] > 0),
        ({"in_stock": "false"}, lambda r: r["stock"] == 0),
        ({"q": "lamp"}, lambda r: "Lamp" in r["name"]),
        ({"q": "Kett"}, lambda r: "Kettle" in r["name"]),
        (
            {"q": "waterproof lamp"},
            lambda r: "Lamp" in r["name"] and "waterproof" in r["description"],
        ),
        (
            {"q": "kettle", "in_stock": "true", "max_price": 2000},
            lambda r: "Kettle" in r["name"] and r["stock"] > 0 and r["price_cents"] <= 2000,
        ),
    ],
)
async def test_filters_page_through_exactly_the_matching_products(
    client: httpx.AsyncClient,
    seeded: tuple[Json, list[Json]],
    params: dict[str, Any],
    keep: Callable[[Json], bool],
) -> None:
    category, rows = seeded
    matching = [r for r in rows if r["active"] and keep(r)]
    assert matching, "the seeded set must exercise this filter"
    for sort in ("price", "newest", "-name"):
        query = {"category": category["slug"], "sort": sort, **params}
        ids, _ = await page_through(client, query, limit=3)
        assert ids == expected_ids(matching, sort), sort


async def test_text_search_spans_name_and_description(
    client: httpx.AsyncClient, seeded: tuple[Json, list[Json]]
) -> None:
    _, rows = seeded
    marker = rows[0]["description"].split()[0]
    ids, _ = await page_through(client, {"q": marker, "sort": "name"}, limit=10)
    assert ids == expected_ids([r for r in rows if r["active"]], "name")
    nothing = await client.get("/catalog/products", params={"q": unique("zzz")})
    assert nothing.json() == {"items": [], "next_cursor": None}
    punctuation = await client.get("/catalog/products", params={"q": "!!! ???"})
    assert punctuation.json() == {"items": [], "next_cursor": None}


async def test_unknown_category_gives_an_empty_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/catalog/products", params={"category": unique("no-such")})
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


async def test_bad_cursor_and_price_range_are_422_naming_the_field(
    client: httpx.AsyncClient, seeded: tuple[Json, list[Json]]
) -> None:
    category, _ = seeded
    first = await client.get(
        "/catalog/products", params={"category": category["id"], "sort": "price", "limit": 2}
    )
    cursor = first.json()["next_cursor"]
    other_sort = await client.get("/catalog/products", params={"sort": "name", "cursor": cursor})
    assert other_sort.status_code == 422
    assert other_sort.json()["errors"][0]["field"] == "cursor"
    garbage = await client.get("/catalog/products", params={"cursor": "not-a-cursor!"})
    assert garbage.status_code == 422
    assert garbage.json()["errors"][0]["field"] == "cursor"
    bad_range = await client.get("/catalog/products", params={"min_price": 10, "max_price": 5})
    assert bad_range.status_code == 422
    assert bad_range.json()["errors"][0]["field"] == "min_price"
    bad_sort = await client.get("/catalog/products", params={"sort": "popularity"})
    assert bad_sort.status_code == 422
    assert bad_sort.json()["errors"][0]["field"] == "sort"


async def test_nul_in_the_category_filter_is_a_422_naming_it(client: httpx.AsyncClient) -> None:
    # Was a 500: PostgreSQL refuses U+0000 in text.
    response = await client.get("/catalog/products?category=%00eh&sort=price")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert (error["field"], error["location"]) == ("category", "query")


def forged_cursor(sort: str, key: Any) -> str:
    """A well-formed cursor carrying a key value no listing ever made."""
    return encode_cursor(sort, key, uuid.uuid4())


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("price", 2**40),
        ("-price", -(2**31) - 1),
        ("newest", "0001-01-01T00:00:00+14:00"),
        ("newest", "9999-12-31T23:59:59-14:00"),
        ("name", "a\x00b"),
        ("-name", "\ud800"),
    ],
)
async def test_a_cursor_with_a_key_the_database_refuses_is_a_422(
    client: httpx.AsyncClient, sort: str, key: Any
) -> None:
    # Were 500s: the driver refused the value (int4 range, year 0 or 10000, NUL, surrogate).
    response = await client.get(
        "/catalog/products", params={"sort": sort, "cursor": forged_cursor(sort, key)}
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "cursor"
