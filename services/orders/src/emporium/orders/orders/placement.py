"""Placing an order: a saga over the catalog's reservations, made idempotent by key.

1. claim the idempotency key (own transaction; a replay answers from the stored result);
2. reserve the stock in the catalog under the order id chosen at claim time;
3. store the order as `pending` with a snapshot of each line (sku, name, unit price);
4. confirm the reservation, then mark the order `confirmed` and store the answer for the
   key in the same transaction.
A failure after step 2 releases the reservation and removes the pending order
(compensation). If the process dies between steps 2 and 3, the catalog's reservation TTL
returns the stock. If it dies after step 3, the pending order stays behind, and once the
catalog has confirmed, its stock is held for good (the TTL covers pending reservations
only): the recovery task (`recovery.py`) resolves such orders. Either way the key's lease
runs out, so a retry can take the key over unless recovery has answered it first.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.orders.catalog.client import CatalogClient
from emporium.orders.catalog.schemas import Reservation, ReservationLine
from emporium.orders.idempotency import service as idempotency
from emporium.orders.idempotency.service import Claim, Replay
from emporium.orders.orders.exceptions import InsufficientStock
from emporium.orders.orders.models import Order, OrderLine, OrderStatus
from emporium.orders.orders.schemas import OrderCreate, OrderRead
from emporium.servicekit import BadGateway, Conflict, DomainError, InvalidInput

logger = logging.getLogger("emporium.orders.placement")

CREATED = 201


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
) -> Placed:
    """Place the order, or replay the answer its idempotency key already has."""
    lines = [ReservationLine(product_id=i.product_id, quantity=i.quantity) for i in payload.items]
    request_hash = idempotency.fingerprint(sorted((str(x.product_id), x.quantity) for x in lines))
    outcome = await idempotency.claim(
        sessionmaker=sessionmaker,
        user_id=user_id,
        key=key,
        request_hash=request_hash,
        lease_seconds=lease_seconds,
    )
    if isinstance(outcome, Replay):
        return Placed(outcome.status, outcome.body, outcome.order_id, replayed=True)
    try:
        body = await _run(sessionmaker, catalog, user_id, outcome, lines)
        return Placed(CREATED, body, outcome.order_id, replayed=False)
    except BaseException:
        try:
            await idempotency.give_up(sessionmaker=sessionmaker, claim=outcome)
        except Exception:
            logger.exception("could not reopen idempotency key after a failed order")
        raise


async def _run(
    sessionmaker: async_sessionmaker[AsyncSession],
    catalog: CatalogClient,
    user_id: uuid.UUID,
    claim: Claim,
    lines: list[ReservationLine],
) -> str:
    try:
        reservation = await catalog.reserve(claim.order_id, lines)
    except Conflict as exc:
        raise InsufficientStock(exc.extra) from exc
    stored = False
    try:
        _check_reservation(reservation, lines)
        await _store_pending(sessionmaker, user_id, claim.order_id, reservation)
        stored = True
        await catalog.confirm(reservation.id)
        async with sessionmaker() as session, session.begin():
            return await confirm_order(session=session, claim=claim)
    except BaseException as exc:
        await _compensate(sessionmaker, catalog, claim.order_id, reservation.id, stored, exc)
        raise


def _check_reservation(reservation: Reservation, lines: list[ReservationLine]) -> None:
    wanted = {x.product_id: x.quantity for x in lines}
    got = {x.product_id: x.quantity for x in reservation.items}
    if got != wanted or reservation.status != "pending":
        logger.error("catalog reservation %s does not match the order", reservation.id)
        raise BadGateway("The catalog reserved something other than what was ordered.")
    currencies = {x.currency for x in reservation.items}
    if len(currencies) > 1:
        raise InvalidInput(
            "All products of an order must be priced in one currency; these are in "
            f"{', '.join(sorted(currencies))}. Place one order per currency.",
            extra={"currencies": sorted(currencies)},
        )


async def _store_pending(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: uuid.UUID,
    order_id: uuid.UUID,
    reservation: Reservation,
) -> None:
    position = {x.product_id: i for i, x in enumerate(reservation.items)}
    order = Order(
        id=order_id,
        user_id=user_id,
        status=OrderStatus.PENDING.value,
        total_cents=sum(x.unit_price_cents * x.quantity for x in reservation.items),
        currency=reservation.items[0].currency,
        reservation_id=reservation.id,
        lines=[
            OrderLine(
                product_id=x.product_id,
                position=position[x.product_id],
                sku=x.sku,
                name=x.name,
                quantity=x.quantity,
                unit_price_cents=x.unit_price_cents,
            )
            for x in reservation.items
        ],
    )
    async with sessionmaker() as session, session.begin():
        session.add(order)


async def confirm_order(*, session: AsyncSession, claim: Claim) -> str:
    """Mark the claim's pending order confirmed and store its 201 body for the key."""
    order = await session.get_one(Order, claim.order_id, with_for_update=True)
    order.status = OrderStatus.CONFIRMED.value
    await session.flush()
    await session.refresh(order)
    body = OrderRead.model_validate(order).model_dump_json()
    await idempotency.complete(session=session, claim=claim, status=CREATED, body=body)
    return body


async def _compensate(
    sessionmaker: async_sessionmaker[AsyncSession],
    catalog: CatalogClient,
    order_id: uuid.UUID,
    reservation_id: uuid.UUID,
    stored: bool,
    cause: BaseException,
) -> None:
    level = logging.INFO if isinstance(cause, DomainError) else logging.ERROR
    logger.log(level, "order %s failed after reserving (%r); releasing", order_id, cause)
    try:
        await catalog.release(reservation_id)
    except Exception:
        logger.exception(
            "could not release reservation %s of order %s; the catalog's TTL will",
            reservation_id,
            order_id,
        )
    if stored:
        try:
            async with sessionmaker() as session, session.begin():
                await session.execute(delete(Order).where(Order.id == order_id))
        except Exception:
            logger.exception("could not remove pending order %s", order_id)
