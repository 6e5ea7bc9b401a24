"""A bare FastAPI + asyncpg `GET /catalog/products`: the same query, none of the service.

`uvicorn --factory bench.bare_catalog:create_app` with `BENCH_DATABASE_URL`. It runs the
catalog's own default listing statement (compiled once, prepared by asyncpg) on one pool
and returns the same page shape; no ORM, no middleware, no DI, no response model. What the
catalog's list read is measured against in `make bench-catalog`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from emporium.catalog.products.listing import listing_statement
from emporium.catalog.products.models import Product
from emporium.catalog.products.pagination import product_cursor
from emporium.catalog.products.schemas import ProductQuery

COLUMNS: tuple[str, ...] = ("id", "sku", "name", "description", "price_cents", "currency")
COLUMNS += ("category_id", "stock", "active", "created_at", "updated_at")


def listing_sql() -> tuple[str, list[Any]]:
    """The catalog's default listing as asyncpg SQL ($n parameters) and its parameters."""
    compiled = listing_statement(ProductQuery(), category_id=None).compile(
        dialect=asyncpg_dialect()  # type: ignore[no-untyped-call]
    )
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    return str(compiled), params


def create_app() -> FastAPI:
    """The bare app."""
    sql, params = listing_sql()
    limit = ProductQuery().limit
    sort = ProductQuery().sort

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        url = os.environ["BENCH_DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
        async with asyncpg.create_pool(url, min_size=10, max_size=20) as pool:
            app.state.pool = pool
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/catalog/products")
    async def products(request: Request) -> dict[str, Any]:
        rows = await request.app.state.pool.fetch(sql, *params)
        items = [{k: row[k] for k in COLUMNS} for row in rows[:limit]]
        cursor = None
        if len(rows) > limit:
            cursor = product_cursor(sort, Product(**items[-1]))
        return {"items": items, "next_cursor": cursor}

    return app
