"""200 customers race for 10 units: exactly 10 sold, stock never below 0, fault or not."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import asyncpg
import pytest

from tests.resilience.invariants import converged_books, violations
from tests.resilience.load import OrderLoad
from tests.resilience.scenario import CONVERGENCE_LIMIT, Report, Reports, Rig, fresh_products
from tests.system import System

pytestmark = pytest.mark.slow

BUYERS = 200
STOCK = 10


@contextlib.asynccontextmanager
async def lowest_stock(system: System, product_id: str) -> AsyncIterator[list[int]]:
    """Samples the product's stock in the catalog's database while the block runs."""
    seen: list[int] = []
    url = system.database_url("catalog").replace("postgresql+asyncpg://", "postgresql://", 1)
    conn = await asyncpg.connect(url, timeout=10)

    async def sample() -> None:
        while True:
            seen.append(await conn.fetchval("SELECT stock FROM product WHERE id = $1", product_id))
            await asyncio.sleep(0.02)

    task = asyncio.create_task(sample())
    try:
        yield seen
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await conn.close()


@pytest.mark.parametrize("fault", [None, "kill -9 catalog"])
async def test_two_hundred_orders_for_ten_units_sell_exactly_ten(
    rig: Rig, reports: Reports, fault: str | None
) -> None:
    products = await fresh_products(rig, [STOCK])
    (product,) = products
    buyers = [rig.customers[i % len(rig.customers)] for i in range(BUYERS)]
    load = OrderLoad(
        rig.system.base_url,
        buyers,
        [product],
        client_timeout=rig.client_timeout,
        one_each=True,
        quantity=1,
    )
    async with lowest_stock(rig.system, product) as seen:
        running = asyncio.create_task(load.run(asyncio.Event()))
        fault_seconds = 0.0
        recovery = None
        if fault is not None:
            await asyncio.sleep(0.5)
            started = time.monotonic()
            await rig.system.kill_service("catalog")
            await rig.system.start_service("catalog")
            fault_seconds = time.monotonic() - started
            recovery = time.monotonic()
        await running
    if recovery is not None:
        # Once the stock is gone, out of stock is as much an answer as a sale.
        recovery = load.first_success_after(recovery, or_refusal=True)
    user_ids = [c.user_id for c in buyers]
    books, converged = await converged_books(
        rig.system, user_ids, [product], timeout=CONVERGENCE_LIMIT
    )
    outcomes = load.outcomes()
    name = f"oversell {BUYERS}x1 of {STOCK}" + (f", {fault}" if fault else "")
    report = Report.of(name, load, fault_seconds, recovery, converged)
    reports.items.append(report)

    bad = [
        a.describe()
        for p in load.purchases
        for a in p.answers
        if not a.acceptable(gateway_down=False)
    ]
    assert not bad, bad[:10]
    assert outcomes == {"confirmed": STOCK, "rejected": BUYERS - STOCK}
    assert all(
        p.answers[-1].problem == "insufficient-stock"
        for p in load.purchases
        if p.outcome == "rejected"
    )
    assert books.stock[product] == 0
    assert min(seen) >= 0
    assert books.confirmed_units[product] == STOCK
    assert not violations(books, load.purchases, user_ids, products)
