"""A local TCP listener that counts who connects: the target an SSRF attempt points at."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass
class Listener:
    """Where it listens and how many connections it got."""

    host: str
    port: int
    connections: int = 0

    @property
    def authority(self) -> str:
        """host:port."""
        return f"{self.host}:{self.port}"


@asynccontextmanager
async def listening() -> AsyncIterator[Listener]:
    """A listener on a free loopback port that answers nothing and counts connections."""
    listener = Listener("127.0.0.1", 0)

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        listener.connections += 1
        writer.close()

    server = await asyncio.start_server(accept, listener.host, 0)
    listener.port = server.sockets[0].getsockname()[1]
    async with server:
        yield listener


async def raw_request(base_url: str, request: bytes) -> bytes:
    """Send raw bytes to the gateway (what httpx would not send) and read its answer."""
    host, _, port = base_url.removeprefix("http://").partition(":")
    reader, writer = await asyncio.open_connection(host, int(port or 80))
    try:
        writer.write(request)
        await writer.drain()
        return await asyncio.wait_for(reader.read(65536), timeout=10)
    finally:
        writer.close()
