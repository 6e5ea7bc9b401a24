"""Placing an order: one idempotent catalog call between two local transactions.

1. claim the idempotency key and store the order as `pending` with the lines asked for, in
   one transaction (`pending`; a replay answers from the stored result);
2. one catalog call reserves and confirms the stock for the order id (idempotent on it);
3. one statement marks the order `confirmed` with the catalog's prices and stores the
   answer for the key (`confirmation`).
If the catalog refuses (a 409 of any type, see `catalog.exceptions`, or an unknown
product), or the call never left this process and no earlier try of the key sent this
order id, nothing is held: the pending order is dropped and the key reopened, in one
transaction. If the outcome is unknown (a timeout, a 5xx), the order stays pending and the
key's lease is let go: a retry with the same key re-drives the same call for the same order
id (the catalog answers with what it did and sells at most once), and the recovery task
(`recovery`) does the same for orders nobody retries. If storing the catalog's answer
fails, the stock is released and the order dropped (compensation).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.orders.catalog.client import CatalogClient
from emporium.orders.catalog.schemas import ReservationLine
from emporium.orders.idempotency import service as idempotency
from emporium.orders.idempotency.exceptions import IdempotencyKeyInProgress
from emporium.orders.idempotency.service import Claim, Replay
from emporium.orders.lifecycle.models import Order, OrderStatus
from emporium.orders.lifecycle.schemas import OrderCreate
from emporium.orders.placement.confirmation import CREATED, confirm_order
from emporium.orders.placement.limits import check_unit_cap, lock_customer
from emporium.orders.placement.outcomes import OrderOutcomes, mark_order
from emporium.orders.placement.pending import PendingOrder, store_pending
from emporium.servicekit.errors import Conflict, DomainError, InvalidInput
from emporium.servicekit.service_client import NotDelivered

logger = logging.getLogger("emporium.orders.placement")


@dataclass(frozen=True, slots=True)
class Placed:
    """The answer to `POST /orders`: status and JSON body, the order's id, whether replayed."""

    status: int
    body: str
    order_id: uuid.UUID
    replayed: bool


async def place_order(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    catalog: CatalogClient,
    user_id: uuid.UUID,
    key: str,
    payload: OrderCreate,
    lease_seconds: float,
    max_units_per_product: int,
    outcomes: OrderOutcomes | None = None,
) -> Placed:
    """Place the order, or replay the answer its idempotency key already has.

    A new order that would take the customer past `max_units_per_product` units of a product
    in open orders is refused (UnitCapExceeded) and its key stays free.
    """
    lines = [ReservationLine(product_id=i.product_id, quantity=i.quantity) for i in payload.items]
    request_hash = idempotency.fingerprint(sorted((str(x.product_id), x.quantity) for x in lines))
    async with sessionmaker() as session, session.begin():
        outcome = await idempotency.claim(
            session=session,
            user_id=user_id,
            key=key,
            request_hash=request_hash,
            lease_seconds=lease_seconds,
        )
        mark_order(outcome.order_id)
        if isinstance(outcome, Replay):
            return Placed(outcome.status, outcome.body, outcome.order_id, replayed=True)
        await lock_customer(session=session, user_id=user_id)
        created_at, held = await store_pending(
            session=session, user_id=user_id, order_id=outcome.order_id, lines=lines
        )
        # Refused: the transaction rolls back, the pending order and the key's claim with it.
        check_unit_cap(held=held, lines=lines, cap=max_units_per_product)
    order = PendingOrder(outcome.order_id, user_id, created_at)
    body = await _sell(sessionmaker, catalog, outcome, order, lines, outcomes)
    return Placed(CREATED, body, outcome.order_id, replayed=False)


async def _sell(
    sessionmaker: async_sessionmaker[AsyncSession],
    catalog: CatalogClient,
    claim: Claim,
    order: PendingOrder,
    lines: list[ReservationLine],
    outcomes: OrderOutcomes | None,
) -> str:
    try:
        reservation = await catalog.sell(claim.order_id, lines)
    except NotDelivered:
        # This call did nothing; but when an earlier try of the key sent the same order id,
        # that try may have sold: the outcome stays unknown, so the order stays pending.
        if claim.redrive:
            await _let_go(sessionmaker, claim)
        else:
            await _drop(sessionmaker, claim)
        raise
    except (Conflict, InvalidInput):  # refused: nothing is held for this order id
        await _drop(sessionmaker, claim)
        raise
    except Exception:  # the catalog may have sold: a retry of the key re-drives the call
        await _let_go(sessionmaker, claim)
        raise
    try:
        async with sessionmaker() as session:
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            return await confirm_order(
                session=session, claim=claim, order=order, lines=lines, reservation=reservation
            )
    except IdempotencyKeyInProgress:
        # This request outlived its lease and a retry of the key (or recovery) took the order
        # over: the sale is theirs to record. Nothing to undo; a retry replays their answer.
        raise
    except Exception as exc:
        level = logging.INFO if isinstance(exc, DomainError) else logging.ERROR
        logger.log(level, "order %s failed after the sale (%r); releasing", claim.order_id, exc)
        try:
            await catalog.release(reservation.id)
        except Exception:
            logger.exception(
                "could not release reservation %s of order %s; recovery will resolve it",
                reservation.id,
                claim.order_id,
            )
            raise exc from None
        if outcomes is not None:
            outcomes.compensated()
        await _drop(sessionmaker, claim)
        raise


async def _let_go(sessionmaker: async_sessionmaker[AsyncSession], claim: Claim) -> None:
    """The outcome is unknown: keep the order pending and let a retry of the key re-drive it."""
    async with sessionmaker() as session, session.begin():
        await idempotency.let_go(session=session, claim=claim)


async def _drop(sessionmaker: async_sessionmaker[AsyncSession], claim: Claim) -> None:
    """No order came of this attempt: remove it and let a retry of the key start afresh."""
    async with sessionmaker() as session, session.begin():
        await session.execute(
            delete(Order).where(Order.id == claim.order_id, Order.status == OrderStatus.PENDING)
        )
        await idempotency.reopen(session=session, claim=claim)
