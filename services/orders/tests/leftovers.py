"""Pending orders left behind as a dead request leaves them, for the recovery tests.

`left_by_crash` has placement itself die at a step: before its catalog call, or after the
catalog sold and before the sale was recorded. `left_by_legacy` writes the rows that an
earlier version of placement left (priced pending orders, keys that moved on), which
today's placement can no longer produce.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import asyncpg
import pytest

from emporium.orders.catalog.client import CatalogClient
from emporium.orders.idempotency.service import fingerprint
from emporium.orders.placement import service as placement

from .catalog_double import CatalogDouble, Reservation
from .conftest import AppFactory, key, order_body, user_of

Step = Literal["before-sale", "after-sale"]
LEASE_SECONDS = 0.05
"""The dead request's lease: it runs out at once, as a dead process's does in time."""


@dataclass
class LeftPending:
    """A pending order whose request died, its reservation (if any) and the request's headers."""

    order_id: uuid.UUID
    reservation: Reservation | None
    customer: dict[str, str]
    headers: dict[str, str]


class Crash(BaseException):
    """The process dies at this step: none of placement's own clean-up runs after it."""


async def left_by_crash(
    make_client: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
    catalog: CatalogDouble,
    customer: dict[str, str],
    product: uuid.UUID,
    quantity: int,
    *,
    step: Step,
) -> LeftPending:
    """Place an order whose process dies at `step`: before the catalog call, or after the
    catalog sold and before the sale was recorded. Its key's lease runs out at once."""
    died: list[uuid.UUID] = []

    async def die(*args: Any, **kwargs: Any) -> None:
        died.append(args[1] if step == "before-sale" else kwargs["order"].id)
        raise Crash

    headers = {**customer, **key()}
    with monkeypatch.context() as patch:
        if step == "before-sale":
            patch.setattr(CatalogClient, "sell", die)
        else:  # the sale is recorded by `confirm_order`: die on the way to it
            patch.setattr(placement, "confirm_order", die)
        async with make_client(idempotency_lease_seconds=LEASE_SECONDS) as c:
            with pytest.raises((Crash, BaseExceptionGroup)):
                await c.post("/orders", json=order_body((product, quantity)), headers=headers)
    [order_id] = died
    return LeftPending(order_id, catalog.reservation_of(order_id), customer, headers)


async def left_by_legacy(
    db: asyncpg.Connection,
    catalog: CatalogDouble,
    customer: dict[str, str],
    product: uuid.UUID,
    quantity: int,
    *,
    reservation_status: str,
    key_order_id: uuid.UUID | None = None,
) -> LeftPending:
    """The rows an earlier version of placement left when its request died: the pending order
    priced, with the id of the reservation (in `reservation_status`) the catalog holds for
    it. `key_order_id` other than the order's own says a retry has since taken the key over.
    """
    order_id = uuid.uuid4()
    reservation = catalog.hold(order_id, [(product, quantity)])
    reservation.status = reservation_status
    item = catalog.products[product]
    created = datetime.now(UTC) - timedelta(hours=1)
    user_id = user_of(customer)
    key = str(uuid.uuid4())
    async with db.transaction():
        await db.execute(
            "INSERT INTO customer_order (id, user_id, status, total_cents, currency,"
            " reservation_id, created_at, updated_at)"
            " VALUES ($1, $2, 'pending', $3, $4, $5, $6, $6)",
            order_id,
            user_id,
            item.price_cents * quantity,
            item.currency,
            reservation.id,
            created,
        )
        await db.execute(
            "INSERT INTO order_line (order_id, product_id, position, sku, name, quantity,"
            " unit_price_cents) VALUES ($1, $2, 0, $3, $4, $5, $6)",
            order_id,
            product,
            item.sku,
            item.name,
            quantity,
            item.price_cents,
        )
        await db.execute(
            "INSERT INTO idempotency_record (id, user_id, key, request_hash, state, order_id,"
            " locked_until, created_at, updated_at)"
            " VALUES ($1, $2, $3, $4, 'processing', $5, $6, $7, $7)",
            uuid.uuid4(),
            user_id,
            key,
            fingerprint([(str(product), quantity)]),
            key_order_id or order_id,
            created + timedelta(seconds=60),
            created,
        )
    return LeftPending(order_id, reservation, customer, {**customer, "Idempotency-Key": key})


async def left_pending(
    kind: str,
    make_client: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
    db: asyncpg.Connection,
    catalog: CatalogDouble,
    customer: dict[str, str],
    product: uuid.UUID,
) -> LeftPending:
    """Two units of `product` left pending: by a crash at a step, or by an earlier version."""
    if kind in ("before-sale", "after-sale"):
        step: Step = "before-sale" if kind == "before-sale" else "after-sale"
        return await left_by_crash(
            make_client, monkeypatch, catalog, customer, product, 2, step=step
        )
    status = kind.removeprefix("legacy-")
    return await left_by_legacy(db, catalog, customer, product, 2, reservation_status=status)
