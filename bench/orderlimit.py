"""The one-process limit for `bench.orders`: the same database work, one asyncpg process.

One transaction per order on a scratch database holding the real `product`,
`idempotency_record`, `customer_order` and `order_line` tables (created from the services'
models): claim the key, decrement each line's stock only if enough is left (in product-id
order, so concurrent orders never deadlock), insert the order and its lines, store the answer
for the key. No HTTP, no ORM, no second database: what PostgreSQL and asyncpg alone allow.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Sequence

import asyncpg
from sqlalchemy.ext.asyncio import create_async_engine

from bench.orderload import Attempt, Mix
from emporium.catalog.models import Base as CatalogBase
from emporium.catalog.seed import load_synthetic
from emporium.orders.models import Base as OrdersBase
from emporium.servicekit.settings import to_async_url

CLAIM = """
INSERT INTO idempotency_record (id, user_id, key, request_hash, state, order_id, locked_until,
                                created_at, updated_at)
VALUES ($1, $2, $3, $4, 'processing', $5, now() + interval '60 seconds', now(), now())
ON CONFLICT (user_id, key) DO NOTHING RETURNING id
"""
TAKE = """
UPDATE product SET stock = stock - $2, version = version + 1, updated_at = now()
WHERE id = $1 AND active AND stock >= $2
RETURNING sku, name, price_cents, currency
"""
ORDER = """
INSERT INTO customer_order (id, user_id, status, total_cents, currency, reservation_id,
                            created_at, updated_at)
VALUES ($1, $2, 'confirmed', $3, $4, $5, now(), now())
"""
LINE = """
INSERT INTO order_line (order_id, product_id, position, sku, name, quantity, unit_price_cents)
VALUES ($1, $2, $3, $4, $5, $6, $7)
"""
ANSWER = """
UPDATE idempotency_record SET state = 'completed', response_status = 201, response_body = $2
WHERE id = $1
"""


class ShortStock(Exception):
    """A line could not be taken; the transaction rolls back."""


async def prepare(database_url: str, products: int, stock: int) -> list[uuid.UUID]:
    """Create the tables from the services' models, load products with `stock` each."""
    engine = create_async_engine(to_async_url(database_url))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(CatalogBase.metadata.create_all)
            await conn.run_sync(OrdersBase.metadata.create_all)
            await load_synthetic(conn, products, prefix="LIMIT")
        async with engine.connect() as conn:
            raw = await conn.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None
            await driver.execute("UPDATE product SET stock = $1, active = true", stock)
            await conn.commit()
            ids = await driver.fetch("SELECT id FROM product ORDER BY sku")
    finally:
        await engine.dispose()
    return [row["id"] for row in ids]


def limit_orders(pool: asyncpg.Pool, users: Sequence[uuid.UUID], mix: Mix, seed: int) -> Attempt:
    """An attempt placing one order in one transaction; 201 placed, 409 short stock."""
    rng = random.Random(seed)  # noqa: S311 - load shapes, not secrets

    async def attempt(n: int) -> int:
        user = users[n % len(users)]
        lines = sorted(
            (uuid.UUID(str(x["product_id"])), int(str(x["quantity"]))) for x in mix.lines(rng)
        )
        order_id = uuid.uuid4()
        async with pool.acquire() as conn:
            try:
                async with conn.transaction():
                    record = await conn.fetchval(
                        CLAIM, uuid.uuid4(), user, uuid.uuid4().hex, "h" * 64, order_id
                    )
                    if record is None:
                        return 409
                    taken = []
                    for product_id, quantity in lines:
                        row = await conn.fetchrow(TAKE, product_id, quantity)
                        if row is None:
                            raise ShortStock
                        taken.append((product_id, quantity, row))
                    total = sum(q * row["price_cents"] for _, q, row in taken)
                    currency = taken[0][2]["currency"]
                    await conn.execute(ORDER, order_id, user, total, currency, uuid.uuid4())
                    await conn.executemany(
                        LINE,
                        [
                            (order_id, p, i, row["sku"], row["name"], q, row["price_cents"])
                            for i, (p, q, row) in enumerate(taken)
                        ],
                    )
                    body = json.dumps(
                        {
                            "id": str(order_id),
                            "status": "confirmed",
                            "total_cents": total,
                            "currency": currency,
                            "items": [
                                {"product_id": str(p), "sku": row["sku"], "name": row["name"],
                                 "quantity": q, "unit_price_cents": row["price_cents"]}
                                for p, q, row in taken
                            ],
                        }
                    )  # fmt: skip
                    await conn.execute(ANSWER, record, body)
            except ShortStock:
                return 409
        return 201

    return attempt
