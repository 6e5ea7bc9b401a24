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
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import secrets
import shutil
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import asyncpg
import psutil
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.gateway import RESULTS, free_port
from bench.orderlimit import limit_orders, prepare
from bench.orderload import Customer, Mix, Sample, closed_loop, http_orders, median, open_loop
from bench.otlp_sink import SAMPLERS, otlp_sink
from emporium.auth.keys.service import SigningKey
from emporium.catalog.seed import load_synthetic
from emporium.devstack import Stack
from emporium.devstack.components import COMPONENTS, SERVICES
from emporium.devstack.stack import StackConfig
from emporium.servicekit.embedded_pg import database_url, drop_database, ensure_database
from emporium.servicekit.settings import to_async_url

CUSTOMERS = 200
ADDRESSES = 20
PRODUCTS = 2_000
STOCK = 10_000_000
LIMIT_POOL = 32
PARTS = ("gateway", "orders", "catalog", "auth")
_CATALOG_429 = re.compile(
    r'^http_requests_total\{[^}]*route="/catalog/\*\*"[^}]*status="(\d+)"[^}]*\} ([\d.e+]+)$', re.M
)


@dataclass
class Point:
    """One row of the table: samples of the system and of the one-process limit."""

    label: str
    concurrency: int
    system: list[Sample] = field(default_factory=list)
    limit: list[Sample] = field(default_factory=list)
    cpu_ms: list[dict[str, float]] = field(default_factory=list)
    catalog_calls: list[Counter[int]] = field(default_factory=list)


class CpuMeter:
    """CPU seconds used by each part, by PostgreSQL (embedded only) and by this process."""

    def __init__(self, stack: Stack, postmaster: psutil.Process | None) -> None:
        self.procs = {name: psutil.Process(stack.processes[name].pid) for name in PARTS}
        self.postmaster = postmaster
        self.procs["load"] = psutil.Process()

    def read(self) -> dict[str, float]:
        """Cumulative CPU seconds per process name."""
        out = {name: sum(p.cpu_times()[:2]) for name, p in self.procs.items()}
        if self.postmaster is not None:
            times = self.postmaster.cpu_times()
            total = times.user + times.system + times.children_user + times.children_system
            for child in self.postmaster.children():
                with contextlib.suppress(psutil.NoSuchProcess):
                    total += sum(child.cpu_times()[:2])
            out["postgres"] = total
        return out


# The gateway serves its metrics to its scraper only; the benchmark reads the 429 counts there.
SCRAPE_TOKEN = secrets.token_urlsafe(16)


async def boot(base: Path, server: str | None, otel: dict[str, str] | None = None) -> Stack:
    """The whole system on free ports, with data in `base` (and `otel` variables, if any)."""
    config = StackConfig(
        data_dir=base,
        ports={c.name: free_port() for c in COMPONENTS},
        database_server_url=server,
        database_prefix=f"bench_{uuid.uuid4().hex[:8]}_",
        seed_demo_data=False,
        extra_env={
            "GATEWAY_METRICS_TOKEN": SCRAPE_TOKEN,
            # Each of the few customers places hundreds of orders of the hot product.
            "ORDERS_MAX_UNITS_PER_PRODUCT_PER_CUSTOMER": "1000000",
            **(otel or {}),
        },
    )
    stack = Stack(config, report=lambda line: print(f"  {line}", flush=True))
    await stack.start()
    return stack


async def load_products(catalog: AsyncEngine) -> tuple[list[uuid.UUID], uuid.UUID]:
    """Many products and one hot one, each with plenty of stock; their ids."""
    async with catalog.begin() as conn:
        await load_synthetic(conn, PRODUCTS, prefix="BENCH")
        await load_synthetic(conn, 1, prefix="HOT")
        await conn.execute(
            text("UPDATE product SET stock = :stock, active = true, currency = 'EUR'"),
            {"stock": STOCK},
        )
        many = (await conn.scalars(text("SELECT id FROM product WHERE sku LIKE 'BENCH-%'"))).all()
        hot = await conn.scalar(text("SELECT id FROM product WHERE sku = 'HOT-1'"))
    return list(many), hot


def make_customers(stack: Stack, count: int) -> list[Customer]:
    """`count` customers, each with an access token, connecting from a loopback address.

    The tokens are what auth's password grant issues (RS256, signed with this system's own
    key by auth's own code, same claims) for accounts the benchmark does not register one
    by one: 200 registrations and logins are 400 argon2 hashes, minutes on 2 busy cores,
    and no part of placing an order.
    """
    key = SigningKey.from_pem((stack.data_dir / "keys" / "jwt-signing-key.pem").read_bytes())
    sessions = [
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, local_addr=(f"127.0.0.{2 + i}", 0)),
            timeout=aiohttp.ClientTimeout(total=30),
        )
        for i in range(ADDRESSES)
    ]
    now = int(time.time())
    out = []
    for i in range(count):
        claims = {
            "iss": stack.config.public_url,
            "sub": str(uuid.uuid4()),
            "aud": "emporium",
            "iat": now,
            "exp": now + 4 * 3600,
            "jti": uuid.uuid4().hex,
            "scope": "",
        }
        out.append(Customer(f"customer-{i}", key.sign(claims), sessions[i % ADDRESSES]))
    return out


async def check_token(gateway: str, customer: Customer) -> None:
    """The minted token passes the gateway and a service like one auth issued."""
    async with customer.session.get(
        f"{gateway}/orders", headers={"Authorization": f"Bearer {customer.token}"}
    ) as response:
        assert response.status == 200, await response.text()


async def catalog_leg(gateway: str) -> Counter[int]:
    """Requests the gateway answered on /catalog/** so far, by status (orders' calls)."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{gateway}/metrics", headers={"Authorization": f"Bearer {SCRAPE_TOKEN}"}
        ) as response,
    ):
        body = await response.text()
    counts: Counter[int] = Counter()
    for status, value in _CATALOG_429.findall(body):
        counts[int(status)] += int(float(value))
    return counts


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
        limit_dsn = limit_url.replace("postgresql+asyncpg://", "postgresql://")
        postmaster = None
        if server is None:
            pid_file = next((base / "postgres").rglob("postmaster.pid"))
            postmaster = psutil.Process(int(pid_file.read_text().split()[0]))
        cpu = CpuMeter(stack, postmaster)
        checks = Checks(engines["catalog"], engines["orders"], STOCK)
        users = [uuid.uuid4() for _ in range(args.customers)]
        mixes = {"many": Mix(many), "hot": Mix(many, hot=hot)}
        limit_mixes = {
            "many": Mix(limit_products[1:]),
            "hot": Mix(limit_products[1:], hot=limit_products[0]),
        }
        points = [Point("many products", c) for c in args.concurrency]
        points.append(Point("hot row (one product)", args.hot_concurrency))
        limit_created = 0
        limit_failures: list[str] = []
        warm = await closed_loop(http_orders(gateway, customers, mixes["many"], 0), 8, 2)
        await checks.after(warm, "warm-up")
        for round_ in range(args.rounds):
            print(f"round {round_ + 1}/{args.rounds}", flush=True)
            for i, point in enumerate(points):
                kind = "hot" if point.label.startswith("hot") else "many"
                seed = round_ * 100 + i
                attempt = http_orders(gateway, customers, mixes[kind], seed)
                before, leg = cpu.read(), await catalog_leg(gateway)
                sample = await closed_loop(attempt, point.concurrency, args.seconds)
                after, leg_after = cpu.read(), await catalog_leg(gateway)
                point.system.append(sample)
                created = max(1, sample.statuses[201])
                point.cpu_ms.append({k: (after[k] - before[k]) * 1000 / created for k in after})
                point.catalog_calls.append(leg_after - leg)
                await checks.after(sample, f"{point.label} @ {point.concurrency}")
                # A pool per run, closed after it, of at most LIMIT_POOL connections: the
                # services' pools and this one share the server's connection limit.
                size = min(point.concurrency, LIMIT_POOL)
                async with asyncpg.create_pool(limit_dsn, min_size=size, max_size=size) as pool:
                    limit = await closed_loop(
                        limit_orders(pool, users, limit_mixes[kind], seed),
                        point.concurrency,
                        args.seconds,
                    )
                    limit_created += limit.statuses[201]
                    limit_failures += await limit_checks(pool, limit_created)
                point.limit.append(limit)
                print(
                    f"  {point.label} @ {point.concurrency}: system "
                    f"{sample.created_per_second:.0f}/s ({sample.breakdown()}), "
                    f"limit {limit.created_per_second:.0f}/s",
                    flush=True,
                )
        many_points = [p for p in points if not p.label.startswith("hot")]
        saturation = max(median([s.created_per_second for s in p.system]) for p in many_points)
        opens: list[tuple[float, float, Sample]] = []
        for fraction in args.open_fractions:
            rate = max(1.0, saturation * fraction)
            attempt = http_orders(gateway, customers, mixes["many"], int(fraction * 1000))
            sample = await open_loop(attempt, rate, args.seconds)
            await checks.after(sample, f"open loop at {rate:.0f}/s")
            opens.append((fraction, rate, sample))
            print(f"  open loop {rate:.0f}/s: p99 {sample.percentile(0.99):.0f} ms", flush=True)
        return report(args, points, saturation, opens, checks, limit_failures, server is None)
    finally:
        for session in {id(c.session): c.session for c in customers}.values():
            await session.close()
        for engine in engines.values():
            await engine.dispose()
        await stack.stop()
        if server is not None:
            for name in [
                limit_name,
                *(f"{stack.config.database_prefix}{s.name}" for s in SERVICES),
            ]:
                await drop_database(server, name)
        shutil.rmtree(base / "postgres", ignore_errors=True)
        print(f"logs in {base / 'logs'}", flush=True)


def report(
    args: argparse.Namespace,
    points: list[Point],
    saturation: float,
    opens: list[tuple[float, float, Sample]],
    checks: Checks,
    limit_failures: list[str],
    embedded: bool,
) -> str:
    """The Markdown tables and the verdicts."""
    lines = [
        f"# Order placement benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`POST /orders` through the gateway, default settings (tracing: {args.tracing or 'off'}), "
        "one uvicorn worker per part, "
        f"{os.cpu_count()} CPUs; {args.customers} customers (tokens signed with the system's "
        f"key) over {ADDRESSES} loopback "
        f"addresses, a fresh Idempotency-Key per order, 1-3 lines over {PRODUCTS:,} products "
        f"(hot row: every order takes the same product); closed loop, {args.seconds:g} s per "
        f"point, {args.rounds} alternating rounds, medians. One process: the same database "
        "work in one asyncpg process and one transaction per order (`bench/orderlimit.py`, "
        f"at most {LIMIT_POOL} connections). "
        "CPU: ms per confirmed order.",
        "",
        "| orders | in flight | system 201/s | one process /s | ratio | p50 ms | p99 ms "
        "| statuses /s | internal 429 | catalog calls/order | CPU ms: gateway · orders · "
        "catalog · auth · postgres |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    ratios: dict[int, float] = {}
    for p in points:
        sys_rate = median([s.created_per_second for s in p.system])
        lim_rate = median([s.created_per_second for s in p.limit])
        ratio = sys_rate / lim_rate if lim_rate else float("nan")
        if not p.label.startswith("hot"):
            ratios[p.concurrency] = ratio
        statuses: Counter[int] = Counter()
        for s in p.system:
            statuses.update(s.statuses)
        seconds = sum(s.seconds for s in p.system)
        breakdown = ", ".join(f"{k}: {v / seconds:.1f}" for k, v in sorted(statuses.items()))
        leg: Counter[int] = Counter()
        for c in p.catalog_calls:
            leg.update(c)
        created = max(1, statuses[201])
        cpu = defaultdict(list)
        for sample in p.cpu_ms:
            for k, v in sample.items():
                cpu[k].append(v)
        cpu_text = " · ".join(
            f"{median(cpu[k]):.1f}" if k in cpu else "-"
            for k in ("gateway", "orders", "catalog", "auth", "postgres")
        )
        lines.append(
            f"| {p.label} | {p.concurrency} | {sys_rate:.0f} | {lim_rate:.0f} | {ratio:.2f} "
            f"| {median([s.percentile(0.5) for s in p.system]):.0f} "
            f"| {median([s.percentile(0.99) for s in p.system]):.0f} | {breakdown} "
            f"| {leg[429]} | {sum(leg.values()) / created:.2f} | {cpu_text} |"
        )
    lines += [
        "",
        f"Open loop (fixed arrival rate, {args.seconds:g} s each; latency from the scheduled "
        f"arrival); saturation = best closed-loop median = {saturation:.0f} orders/s:",
        "",
        "| rate /s | fraction of saturation | 201/s | p50 ms | p99 ms | statuses /s |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for fraction, rate, s in opens:
        lines.append(
            f"| {rate:.0f} | {fraction:.2f} | {s.created_per_second:.0f} "
            f"| {s.percentile(0.5):.0f} | {s.percentile(0.99):.0f} | {s.breakdown()} |"
        )
    internal_429 = sum(calls[429] for p in points for calls in p.catalog_calls)
    half = min(opens, key=lambda o: abs(o[0] - 0.5), default=None)
    lines.append("")
    lines.append(f"- internal 429s (orders → catalog through the gateway): **{internal_429}**")
    for n in (8, 32):
        if n in ratios:
            verdict = "met" if ratios[n] >= 0.25 else "NOT met"
            lines.append(
                f"- system / one process at {n} in flight: **{ratios[n]:.2f}** "
                f"(target ≥ 0.25: {verdict})"
            )
    if half is not None:
        p99 = half[2].percentile(0.99)
        verdict = "met" if p99 <= 100 else "NOT met"
        lines.append(
            f"- p99 at {half[0]:.2f} x saturation ({half[1]:.0f}/s): **{p99:.0f} ms** "
            f"(target ≤ 100 ms: {verdict})"
        )
    problems = checks.failures + limit_failures
    verdict = "all hold" if not problems else "; ".join(problems)
    lines.append(
        f"- conservation (stock + units sold = initial, units of orders left pending aside) "
        f"and one order per key, checked after each of {checks.runs} runs: **{verdict}**; "
        f"orders left pending (answer lost, awaiting a retry of the key or recovery): "
        f"{checks.pending_orders}"
    )
    if not embedded:
        lines.append("- PostgreSQL is an external server here: its CPU is not attributed.")
    return "\n".join(lines) + "\n"


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
    print(text_)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    name = "orders" if args.tracing is None else f"orders-tracing-{args.tracing}"
    (RESULTS / f"{name}-{stamp}.md").write_text(text_)
    (RESULTS / f"{name}-latest.md").write_text(text_)


if __name__ == "__main__":
    main()
