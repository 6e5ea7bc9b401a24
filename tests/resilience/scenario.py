"""One fault scenario: a steady order load, a fault in the middle, then the invariants."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from tests.integration.helpers import new_product
from tests.resilience.invariants import converged_books, violations
from tests.resilience.load import Customer, OrderLoad
from tests.resilience.proxy import DelayProxy
from tests.system import System

Fault = Callable[[], Awaitable[None]]
"""Injects the fault and returns once it is over (the part is back, the delay gone)."""

WARM_UP = 2.0
"""Seconds of load before the fault."""
RECOVERY_LIMIT = 30.0
"""Seconds after the fault within which orders must succeed again."""
AFTER_RECOVERY = 1.0
"""Seconds of load after the first success, so the recovered system is loaded too."""
CANCEL_EVERY = 4
"""Each customer cancels every 4th order it placed."""
CONVERGENCE_LIMIT = 30.0
"""Seconds within which TTL and recovery must resolve whatever is still pending."""


@dataclass
class Rig:
    """The booted system, the proxy in front of its catalog, and signed-in customers."""

    system: System
    proxy: DelayProxy
    gateway: httpx.AsyncClient
    admin_token: str
    customers: list[Customer]
    client_timeout: float


@dataclass(frozen=True, slots=True)
class Report:
    """The numbers of one scenario."""

    name: str
    attempted: int
    confirmed: int
    rejected: int
    unresolved: int
    fault_seconds: float
    recovery_seconds: float | None
    convergence_seconds: float
    answers: dict[str, int]
    cancelled: int = 0

    @classmethod
    def of(
        cls,
        name: str,
        load: OrderLoad,
        fault_seconds: float,
        recovery_seconds: float | None,
        convergence_seconds: float,
    ) -> Report:
        """The numbers of a finished load."""
        outcomes = load.outcomes()
        return cls(
            name,
            len(load.purchases),
            outcomes["confirmed"],
            outcomes["rejected"],
            outcomes["unresolved"],
            fault_seconds,
            recovery_seconds,
            convergence_seconds,
            dict(load.answer_counts()),
            sum(p.cancelled for p in load.purchases),
        )

    def line(self) -> str:
        """One printable line."""
        if not self.fault_seconds:
            recovery = "(no fault)"
        elif self.recovery_seconds is None:
            recovery = "never"
        else:
            recovery = f"{self.recovery_seconds:.1f}s"
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(self.answers.items()))
        return (
            f"{self.name:<34} orders {self.attempted:>4} attempted, {self.confirmed:>4} confirmed,"
            f" {self.rejected:>3} rejected, {self.cancelled:>2} then cancelled,"
            f" {self.unresolved} unresolved; fault "
            f"{self.fault_seconds:.1f}s, orders succeed again {recovery} after it, converged in "
            f"{self.convergence_seconds:.1f}s [{answers}]"
        )


@dataclass
class Reports:
    """The package's scenario reports, in the order they ran."""

    items: list[Report] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One line per scenario."""
        return [r.line() for r in self.items]


async def fresh_products(rig: Rig, stocks: list[int]) -> dict[str, int]:
    """New products with these stocks: product id → initial stock."""
    made = [await new_product(rig.gateway, rig.admin_token, stock=s) for s in stocks]
    return {str(p["id"]): int(p["stock"]) for p in made}


async def run_scenario(
    rig: Rig,
    reports: Reports,
    name: str,
    fault: Fault,
    *,
    gateway_down: bool = False,
    stocks: tuple[int, ...] = (100_000, 100_000, 25),
) -> Report:
    """Load, fault, recover, converge; assert every invariant and return the numbers."""
    products = await fresh_products(rig, list(stocks))
    load = OrderLoad(
        rig.system.base_url,
        rig.customers,
        list(products),
        client_timeout=rig.client_timeout,
        cancel_every=CANCEL_EVERY,
    )
    stop = asyncio.Event()
    started = time.monotonic()
    running = asyncio.create_task(load.run(stop))
    try:
        # The fault strikes a loaded system: after the warm-up and once orders succeed.
        warmed = await _recovered(load, started)
        assert warmed is not None, "no order succeeded before the fault"
        await asyncio.sleep(max(0.0, started + WARM_UP - time.monotonic()))
        fault_start = time.monotonic()
        await fault()
        fault_end = time.monotonic()
        recovery = await _recovered(load, fault_end)
        await asyncio.sleep(AFTER_RECOVERY)
    finally:
        stop.set()
        await running
    user_ids = [c.user_id for c in rig.customers]
    books, converged = await converged_books(
        rig.system, user_ids, list(products), timeout=CONVERGENCE_LIMIT
    )
    outcomes = load.outcomes()
    report = Report.of(name, load, fault_end - fault_start, recovery, converged)
    reports.items.append(report)
    bad_answers = [
        f"key {p.key}: {a.describe()}"
        for p in load.purchases
        for a in p.all_answers()
        if not a.acceptable(gateway_down=gateway_down)
    ]
    assert not bad_answers, f"{len(bad_answers)} unacceptable answers: {bad_answers[:10]}"
    assert recovery is not None, f"orders did not succeed within {RECOVERY_LIMIT}s of the fault"
    assert not outcomes["unresolved"], "some customers never got a definitive answer"
    broken = violations(books, load.purchases, user_ids, products)
    assert not broken, "\n".join(broken)
    return report


async def _recovered(load: OrderLoad, since: float) -> float | None:
    deadline = since + RECOVERY_LIMIT
    while time.monotonic() < deadline:
        seconds = load.first_success_after(since)
        if seconds is not None:
            return seconds
        await asyncio.sleep(0.1)
    return None
