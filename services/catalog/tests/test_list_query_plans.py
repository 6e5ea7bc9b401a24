"""The list query is served by indexes: no sequential scan of product for any filter or sort."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from emporium.catalog.categories.models import Category
from emporium.catalog.products.listing import listing_statement
from emporium.catalog.products.models import Product
from emporium.catalog.products.pagination import product_cursor
from emporium.catalog.products.schemas import ProductQuery, ProductSort
from emporium.catalog.seed import load_demo, load_synthetic
from emporium.servicekit.settings import to_async_url
from emporium.servicekit.testing import create_migrated_database, drop_test_database

SYNTHETIC_ROWS = 30_000

CASES: list[dict[str, Any]] = [
    {},
    {"sort": "price"},
    {"sort": "-price"},
    {"sort": "name"},
    {"sort": "-name"},
    {"min_price": 1_000, "max_price": 2_000},
    {"min_price": 1_000, "max_price": 2_000, "sort": "price"},
    {"in_stock": True, "sort": "name"},
    {"in_stock": False},
    {"q": "vintage lamp"},
    {"q": "kettle", "sort": "-price"},
    {"category": "synthetic-syn"},
    {"category": "synthetic-syn", "sort": "price", "max_price": 50_000},
    {"category": "audio", "sort": "-name", "in_stock": True},
]


@pytest.fixture(scope="module")
async def big_catalog(postgres_server_url: str) -> AsyncIterator[AsyncConnection]:
    """A separate database with the demo catalog plus 20k generated products, analysed."""
    url = await create_migrated_database(postgres_server_url, "emporium.catalog", "test_plans")
    engine = create_async_engine(to_async_url(url))
    try:
        async with engine.begin() as conn:
            await load_demo(conn)
            await load_synthetic(conn, SYNTHETIC_ROWS)
        async with engine.connect() as conn:
            yield conn
    finally:
        await engine.dispose()
        await drop_test_database(url)


async def explain(conn: AsyncConnection, query: ProductQuery) -> list[str]:
    """The plan lines of the list query for `query` (bound parameters, as the app runs it)."""
    category_id = None
    if query.category:
        category_id = await conn.scalar(select(Category.id).where(Category.slug == query.category))
    compiled = listing_statement(query, category_id=category_id).compile(conn.sync_engine)
    params = tuple(compiled.params[name] for name in compiled.positiontup or ())
    result = await conn.exec_driver_sql(f"EXPLAIN {compiled}", params)
    return [row[0] for row in result]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "&".join(f"{k}={v}" for k, v in c.items()))
async def test_list_query_uses_an_index(big_catalog: AsyncConnection, case: dict[str, Any]) -> None:
    plan = await explain(big_catalog, ProductQuery(**case))
    assert not any("Seq Scan" in line for line in plan), "\n".join(plan)


@pytest.mark.parametrize("sort", list(ProductSort))
async def test_later_pages_use_an_index_too(
    big_catalog: AsyncConnection, sort: ProductSort
) -> None:
    found = await big_catalog.execute(select(Product.__table__).where(Product.sku == "SYN-10000"))
    cursor = product_cursor(sort, Product(**found.one()._mapping))
    plan = await explain(big_catalog, ProductQuery(sort=sort, cursor=cursor))
    assert not any("Seq Scan" in line for line in plan), "\n".join(plan)
    index = f"ix_product_active_{sort.value.lstrip('-')}"
    assert any(index in line for line in plan), "\n".join(plan)
