"""`make bench-gateway`: the same read direct, through the gateway and through nginx.

Measures `GET /catalog/products` (1) direct to the catalog, (2) through the gateway and
(3) through nginx in front of the catalog, alternating, medians of the rounds; then the
gateway's own ceiling in front of an upstream that costs nothing (a static JSON file served by
nginx), with and without the edge JWT check, on uvicorn and on granian; and two bare proxies
comparing aiohttp with httpx + httpx-aiohttp. Prints a table and writes it to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.otlp_sink import SAMPLERS, otlp_sink
from emporium.devstack.components import GATEWAY_HTTP
from emporium.servicekit.testing import (
    TokenFactory,
    create_migrated_database,
    drop_test_database,
    postgres_server,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PATH = "/catalog/products"
PY = sys.executable
CATALOG_APP = "emporium.catalog.main:create_app"
GATEWAY_APP = "emporium.gateway.main:create_app"


async def sh(command: list[str], *, env: dict[str, str] | None = None, check: bool = True) -> None:
    """Run a command to completion off the event loop."""
    await asyncio.to_thread(
        subprocess.run, command, env=env, check=check, capture_output=True, cwd=ROOT
    )


@dataclass
class Scenario:
    """One thing wrk hits, with its samples."""

    name: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)

    def median(self, values: list[float]) -> float:
        """Median of a sample list (nan when empty)."""
        return statistics.median(values) if values else float("nan")


def ensure_tools() -> None:
    """Install nginx and wrk from the Debian packages when they are missing."""
    missing = [
        t for t in ("nginx", "wrk") if not shutil.which(t) and not Path(f"/usr/sbin/{t}").exists()
    ]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"installing {' '.join(missing)} (apt-get)")
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "--no-install-recommends", *missing], check=True
    )


def nginx_binary() -> str:
    """Where nginx is installed."""
    return shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Processes:
    """Child processes of the benchmark, stopped together."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.children: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        """Start a child with its output in logs/<name>.log."""
        log = (self.logs / f"{name}.log").open("wb")
        self.children.append(
            subprocess.Popen(
                command,
                env={**os.environ, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        )

    def stop(self) -> None:
        """Terminate every child."""
        for child in self.children:
            child.terminate()
        for child in self.children:
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()


async def wait_ok(url: str, timeout: float = 60.0) -> None:
    """Poll until `url` answers 200."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2) as client:
        while True:
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer 200 in {timeout}s")
            await asyncio.sleep(0.2)


def nginx_conf(base: Path, catalog: int, ports: dict[str, int]) -> Path:
    """nginx: a proxy in front of the catalog, a static file server and a proxy in front of it."""
    conf = base / "nginx.conf"
    scratch = base / "scratch"
    scratch.mkdir(exist_ok=True)
    conf.write_text(
        f"""worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log {base}/nginx-access.log;
  client_body_temp_path {scratch}; proxy_temp_path {scratch}; fastcgi_temp_path {scratch};
  uwsgi_temp_path {scratch}; scgi_temp_path {scratch};
  upstream catalog {{ server 127.0.0.1:{catalog}; keepalive 128; }}
  upstream static {{ server 127.0.0.1:{ports["static"]}; keepalive 128; }}
  server {{
    listen 127.0.0.1:{ports["nginx_catalog"]};
    location / {{ proxy_pass http://catalog; proxy_http_version 1.1;
      proxy_set_header Connection ""; proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; }}
  }}
  server {{
    listen 127.0.0.1:{ports["static"]};
    root {base}/www; default_type application/json;
  }}
  server {{
    listen 127.0.0.1:{ports["nginx_static"]};
    location / {{ proxy_pass http://static; proxy_http_version 1.1;
      proxy_set_header Connection ""; proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; }}
  }}
}}
"""
    )
    return conf


_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_SCALE = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(scenario: Scenario, seconds: int, connections: int, record: bool = True) -> None:
    """Run wrk once against the scenario and record req/s, p50 and p99 (ms)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for key, value in scenario.headers.items():
        command += ["-H", f"{key}: {value}"]
    output = subprocess.run(
        [*command, scenario.url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    latency = {p: float(v) * _SCALE[u] for p, v, u in _LATENCY.findall(output)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non2xx:
        raise RuntimeError(f"{scenario.name}: {non2xx.group(1)} error responses\n{output}")
    if record:
        scenario.rps.append(rps)
        scenario.p50.append(latency["50"])
        scenario.p99.append(latency["99"])


def gateway_env(upstream: str, jwks: str) -> dict[str, str]:
    """Gateway settings for the benchmark: production defaults, limits high enough for wrk."""
    upstreams = [
        {"name": "catalog", "url": upstream, "prefixes": ["/catalog"]},
        {"name": "auth", "url": "http://127.0.0.1:9", "prefixes": ["/auth"]},
    ]
    return {
        "GATEWAY_UPSTREAMS": json.dumps(upstreams),
        "GATEWAY_JWKS_URL": jwks,
        **{
            f"GATEWAY_{kind}_RATE_LIMIT_{knob}": "1000000000"
            for kind in ("ANONYMOUS", "CUSTOMER", "CUSTOMER_ADDRESS")
            for knob in ("PER_SECOND", "BURST")
        },
        "GATEWAY_ENVIRONMENT": "production",
    }


def uvicorn(target: str, port: int, factory: bool = True) -> list[str]:
    """uvicorn, one worker, uvloop + httptools."""
    command = [PY, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
    command += [
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    return [*command, "--factory"] if factory else command


def gateway_uvicorn(port: int) -> list[str]:
    """The gateway as its image and `make run` start it: on its own slow-client protocol."""
    command = uvicorn(GATEWAY_APP, port)
    at = command.index("--http")
    return [*command[:at], GATEWAY_HTTP, *command[at + 2 :]]


def granian(target: str, port: int) -> list[str]:
    """granian ASGI, one worker."""
    return [PY, "-m", "granian", "--interface", "asgi", "--factory", "--host", "127.0.0.1",
            "--port", str(port), "--workers", "1", "--loop", "uvloop", "--no-ws",
            "--log-level", "warning", target]  # fmt: skip


def table(scenarios: dict[str, Scenario], meta: str) -> str:
    """The results as a Markdown table plus the ratios the targets are about."""
    rows = ["| scenario | req/s | p50 ms | p99 ms |", "|---|---:|---:|---:|"]
    med = {k: (s.median(s.rps), s.median(s.p50), s.median(s.p99)) for k, s in scenarios.items()}
    for key, s in scenarios.items():
        rps, p50, p99 = med[key]
        rows.append(f"| {s.name} | {rps:,.0f} | {p50:.2f} | {p99:.2f} |")

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
    return f"{meta}\n\n" + "\n".join(rows + lines) + "\n"


async def run(args: argparse.Namespace) -> str:
    """Boot everything, measure, stop everything; return the report."""
    ensure_tools()
    base = Path(tempfile.mkdtemp(prefix="bench-gateway-"))
    os.chmod(base, 0o755)  # noqa: S103 - nginx workers (nobody) read the static files
    (base / "logs").mkdir()
    procs = Processes(base / "logs")
    database = ExitStack()
    server = database.enter_context(postgres_server(base / "pg"))
    db = await create_migrated_database(server, "emporium.catalog", "bench_catalog")
    names: tuple[str, ...] = ("catalog", "gateway", "nginx_catalog", "static", "nginx_static")
    names += ("ceiling", "ceiling_granian", "bare_aiohttp", "bare_httpx")
    ports = {n: free_port() for n in names}
    nginx_pid = base / "nginx.pid"
    try:
        seed_env = {**os.environ, "CATALOG_DATABASE_URL": db}
        await sh([PY, "-m", "emporium.catalog.seed"], env=seed_env)
        catalog_url = f"http://127.0.0.1:{ports['catalog']}"
        catalog_env = {"CATALOG_DATABASE_URL": db, "CATALOG_ENVIRONMENT": "production"}
        procs.start("catalog", uvicorn(CATALOG_APP, ports["catalog"]), catalog_env)
        await wait_ok(catalog_url + PATH)
        www = base / "www" / "catalog"
        www.mkdir(parents=True)
        async with httpx.AsyncClient() as client:
            (www / "products").write_bytes((await client.get(catalog_url + PATH)).content)
        tokens = TokenFactory()
        (base / "www" / "jwks.json").write_text(json.dumps({"keys": [tokens.public_jwk]}))
        conf = nginx_conf(base, ports["catalog"], ports)
        await sh([nginx_binary(), "-c", str(conf), "-p", str(base), "-g", "daemon on;"])
        static = f"http://127.0.0.1:{ports['static']}"
        jwks = f"{static}/jwks.json"
        procs.start("gateway", gateway_uvicorn(ports["gateway"]), gateway_env(catalog_url, jwks))
        procs.start("ceiling", gateway_uvicorn(ports["ceiling"]), gateway_env(static, jwks))
        granian_command = granian(GATEWAY_APP, ports["ceiling_granian"])
        procs.start("ceiling_granian", granian_command, gateway_env(static, jwks))
        for name in ("bare_aiohttp", "bare_httpx"):
            kind = name.split("_")[1]
            procs.start(
                name,
                uvicorn(f"bench.proxies:{kind}_proxy", ports[name]),
                {"BENCH_UPSTREAM": static},
            )
        url = {k: f"http://127.0.0.1:{p}{PATH}" for k, p in ports.items()}
        for key in names:
            if key != "static":
                await wait_ok(url[key])
        bearer = {"Authorization": f"Bearer {tokens.issue(ttl=3600)}"}
        scenarios = {
            "direct": Scenario("catalog direct", url["catalog"]),
            "gateway": Scenario("catalog via gateway", url["gateway"]),
            "nginx": Scenario("catalog via nginx", url["nginx_catalog"]),
            "gateway_jwt": Scenario("catalog via gateway + JWT", url["gateway"], bearer),
            "ceiling": Scenario("free upstream via gateway (uvicorn)", url["ceiling"]),
            "ceiling_jwt": Scenario("free upstream via gateway + JWT", url["ceiling"], bearer),
            "ceiling_granian": Scenario(
                "free upstream via gateway (granian)", url["ceiling_granian"]
            ),
            "nginx_static": Scenario("free upstream via nginx", url["nginx_static"]),
            "bare_aiohttp": Scenario("bare proxy, aiohttp", url["bare_aiohttp"]),
            "bare_httpx": Scenario("bare proxy, httpx+httpx-aiohttp", url["bare_httpx"]),
        }
        for scenario in scenarios.values():
            wrk(scenario, 1, args.connections, record=False)  # warm-up
        for round_ in range(args.rounds):
            print(f"round {round_ + 1}/{args.rounds}", flush=True)
            for scenario in scenarios.values():
                await asyncio.to_thread(wrk, scenario, args.seconds, args.connections)
    finally:
        if nginx_pid.exists():
            stop = [nginx_binary(), "-c", str(base / "nginx.conf"), "-p", str(base), "-s", "stop"]
            await sh(stop, check=False)
        procs.stop()
        await drop_test_database(db)
        database.close()
    meta = (
        f"# Gateway benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"`GET {PATH}`, wrk -t2 -c{args.connections} -d{args.seconds}s, {args.rounds} alternating "
        f"rounds (medians), one worker per server, {os.cpu_count()} CPUs. Gateway: "
        "uvicorn --loop uvloop on its own slow-client protocol (httptools) unless noted; "
        "access log and in-memory rate limiting on."
    )
    return table(scenarios, meta)


async def run_tracing(args: argparse.Namespace) -> str:
    """The gateway ceiling with tracing off, on (every trace) and on (one in ten), alternating.

    Three gateways in front of the same free upstream, exporting to a sink that drops the
    spans (a collector's cost is not the gateway's); wrk sends no `traceparent`, so every
    request starts a trace and the sampler alone decides.
    """
    ensure_tools()
    base = Path(tempfile.mkdtemp(prefix="bench-gateway-tracing-"))
    os.chmod(base, 0o755)  # noqa: S103 - nginx workers (nobody) read the static files
    (base / "logs").mkdir()
    procs = Processes(base / "logs")
    modes = tuple(SAMPLERS)
    ports = {n: free_port() for n in ("catalog", "nginx_catalog", "static", "nginx_static", *modes)}
    (base / "www" / "catalog").mkdir(parents=True)
    (base / "www" / "catalog" / "products").write_text('{"items": [], "next_cursor": null}')
    tokens = TokenFactory()
    (base / "www" / "jwks.json").write_text(json.dumps({"keys": [tokens.public_jwk]}))
    conf = nginx_conf(base, ports["catalog"], ports)
    nginx_pid = base / "nginx.pid"
    static = f"http://127.0.0.1:{ports['static']}"
    async with otlp_sink() as sink:
        try:
            await sh([nginx_binary(), "-c", str(conf), "-p", str(base), "-g", "daemon on;"])
            for mode in modes:
                env = {**gateway_env(static, f"{static}/jwks.json"), **sink.env(mode)}
                procs.start(f"gateway-{mode}", gateway_uvicorn(ports[mode]), env)
            url = {m: f"http://127.0.0.1:{ports[m]}{PATH}" for m in modes}
            for mode in modes:
                await wait_ok(url[mode])
            labels = {"off": "tracing off (no endpoint)", "always": "tracing on, every trace",
                      "10pct": "tracing on, 10 % sampled"}  # fmt: skip
            scenarios = {
                m: Scenario(f"free upstream via gateway, {labels[m]}", url[m]) for m in modes
            }
            for scenario in scenarios.values():
                wrk(scenario, 1, args.connections, record=False)  # warm-up
            for round_ in range(args.rounds):
                print(f"round {round_ + 1}/{args.rounds}", flush=True)
                for scenario in scenarios.values():
                    await asyncio.to_thread(wrk, scenario, args.seconds, args.connections)
        finally:
            if nginx_pid.exists():
                stop = [nginx_binary(), "-c", str(conf), "-p", str(base), "-s", "stop"]
                await sh(stop, check=False)
            procs.stop()
    rows = ["| scenario | req/s | p50 ms | p99 ms |", "|---|---:|---:|---:|"]
    med = {m: (s.median(s.rps), s.median(s.p50), s.median(s.p99)) for m, s in scenarios.items()}
    for mode, s in scenarios.items():
        rows.append(f"| {s.name} | {med[mode][0]:,.0f} | {med[mode][1]:.2f} | {med[mode][2]:.2f} |")
    cost = {m: (1 - med[m][0] / med["off"][0]) * 100 for m in modes}
    meta = (
        f"# Gateway tracing cost, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
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
    return f"{meta}\n\n" + "\n".join(rows + lines) + "\n"


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
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    name = "gateway-tracing" if args.tracing else "gateway"
    (RESULTS / f"{name}-{stamp}.md").write_text(report)
    (RESULTS / f"{name}-latest.md").write_text(report)


if __name__ == "__main__":
    main()
