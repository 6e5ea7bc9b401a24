"""Recording a sale: the pending order confirmed at the catalog's prices, its key answered."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy import Uuid, text
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.orders.catalog.schemas import Reservation, ReservationLine
from emporium.orders.idempotency.exceptions import IdempotencyKeyInProgress
from emporium.orders.idempotency.models import IdempotencyState
from emporium.orders.idempotency.service import Claim
from emporium.orders.lifecycle.models import OrderStatus
from emporium.orders.lifecycle.schemas import OrderRead
from emporium.orders.placement.pending import PendingOrder
from emporium.servicekit.errors import BadGateway, InvalidInput

logger = logging.getLogger("emporium.orders.placement")

CREATED = 201

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
        SET state = :completed, response_status = :response_status,
            response_body = :response_body, updated_at = now()
        FROM confirmed
        WHERE idempotency_record.id = :record_id
    )
    SELECT id FROM confirmed
    """
).columns(id=Uuid)


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
            "completed": IdempotencyState.COMPLETED.value,
            "response_status": CREATED,
            "response_body": body,
        },
    )
    if confirmed is None:  # resolved meanwhile by another request of the key (or recovery)
        raise IdempotencyKeyInProgress()
    return body
