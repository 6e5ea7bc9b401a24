"""`python -m bench.gateway --tracing`: the gateway ceiling with tracing off and on."""

from __future__ import annotations

import argparse
import os

from bench.gateway_setup import PATH, gateway_env, publish_jwks
from bench.nginx import ensure_tools, nginx_conf, running_nginx
from bench.otlp_sink import SAMPLERS, otlp_sink
from bench.results import heading
from bench.servers import Processes, gateway_uvicorn, wait_ok, workdir
from bench.wrk import Scenario, alternate, table
from emporium.devstack.ports import free_port

LABELS = {
    "off": "tracing off (no endpoint)",
    "always": "tracing on, every trace",
    "10pct": "tracing on, 10 % sampled",
}


async def run_tracing(args: argparse.Namespace) -> str:
    """The gateway ceiling with tracing off, on (every trace) and on (one in ten), alternating.

    Three gateways in front of the same free upstream, exporting to a sink that drops the
    spans (a collector's cost is not the gateway's); wrk sends no `traceparent`, so every
    request starts a trace and the sampler alone decides.
    """
    ensure_tools()
    base = workdir("bench-gateway-tracing-", world_readable=True)
    procs = Processes(base / "logs")
    modes = tuple(SAMPLERS)
    ports = {n: free_port() for n in ("catalog", "nginx_catalog", "static", "nginx_static", *modes)}
    (base / "www" / "catalog").mkdir(parents=True)
    (base / "www" / "catalog" / "products").write_text('{"items": [], "next_cursor": null}')
    publish_jwks(base)
    conf = nginx_conf(base, ports["catalog"], ports)
    static = f"http://127.0.0.1:{ports['static']}"
    async with otlp_sink() as sink:
        try:
            async with running_nginx(base, conf):
                for mode in modes:
                    env = {**gateway_env(static, f"{static}/jwks.json"), **sink.env(mode)}
                    procs.start(f"gateway-{mode}", gateway_uvicorn(ports[mode]), env)
                url = {m: f"http://127.0.0.1:{ports[m]}{PATH}" for m in modes}
                for mode in modes:
                    await wait_ok(url[mode])
                scenarios = {
                    m: Scenario(f"free upstream via gateway, {LABELS[m]}", url[m]) for m in modes
                }
                await alternate(scenarios.values(), args.rounds, args.seconds, args.connections)
        finally:
            procs.stop()
    rps = {m: s.medians()[0] for m, s in scenarios.items()}
    cost = {m: (1 - rps[m] / rps["off"]) * 100 for m in modes}
    meta = (
        f"{heading('Gateway tracing cost')}\n\n"
        f"`GET {PATH}` from a free upstream (nginx static file), wrk -t2 -c{args.connections} "
        f"-d{args.seconds}s, {args.rounds} alternating rounds (medians), one uvicorn worker per "
        f"gateway, {os.cpu_count()} CPUs, spans exported over OTLP/HTTP to a sink that drops "
        f"them ({sink.requests} exports, {sink.bytes / 1e6:.1f} MB)."
    )
    lines = [
        "",
        f"- throughput lost to tracing, every trace: **{cost['always']:.1f} %**",
        f"- throughput lost to tracing, 10 % sampled: **{cost['10pct']:.1f} %**",
    ]
    return f"{meta}\n\n" + "\n".join(table(scenarios.values()) + lines) + "\n"
