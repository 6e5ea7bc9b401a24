"""Bare ASGI proxies used only to compare HTTP client transports on the hot path.

`uvicorn --factory bench.proxies:aiohttp_proxy` or `bench.proxies:httpx_proxy`; the upstream is
`BENCH_UPSTREAM` (e.g. http://127.0.0.1:9000). No auth, limits or header rewriting: just the
transport, so the difference between the two is the client library's own cost.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGI = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _lifespan(receive: Receive, send: Send, start: Any, stop: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await start()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await stop()
            await send({"type": "lifespan.shutdown.complete"})
            return


def aiohttp_proxy() -> ASGI:
    """A proxy on one shared aiohttp ClientSession."""
    upstream = os.environ["BENCH_UPSTREAM"]
    state: dict[str, aiohttp.ClientSession] = {}

    async def start() -> None:
        state["s"] = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=512, keepalive_timeout=4), auto_decompress=False
        )

    async def stop() -> None:
        await state["s"].close()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, start, stop)
            return
        url = upstream + scope["path"]
        async with state["s"].request(scope["method"], url) as response:
            body = await response.read()
            headers = [(k.lower(), v) for k, v in response.raw_headers if k.lower() != b"date"]
            await send(
                {"type": "http.response.start", "status": response.status, "headers": headers}
            )
            await send({"type": "http.response.body", "body": body})

    return app


def httpx_proxy() -> ASGI:
    """The same proxy on httpx with the httpx-aiohttp transport."""
    upstream = os.environ["BENCH_UPSTREAM"]
    state: dict[str, httpx.AsyncClient] = {}

    async def start() -> None:
        limits = httpx.Limits(max_connections=512, max_keepalive_connections=512)
        state["c"] = httpx.AsyncClient(transport=AiohttpTransport(limits=limits))

    async def stop() -> None:
        await state["c"].aclose()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, start, stop)
            return
        response = await state["c"].request(scope["method"], upstream + scope["path"])
        headers = [
            (k.lower(), v) for k, v in response.headers.raw if k.lower() not in (b"date", b"server")
        ]
        await send(
            {"type": "http.response.start", "status": response.status_code, "headers": headers}
        )
        await send({"type": "http.response.body", "body": response.content})

    return app
