"""`make bench-orders`: order placement through the whole system against the one-process limit.

Boots the whole system (PostgreSQL, auth, catalog, orders, gateway, default settings, one
uvicorn worker each) the way `make run` does, gives 200 customers tokens signed with the
system's key, spread over 20 loopback addresses, and loads many products plus one hot one.
Then, in alternating rounds (medians): closed-loop order placement (a fresh Idempotency-Key
per order, 1-3 lines) at each concurrency, next to the one-process limit - the same
database work by a single asyncpg process against the same PostgreSQL (`bench.orderlimit`);
the hot row (every order takes the same product); then an open loop at fixed rates below
saturation for p99. After every run it checks conservation (initial stock = stock + units
in confirmed orders) and one order per key. Prints a table and writes it to bench/results/.
The system and its customers are `bench.orders_system`, the checks `bench.orders_checks`,
the table `bench.orders_report`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.cpu import CpuMeter, postmaster_of
from bench.orderlimit import limit_orders, prepare
from bench.orderload import Customer, Mix, Sample, closed_loop, http_orders, open_loop
from bench.orders_checks import Checks, limit_checks
from bench.orders_report import LIMIT_POOL, Point, report
from bench.orders_system import (
    CUSTOMERS,
    PARTS,
    PRODUCTS,
    STOCK,
    boot,
    catalog_leg,
    check_token,
    close_customers,
    load_products,
    make_customers,
)
from bench.otlp_sink import SAMPLERS, otlp_sink
from bench.results import save
from bench.rounds import announced, median
from emporium.devstack import Stack
from emporium.devstack.components import SERVICES
from emporium.servicekit.embedded_pg import database_url, drop_database, ensure_database
from emporium.servicekit.settings import to_async_url


@dataclass
class Limit:
    """The one-process limit: its database, products, customers and running checks."""

    dsn: str
    users: list[uuid.UUID]
    mixes: dict[str, Mix]
    created: int = 0
    failures: list[str] = field(default_factory=list)

    async def measure(self, kind: str, seed: int, concurrency: int, seconds: float) -> Sample:
        """One closed-loop run of the limit, checked after it."""
        # A pool per run, closed after it, of at most LIMIT_POOL connections: the
        # services' pools and this one share the server's connection limit.
        size = min(concurrency, LIMIT_POOL)
        async with asyncpg.create_pool(self.dsn, min_size=size, max_size=size) as pool:
            limit = await closed_loop(
                limit_orders(pool, self.users, self.mixes[kind], seed), concurrency, seconds
            )
            self.created += limit.statuses[201]
            self.failures += await limit_checks(pool, self.created)
        return limit


async def run(args: argparse.Namespace) -> str:
    """Boot (exporting traces to a sink as `--tracing` says), measure, stop; the report."""
    async with otlp_sink() as sink:
        text_ = await _run(args, sink.env(args.tracing or "off"))
    if args.tracing not in (None, "off"):
        text_ += (
            f"- tracing `{args.tracing}`: {sink.requests} OTLP exports, "
            f"{sink.bytes / 1e6:.1f} MB, to a sink that drops them.\n"
        )
    return text_


async def _run(args: argparse.Namespace, otel: dict[str, str]) -> str:
    base = Path(tempfile.mkdtemp(prefix="bench-orders-"))
    server = os.environ.get("EMPORIUM_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    print("booting the system", flush=True)
    stack = await boot(base, server, otel)
    engines = {
        s.name: create_async_engine(to_async_url(stack.database_url(s.name))) for s in SERVICES
    }
    admin_url = stack.server_url
    assert admin_url is not None
    limit_name = f"bench_limit_{uuid.uuid4().hex[:8]}"
    customers: list[Customer] = []
    try:
        many, hot = await load_products(engines["catalog"])
        gateway = stack.config.url("gateway")
        customers = make_customers(stack, args.customers)
        await check_token(gateway, customers[0])
        await ensure_database(admin_url, limit_name)
        limit_url = database_url(admin_url, limit_name)
        limit_products = await prepare(limit_url, PRODUCTS + 1, STOCK)
        limit = Limit(
            limit_url.replace("postgresql+asyncpg://", "postgresql://"),
            [uuid.uuid4() for _ in range(args.customers)],
            {
                "many": Mix(limit_products[1:]),
                "hot": Mix(limit_products[1:], hot=limit_products[0]),
            },
        )
        postmaster = postmaster_of(base / "postgres") if server is None else None
        cpu = CpuMeter({name: stack.processes[name].pid for name in PARTS}, postmaster)
        checks = Checks(engines["catalog"], engines["orders"], STOCK)
        mixes = {"many": Mix(many), "hot": Mix(many, hot=hot)}
        points = [Point("many products", c) for c in args.concurrency]
        points.append(Point("hot row (one product)", args.hot_concurrency))
        warm = await closed_loop(http_orders(gateway, customers, mixes["many"], 0), 8, 2)
        await checks.after(warm, "warm-up")
        for round_ in announced(args.rounds):
            for i, point in enumerate(points):
                kind = "hot" if point.hot else "many"
                seed = round_ * 100 + i
                attempt = http_orders(gateway, customers, mixes[kind], seed)
                before, leg = cpu.read(), await catalog_leg(gateway)
                sample = await closed_loop(attempt, point.concurrency, args.seconds)
                after, leg_after = cpu.read(), await catalog_leg(gateway)
                point.system.append(sample)
                point.cpu_ms.append(CpuMeter.per_unit_ms(before, after, sample.statuses[201]))
                point.catalog_calls.append(leg_after - leg)
                await checks.after(sample, f"{point.label} @ {point.concurrency}")
                limited = await limit.measure(kind, seed, point.concurrency, args.seconds)
                point.limit.append(limited)
                print(
                    f"  {point.label} @ {point.concurrency}: system "
                    f"{sample.created_per_second:.0f}/s ({sample.breakdown()}), "
                    f"limit {limited.created_per_second:.0f}/s",
                    flush=True,
                )
        saturation = max(
            median([s.created_per_second for s in p.system]) for p in points if not p.hot
        )
        opens = await open_loops(args, gateway, customers, mixes["many"], saturation, checks)
        return report(args, points, saturation, opens, checks, limit.failures, server is None)
    finally:
        await close_customers(customers)
        await _clean_up(stack, engines, server, limit_name, base)


async def open_loops(
    args: argparse.Namespace,
    gateway: str,
    customers: list[Customer],
    mix: Mix,
    saturation: float,
    checks: Checks,
) -> list[tuple[float, float, Sample]]:
    """An open loop at each fraction of saturation: (fraction, rate, sample)."""
    opens: list[tuple[float, float, Sample]] = []
    for fraction in args.open_fractions:
        rate = max(1.0, saturation * fraction)
        attempt = http_orders(gateway, customers, mix, int(fraction * 1000))
        sample = await open_loop(attempt, rate, args.seconds)
        await checks.after(sample, f"open loop at {rate:.0f}/s")
        opens.append((fraction, rate, sample))
        print(f"  open loop {rate:.0f}/s: p99 {sample.percentile(0.99):.0f} ms", flush=True)
    return opens


async def _clean_up(
    stack: Stack, engines: dict[str, AsyncEngine], server: str | None, limit: str, base: Path
) -> None:
    for engine in engines.values():
        await engine.dispose()
    await stack.stop()
    if server is not None:
        for name in [limit, *(f"{stack.config.database_prefix}{s.name}" for s in SERVICES)]:
            await drop_database(server, name)
    shutil.rmtree(base / "postgres", ignore_errors=True)
    print(f"logs in {base / 'logs'}", flush=True)


def main() -> None:
    """Parse options, run, print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1 round of 4 s (a smoke run)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32, 64])
    parser.add_argument("--hot-concurrency", type=int, default=32)
    parser.add_argument("--open-fractions", type=float, nargs="+", default=[0.25, 0.5, 0.75])
    parser.add_argument(
        "--tracing",
        choices=sorted(SAMPLERS),
        default=None,
        help="tracing off (no endpoint), or spans of every trace (always) or one in ten "
        "(10pct) exported to a local sink; results go to orders-tracing-<choice>-*.md",
    )
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds = 1, 4.0
    text_ = asyncio.run(run(args))
    save("orders" if args.tracing is None else f"orders-tracing-{args.tracing}", text_)


if __name__ == "__main__":
    main()
