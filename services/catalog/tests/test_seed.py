"""`python -m emporium.catalog.seed` loads the demo catalog; loading it again changes nothing."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from emporium.catalog.categories.models import Category
from emporium.catalog.products.models import Product
from emporium.servicekit.settings import to_async_url
from emporium.servicekit.testing import create_migrated_database, drop_test_database


@pytest.fixture
async def empty_catalog(postgres_server_url: str) -> AsyncIterator[str]:
    """A freshly migrated, empty catalog database."""
    url = await create_migrated_database(postgres_server_url, "emporium.catalog", "test_seed")
    yield url
    await drop_test_database(url)


async def run_seed(database_url: str) -> str:
    """Run the seed command as the runner does; returns its output."""
    env = {**os.environ, "CATALOG_DATABASE_URL": database_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "emporium.catalog.seed",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()
    return output.decode()


async def test_seed_command_loads_demo_catalog_idempotently(empty_catalog: str) -> None:
    await run_seed(empty_catalog)
    engine = create_async_engine(to_async_url(empty_catalog))
    try:
        async with engine.connect() as conn:
            first = (await conn.execute(select(Product).order_by(Product.sku))).all()
            categories = await conn.scalar(select(func.count()).select_from(Category))
        assert len(first) >= 50
        assert categories is not None
        assert categories >= 5
        assert len({row.category_id for row in first}) == categories
        assert all(row.active and row.stock > 0 and row.price_cents > 0 for row in first)

        await run_seed(empty_catalog)
        async with engine.connect() as conn:
            second = (await conn.execute(select(Product).order_by(Product.sku))).all()
        assert second == first
    finally:
        await engine.dispose()
