"""An OTLP/HTTP endpoint that accepts and drops traces: an exporter's cost, no collector's."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web

# The protobuf encoding of an empty ExportTraceServiceResponse is no bytes at all.
_EMPTY_RESPONSE = b""

SAMPLERS = {
    "off": {},
    "always": {"OTEL_TRACES_SAMPLER": "parentbased_always_on"},
    "10pct": {"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.1"},
}
"""`--tracing` choices: no endpoint (tracing off), every trace kept, one in ten kept."""


@dataclass
class Sink:
    """Where the parts export; counts what arrived."""

    url: str = ""
    requests: int = 0
    bytes: int = 0

    def env(self, mode: str) -> dict[str, str]:
        """The OTEL variables of a `--tracing` mode (empty for "off")."""
        if mode == "off":
            return {}
        return {"OTEL_EXPORTER_OTLP_ENDPOINT": self.url, **SAMPLERS[mode]}

    async def _export(self, request: web.Request) -> web.Response:
        self.requests += 1
        self.bytes += len(await request.read())
        return web.Response(body=_EMPTY_RESPONSE, content_type="application/x-protobuf")


@asynccontextmanager
async def otlp_sink() -> AsyncIterator[Sink]:
    """Serve the sink on a free loopback port while the block runs."""
    sink = Sink()
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/v1/traces", sink._export)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    sink.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        yield sink
    finally:
        await runner.cleanup()
