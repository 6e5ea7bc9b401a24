"""What `bench.orders` checks after every run: conservation and one order per key."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.orderload import Sample
from bench.orders_system import STOCK


class Checks:
    """Conservation and one-order-per-key, after every run."""

    def __init__(self, catalog: AsyncEngine, orders: AsyncEngine, initial: int) -> None:
        self.catalog, self.orders, self.initial = catalog, orders, initial
        self.created = 0
        self.runs = 0
        self.stock_off = False
        self.pending_orders = 0
        self.failures: list[str] = []

    async def after(self, sample: Sample, what: str) -> None:
        """Count the run's 201s and check the databases agree with them."""
        self.created += sample.statuses[201]
        self.runs += 1
        async with self.catalog.connect() as conn:
            stock: dict[uuid.UUID, int] = dict(
                (await conn.execute(text("SELECT id, stock FROM product"))).all()
            )
        async with self.orders.connect() as conn:
            sold: dict[uuid.UUID, int] = {}
            pending: dict[uuid.UUID, int] = {}
            units = text(
                "SELECT o.status, l.product_id, sum(l.quantity) FROM order_line l "
                "JOIN customer_order o ON o.id = l.order_id "
                "WHERE o.status IN ('confirmed', 'pending') GROUP BY 1, 2"
            )
            for status, product, quantity in await conn.execute(units):
                (sold if status == "confirmed" else pending)[product] = quantity
            self.pending_orders = await conn.scalar(
                text("SELECT count(*) FROM customer_order WHERE status = 'pending'")
            )
            confirmed, answered = (
                await conn.execute(
                    text(
                        "SELECT (SELECT count(*) FROM customer_order WHERE status = 'confirmed'),"
                        " (SELECT count(*) FROM idempotency_record r JOIN customer_order o"
                        "  ON o.id = r.order_id AND o.status = 'confirmed'"
                        "  WHERE r.state = 'completed')"
                    )
                )
            ).one()
        # Units neither in stock nor sold may only be those of orders left pending (their
        # sale's answer was lost): a retry of their key, or recovery, resolves them.
        off = [
            p
            for p, s in stock.items()
            if not 0 <= self.initial - s - sold.get(p, 0) <= pending.get(p, 0)
        ]
        if off and not self.stock_off:  # cumulative: report where it first broke
            held = self.initial * len(off) - sum(stock[p] + sold.get(p, 0) for p in off)
            self.failures.append(
                f"{what}: stock not conserved for {len(off)} products ({held} units held "
                "by no confirmed or pending order)"
            )
        self.stock_off = bool(off)
        if not confirmed == answered == self.created:
            self.failures.append(
                f"{what}: {self.created} answered 201, {confirmed} confirmed orders, "
                f"{answered} keys answered with their order"
            )


async def limit_checks(pool: asyncpg.Pool, created: int) -> list[str]:
    """The same checks on the one-process limit's database."""
    wrong = await pool.fetchval(
        "SELECT count(*) FROM product p LEFT JOIN (SELECT product_id, sum(quantity) AS q "
        "FROM order_line GROUP BY 1) l ON l.product_id = p.id "
        "WHERE p.stock + coalesce(l.q, 0) <> $1",
        STOCK,
    )
    orders = await pool.fetchval("SELECT count(*) FROM customer_order")
    keys = await pool.fetchval("SELECT count(*) FROM idempotency_record WHERE state='completed'")
    out = [f"limit: stock not conserved for {wrong} products"] if wrong else []
    if not orders == keys == created:
        out.append(f"limit: {created} placed, {orders} orders, {keys} answered keys")
    return out
