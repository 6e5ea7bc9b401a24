"""The cap on the units of one product a customer may hold in open orders.

Open orders are those still holding stock that their customer can give back: `pending` (being
placed) and `confirmed` (sold, not yet shipped, still cancellable). Without a cap one account
could buy up a product and cancel later, keeping it from everyone else.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.orders.catalog.schemas import ReservationLine
from emporium.orders.orders.exceptions import UnitCapExceeded
from emporium.orders.orders.models import Order, OrderLine, OrderStatus

OPEN_STATUSES = (OrderStatus.PENDING.value, OrderStatus.CONFIRMED.value)

# First key of the two-key advisory locks this service takes per customer.
_CUSTOMER_LOCK_SPACE = 0x6F72_6463  # "ordc"


async def check_unit_cap(
    *,
    session: AsyncSession,
    user_id: uuid.UUID,
    order_id: uuid.UUID,
    lines: Sequence[ReservationLine],
    cap: int,
) -> None:
    """Raise UnitCapExceeded unless the customer's open orders plus `lines` stay within `cap`.

    Takes a per-customer lock held until the transaction ends, so the transaction that stores
    the pending order counts every other order of the customer: two concurrent orders cannot
    both squeeze under the cap. `order_id` itself (a retry re-driving it) is not counted.
    """
    customer_key = int.from_bytes(user_id.bytes[:4], "big", signed=True)
    await session.execute(select(func.pg_advisory_xact_lock(_CUSTOMER_LOCK_SPACE, customer_key)))
    rows = await session.execute(
        select(OrderLine.product_id, func.sum(OrderLine.quantity))
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.user_id == user_id,
            Order.status.in_(OPEN_STATUSES),
            Order.id != order_id,
            OrderLine.product_id.in_([x.product_id for x in lines]),
        )
        .group_by(OrderLine.product_id)
    )
    held: dict[uuid.UUID, int] = {product_id: int(units) for product_id, units in rows}
    over = [
        {
            "product_id": str(x.product_id),
            "held": held.get(x.product_id, 0),
            "requested": x.quantity,
        }
        for x in lines
        if held.get(x.product_id, 0) + x.quantity > cap
    ]
    if over:
        raise UnitCapExceeded(cap, over)
