"""Reading orders and moving them through their life (ship, deliver, cancel)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.orders.catalog.client import CatalogClient
from emporium.orders.lifecycle.exceptions import InvalidTransition, OrderNotFound
from emporium.orders.lifecycle.models import Order, OrderStatus
from emporium.orders.releases import service as releases
from emporium.orders.scopes import MANAGE, READ_ALL
from emporium.servicekit.cursors import decode_cursor, encode_cursor
from emporium.servicekit.errors import Forbidden
from emporium.servicekit.tokens import Principal

# Moves a caller may ask for; pending → confirmed happens only inside order placement.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset(),
    OrderStatus.CONFIRMED: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


def user_id_of(principal: Principal) -> uuid.UUID:
    """The caller's user id; service clients and odd subjects cannot own orders."""
    try:
        return uuid.UUID(principal.subject)
    except ValueError:
        raise Forbidden("Only user accounts can place or own orders.") from None


async def get_visible_order(
    *, session: AsyncSession, order_id: uuid.UUID, principal: Principal
) -> Order:
    """The order if the caller owns it or may read all orders; 404 otherwise (never 403)."""
    order = await session.get(Order, order_id)
    if order is None or order.status == OrderStatus.PENDING:
        raise OrderNotFound(order_id)
    if not principal.has_scopes(READ_ALL) and str(order.user_id) != principal.subject:
        raise OrderNotFound(order_id)
    return order


async def list_orders(
    *,
    session: AsyncSession,
    principal: Principal,
    limit: int,
    cursor: str | None,
    status: OrderStatus | None,
    user_id: uuid.UUID | None,
) -> tuple[Sequence[Order], str | None]:
    """A page of orders, newest first: the caller's own, or anyone's with the read-all scope."""
    stmt: Select[Order] = select(Order).where(Order.status != OrderStatus.PENDING)
    if principal.has_scopes(READ_ALL):
        if user_id is not None:
            stmt = stmt.where(Order.user_id == user_id)
    else:
        own = user_id_of(principal)
        if user_id is not None and user_id != own:
            raise Forbidden(
                f"Filtering by another user's id needs the {READ_ALL} scope.",
                extra={"required_scopes": [READ_ALL]},
            )
        stmt = stmt.where(Order.user_id == own)
    if status is not None:
        stmt = stmt.where(Order.status == status)
    if cursor is not None:
        stmt = stmt.where(
            tuple_(Order.created_at, Order.id)
            < tuple_(*decode_cursor(cursor, (datetime, uuid.UUID)))
        )
    stmt = stmt.order_by(Order.created_at.desc(), Order.id.desc()).limit(limit + 1)
    rows = (await session.scalars(stmt)).all()
    if len(rows) > limit:
        return rows[:limit], encode_cursor(rows[limit - 1].created_at, rows[limit - 1].id)
    return rows, None


async def _move(session: AsyncSession, order: Order, target: OrderStatus) -> Order:
    await session.refresh(order, with_for_update=True)
    current = order.status
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(current.value, target.value)
    return order


async def _save(session: AsyncSession, order: Order, target: OrderStatus) -> Order:
    order.status = target
    await session.flush()
    await session.refresh(order)
    return order


async def ship_order(*, session: AsyncSession, order: Order) -> Order:
    """confirmed → shipped."""
    await _move(session, order, OrderStatus.SHIPPED)
    return await _save(session, order, OrderStatus.SHIPPED)


async def deliver_order(*, session: AsyncSession, order: Order) -> Order:
    """shipped → delivered."""
    await _move(session, order, OrderStatus.DELIVERED)
    return await _save(session, order, OrderStatus.DELIVERED)


async def cancel_order(*, session: AsyncSession, order: Order, principal: Principal) -> Order:
    """confirmed → cancelled by its owner (or a manager); in the same transaction the order
    owes the catalog its stock (settled after the commit, see `releases`)."""
    if str(order.user_id) != principal.subject and not principal.has_scopes(MANAGE):
        raise Forbidden("Only the customer who placed the order (or staff) can cancel it.")
    await _move(session, order, OrderStatus.CANCELLED)
    cancelled = await _save(session, order, OrderStatus.CANCELLED)
    assert order.reservation_id is not None  # every confirmed order has its reservation
    await releases.owe(session=session, order_id=order.id, reservation_id=order.reservation_id)
    return cancelled


async def cancel_and_release(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    catalog: CatalogClient,
    order_id: uuid.UUID,
    principal: Principal,
) -> Order:
    """Cancel the order (committed with the release it owes), then give its stock back now;
    if the catalog cannot take it now, the relay gives it back once it can."""
    async with sessionmaker() as session, session.begin():
        order = await session.get_one(Order, order_id)
        cancelled = await cancel_order(session=session, order=order, principal=principal)
    assert cancelled.reservation_id is not None
    await releases.settle(
        sessionmaker=sessionmaker, catalog=catalog, reservation_id=cancelled.reservation_id
    )
    return cancelled
