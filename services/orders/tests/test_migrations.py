"""The migrations build exactly the schema the models describe, and keep the rows they find."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
from alembic import command

from emporium.orders.idempotency.models import IdempotencyState
from emporium.orders.lifecycle.models import OrderStatus
from emporium.orders.models import Base
from emporium.servicekit.embedded_pg import database_url, drop_database, ensure_database
from emporium.servicekit.migrations import alembic_config
from emporium.servicekit.testing import schema_drift

BEFORE_ENUMS = "4e7b9c2d1f80"
CHECKS = (
    "SELECT conname FROM pg_constraint WHERE contype = 'c'"
    " AND conrelid IN ('customer_order'::regclass, 'idempotency_record'::regclass)"
)


async def test_migrations_match_the_models(orders_database_url: str) -> None:
    assert await schema_drift(orders_database_url, Base.metadata) == []


async def test_status_and_state_become_enums_and_back_keeping_every_row(
    postgres_server_url: str,
) -> None:
    name = f"test_orders_enums_{uuid.uuid4().hex[:10]}"
    await ensure_database(postgres_server_url, name)
    url = database_url(postgres_server_url, name)
    config = alembic_config("emporium.orders", url)
    conn = None
    try:
        await asyncio.to_thread(command.upgrade, config, BEFORE_ENUMS)
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        rows = await _one_row_per_value(conn)

        await asyncio.to_thread(command.upgrade, config, "head")
        assert await _rows(conn) == rows
        checks = {r["conname"] for r in await conn.fetch(CHECKS)}
        assert {
            "ck_customer_order_order_status",
            "ck_idempotency_record_idempotency_state",
        } <= checks
        assert not {"ck_customer_order_status_known", "ck_idempotency_record_state_known"} & checks

        await asyncio.to_thread(command.downgrade, config, BEFORE_ENUMS)
        assert await _rows(conn) == rows
        checks = {r["conname"] for r in await conn.fetch(CHECKS)}
        assert {"ck_customer_order_status_known", "ck_idempotency_record_state_known"} <= checks
    finally:
        if conn is not None:
            await conn.close()
        await drop_database(postgres_server_url, name)


async def _one_row_per_value(conn: asyncpg.Connection) -> list[tuple[str, str]]:
    """An order in every status, each with its key in one of the states; returns the rows."""
    states = list(IdempotencyState)
    for index, status in enumerate(OrderStatus):
        order_id, user_id = uuid.uuid4(), uuid.uuid4()
        state = states[index % len(states)]
        priced = status is not OrderStatus.PENDING
        await conn.execute(
            "INSERT INTO customer_order (id, user_id, status, total_cents, currency,"
            " reservation_id) VALUES ($1, $2, $3, $4, $5, $6)",
            order_id,
            user_id,
            status.value,
            100 if priced else None,
            "EUR" if priced else None,
            uuid.uuid4() if priced else None,
        )
        completed = state is IdempotencyState.COMPLETED
        await conn.execute(
            "INSERT INTO idempotency_record (id, user_id, key, request_hash, state, order_id,"
            " locked_until, response_status, response_body)"
            " VALUES ($1, $2, 'k', 'h', $3, $4, now(), $5, $6)",
            uuid.uuid4(),
            user_id,
            state.value,
            order_id,
            201 if completed else None,
            "{}" if completed else None,
        )
    return await _rows(conn)


async def _rows(conn: asyncpg.Connection) -> list[tuple[str, str]]:
    """Each order's status with its key's state."""
    rows = await conn.fetch(
        "SELECT o.status, r.state FROM customer_order o"
        " JOIN idempotency_record r ON r.order_id = o.id ORDER BY o.status, r.state"
    )
    return [(r["status"], r["state"]) for r in rows]
