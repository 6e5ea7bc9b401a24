"""Row locks and stock movements, always in product-id order (so they never deadlock)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from sqlalchemy import Uuid, any_, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.catalog.products.models import Product

_product = Product.__table__.c

# Built once: the hot path of every order (a reservation) pays no statement building or
# cache-key work, and one prepared statement serves any number of lines.
_LOCK_FOR_SALE = (
    select(
        _product.id,
        _product.sku,
        _product.name,
        _product.price_cents,
        _product.currency,
        _product.stock,
        _product.active,
    )
    .where(_product.id == any_(bindparam("ids", type_=ARRAY(Uuid))))
    .order_by(_product.id)
    .with_for_update()
)

# The rows are locked already (in id order): one statement takes the units and writes the
# reservation's lines with the sku, name and price they were sold at.
_SELL = text(
    """
    WITH line AS (
        SELECT * FROM unnest(
            CAST(:product_ids AS uuid[]), CAST(:quantities AS integer[]),
            CAST(:positions AS integer[])
        ) AS l(product_id, quantity, position)
    ), sold AS (
        UPDATE product p
        SET stock = p.stock - line.quantity, version = p.version + 1, updated_at = now()
        FROM line
        WHERE p.id = line.product_id
        RETURNING p.id, p.sku, p.name, p.price_cents, p.currency, line.quantity, line.position
    )
    INSERT INTO reservation_item
        (reservation_id, product_id, position, sku, name, quantity, unit_price_cents, currency)
    SELECT CAST(:reservation_id AS uuid), id, position, sku, name, quantity, price_cents, currency
    FROM sold
    """
)


class ForSale(NamedTuple):
    """What a sale needs of a product row (locked)."""

    id: uuid.UUID
    sku: str
    name: str
    price_cents: int
    currency: str
    stock: int
    active: bool


class Line(NamedTuple):
    """One product line of a sale."""

    product_id: uuid.UUID
    quantity: int


async def lock_for_sale(
    product_ids: Iterable[uuid.UUID], *, session: AsyncSession
) -> dict[uuid.UUID, ForSale]:
    """Lock the products' rows FOR UPDATE in ascending id order; missing ids are absent."""
    rows = await session.execute(_LOCK_FOR_SALE, {"ids": sorted(set(product_ids))})
    return {row.id: ForSale(*row) for row in rows}


async def sell(reservation_id: uuid.UUID, lines: Sequence[Line], *, session: AsyncSession) -> None:
    """Take each line's units from its locked product (a new version each) and record them as
    the reservation's items, in the order given."""
    await session.execute(
        _SELL,
        {
            "reservation_id": reservation_id,
            "product_ids": [line.product_id for line in lines],
            "quantities": [line.quantity for line in lines],
            "positions": list(range(len(lines))),
        },
    )


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
