"""The gateway's spans: a server span per proxied request, a client span per upstream call.

The proxy path bypasses FastAPI (and so its instrumentation): these spans are made here by
hand, with the HTTP semantic conventions' names and attributes. W3C `traceparent`,
`tracestate` and `baggage` travel through the globally configured propagators.
"""

from __future__ import annotations

import time
from contextvars import Token
from types import TracebackType
from typing import Literal

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.trace import Link, SpanKind, Status, StatusCode
from starlette.types import Scope
from yarl import URL

TraceIncoming = Literal["continue", "restart"]
TRACE_HEADERS = frozenset({"traceparent", "tracestate", "baggage"})


def _carrier(scope: Scope) -> dict[str, str]:
    carrier: dict[str, str] = {}
    for key, value in scope["headers"]:
        name = key.decode("latin-1")
        if name in TRACE_HEADERS:
            carrier[name] = value.decode("latin-1")
    return carrier


class EdgeSpan:
    """The server span of one proxied request, current until `end`."""

    def __init__(self, span: trace.Span, token: Token[Context]) -> None:
        self.span = span
        self._token = token
        self._failed = False

    def rejected(self, status: int, slug: str, detail: str) -> None:
        """The edge answered itself (401, 429, 503 open breaker, 502/504…)."""
        self.span.set_attribute("error.type", slug)
        self.span.set_attribute("emporium.edge.rejection", slug)
        if status >= 500:
            self.span.set_status(Status(StatusCode.ERROR, detail))
            self._failed = True

    def end(self, status: int) -> None:
        """Record the status sent to the client and close the span."""
        self.span.set_attribute("http.response.status_code", status)
        if status >= 500 and not self._failed:
            self.span.set_status(Status(StatusCode.ERROR))
        self.span.end()
        otel_context.detach(self._token)


class UpstreamCall:
    """The client span around one upstream call; carries the headers to send with it."""

    __slots__ = ("_span", "_token", "headers")

    def __init__(
        self,
        tracer: trace.Tracer | None,
        name: str,
        url: URL,
        method: str,
        headers: list[tuple[str, str]],
    ) -> None:
        self._span: trace.Span | None = None
        self._token: Token[Context] | None = None
        self.headers = headers
        if tracer is None:
            return
        span = tracer.start_span(
            f"{method} {name}",
            kind=SpanKind.CLIENT,
            attributes={
                "http.request.method": method,
                "url.full": str(url.with_query(None)),
                "server.address": url.host or "",
                "server.port": url.port or 80,
                "peer.service": name,
            },
        )
        self._span = span
        ctx = trace.set_span_in_context(span)
        carrier: dict[str, str] = {}
        propagate.inject(carrier, context=ctx)
        self.headers = [(k, v) for k, v in headers if k.lower() not in TRACE_HEADERS]
        self.headers.extend(carrier.items())
        self._token = otel_context.attach(ctx)

    def answered(self, status: int) -> None:
        """The upstream answered with `status` (4xx and 5xx are errors of a client span)."""
        if self._span is not None:
            self._span.set_attribute("http.response.status_code", status)
            if status >= 400:
                self._span.set_attribute("error.type", str(status))
                self._span.set_status(Status(StatusCode.ERROR))

    def __enter__(self) -> UpstreamCall:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        span = self._span
        if span is None:
            return
        if exc is not None:
            span.record_exception(exc)
            span.set_attribute("error.type", type(exc).__qualname__)
            span.set_status(Status(StatusCode.ERROR, str(exc)))
        span.end()
        if self._token is not None:
            otel_context.detach(self._token)


class EdgeTracer:
    """Makes the gateway's spans, trusting incoming trace headers as the setting says."""

    def __init__(self, tracer: trace.Tracer | None, incoming: TraceIncoming) -> None:
        self.tracer = tracer
        self.incoming = incoming

    @property
    def enabled(self) -> bool:
        """True when spans are recorded (tracing is on)."""
        return self.tracer is not None

    def trusts(self, *, service_client: bool) -> bool:
        """Whether a caller's trace headers continue its trace (our services' always do)."""
        return service_client or self.incoming == "continue"

    def server_span(
        self, scope: Scope, label: str, upstream: str, *, trusted: bool, start_ns: int
    ) -> EdgeSpan:
        """Start the request's server span (as of `start_ns`) and make it current."""
        assert self.tracer is not None
        incoming = propagate.extract(_carrier(scope))
        links: list[Link] = []
        if trusted:
            parent = incoming
        else:
            # A new trace, linked to what the client claimed so the two can still be joined.
            parent = otel_context.Context()
            claimed = trace.get_current_span(incoming).get_span_context()
            if claimed.is_valid:
                links.append(Link(claimed, {"emporium.link": "untrusted-parent"}))
        method: str = scope["method"]
        client = scope.get("client")
        attributes: dict[str, str | int] = {
            "http.request.method": method,
            "http.route": label,
            "url.path": scope["path"],
            "url.scheme": scope.get("scheme", "http"),
            "emporium.upstream": upstream,
        }
        if client:
            attributes["client.address"] = client[0]
        span = self.tracer.start_span(
            f"{method} {label}",
            context=parent,
            kind=SpanKind.SERVER,
            attributes=attributes,
            links=links,
            start_time=start_ns,
        )
        token = otel_context.attach(trace.set_span_in_context(span, parent))
        return EdgeSpan(span, token)

    def call(
        self, name: str, url: URL, method: str, headers: list[tuple[str, str]]
    ) -> UpstreamCall:
        """The client span for one upstream call (a no-op carrier while tracing is off)."""
        return UpstreamCall(self.tracer, name, url, method, headers)


def now_ns() -> int:
    """Wall-clock time for a span's start."""
    return time.time_ns()
