"""Pure ASGI middleware: request id, trace context, access log and metrics."""

from __future__ import annotations

import logging
import time

from starlette.datastructures import MutableHeaders
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emporium.servicekit.context import (
    REQUEST_ID_HEADER,
    TRACEPARENT_HEADER,
    accept_request_id,
    child_traceparent,
    set_request_context,
)
from emporium.servicekit.metrics import Metrics

access_log = logging.getLogger("emporium.access")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RequestContextMiddleware:
    """Accept or make `X-Request-ID`, echo it, log one line and record metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics | None = None, tracing: bool = False) -> None:
        self.app = app
        self.metrics = metrics
        # With tracing on, OpenTelemetry's span is the trace context (logged and propagated).
        self.tracing = tracing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accept_request_id(_header(scope, REQUEST_ID_HEADER.encode()))
        traceparent = (
            None if self.tracing else child_traceparent(_header(scope, TRACEPARENT_HEADER.encode()))
        )
        set_request_context(request_id, traceparent)
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - start
            route = _route_template(scope)
            if self.metrics is not None:
                self.metrics.observe(scope["method"], route, status, elapsed)
            if route not in ("/healthz", "/readyz", "/metrics"):
                access_log.info(
                    "%s %s %s",
                    scope["method"],
                    scope["path"],
                    status,
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "route": route,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    app = scope.get("app")
    router = getattr(app, "router", None)
    for candidate in getattr(router, "routes", ()):
        match, _ = candidate.matches(scope)
        if match == Match.FULL:
            return str(getattr(candidate, "path", "<unmatched>"))
    return "<unmatched>"
