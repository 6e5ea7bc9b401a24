"""Reserve, confirm, release and expire stock."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import INTERVAL, insert
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.catalog.reservations.exceptions import (
    InsufficientStock,
    OrderReservedElsewhere,
    ReservationMismatch,
    ReservationNotFound,
    ReservationNotPending,
    UnreservableItems,
)
from emporium.catalog.reservations.models import Reservation, ReservationStatus
from emporium.catalog.reservations.schemas import (
    ReservationCreate,
    ReservationItemRead,
    ReservationRead,
)
from emporium.catalog.reservations.stock import ForSale, Line, lock_for_sale, restock, sell
from emporium.servicekit.problems import field_error

HOLDING = (ReservationStatus.PENDING, ReservationStatus.CONFIRMED)

_table = Reservation.metadata.tables["reservation"]
_reservation = _table.c

# Built once (a Core statement on the table, no ORM bulk-insert machinery): every order
# runs it. An order that already has a reservation inserts nothing and returns no row.
_INSERT_RESERVATION = (
    insert(_table)
    .values(
        id=bindparam("id"),
        order_id=bindparam("order_id"),
        client_id=bindparam("client_id"),
        status=bindparam("status"),
        expires_at=func.now() + bindparam("ttl", type_=INTERVAL),
    )
    .on_conflict_do_nothing(index_elements=[_reservation.order_id])
    .returning(_reservation.id, _reservation.status, _reservation.expires_at)
)


async def create_reservation(
    data: ReservationCreate, *, client_id: str, ttl_seconds: float, session: AsyncSession
) -> tuple[ReservationRead, bool]:
    """Hold every line or none for `client_id`; returns the reservation and whether it is new.

    A repeat of the same request for an order returns the existing reservation; with
    `confirm`, the reservation is created confirmed, and a repeat confirms a pending one.
    An order another client reserved is a conflict that tells nothing about that reservation.
    """
    _reject_repeated_products(data)
    status = ReservationStatus.CONFIRMED if data.confirm else ReservationStatus.PENDING
    inserted = (
        await session.execute(
            _INSERT_RESERVATION,
            {
                "id": uuid.uuid4(),
                "order_id": data.order_id,
                "client_id": client_id,
                "status": status,
                "ttl": timedelta(seconds=ttl_seconds),
            },
        )
    ).one_or_none()
    if inserted is None:
        existing = await _replay(data, client_id=client_id, session=session)
        if data.confirm and existing.status is not ReservationStatus.CONFIRMED:
            existing = await confirm_reservation(existing.id, client_id=client_id, session=session)
        return ReservationRead.model_validate(existing), False
    products = await lock_for_sale((line.product_id for line in data.items), session=session)
    _check_reservable(data, products)
    await sell(inserted.id, [Line(x.product_id, x.quantity) for x in data.items], session=session)
    # The answer is what was just written: no need to read the reservation back.
    items = [
        ReservationItemRead(
            product_id=line.product_id,
            sku=products[line.product_id].sku,
            name=products[line.product_id].name,
            quantity=line.quantity,
            unit_price_cents=products[line.product_id].price_cents,
            currency=products[line.product_id].currency,
        )
        for line in data.items
    ]
    read = ReservationRead(
        id=inserted.id,
        order_id=data.order_id,
        status=inserted.status,
        expires_at=inserted.expires_at,
        items=items,
    )
    return read, True


async def get_reservation(
    reservation_id: uuid.UUID, *, client_id: str, session: AsyncSession
) -> Reservation:
    """`client_id`'s reservation with this id and its lines, or ReservationNotFound."""
    return await _load(reservation_id, client_id=client_id, session=session)


async def confirm_reservation(
    reservation_id: uuid.UUID, *, client_id: str, session: AsyncSession
) -> Reservation:
    """Make `client_id`'s pending reservation permanent (confirming twice is a no-op)."""
    reservation = await _load(reservation_id, client_id=client_id, session=session, lock=True)
    if reservation.status is ReservationStatus.CONFIRMED:
        return reservation
    if reservation.status is not ReservationStatus.PENDING:
        raise ReservationNotPending(
            f"The reservation is {reservation.status.value}; reserve the stock again.",
            extra={"reservation_status": reservation.status.value},
        )
    if reservation.expires_at <= datetime.now(UTC):
        raise ReservationNotPending(
            "The reservation has expired; reserve the stock again.",
            extra={"reservation_status": ReservationStatus.EXPIRED.value},
        )
    reservation.status = ReservationStatus.CONFIRMED
    await session.flush()
    return await _load(reservation_id, client_id=client_id, session=session)


async def release_reservation(
    reservation_id: uuid.UUID, *, client_id: str, session: AsyncSession
) -> Reservation:
    """Give `client_id`'s stock back (pending or confirmed); releasing again is a no-op.

    Only the owner reaches its reservation, and the status moves under the row's lock, so the
    units of one sale come back at most once: a release can never add stock that was not sold.
    """
    reservation = await _load(reservation_id, client_id=client_id, session=session, lock=True)
    if reservation.status in HOLDING:
        await restock(_quantities([reservation]), session=session)
        reservation.status = ReservationStatus.RELEASED
        await session.flush()
    return await _load(reservation_id, client_id=client_id, session=session)


async def expire_due_reservations(*, batch: int, session: AsyncSession) -> int:
    """Expire up to `batch` overdue pending reservations, skipping rows others hold."""
    stmt = (
        select(Reservation)
        .where(Reservation.status == ReservationStatus.PENDING)
        .where(Reservation.expires_at <= func.now())
        .order_by(Reservation.expires_at)
        .limit(batch)
        .with_for_update(skip_locked=True, of=Reservation)
        .execution_options(populate_existing=True)
    )
    due = (await session.scalars(stmt)).all()
    if not due:
        return 0
    await restock(_quantities(due), session=session)
    for reservation in due:
        reservation.status = ReservationStatus.EXPIRED
    await session.flush()
    return len(due)


def _quantities(reservations: Iterable[Reservation]) -> Counter[uuid.UUID]:
    totals: Counter[uuid.UUID] = Counter()
    for reservation in reservations:
        for item in reservation.items:
            totals[item.product_id] += item.quantity
    return totals


def _reject_repeated_products(data: ReservationCreate) -> None:
    seen: set[uuid.UUID] = set()
    errors = []
    for index, line in enumerate(data.items):
        if line.product_id in seen:
            errors.append(_error(index, "the product appears on an earlier line; merge them"))
        seen.add(line.product_id)
    if errors:
        raise UnreservableItems(
            "Each product may appear on one line only.", extra={"errors": errors}
        )


def _check_reservable(data: ReservationCreate, products: dict[uuid.UUID, ForSale]) -> None:
    errors = []
    for index, line in enumerate(data.items):
        product = products.get(line.product_id)
        if product is None:
            errors.append(_error(index, "no such product"))
        elif not product.active:
            errors.append(_error(index, "the product is not for sale (inactive)"))
    if errors:
        raise UnreservableItems("Some items cannot be reserved.", extra={"errors": errors})
    currencies = sorted({products[line.product_id].currency for line in data.items})
    if len(currencies) > 1:
        detail = f"One reservation holds one currency; these items mix {', '.join(currencies)}."
        error = field_error("items", detail, location="body")
        raise UnreservableItems(detail, extra={"errors": [error]})
    short: list[dict[str, Any]] = [
        {
            "product_id": str(line.product_id),
            "sku": products[line.product_id].sku,
            "requested": line.quantity,
            "available": products[line.product_id].stock,
        }
        for line in data.items
        if products[line.product_id].stock < line.quantity
    ]
    if short:
        skus = ", ".join(str(item["sku"]) for item in short)
        raise InsufficientStock(f"Not enough stock for: {skus}.", extra={"short_items": short})


def _error(index: int, message: str) -> dict[str, str]:
    return field_error(f"items.{index}.product_id", message, location="body")


async def _replay(data: ReservationCreate, *, client_id: str, session: AsyncSession) -> Reservation:
    existing = await session.scalar(
        select(Reservation).where(Reservation.order_id == data.order_id)
    )
    assert existing is not None  # the conflicting row is committed: ON CONFLICT waited for it
    if existing.client_id != client_id:
        raise OrderReservedElsewhere(
            f"Order {data.order_id} already has a reservation that another client holds."
        )
    wanted = sorted((line.product_id, line.quantity) for line in data.items)
    held = sorted((item.product_id, item.quantity) for item in existing.items)
    if wanted != held:
        raise ReservationMismatch(
            f"Order {data.order_id} already has a reservation with different items.",
            extra={"reservation_id": str(existing.id)},
        )
    return existing


async def _load(
    reservation_id: uuid.UUID, *, client_id: str, session: AsyncSession, lock: bool = False
) -> Reservation:
    # Another client's reservation is as missing as one that never existed.
    stmt = (
        select(Reservation)
        .where(Reservation.id == reservation_id, Reservation.client_id == client_id)
        .execution_options(populate_existing=True)
    )
    if lock:
        stmt = stmt.with_for_update(of=Reservation)
    reservation = await session.scalar(stmt)
    if reservation is None:
        raise ReservationNotFound(f"No reservation has the id {reservation_id}.")
    return reservation
