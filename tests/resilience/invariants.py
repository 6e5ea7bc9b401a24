"""What must hold after a fault, read from the services' databases directly."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass

import asyncpg

from tests.resilience.load import Purchase
from tests.system import System


@dataclass(frozen=True, slots=True)
class Books:
    """The orders and catalog databases' view of a set of customers and products."""

    orders: dict[str, str]
    """Every order of the customers: id → status (pending ones included)."""
    keys: dict[tuple[str, str], tuple[str, str]]
    """(user id, key) → (state, order id) of every idempotency record of the customers."""
    confirmed_units: Counter[str]
    """Units of each product in the customers' confirmed orders."""
    stock: dict[str, int]
    reserved_pending: Counter[str]
    """Units of each product in pending catalog reservations."""
    sold: Counter[str]
    """Units of each product in confirmed catalog reservations."""
    owed: int
    """Stock releases the customers' cancelled orders still owe the catalog."""


async def _connect(system: System, name: str) -> asyncpg.Connection:
    url = system.database_url(name).replace("postgresql+asyncpg://", "postgresql://", 1)
    return await asyncpg.connect(url, timeout=10)


async def read_books(system: System, user_ids: list[str], product_ids: list[str]) -> Books:
    """One consistent read of each database (orders first, then the catalog)."""
    orders_db = await _connect(system, "orders")
    try:
        async with orders_db.transaction(isolation="repeatable_read", readonly=True):
            rows = await orders_db.fetch(
                "SELECT id::text, status FROM customer_order WHERE user_id::text = ANY($1)",
                user_ids,
            )
            records = await orders_db.fetch(
                "SELECT user_id::text, key, state, order_id::text FROM idempotency_record "
                "WHERE user_id::text = ANY($1)",
                user_ids,
            )
            owed = await orders_db.fetchval(
                "SELECT count(*) FROM stock_release r JOIN customer_order o ON o.id = r.order_id "
                "WHERE o.user_id::text = ANY($1)",
                user_ids,
            )
            units = await orders_db.fetch(
                "SELECT l.product_id::text AS product, sum(l.quantity) AS units "
                "FROM order_line l JOIN customer_order o ON o.id = l.order_id "
                "WHERE o.status = 'confirmed' AND l.product_id::text = ANY($1) "
                "GROUP BY l.product_id",
                product_ids,
            )
    finally:
        await orders_db.close()
    catalog_db = await _connect(system, "catalog")
    try:
        async with catalog_db.transaction(isolation="repeatable_read", readonly=True):
            stock = await catalog_db.fetch(
                "SELECT id::text, stock FROM product WHERE id::text = ANY($1)", product_ids
            )
            held = await catalog_db.fetch(
                "SELECT i.product_id::text AS product, r.status, sum(i.quantity) AS units "
                "FROM reservation_item i JOIN reservation r ON r.id = i.reservation_id "
                "WHERE r.status IN ('pending', 'confirmed') AND i.product_id::text = ANY($1) "
                "GROUP BY i.product_id, r.status",
                product_ids,
            )
    finally:
        await catalog_db.close()
    return Books(
        orders={r["id"]: r["status"] for r in rows},
        keys={(r["user_id"], r["key"]): (r["state"], r["order_id"]) for r in records},
        confirmed_units=Counter({r["product"]: int(r["units"]) for r in units}),
        stock={r["id"]: int(r["stock"]) for r in stock},
        reserved_pending=Counter(
            {r["product"]: int(r["units"]) for r in held if r["status"] == "pending"}
        ),
        sold=Counter({r["product"]: int(r["units"]) for r in held if r["status"] == "confirmed"}),
        owed=int(owed),
    )


async def converged_books(
    system: System, user_ids: list[str], product_ids: list[str], *, timeout: float
) -> tuple[Books, float]:
    """Books once nothing is pending any more (reservation TTL and order recovery ran)."""
    start = time.monotonic()
    while True:
        books = await read_books(system, user_ids, product_ids)
        pending = "pending" in books.orders.values() or +books.reserved_pending or books.owed
        if not pending or time.monotonic() - start > timeout:
            return books, time.monotonic() - start
        await asyncio.sleep(0.5)


def violations(
    books: Books,
    purchases: list[Purchase],
    user_ids: list[str],
    initial_stock: dict[str, int],
) -> list[str]:
    """Every broken invariant, in words (empty when all hold)."""
    found: list[str] = []
    pending = sorted(o for o, s in books.orders.items() if s == "pending")
    if pending:
        found.append(f"orders still pending after convergence: {pending}")
    if books.owed:
        found.append(f"{books.owed} stock releases of cancelled orders still owed")
    if +books.reserved_pending:
        found.append(f"catalog reservations still pending: {dict(books.reserved_pending)}")
    # Each key's record names its one current order; any other order is a second order.
    current = {order_id for _, order_id in books.keys.values()}
    orphans = sorted(o for o in books.orders if o not in current)
    if orphans:
        found.append(f"orders no Idempotency-Key leads to (a key placed twice?): {orphans}")
    for p in purchases:
        record = books.keys.get((user_ids[p.customer], p.key))
        if p.outcome == "confirmed":
            if record != ("completed", p.order_id):
                found.append(f"key {p.key} got 201 for {p.order_id}; its record says {record}")
            status = books.orders.get(p.order_id or "")
            if p.cancelled and status != "cancelled":
                found.append(f"order {p.order_id} was cancelled for its customer, but is {status}")
            if not p.cancelled and status != "confirmed":
                found.append(f"key {p.key} got 201 for {p.order_id}, which is {status}")
        elif p.outcome == "rejected" and record is not None:
            state, order_id = record
            if state == "completed" or books.orders.get(order_id) == "confirmed":
                found.append(f"key {p.key} was refused, yet its order {order_id} is {state}")
    for product, initial in initial_stock.items():
        now = books.stock[product]
        accounted = now + books.confirmed_units[product] + books.reserved_pending[product]
        if now < 0:
            found.append(f"product {product} has negative stock {now}")
        if accounted != initial:
            found.append(
                f"product {product}: initial {initial} != stock {now} + confirmed orders "
                f"{books.confirmed_units[product]} + pending {books.reserved_pending[product]} "
                f"(the catalog counts {books.sold[product]} sold)"
            )
    return found
