"""Placing an order: one idempotent catalog call between two local transactions.

1. claim the idempotency key and store the order as `pending` with the lines asked for, in
   one transaction (a replay answers from the stored result);
2. one catalog call reserves and confirms the stock for the order id (idempotent on it);
3. one transaction marks the order `confirmed` with the catalog's prices and stores the
   answer for the key.
If the catalog refuses (short stock, unknown product), or the call never left this process
and no earlier try of the key sent this order id, nothing is held: the pending order is
dropped and the key reopened, in one transaction. If
the outcome is unknown (a timeout, a 5xx), the order stays pending and the key's lease is let
go: a retry with the same key re-drives the same call for the same order id (the catalog
answers with what it did and sells at most once), and the recovery task (`recovery.py`)
does the same for orders nobody retries. If storing the catalog's answer fails, the stock is
released and the order dropped (compensation).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, Uuid, delete, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.orders.catalog.client import CatalogClient
from emporium.orders.catalog.schemas import Reservation, ReservationLine
from emporium.orders.idempotency import service as idempotency
from emporium.orders.idempotency.exceptions import IdempotencyKeyInProgress
from emporium.orders.idempotency.service import Claim, Replay
from emporium.orders.orders.exceptions import InsufficientStock
from emporium.orders.orders.limits import OPEN_STATUSES, check_unit_cap, lock_customer
from emporium.orders.orders.models import Order, OrderStatus
from emporium.orders.orders.outcomes import OrderOutcomes, mark_order
from emporium.orders.orders.schemas import OrderCreate, OrderRead
from emporium.servicekit.errors import BadGateway, Conflict, DomainError, InvalidInput
from emporium.servicekit.service_client import NotDelivered

logger = logging.getLogger("emporium.orders.placement")

CREATED = 201

# The two statements every order runs, built once. ON CONFLICT: a retry that took the key
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

# The sale recorded in one statement, outside any transaction (it is atomic by itself, so
# no BEGIN and COMMIT round trips): the order confirmed, its lines priced and its key's
# answer stored, all or (when the order is no longer pending) nothing. The key's record is
# locked first, as a retry of the key locks it before it touches the order: the other way
# round the two deadlock (a retry's insert waits for this statement's updated lines).
_CONFIRM = text(
    """
    WITH claimed AS (
        SELECT id FROM idempotency_record WHERE id = :record_id FOR UPDATE
    ), confirmed AS (
        UPDATE customer_order
        SET status = :confirmed, total_cents = :total_cents, currency = :currency,
            reservation_id = :reservation_id, updated_at = :updated_at
        WHERE id = :order_id AND status = :pending AND EXISTS (SELECT 1 FROM claimed)
        RETURNING id
    ), sold AS (
        UPDATE order_line l
        SET sku = sale.sku, name = sale.name, unit_price_cents = sale.price
        FROM confirmed, unnest(
            CAST(:product_ids AS uuid[]), CAST(:skus AS text[]), CAST(:names AS text[]),
            CAST(:prices AS integer[])
        ) AS sale(product_id, sku, name, price)
        WHERE l.order_id = confirmed.id AND l.product_id = sale.product_id
    ), answered AS (
        UPDATE idempotency_record
        SET state = 'completed', response_status = :response_status,
            response_body = :response_body, updated_at = now()
        FROM confirmed
        WHERE idempotency_record.id = :record_id
    )
    SELECT id FROM confirmed
    """
).columns(id=Uuid)


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
        created_at, held = await _store_pending(session, user_id, outcome.order_id, lines)
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
    except (Conflict, InvalidInput) as exc:  # refused: nothing is held for this order id
        await _drop(sessionmaker, claim)
        if isinstance(exc, Conflict) and exc.problem_slug == "insufficient-stock":
            raise InsufficientStock(exc.extra) from exc
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


async def _store_pending(
    session: AsyncSession, user_id: uuid.UUID, order_id: uuid.UUID, lines: list[ReservationLine]
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


async def _let_go(sessionmaker: async_sessionmaker[AsyncSession], claim: Claim) -> None:
    """The outcome is unknown: keep the order pending and let a retry of the key re-drive it."""
    async with sessionmaker() as session, session.begin():
        await idempotency.let_go(session=session, claim=claim)


async def _drop(sessionmaker: async_sessionmaker[AsyncSession], claim: Claim) -> None:
    """No order came of this attempt: remove it and let a retry of the key start afresh."""
    async with sessionmaker() as session, session.begin():
        await session.execute(
            delete(Order).where(
                Order.id == claim.order_id, Order.status == OrderStatus.PENDING.value
            )
        )
        await idempotency.reopen(session=session, claim=claim)


def _check_sale(reservation: Reservation, wanted: dict[uuid.UUID, int]) -> None:
    got = {x.product_id: x.quantity for x in reservation.items}
    if got != wanted or reservation.status != "confirmed":
        logger.error("catalog reservation %s does not match the order", reservation.id)
        raise BadGateway("The catalog sold something other than what was ordered.")
    currencies = {x.currency for x in reservation.items}
    if len(currencies) > 1:
        raise InvalidInput(
            "All products of an order must be priced in one currency; these are in "
            f"{', '.join(sorted(currencies))}. Place one order per currency.",
            extra={"currencies": sorted(currencies)},
        )


@dataclass(frozen=True, slots=True)
class PendingOrder:
    """What the confirmed order's answer needs of the pending order."""

    id: uuid.UUID
    user_id: uuid.UUID
    created_at: datetime


async def confirm_order(
    *,
    session: AsyncSession,
    claim: Claim,
    order: PendingOrder,
    lines: list[ReservationLine],
    reservation: Reservation,
) -> str:
    """Mark the claim's pending order (`lines`, in order) confirmed at the catalog's prices
    and store its 201 body for the key, in one statement; return the body."""
    _check_sale(reservation, {x.product_id: x.quantity for x in lines})
    position = {x.product_id: i for i, x in enumerate(lines)}
    items = sorted(reservation.items, key=lambda x: position[x.product_id])
    total = sum(x.unit_price_cents * x.quantity for x in items)
    updated_at = datetime.now(UTC)
    body = OrderRead.model_validate(
        {
            "id": order.id,
            "user_id": order.user_id,
            "status": OrderStatus.CONFIRMED,
            "lines": [
                {
                    "product_id": x.product_id,
                    "sku": x.sku,
                    "name": x.name,
                    "quantity": x.quantity,
                    "unit_price_cents": x.unit_price_cents,
                }
                for x in items
            ],
            "total_cents": total,
            "currency": items[0].currency,
            "created_at": order.created_at,
            "updated_at": updated_at,
        }
    ).model_dump_json()
    confirmed = await session.scalar(
        _CONFIRM,
        {
            "order_id": order.id,
            "record_id": claim.record_id,
            "pending": OrderStatus.PENDING.value,
            "confirmed": OrderStatus.CONFIRMED.value,
            "total_cents": total,
            "currency": items[0].currency,
            "reservation_id": reservation.id,
            "updated_at": updated_at,
            "product_ids": [x.product_id for x in items],
            "skus": [x.sku for x in items],
            "names": [x.name for x in items],
            "prices": [x.unit_price_cents for x in items],
            "response_status": CREATED,
            "response_body": body,
        },
    )
    if confirmed is None:  # resolved meanwhile by another request of the key (or recovery)
        raise IdempotencyKeyInProgress()
    return body
