"""The cap on the units of one product a customer may hold in open orders.

Open orders are those still holding stock that their customer can give back: `pending` (being
placed) and `confirmed` (sold, not yet shipped, still cancellable). Without a cap one account
could buy up a product and cancel later, keeping it from everyone else.

Placing an order takes the customer's lock (`lock_customer`) before the statement that stores
the pending order and counts what the customer's other open orders hold (`pending`), then
checks the cap (`check_unit_cap`): two concurrent orders cannot both squeeze under it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.orders.catalog.schemas import ReservationLine
from emporium.orders.lifecycle.models import OrderStatus
from emporium.orders.placement.exceptions import UnitCapExceeded

OPEN_STATUSES = (OrderStatus.PENDING.value, OrderStatus.CONFIRMED.value)

# First key of the two-key advisory locks this service takes per customer.
_CUSTOMER_LOCK_SPACE = 0x6F72_6463  # "ordc"

_LOCK_CUSTOMER = select(func.pg_advisory_xact_lock(_CUSTOMER_LOCK_SPACE, bindparam("customer_key")))


async def lock_customer(*, session: AsyncSession, user_id: uuid.UUID) -> None:
    """Take the customer's lock, held until the transaction ends.

    A statement that starts after it sees every open order of the customer that another
    placement committed (READ COMMITTED takes a snapshot per statement).
    """
    customer_key = int.from_bytes(user_id.bytes[:4], "big", signed=True)
    await session.execute(_LOCK_CUSTOMER, {"customer_key": customer_key})


def check_unit_cap(
    *, held: Mapping[uuid.UUID, int], lines: Sequence[ReservationLine], cap: int
) -> None:
    """Raise UnitCapExceeded unless `held` (units of each product in the customer's other open
    orders) plus `lines` stay within `cap`."""
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
