"""The driver-SQL list reads answer exactly what the ORM reads of the same lists gave."""

from __future__ import annotations

import itertools
import typing
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from emporium.catalog.categories.models import Category
from emporium.catalog.categories.schemas import CategoryPage, CategoryRead
from emporium.catalog.categories.service import find_category
from emporium.catalog.driver_sql import DIALECT
from emporium.catalog.products.listing import (
    READ_COLUMNS,
    ListingShape,
    listing_statement,
    plan_listing,
)
from emporium.catalog.products.models import Product
from emporium.catalog.products.pagination import product_cursor
from emporium.catalog.products.reader import compiled_listing
from emporium.catalog.products.schemas import (
    ProductItem,
    ProductPage,
    ProductQuery,
    ProductRead,
    ProductSort,
)

Json = dict[str, Any]

FILTERS: list[Json] = [
    {},
    {"category": True},
    {"min_price": 1500},
    {"max_price": 2500},
    {"min_price": 1000, "max_price": 3000},
    {"in_stock": True},
    {"in_stock": False},
    {"q": "lamp"},
    {"q": "!!! ???"},
    {"category": True, "q": "kettle", "in_stock": True, "max_price": 9900},
]


@pytest.fixture
async def listed(engine: AsyncEngine, make_category: Callable[..., Awaitable[Json]]) -> Json:
    """A category of 18 products with tied keys and a name outside ASCII; 2 are inactive."""
    category = await make_category()
    marker = uuid.uuid4().hex[:8]
    base = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
    names = ["Lamp «Ärø»", "Kettle", "Brass Lamp", "Kettle", "Zebra Rug"]
    rows = [
        {
            "id": uuid.uuid4(),
            "sku": f"FAST-{marker}-{i:02d}",
            "name": names[i % len(names)],
            "description": f'fq{marker} item {i} "quoted" \\ back',
            "price_cents": [500, 1500, 2500, 9900][i % 4],
            "currency": "EUR",
            "category_id": uuid.UUID(category["id"]),
            "stock": 0 if i % 3 == 0 else i,
            "active": i % 8 != 5,
            "version": 1,
            "created_at": base + timedelta(microseconds=i // 2),
            "updated_at": base,
        }
        for i in range(18)
    ]
    async with engine.begin() as conn:
        await conn.execute(insert(Product), rows)
    return category


async def orm_page(engine: AsyncEngine, query: ProductQuery) -> bytes:
    """The page as the ORM read gave it: rows validated into ProductPage, then its JSON."""
    async with AsyncSession(engine) as session:
        category_id = None
        if query.category is not None:
            category = await find_category(query.category, session=session)
            assert category is not None
            category_id = category.id
        stmt = listing_statement(query, category_id=category_id).with_only_columns(*READ_COLUMNS)
        rows = (await session.execute(stmt)).all()
    cursor = product_cursor(query.sort, rows[query.limit - 1]) if len(rows) > query.limit else None
    page = ProductPage.model_validate(
        {"items": [row._mapping for row in rows[: query.limit]], "next_cursor": cursor}
    )
    return TypeAdapter(ProductPage).dump_json(page)  # what FastAPI sends for a ProductPage


CASES = list(itertools.product(list(ProductSort), range(len(FILTERS))))


@pytest.mark.parametrize(("sort", "case"), CASES, ids=[f"{s.value}-{i}" for s, i in CASES])
async def test_every_page_is_byte_for_byte_the_orm_page(
    client: httpx.AsyncClient, engine: AsyncEngine, listed: Json, sort: ProductSort, case: int
) -> None:
    params: Json = {**FILTERS[case], "sort": sort.value, "limit": 4}
    # Scoped to the test's category unless the case filters by it: then by its slug.
    params["category"] = listed["slug"] if "category" in params else listed["id"]
    cursor: str | None = None
    pages = 0
    while True:
        wanted = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/catalog/products", params=wanted)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        assert response.content == await orm_page(engine, ProductQuery(**wanted))
        pages += 1
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    assert pages >= (2 if case == 0 else 1)


def test_a_page_item_has_the_fields_and_types_of_product_read() -> None:
    hints = typing.get_type_hints(ProductItem)
    assert list(hints) == list(ProductRead.model_fields)
    assert hints == {name: f.annotation for name, f in ProductRead.model_fields.items()}


def test_one_shape_compiles_once_to_the_sql_of_the_listing() -> None:
    after = product_cursor(ProductSort.PRICE, {"price_cents": 700, "id": uuid.uuid4()})
    one = ProductQuery(sort=ProductSort.PRICE, min_price=5, in_stock=True, cursor=after)
    other = ProductQuery(sort=ProductSort.PRICE, min_price=9, in_stock=True, cursor=after, limit=3)
    shapes = {plan_listing(q, category_id=None).shape for q in (one, other)}
    assert shapes == {ListingShape(ProductSort.PRICE, min_price=True, in_stock=True, cursor=True)}
    [shape] = shapes
    assert compiled_listing(shape) is compiled_listing(shape)

    compiled = compiled_listing(shape)
    for query in (one, other):
        reference = (
            listing_statement(query, category_id=None)
            .with_only_columns(*READ_COLUMNS)
            .compile(dialect=DIALECT)
        )
        assert compiled.sql == str(reference)
        listing = plan_listing(query, category_id=None)
        expected = tuple(reference.params[name] for name in reference.positiontup or ())
        assert compiled.arguments(listing.values) == expected


async def test_the_category_list_is_byte_for_byte_the_orm_list(
    client: httpx.AsyncClient, engine: AsyncEngine, make_category: Callable[..., Awaitable[Json]]
) -> None:
    await make_category(name='Ärø «Lamps» "quoted"')
    await make_category(name='Ärø «Lamps» "quoted"')  # a tie on the name: ordered by id
    response = await client.get("/catalog/categories")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    async with AsyncSession(engine) as session:
        rows = (await session.scalars(select(Category).order_by(Category.name, Category.id))).all()
    page = CategoryPage(items=[CategoryRead.model_validate(row) for row in rows])
    assert response.content == TypeAdapter(CategoryPage).dump_json(page)
