"""Raw HTTP/1.1 connections to a gateway, written by hand so they can be as slow as they like."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from dataclasses import dataclass

from .servers import ServerProcess


@dataclass
class Answer:
    """What a raw connection got before the gateway closed it (status 0: nothing)."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def problem(self) -> dict[str, object]:
        """The problem+json body."""
        assert self.headers.get("content-type") == "application/problem+json", self.headers
        document = json.loads(self.body)
        assert isinstance(document, dict)
        return document

    def closing_problem(self, status: int, detail: str) -> dict[str, object]:
        """Check for a `status` problem saying `detail` that closes the connection."""
        assert self.status == status
        problem = self.problem()
        assert problem["status"] == status
        assert detail in str(problem["detail"])
        assert self.headers["connection"] == "close"
        assert self.headers["x-content-type-options"] == "nosniff"
        return problem


class RawClient:
    """One TCP connection speaking HTTP/1.1 by hand, so it can be as slow as it likes."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.opened = time.monotonic()

    @classmethod
    async def open(cls, gateway: ServerProcess, source: str = "127.0.0.1") -> RawClient:
        """Connect to the gateway from `source`."""
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", gateway.port, local_addr=(source, 0)
        )
        return cls(reader, writer)

    async def send(self, data: bytes) -> None:
        """Write bytes, ignoring a connection the gateway already closed."""
        with contextlib.suppress(ConnectionError):
            self.writer.write(data)
            await self.writer.drain()

    async def answer(self, timeout: float = 10.0) -> Answer:
        """Everything the gateway sends until it closes the connection."""
        data = b""
        with contextlib.suppress(ConnectionError):
            data = await asyncio.wait_for(self.reader.read(-1), timeout)
        seconds = time.monotonic() - self.opened
        self.writer.close()
        if not data:
            return Answer(0, {}, b"", seconds)
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in lines[1:])
        return Answer(int(lines[0].split()[1]), headers, body, seconds)

    def close(self) -> None:
        """Drop the connection."""
        self.writer.close()


async def trickle(client: RawClient, piece: bytes, every: float, limit: float) -> Answer:
    """Send `piece` every `every` seconds until the gateway closes (or `limit` s pass)."""
    reading = asyncio.create_task(client.answer(timeout=limit))
    while not reading.done():
        await client.send(piece)
        await asyncio.sleep(every)
    return await reading


def upload_head(length: int, rid: str = "", *, keep_alive: bool = False) -> bytes:
    """The headers of a POST announcing a body of `length` bytes."""
    connection = "keep-alive" if keep_alive else "close"
    return (
        "POST /catalog/upload HTTP/1.1\r\nHost: shop\r\nContent-Type: application/octet-stream"
        f"\r\nContent-Length: {length}\r\nX-Request-ID: {rid or uuid.uuid4().hex}\r\n"
        f"Connection: {connection}\r\n\r\n"
    ).encode()
