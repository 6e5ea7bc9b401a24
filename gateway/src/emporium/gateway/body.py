"""A request's body, read whole within the limits before any upstream is called."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from starlette.types import Receive

from emporium.gateway.failures import ClientGone, ProxyFailure


@dataclass(slots=True)
class RequestBody:
    """What the client announced about its body."""

    content_length: int | None
    chunked: bool

    @property
    def present(self) -> bool:
        """True when the request carries a body."""
        return self.chunked or bool(self.content_length)


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """How large a request body may be and how fast it must arrive."""

    max_bytes: int
    timeout_seconds: float
    min_rate: int

    async def read(self, receive: Receive) -> bytes:
        """The whole body, or a 413/408 failure (too large, or slower than the minimum rate).

        The deadline is `timeout_seconds` after reading begins, moved on by one second for
        every `min_rate` bytes received: a client that stops sending, or trickles, is cut off.
        """
        loop = asyncio.get_running_loop()
        start = loop.time()
        parts: list[bytes] = []
        size = 0
        while True:
            try:
                async with asyncio.timeout_at(start + self.timeout_seconds + size / self.min_rate):
                    message = await receive()
            except TimeoutError:
                raise too_slow(self) from None
            if message["type"] == "http.disconnect":
                raise ClientGone
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise too_large(self.max_bytes)
            if chunk:
                parts.append(chunk)
            if not message.get("more_body", False):
                return b"".join(parts)


def too_large(limit: int) -> ProxyFailure:
    """The 413 failure for a body over `limit` bytes."""
    return ProxyFailure(413, "payload-too-large", f"The request body is larger than {limit} bytes.")


def too_slow(limits: BodyLimits) -> ProxyFailure:
    """The 408 failure for a body that did not arrive in time."""
    return ProxyFailure(
        408,
        "request-timeout",
        f"The request body did not arrive in time (allowed: {limits.timeout_seconds:g} s "
        f"plus 1 s per {limits.min_rate} bytes); the connection is closed.",
        {"Connection": "close"},
    )
