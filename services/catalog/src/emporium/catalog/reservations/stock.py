"""Row locks and stock movements, always in product-id order (so they never deadlock)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.catalog.products.models import Product


async def lock_products(
    product_ids: Iterable[uuid.UUID], *, session: AsyncSession
) -> dict[uuid.UUID, Product]:
    """Lock the products' rows FOR UPDATE in ascending id order; missing ids are absent."""
    stmt = (
        select(Product)
        .where(Product.id.in_(sorted(set(product_ids))))
        .order_by(Product.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {p.id: p for p in (await session.scalars(stmt)).all()}


async def restock(quantities: Mapping[uuid.UUID, int], *, session: AsyncSession) -> None:
    """Give units back to products (locking them in id order first); each gets a new version."""
    if not quantities:
        return
    products = await lock_products(quantities, session=session)
    for product_id in sorted(products):
        products[product_id].stock += quantities[product_id]
        products[product_id].version += 1
    await session.flush()
