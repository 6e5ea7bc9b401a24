"""Orders left pending (unknown outcome, dead process): the recovery task resolves them."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from emporium.orders.idempotency.service import fingerprint

from .catalog_double import CatalogDouble, Reservation
from .conftest import AppFactory, order_body, user_of

Customer = Callable[[], dict[str, str]]

FAST = {"pending_order_recovery_interval_seconds": 0.05}
STATUS = "SELECT status FROM customer_order WHERE id = $1"


@dataclass
class LeftPending:
    """A pending order whose request died, its reservation (if any) and the request's headers."""

    order_id: uuid.UUID
    reservation: Reservation | None
    customer: dict[str, str]
    headers: dict[str, str]


async def _left_by_dead_request(
    db: asyncpg.Connection,
    catalog: CatalogDouble,
    customer: dict[str, str],
    product: uuid.UUID,
    quantity: int,
    *,
    reservation_status: str | None = "confirmed",
    priced: bool = False,
    age: timedelta = timedelta(hours=1),
    lease: timedelta = timedelta(seconds=60),
    key_order_id: uuid.UUID | None = None,
) -> LeftPending:
    """The rows placement leaves when its request ends before the order is confirmed.

    `reservation_status` None: the catalog call never happened; else the catalog holds a
    reservation in that status. `priced` writes the row as an earlier version of placement
    did (priced, with its reservation id). `key_order_id` other than the order's own says a
    retry has since taken the key over.
    """
    order_id = uuid.uuid4()
    reservation = None
    if reservation_status is not None:
        reservation = catalog.hold(order_id, [(product, quantity)])
        reservation.status = reservation_status
    item = catalog.products[product]
    created = datetime.now(UTC) - age
    user_id = user_of(customer)
    key = str(uuid.uuid4())
    async with db.transaction():
        await db.execute(
            "INSERT INTO customer_order (id, user_id, status, total_cents, currency,"
            " reservation_id, created_at, updated_at)"
            " VALUES ($1, $2, 'pending', $3, $4, $5, $6, $6)",
            order_id,
            user_id,
            item.price_cents * quantity if priced else None,
            item.currency if priced else None,
            reservation.id if priced and reservation else None,
            created,
        )
        await db.execute(
            "INSERT INTO order_line (order_id, product_id, position, sku, name, quantity,"
            " unit_price_cents) VALUES ($1, $2, 0, $3, $4, $5, $6)",
            order_id,
            product,
            item.sku if priced else None,
            item.name if priced else None,
            quantity,
            item.price_cents if priced else None,
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
            created + lease,
            created,
        )
    return LeftPending(order_id, reservation, customer, {**customer, "Idempotency-Key": key})


async def _settled(db: asyncpg.Connection, order_id: uuid.UUID) -> str | None:
    """The order's status once it is no longer pending (None: gone), or pending after 5 s."""
    deadline = time.monotonic() + 5
    while True:
        status: str | None = await db.fetchval(STATUS, order_id)
        if status != "pending" or time.monotonic() > deadline:
            return status
        await asyncio.sleep(0.05)


@pytest.mark.parametrize(
    ("reservation_status", "priced"),
    [(None, False), ("confirmed", False), ("pending", True), ("confirmed", True)],
)
async def test_stale_order_is_re_driven_ends_confirmed_and_answers_its_key(
    make_client: AppFactory,
    catalog: CatalogDouble,
    customer: Customer,
    db: asyncpg.Connection,
    reservation_status: str | None,
    priced: bool,
) -> None:
    # None: the request ended before the catalog call; confirmed: after the catalog sold.
    # priced: rows an earlier version of placement left (a pending or confirmed reservation).
    product = catalog.add_product(stock=5)
    left = await _left_by_dead_request(
        db, catalog, customer(), product, 2, reservation_status=reservation_status, priced=priced
    )
    reserve_calls = catalog.reserve_calls

    async with make_client(**FAST) as client:
        assert await _settled(db, left.order_id) == "confirmed"
        shown = await client.get(f"/orders/{left.order_id}", headers=left.customer)
        retry = await client.post("/orders", json=order_body((product, 2)), headers=left.headers)

    reservation = catalog.reservation_of(left.order_id)
    assert reservation is not None
    assert reservation.status == "confirmed"
    assert catalog.products[product].stock == 3  # sold once
    assert shown.status_code == 200
    assert shown.json()["status"] == "confirmed"
    assert shown.json()["items"][0]["sku"] == catalog.products[product].sku
    assert shown.json()["total_cents"] == 2 * catalog.products[product].price_cents
    assert retry.status_code == 201
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json()["id"] == str(left.order_id)
    assert retry.headers["location"] == f"/orders/{left.order_id}"
    assert catalog.reserve_calls == reserve_calls + 1  # the one re-driven call


@pytest.mark.parametrize("gone", ["expired", "released"])
async def test_stale_order_whose_reservation_is_gone_is_dropped_holding_no_stock(
    make_client: AppFactory,
    catalog: CatalogDouble,
    customer: Customer,
    db: asyncpg.Connection,
    gone: str,
) -> None:
    product = catalog.add_product(stock=5)
    left = await _left_by_dead_request(
        db, catalog, customer(), product, 2, reservation_status="pending"
    )
    assert left.reservation is not None
    if gone == "expired":
        catalog.expire(left.reservation.id)
    else:
        catalog.release(left.reservation.id)

    async with make_client(**FAST) as client:
        assert await _settled(db, left.order_id) is None
        assert catalog.products[product].stock == 5
        retry = await client.post("/orders", json=order_body((product, 2)), headers=left.headers)

    assert left.reservation.status == gone
    lines = "SELECT count(*) FROM order_line WHERE order_id = $1"
    assert await db.fetchval(lines, left.order_id) == 0
    # The key was reopened: the dead request's retry places the order afresh.
    assert retry.status_code == 201, retry.text
    assert retry.headers["idempotent-replayed"] == "false"
    assert retry.json()["id"] != str(left.order_id)
    assert catalog.products[product].stock == 3


async def test_stale_order_whose_key_moved_on_is_dropped_and_its_stock_released(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    product = catalog.add_product(stock=5)
    left = await _left_by_dead_request(
        db, catalog, customer(), product, 2, priced=True, key_order_id=uuid.uuid4()
    )

    async with make_client(**FAST):
        assert await _settled(db, left.order_id) is None

    assert left.reservation is not None
    assert left.reservation.status == "released"
    assert catalog.products[product].stock == 5


async def test_recent_pending_orders_are_left_to_their_request(
    make_client: AppFactory, catalog: CatalogDouble, customer: Customer, db: asyncpg.Connection
) -> None:
    product = catalog.add_product(stock=5)
    stale = await _left_by_dead_request(db, catalog, customer(), product, 1)
    # A lapsed lease, so that only the order's age keeps recovery away from it.
    recent = await _left_by_dead_request(
        db, catalog, customer(), product, 1, age=timedelta(seconds=1), lease=timedelta(0)
    )

    async with make_client(**FAST):
        assert await _settled(db, stale.order_id) == "confirmed"
        await asyncio.sleep(0.3)  # several more rounds
        assert await db.fetchval(STATUS, recent.order_id) == "pending"

    assert recent.reservation is not None
    assert recent.reservation.status == "confirmed"  # untouched: no release, no re-drive
    await db.execute("DELETE FROM customer_order WHERE id = $1", recent.order_id)
    catalog.release(recent.reservation.id)
