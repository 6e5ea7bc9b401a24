"""Product reads and writes."""

from __future__ import annotations

import uuid
from typing import cast

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.catalog.categories.models import Category
from emporium.catalog.database import flush_unique
from emporium.catalog.products.exceptions import (
    DuplicateSku,
    ProductNotFound,
    StockLimitExceeded,
)
from emporium.catalog.products.listing import plan_listing
from emporium.catalog.products.models import Product
from emporium.catalog.products.pagination import product_cursor
from emporium.catalog.products.reader import fetch_listing, find_category_id
from emporium.catalog.products.schemas import (
    MAX_INT32,
    ProductCreate,
    ProductItem,
    ProductPageData,
    ProductQuery,
    ProductUpdate,
)
from emporium.servicekit.errors import InvalidInput, PreconditionFailed
from emporium.servicekit.problems import field_error
from emporium.servicekit.read_connection import ReadConnection


def etag(product: Product) -> str:
    """The strong ETag of a product's current version."""
    return f'"{product.version}"'


async def list_products(query: ProductQuery, *, connection: ReadConnection) -> ProductPageData:
    """One page of active products matching `query`, and the cursor of the next page."""
    low, high = query.min_price, query.max_price
    if low is not None and high is not None and low > high:
        detail = "min_price must not be greater than max_price."
        error = field_error("min_price", detail, location="query")
        raise InvalidInput(detail, extra={"errors": [error]})
    category_id: uuid.UUID | None = None
    if query.category is not None:
        category_id = await find_category_id(query.category, connection=connection)
        if category_id is None:
            return {"items": [], "next_cursor": None}
    listing = plan_listing(query, category_id=category_id)
    rows = await fetch_listing(listing, connection=connection)
    items = [cast(ProductItem, dict(row)) for row in rows[: query.limit]]
    if len(rows) <= query.limit:
        return {"items": items, "next_cursor": None}
    return {"items": items, "next_cursor": product_cursor(query.sort, items[-1])}


async def get_product(product_id: uuid.UUID, *, session: AsyncSession) -> Product:
    """The product with this id (active or not), or ProductNotFound."""
    product = await session.get(Product, product_id)
    if product is None:
        raise ProductNotFound(f"No product has the id {product_id}.")
    return product


async def create_product(data: ProductCreate, *, session: AsyncSession) -> Product:
    """Insert a product; a taken SKU is 409, an unknown category 422."""
    await _require_category(data.category_id, session=session)
    product = Product(**data.model_dump(), version=1)
    session.add(product)
    await flush_unique(session, "uq_product_sku", DuplicateSku(data.sku))
    await session.refresh(product)
    return product


async def update_product(
    product_id: uuid.UUID,
    data: ProductUpdate,
    *,
    if_match: str | None,
    session: AsyncSession,
) -> Product:
    """Apply the fields that were sent, under the `If-Match` precondition when given."""
    product = await _locked(product_id, session=session)
    _check_if_match(product, if_match)
    changes = data.model_dump(exclude_unset=True)
    if "category_id" in changes:
        await _require_category(changes["category_id"], session=session)
    for name, value in changes.items():
        setattr(product, name, value)
    if changes:
        product.version += 1
        await flush_unique(session, "uq_product_sku", DuplicateSku(product.sku))
        await session.refresh(product)
    return product


async def restock_product(
    product_id: uuid.UUID, quantity: int, *, session: AsyncSession
) -> Product:
    """Add `quantity` units in one conditional UPDATE, which also gives the product a new ETag."""
    stmt = (
        update(Product)
        .where(Product.id == product_id, Product.stock <= MAX_INT32 - quantity)
        .values(stock=Product.stock + quantity, version=Product.version + 1)
        .returning(Product)
        .execution_options(populate_existing=True)
    )
    product = await session.scalar(stmt)
    if product is not None:
        return product
    stock = await session.scalar(select(Product.stock).where(Product.id == product_id))
    if stock is None:
        raise ProductNotFound(f"No product has the id {product_id}.")
    detail = f"Adding {quantity} units to the {stock} on hand would exceed {MAX_INT32}."
    raise StockLimitExceeded(
        detail, extra={"errors": [field_error("quantity", detail, location="body")]}
    )


async def deactivate_product(
    product_id: uuid.UUID, *, if_match: str | None, session: AsyncSession
) -> None:
    """Hide a product from the list and from new reservations (idempotent)."""
    product = await _locked(product_id, session=session)
    _check_if_match(product, if_match)
    if product.active:
        product.active = False
        product.version += 1
        await session.flush()


async def _locked(product_id: uuid.UUID, *, session: AsyncSession) -> Product:
    stmt = (
        select(Product)
        .where(Product.id == product_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    product = await session.scalar(stmt)
    if product is None:
        raise ProductNotFound(f"No product has the id {product_id}.")
    return product


def _check_if_match(product: Product, if_match: str | None) -> None:
    if if_match is None:
        return
    tags = {tag.strip() for tag in if_match.split(",")}
    if "*" in tags or etag(product) in tags:
        return
    raise PreconditionFailed(
        f"The product has changed (its ETag is now {etag(product)}); fetch it and retry.",
        headers={"ETag": etag(product)},
    )


async def _require_category(category_id: uuid.UUID, *, session: AsyncSession) -> None:
    if await session.get(Category, category_id) is None:
        detail = f"No category has the id {category_id}."
        raise InvalidInput(
            detail, extra={"errors": [field_error("category_id", detail, location="body")]}
        )
