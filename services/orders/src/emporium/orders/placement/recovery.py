"""The lifespan-owned task that resolves orders left pending (replica-safe).

Placement stores an order as `pending` before its one catalog call and marks it
`confirmed` after. An order stays pending when that call's outcome was unknown and nobody
retried the key, or when a process died in between; reads hide pending orders, and the
catalog may hold their stock. Every interval, each order pending for longer than
`pending_order_stale_seconds` is locked (`FOR UPDATE SKIP LOCKED`, so replicas share the
work) with the key record of its attempt, and resolved:

- the key still waits on this attempt: the same idempotent catalog call is re-driven (sell
  the order's lines under its id). Sold → the order is confirmed and the key stores its 201,
  so a retry of the key replays this order. Refused (short stock, released, expired) → the
  order is dropped and the key reopened, so a retry places the order afresh.
- the key has moved on (only rows an earlier version of placement left): no client will
  ever be told of this order, so its reservation is released and the order dropped.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.orders.catalog.client import CatalogClient
from emporium.orders.catalog.schemas import ReservationLine
from emporium.orders.idempotency import service as idempotency
from emporium.orders.idempotency.models import IdempotencyState
from emporium.orders.idempotency.service import Claim
from emporium.orders.lifecycle.models import Order, OrderStatus
from emporium.orders.placement.confirmation import confirm_order
from emporium.orders.placement.pending import PendingOrder
from emporium.orders.settings import OrdersSettings
from emporium.servicekit.background import periodic
from emporium.servicekit.errors import Conflict, InvalidInput, NotFound, ServiceUnavailable

logger = logging.getLogger("emporium.orders.recovery")


class Resolution(enum.StrEnum):
    """What became of one stale pending order."""

    CONFIRMED = "confirmed"
    DROPPED = "dropped"
    SKIPPED = "skipped"
    FAILED = "failed"


async def recover_stale_orders(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    catalog: CatalogClient,
    older_than: timedelta,
    batch: int,
) -> Counter[Resolution]:
    """Resolve up to `batch` orders pending for longer than `older_than`, oldest first."""
    async with sessionmaker() as session:
        candidates = (
            await session.scalars(
                select(Order.id)
                .where(Order.status == OrderStatus.PENDING)
                .where(Order.created_at < func.now() - older_than)
                .order_by(Order.created_at)
                .limit(batch)
            )
        ).all()
    resolutions: Counter[Resolution] = Counter()
    for order_id in candidates:
        try:
            async with sessionmaker() as session, session.begin():
                resolution = await _resolve(session, catalog, order_id)
        except ServiceUnavailable as exc:
            logger.warning("catalog unavailable, stale pending orders wait: %s", exc.detail)
            break
        except Exception:
            logger.exception("could not resolve stale pending order %s", order_id)
            resolution = Resolution.FAILED
        resolutions[resolution] += 1
    return resolutions


async def _resolve(
    session: AsyncSession, catalog: CatalogClient, order_id: uuid.UUID
) -> Resolution:
    order = await session.scalar(
        select(Order)
        .where(Order.id == order_id, Order.status == OrderStatus.PENDING)
        .with_for_update(skip_locked=True, of=Order)
        .execution_options(populate_existing=True)
    )
    if order is None:  # resolved meanwhile, or another replica holds it
        return Resolution.SKIPPED
    record = await idempotency.record_of_order(session=session, order_id=order.id)
    if (
        record is None or record.state is IdempotencyState.FAILED
    ):  # the key moved on without this order
        if order.reservation_id is not None:
            with contextlib.suppress(NotFound):
                await catalog.release(order.reservation_id)
        await _drop(session, order)
        logger.warning("dropped orphaned pending order %s and released its stock", order.id)
        return Resolution.DROPPED
    if record.state is IdempotencyState.PROCESSING and record.locked_until > datetime.now(UTC):
        return Resolution.SKIPPED  # its request still holds the key's lease
    claim = Claim(record_id=record.id, order_id=order.id)
    lines = [ReservationLine(product_id=x.product_id, quantity=x.quantity) for x in order.lines]
    try:
        reservation = await catalog.sell(order.id, lines)
    except (Conflict, InvalidInput, NotFound):  # refused, released or expired: nothing held
        await _drop(session, order)
        await idempotency.reopen(session=session, claim=claim)
        logger.warning("dropped pending order %s: the catalog did not sell it", order.id)
        return Resolution.DROPPED
    pending = PendingOrder(order.id, order.user_id, order.created_at)
    await confirm_order(
        session=session, claim=claim, order=pending, lines=lines, reservation=reservation
    )
    logger.warning("confirmed pending order %s left by an unfinished request", order.id)
    return Resolution.CONFIRMED


async def _drop(session: AsyncSession, order: Order) -> None:
    # Deleted, not cancelled: its key never answered 201, so no client knows this order,
    # just as when placement compensates a failure. A `cancelled` row would show the
    # customer an order they never placed, next to the one a retry of the key places.
    await session.delete(order)
    await session.flush()


@contextlib.asynccontextmanager
async def pending_order_recovery(app: FastAPI) -> AsyncIterator[None]:
    """Run a recovery round every interval while the app runs."""
    settings: OrdersSettings = app.state.settings
    older_than = timedelta(seconds=settings.pending_order_stale_seconds)

    async def recover() -> None:
        resolutions = await recover_stale_orders(
            sessionmaker=app.state.sessionmaker,
            catalog=app.state.catalog_client,
            older_than=older_than,
            batch=settings.pending_order_recovery_batch,
        )
        app.state.order_outcomes.recovered(
            {r.value: n for r, n in resolutions.items() if r is not Resolution.SKIPPED}
        )
        if resolutions:
            summary = ", ".join(f"{n} {r.value}" for r, n in sorted(resolutions.items()))
            logger.info("stale pending orders: %s", summary)

    interval = settings.pending_order_recovery_interval_seconds
    async with periodic(recover, interval=interval, name="orders-pending-order-recovery") as task:
        app.state.pending_order_recovery = task
        yield
