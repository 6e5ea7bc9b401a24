"""Storing an order as pending, and counting what the customer's other open orders hold.

Placement takes the customer's lock (`limits.lock_customer`) first, so the count sees every
open order of the customer committed before it, and checks the cap on it (`limits`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, Integer, Uuid, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.orders.catalog.schemas import ReservationLine
from emporium.orders.lifecycle.models import Order, OrderStatus
from emporium.orders.placement.limits import OPEN_STATUSES

# Built once: every order runs it. ON CONFLICT: a retry that took the key
# over re-drives an order stored by an earlier try. The count of what the customer's other
# open orders hold runs after `lock_customer`, so it sees every one committed before it.
_STORE_PENDING = text(
    """
    WITH pending AS (
        INSERT INTO customer_order (id, user_id, status)
        VALUES (:order_id, :user_id, :pending)
        ON CONFLICT (id) DO NOTHING
        RETURNING created_at
    ), lines AS (
        INSERT INTO order_line (order_id, product_id, position, quantity)
        SELECT CAST(:order_id AS uuid), product_id, position - 1, quantity
        FROM unnest(CAST(:product_ids AS uuid[]), CAST(:quantities AS integer[]))
            WITH ORDINALITY AS line(product_id, quantity, position)
        ON CONFLICT (order_id, product_id) DO NOTHING
    ), held AS (
        SELECT l.product_id, sum(l.quantity)::integer AS units
        FROM order_line l JOIN customer_order o ON o.id = l.order_id
        WHERE o.user_id = :user_id AND o.status = ANY(CAST(:open AS text[]))
            AND o.id <> :order_id AND l.product_id = ANY(CAST(:product_ids AS uuid[]))
        GROUP BY l.product_id
    )
    SELECT (SELECT created_at FROM pending) AS created_at,
        array_agg(held.product_id) AS product_ids, array_agg(held.units) AS units
    FROM held
    """
).columns(created_at=DateTime(timezone=True), product_ids=ARRAY(Uuid), units=ARRAY(Integer))


@dataclass(frozen=True, slots=True)
class PendingOrder:
    """What the confirmed order's answer needs of the pending order."""

    id: uuid.UUID
    user_id: uuid.UUID
    created_at: datetime


async def store_pending(
    *, session: AsyncSession, user_id: uuid.UUID, order_id: uuid.UUID, lines: list[ReservationLine]
) -> tuple[datetime, dict[uuid.UUID, int]]:
    """Store the order as pending with its lines, in one round trip; return when it was
    created and the units of its products that the customer's other open orders hold."""
    row = (
        await session.execute(
            _STORE_PENDING,
            {
                "order_id": order_id,
                "user_id": user_id,
                "pending": OrderStatus.PENDING.value,
                "open": list(OPEN_STATUSES),
                "product_ids": [x.product_id for x in lines],
                "quantities": [x.quantity for x in lines],
            },
        )
    ).one()
    held = dict(zip(row.product_ids or [], row.units or [], strict=True))
    created_at: datetime | None = row.created_at
    if created_at is None:  # a retry re-driving the order an earlier try stored
        created_at = await session.scalar(select(Order.created_at).where(Order.id == order_id))
        assert created_at is not None  # the claim's order id always has its pending order
    return created_at, held
