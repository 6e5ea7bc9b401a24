"""`make bench-catalog`: the public product list on 100k products, every filter and sort.

Loads the demo catalog plus 100,000 generated products into a scratch database, starts the
catalog, and measures each way of listing (first page, and a page deep into the set through a
cursor): the time PostgreSQL spends executing the query (EXPLAIN ANALYZE, median) and the
latency of `GET /catalog/products` over HTTP (sequential, p50 and p95). Then the default
listing's throughput (wrk, alternating rounds, medians) on the catalog side by side with a
bare FastAPI + asyncpg endpoint running the same query (`bench/bare_catalog.py`). Prints a
table and writes it to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from bench.nginx import ensure_tools
from bench.results import heading, save
from bench.servers import (
    CATALOG_APP,
    Processes,
    catalog_database,
    catalog_env,
    uvicorn,
    wait_ok,
    workdir,
)
from bench.wrk import Scenario, alternate, table
from emporium.catalog.categories.models import Category
from emporium.catalog.products.listing import listing_statement
from emporium.catalog.products.models import Product
from emporium.catalog.products.pagination import product_cursor
from emporium.catalog.products.schemas import ProductQuery
from emporium.catalog.seed import load_demo, load_synthetic
from emporium.devstack.ports import free_port
from emporium.servicekit.settings import to_async_url

PRODUCTS = 100_000
# Filters and sorts walk an index: a page costs the same at row 20 or row 50,000.
DB_TARGET_MS = 5.0
# Text search must also read every match to order it (GIN bitmap, then a top-N sort).
SEARCH_TARGET_MS = 25.0
LISTINGS: list[dict[str, Any]] = [
    {},
    {"sort": "price"},
    {"sort": "-price"},
    {"sort": "name"},
    {"sort": "-name"},
    {"sort": "newest"},
    {"min_price": 1000, "max_price": 2000, "sort": "price"},
    {"in_stock": True, "sort": "name"},
    {"q": "vintage lamp"},
    {"q": "kettle", "sort": "-price"},
    {"category": "synthetic-syn", "sort": "price", "max_price": 50000},
]


@dataclass
class Row:
    """One measured listing."""

    label: str
    db_ms: float
    http_p50: float
    http_p95: float
    items: int
    search: bool


def label(params: dict[str, Any]) -> str:
    """The query string of a listing, as a reader would type it."""
    return "&".join(f"{k}={v}" for k, v in params.items() if k != "cursor") or "(defaults)"


async def category_id(conn: AsyncConnection, query: ProductQuery) -> uuid.UUID | None:
    """The id of the category slug the query filters by, if any."""
    if not query.category:
        return None
    return await conn.scalar(select(Category.id).where(Category.slug == query.category))


async def middle_cursor(conn: AsyncConnection, query: ProductQuery) -> str | None:
    """A cursor pointing at the middle of the listing's own result set (None if empty)."""
    listing = listing_statement(query, category_id=await category_id(conn, query))
    total = await conn.scalar(select(func.count()).select_from(listing.limit(None).subquery()))
    found = (await conn.execute(listing.limit(1).offset((total or 0) // 2))).one_or_none()
    if found is None:
        return None
    return product_cursor(query.sort, Product(**found._mapping))


async def db_time(conn: AsyncConnection, query: ProductQuery, runs: int) -> float:
    """Median execution time (ms) PostgreSQL reports for the list query of `query`."""
    listing = listing_statement(query, category_id=await category_id(conn, query))
    compiled = listing.compile(conn.sync_engine)
    params = tuple(compiled.params[name] for name in compiled.positiontup or ())
    times = []
    for _ in range(runs):
        result = await conn.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}", params)
        plan = result.scalar_one()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        times.append(float(plan[0]["Execution Time"]))
    return statistics.median(times)


async def http_times(
    client: httpx.AsyncClient, params: dict[str, Any], runs: int
) -> tuple[float, float, int]:
    """p50 and p95 latency (ms) of the listing over HTTP, and how many items a page had."""
    samples = []
    items = 0
    for _ in range(runs):
        start = time.perf_counter()
        response = await client.get("/catalog/products", params=params)
        samples.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
        items = len(response.json()["items"])
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], items


async def measure(conn: AsyncConnection, client: httpx.AsyncClient, runs: int) -> list[Row]:
    """Every listing, first page and deep page."""
    rows = []
    for params in LISTINGS:
        for deep in (False, True):
            wanted = dict(params)
            if deep:
                wanted["cursor"] = await middle_cursor(conn, ProductQuery(**params))
            db_ms = await db_time(conn, ProductQuery(**wanted), runs)
            p50, p95, items = await http_times(client, wanted, runs)
            name = label(wanted) + (" (page at the middle)" if deep else "")
            rows.append(Row(name, db_ms, p50, p95, items, search="q" in params))
    return rows


# The catalog's list read should reach at least this share of the bare endpoint's req/s.
BARE_RATIO_TARGET = 0.5


async def throughput(scenarios: list[Scenario], args: argparse.Namespace) -> list[str]:
    """wrk against each scenario in alternating rounds; the table lines and the ratio."""
    await alternate(scenarios, args.rounds, args.seconds, args.connections)
    lines = [
        "",
        f"Default listing, wrk -t2 -c{args.connections} -d{args.seconds}s, {args.rounds} "
        "alternating rounds (medians), one uvicorn worker each:",
        "",
        *table(scenarios, header="server"),
    ]
    catalog, bare = scenarios[0], scenarios[1]
    ratio = catalog.medians()[0] / bare.medians()[0]
    verdict = "met" if ratio >= BARE_RATIO_TARGET else "NOT met"
    lines += [
        "",
        f"- catalog / bare FastAPI + asyncpg (list read): **{ratio:.2f}** "
        f"(target ≥ {BARE_RATIO_TARGET}: {verdict})",
    ]
    return lines


def report(rows: list[Row], runs: int) -> str:
    """The markdown table and the verdict."""
    lines = [
        heading("Catalog list benchmark"),
        "",
        f"`GET /catalog/products` on {PRODUCTS:,} generated products plus the demo catalog; "
        f"{runs} sequential runs per row, one uvicorn worker, {os.cpu_count()} CPUs. "
        "DB ms: PostgreSQL's execution time (EXPLAIN ANALYZE, median); HTTP: the whole "
        "request from a client on the same machine.",
        "",
        "| listing | items | DB ms | HTTP p50 ms | HTTP p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.label} | {r.items} | {r.db_ms:.2f} | {r.http_p50:.1f} | {r.http_p95:.1f} |"
        )
    lines.append("")
    for kind, target in (("filter and sort", DB_TARGET_MS), ("text search", SEARCH_TARGET_MS)):
        worst = max((r for r in rows if r.search == (kind == "text search")), key=lambda r: r.db_ms)
        verdict = "met" if worst.db_ms <= target else "NOT met"
        lines.append(
            f"- slowest {kind} query in the database: **{worst.db_ms:.2f} ms** ({worst.label}); "
            f"target ≤ {target:.0f} ms: {verdict}"
        )
    lines.append(f"- slowest HTTP p50: **{max(r.http_p50 for r in rows):.1f} ms**")
    return "\n".join(lines) + "\n"


def targets_met(rows: list[Row]) -> bool:
    """True when every listing is within its target."""
    return all(r.db_ms <= (SEARCH_TARGET_MS if r.search else DB_TARGET_MS) for r in rows)


async def run(args: argparse.Namespace) -> tuple[str, bool]:
    """Load the data, start the catalog, measure, clean up; return the report and verdict."""
    base = workdir("bench-catalog-")
    procs = Processes(base / "logs")
    async with catalog_database(base, "bench_catalog_list") as db:
        engine = create_async_engine(to_async_url(db))
        try:
            print(f"loading {PRODUCTS:,} products", flush=True)
            async with engine.begin() as conn:
                await load_demo(conn)
                await load_synthetic(conn, PRODUCTS)
            port, bare_port = free_port(), free_port()
            procs.start("catalog", uvicorn(CATALOG_APP, port), catalog_env(db))
            bare_app = uvicorn("bench.bare_catalog:create_app", bare_port)
            procs.start("bare", bare_app, {"BENCH_DATABASE_URL": db})
            url = f"http://127.0.0.1:{port}"
            bare_url = f"http://127.0.0.1:{bare_port}"
            await wait_ok(url + "/catalog/products")
            await wait_ok(bare_url + "/catalog/products")
            async with (
                engine.connect() as conn,
                httpx.AsyncClient(base_url=url, timeout=10) as client,
            ):
                rows = await measure(conn, client, args.runs) if not args.throughput_only else []
            scenarios = [
                Scenario("catalog (the service)", url + "/catalog/products"),
                Scenario("bare FastAPI + asyncpg, same query", bare_url + "/catalog/products"),
            ]
            extra = await throughput(scenarios, args)
        finally:
            procs.stop()
            await engine.dispose()
    text = (report(rows, args.runs) if rows else "# Catalog list throughput\n") + "\n".join(extra)
    return text + "\n", targets_met(rows)


def main() -> None:
    """Parse options, run, print and save the table; exit 1 when the target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--throughput-only", action="store_true", help="skip the per-listing latency table"
    )
    args = parser.parse_args()
    ensure_tools()
    text, met = asyncio.run(run(args))
    save("catalog", text)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
