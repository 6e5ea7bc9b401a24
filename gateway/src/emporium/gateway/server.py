"""uvicorn's HTTP protocol with the edge's connection limits (`--http=` this module's class).

uvicorn has no timeout for reading a request's headers and no cap it answers with a problem,
so a client could hold a connection forever by never finishing its headers. This protocol
closes such a connection after `GATEWAY_HEADER_TIMEOUT_SECONDS` (with a `408` problem when part
of a request arrived), and answers `503` once the process holds `GATEWAY_MAX_CONNECTIONS`.
The body's own deadline is the edge's (proxy.BodyLimits): it answers with the request's id.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import Receive, Scope, Send
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from emporium.gateway.responses import send_problem
from emporium.gateway.settings import get_settings
from emporium.servicekit.context import accept_request_id
from emporium.servicekit.problems import PROBLEM_MEDIA_TYPE, problem_body
from emporium.servicekit.security_headers import API_POLICY, SecurityHeadersMiddleware

# How uvicorn is told to use it (the gateway's image and the local runner pass this).
UVICORN_OPTION = "--http=emporium.gateway.server:GatewayHttpProtocol"
_HEADER_TIMEOUT_DETAIL = "The request headers did not arrive within {} s; the connection is closed."
_API_HEADERS = (
    b"x-content-type-options: nosniff\r\n"
    b"x-frame-options: DENY\r\n"
    b"referrer-policy: no-referrer\r\n"
    b"content-security-policy: " + API_POLICY.encode() + b"\r\n"
)


async def _overloaded(scope: Scope, receive: Receive, send: Send) -> None:
    await send_problem(
        send,
        503,
        slug="overloaded",
        detail="The gateway holds as many connections as it serves; retry shortly.",
        instance=scope["path"],
        request_id=accept_request_id(None),
        headers={"Retry-After": "1", "Connection": "close"},
    )


def raw_problem(status: int, reason: str, *, slug: str, detail: str) -> bytes:
    """A whole problem answer as bytes, for what is refused before any request is parsed."""
    body = json.dumps(problem_body(status, slug=slug, detail=detail)).encode()
    return (
        f"HTTP/1.1 {status} {reason}\r\n".encode()
        + b"content-type: " + PROBLEM_MEDIA_TYPE.encode() + b"\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\n"
        b"connection: close\r\n" + _API_HEADERS + b"\r\n" + body
    )  # fmt: skip


def header_timeout_response(seconds: float) -> bytes:
    """The raw `408` problem sent to a client whose request headers are late."""
    detail = _HEADER_TIMEOUT_DETAIL.format(f"{seconds:g}")
    return raw_problem(408, "Request Timeout", slug="request-timeout", detail=detail)


class GatewayHttpProtocol(HttpToolsProtocol):
    """httptools' protocol plus a deadline for request headers and a connection cap."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        settings = get_settings()
        self.header_timeout = settings.header_timeout_seconds
        self.max_connections = config.limit_concurrency or settings.max_connections
        self.limit_concurrency = None  # checked below, answered with a problem
        self._app = self.app
        self._overloaded_app = SecurityHeadersMiddleware(_overloaded)
        self._header_timer: asyncio.TimerHandle | None = None
        self._request_begun = False  # a request started since the timer was armed

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request's headers."""
        super().connection_made(transport)
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the header clock with the connection."""
        self._cancel_header_timer()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        """A request starts: its headers must be complete within the header timeout."""
        super().on_message_begin()
        if self._header_timer is None:
            self._arm_header_timer()
        self._request_begun = True

    def on_headers_complete(self) -> None:
        """Headers are in: stop the clock, and refuse the request when over the cap."""
        self._cancel_header_timer()
        busy = len(self.connections) > self.max_connections
        self.app = self._overloaded_app if busy else self._app
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        """Answered before its body was all in (e.g. a 413): the rest must come promptly too.

        Otherwise a client could trickle an unread body forever on a kept-alive connection.
        """
        super().on_response_complete()
        if self.cycle is not None and self.cycle.more_body and self._header_timer is None:
            self._arm_header_timer()

    def send_400_response(self, msg: str) -> None:
        """Bytes that are not HTTP (e.g. a NUL in a header): a `400` problem, then close."""
        detail = f"The request is not valid HTTP/1.1 ({msg.rstrip('.')}); the connection is closed."
        self.transport.write(raw_problem(400, "Bad Request", slug="bad-request", detail=detail))
        self.transport.close()

    def _arm_header_timer(self) -> None:
        self._request_begun = False
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_late)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            # A pipelined request is late while the one before it is answered: end after it.
            self.cycle.keep_alive = False
            return
        if self._request_begun:
            self.transport.write(header_timeout_response(self.header_timeout))
        self.transport.close()
