"""The order benchmark's table: a row per point, the open loop, and the verdicts."""

from __future__ import annotations

import argparse
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bench.orderload import Sample
from bench.orders_checks import Checks
from bench.orders_system import ADDRESSES, PRODUCTS
from bench.results import heading
from bench.rounds import median

LIMIT_POOL = 32
"""Connections of the one-process limit's pool at the most."""


@dataclass
class Point:
    """One row of the table: samples of the system and of the one-process limit."""

    label: str
    concurrency: int
    system: list[Sample] = field(default_factory=list)
    limit: list[Sample] = field(default_factory=list)
    cpu_ms: list[dict[str, float]] = field(default_factory=list)
    catalog_calls: list[Counter[int]] = field(default_factory=list)

    @property
    def hot(self) -> bool:
        """True for the hot-row point (every order takes the same product)."""
        return self.label.startswith("hot")


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
        heading("Order placement benchmark"),
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
        if not p.hot:
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
