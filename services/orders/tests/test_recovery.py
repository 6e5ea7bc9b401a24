"""Orders left pending (unknown outcome, dead process): the recovery task resolves them.

The pending orders are left by placement itself, made to die at a step (before its catalog
call, or after the catalog sold); only the rows an earlier version of placement left are
written as such (see `leftovers`).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

import asyncpg
import pytest

from .catalog_double import CatalogDouble
from .conftest import AppFactory, order_body
from .leftovers import LEASE_SECONDS, left_by_crash, left_by_legacy, left_pending

Customer = Callable[[], dict[str, str]]

# Recovery takes an order as stale after 2.1 s (it must outlive the lease and two catalog
# timeouts), and runs every 50 ms.
STALE = {
    "idempotency_lease_seconds": LEASE_SECONDS,
    "catalog_timeout_seconds": 1.0,
    "pending_order_stale_seconds": 2.1,
}
FAST = {**STALE, "pending_order_recovery_interval_seconds": 0.05}
STATUS = "SELECT status FROM customer_order WHERE id = $1"
PENDING = "SELECT count(*) FROM customer_order WHERE status = 'pending'"


@pytest.fixture(autouse=True)
async def _no_stale_orders_of_other_tests(make_client: AppFactory, db: asyncpg.Connection) -> None:
    """Recovery here resolves every stale order: first let it resolve those others left."""
    if not await db.fetchval(PENDING):
        return
    async with make_client(**FAST):
        deadline = time.monotonic() + 10
        while True:
            if not await db.fetchval(PENDING) or time.monotonic() > deadline:
                return
            await asyncio.sleep(0.05)


async def _settled(db: asyncpg.Connection, order_id: uuid.UUID) -> str | None:
    """The order's status once it is no longer pending (None: gone), or pending after 10 s."""
    deadline = time.monotonic() + 10
    while True:
        status: str | None = await db.fetchval(STATUS, order_id)
        if status != "pending" or time.monotonic() > deadline:
            return status
        await asyncio.sleep(0.05)


@pytest.mark.parametrize(
    "kind", ["before-sale", "after-sale", "legacy-pending", "legacy-confirmed"]
)
async def test_stale_order_is_re_driven_ends_confirmed_and_answers_its_key(
    make_client: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
    catalog: CatalogDouble,
    customer: Customer,
    db: asyncpg.Connection,
    kind: str,
) -> None:
    # before-sale: the request died before the catalog call; after-sale: after the catalog
    # sold. legacy: rows an earlier version of placement left (a pending or confirmed
    # reservation).
    product = catalog.add_product(stock=5)
    left = await left_pending(kind, make_client, monkeypatch, db, catalog, customer(), product)
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
    monkeypatch: pytest.MonkeyPatch,
    catalog: CatalogDouble,
    customer: Customer,
    db: asyncpg.Connection,
    gone: str,
) -> None:
    product = catalog.add_product(stock=5)
    if gone == "expired":
        # Died before its call; the catalog holds a reservation for the order that expired.
        left = await left_by_crash(
            make_client, monkeypatch, catalog, customer(), product, 2, step="before-sale"
        )
        left.reservation = catalog.hold(left.order_id, [(product, 2)])
        catalog.expire(left.reservation.id)
    else:  # died after the sale, which was then released
        left = await left_by_crash(
            make_client, monkeypatch, catalog, customer(), product, 2, step="after-sale"
        )
        assert left.reservation is not None
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
    left = await left_by_legacy(
        db,
        catalog,
        customer(),
        product,
        2,
        reservation_status="confirmed",
        key_order_id=uuid.uuid4(),
    )

    async with make_client(**FAST):
        assert await _settled(db, left.order_id) is None

    assert left.reservation is not None
    assert left.reservation.status == "released"
    assert catalog.products[product].stock == 5


async def test_recent_pending_orders_are_left_to_their_request(
    make_client: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
    catalog: CatalogDouble,
    customer: Customer,
    db: asyncpg.Connection,
) -> None:
    product = catalog.add_product(stock=5)
    stale_after = 4.0
    stale = await left_by_crash(
        make_client, monkeypatch, catalog, customer(), product, 1, step="after-sale"
    )
    await asyncio.sleep(stale_after)
    # Its lease has lapsed too, so that only the order's age keeps recovery away from it.
    recent = await left_by_crash(
        make_client, monkeypatch, catalog, customer(), product, 1, step="after-sale"
    )

    async with make_client(**{**FAST, "pending_order_stale_seconds": stale_after}):
        assert await _settled(db, stale.order_id) == "confirmed"
        await asyncio.sleep(0.3)  # several more rounds
        assert await db.fetchval(STATUS, recent.order_id) == "pending"

    assert recent.reservation is not None
    assert recent.reservation.status == "confirmed"  # untouched: no release, no re-drive
    await db.execute("DELETE FROM customer_order WHERE id = $1", recent.order_id)
    catalog.release(recent.reservation.id)
