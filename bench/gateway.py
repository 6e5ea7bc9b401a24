"""`make bench-gateway`: the same read direct, through the gateway and through nginx.

Measures `GET /catalog/products` (1) direct to the catalog, (2) through the gateway and
(3) through nginx in front of the catalog, alternating, medians of the rounds; then the
gateway's own ceiling in front of an upstream that costs nothing (a static JSON file served by
nginx), with and without the edge JWT check, on uvicorn and on granian; and two bare proxies
comparing aiohttp with httpx + httpx-aiohttp. Prints a table and writes it to bench/results/.
`--tracing` measures the ceiling with tracing off and on instead (`bench.gateway_tracing`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

import httpx

from bench.gateway_setup import PATH, gateway_env, publish_jwks
from bench.gateway_tracing import run_tracing
from bench.nginx import ensure_tools, nginx_conf, running_nginx
from bench.results import heading, save
from bench.servers import (
    CATALOG_APP,
    GATEWAY_APP,
    PY,
    Processes,
    catalog_database,
    catalog_env,
    gateway_uvicorn,
    granian,
    sh,
    uvicorn,
    wait_ok,
    workdir,
)
from bench.wrk import Scenario, alternate, table
from emporium.devstack.ports import free_port


def verdicts(scenarios: dict[str, Scenario], meta: str) -> str:
    """The results as a Markdown table plus the ratios the targets are about."""
    med = {k: s.medians() for k, s in scenarios.items()}

    def ratio(a: str, b: str) -> str:
        return f"{med[a][0] / med[b][0]:.2f}" if a in med and b in med else "-"

    added_p99 = med["gateway"][2] - med["direct"][2]
    jwt_cost = (1 - med["ceiling_jwt"][0] / med["ceiling"][0]) * 100
    lines = [
        "",
        f"- gateway / direct (catalog): **{ratio('gateway', 'direct')}** (target ≥ 0.95)",
        f"- gateway / nginx (catalog): **{ratio('gateway', 'nginx')}** (target ≥ 0.90)",
        f"- p99 added by the gateway: **{added_p99:.2f} ms** (target ≤ 5)",
        f"- gateway ceiling (uvicorn): **{med['ceiling'][0]:,.0f} req/s** (target ≥ 6,000)",
        f"- edge JWT cost at the ceiling: **{jwt_cost:.1f} %** (target ≤ 10)",
        f"- granian / uvicorn (gateway ceiling): **{ratio('ceiling_granian', 'ceiling')}**",
        f"- httpx+httpx-aiohttp / aiohttp (bare): **{ratio('bare_httpx', 'bare_aiohttp')}**",
        f"- gateway ceiling / nginx ceiling: **{ratio('ceiling', 'nginx_static')}**",
    ]
    return f"{meta}\n\n" + "\n".join(table(scenarios.values()) + lines) + "\n"


def scenarios_of(url: dict[str, str], bearer: dict[str, str]) -> dict[str, Scenario]:
    """Every scenario of the table, by key, in the order wrk takes them."""
    return {
        "direct": Scenario("catalog direct", url["catalog"]),
        "gateway": Scenario("catalog via gateway", url["gateway"]),
        "nginx": Scenario("catalog via nginx", url["nginx_catalog"]),
        "gateway_jwt": Scenario("catalog via gateway + JWT", url["gateway"], bearer),
        "ceiling": Scenario("free upstream via gateway (uvicorn)", url["ceiling"]),
        "ceiling_jwt": Scenario("free upstream via gateway + JWT", url["ceiling"], bearer),
        "ceiling_granian": Scenario("free upstream via gateway (granian)", url["ceiling_granian"]),
        "nginx_static": Scenario("free upstream via nginx", url["nginx_static"]),
        "bare_aiohttp": Scenario("bare proxy, aiohttp", url["bare_aiohttp"]),
        "bare_httpx": Scenario("bare proxy, httpx+httpx-aiohttp", url["bare_httpx"]),
    }


NAMES: tuple[str, ...] = (
    "catalog",
    "gateway",
    "nginx_catalog",
    "static",
    "nginx_static",
    "ceiling",
)
NAMES += ("ceiling_granian", "bare_aiohttp", "bare_httpx")
"""Every server of the benchmark, each on a port of its own."""


async def start_catalog(procs: Processes, base: Path, port: int, db: str) -> None:
    """The seeded catalog, and its first page saved for nginx to serve as a free upstream."""
    await sh([PY, "-m", "emporium.catalog.seed"], env={**os.environ, "CATALOG_DATABASE_URL": db})
    procs.start("catalog", uvicorn(CATALOG_APP, port), catalog_env(db))
    catalog_url = f"http://127.0.0.1:{port}"
    await wait_ok(catalog_url + PATH)
    www = base / "www" / "catalog"
    www.mkdir(parents=True)
    async with httpx.AsyncClient() as client:
        (www / "products").write_bytes((await client.get(catalog_url + PATH)).content)


def start_proxies(procs: Processes, ports: dict[str, int]) -> None:
    """The gateways (in front of the catalog and of the free upstream) and the bare proxies."""
    static = f"http://127.0.0.1:{ports['static']}"
    jwks = f"{static}/jwks.json"
    catalog_url = f"http://127.0.0.1:{ports['catalog']}"
    procs.start("gateway", gateway_uvicorn(ports["gateway"]), gateway_env(catalog_url, jwks))
    procs.start("ceiling", gateway_uvicorn(ports["ceiling"]), gateway_env(static, jwks))
    granian_command = granian(GATEWAY_APP, ports["ceiling_granian"])
    procs.start("ceiling_granian", granian_command, gateway_env(static, jwks))
    for name in ("bare_aiohttp", "bare_httpx"):
        kind = name.split("_")[1]
        procs.start(
            name, uvicorn(f"bench.proxies:{kind}_proxy", ports[name]), {"BENCH_UPSTREAM": static}
        )


async def run(args: argparse.Namespace) -> str:
    """Boot everything, measure, stop everything; return the report."""
    ensure_tools()
    base = workdir("bench-gateway-", world_readable=True)
    procs = Processes(base / "logs")
    ports = {n: free_port() for n in NAMES}
    async with catalog_database(base, "bench_catalog") as db:
        try:
            await start_catalog(procs, base, ports["catalog"], db)
            tokens = publish_jwks(base)
            async with running_nginx(base, nginx_conf(base, ports["catalog"], ports)):
                start_proxies(procs, ports)
                url = {k: f"http://127.0.0.1:{p}{PATH}" for k, p in ports.items()}
                for key in NAMES:
                    if key != "static":
                        await wait_ok(url[key])
                bearer = {"Authorization": f"Bearer {tokens.issue(ttl=3600)}"}
                scenarios = scenarios_of(url, bearer)
                await alternate(scenarios.values(), args.rounds, args.seconds, args.connections)
        finally:
            procs.stop()
    meta = (
        f"{heading('Gateway benchmark')}\n\n"
        f"`GET {PATH}`, wrk -t2 -c{args.connections} -d{args.seconds}s, {args.rounds} alternating "
        f"rounds (medians), one worker per server, {os.cpu_count()} CPUs. Gateway: "
        "uvicorn --loop uvloop on its own slow-client protocol (httptools) unless noted; "
        "access log and in-memory rate limiting on."
    )
    return verdicts(scenarios, meta)


def main() -> None:
    """Parse options, run, print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--tracing",
        action="store_true",
        help="only the gateway ceiling, tracing off vs on (every trace, 10 %%)",
    )
    args = parser.parse_args()
    report = asyncio.run(run_tracing(args) if args.tracing else run(args))
    save("gateway-tracing" if args.tracing else "gateway", report)


if __name__ == "__main__":
    main()
