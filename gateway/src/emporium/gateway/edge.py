"""The edge: a thin ASGI layer that dispatches proxied path spaces before FastAPI."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from emporium.gateway.body import RequestBody
from emporium.gateway.failures import ClientGone, ProxyFailure
from emporium.gateway.headers import upstream_request_headers
from emporium.gateway.ratelimit import Decision
from emporium.gateway.responses import send_problem
from emporium.gateway.runtime import GatewayRuntime
from emporium.gateway.tracing import TRACE_HEADERS, EdgeSpan, now_ns
from emporium.gateway.upstream import UpstreamRuntime
from emporium.servicekit.context import accept_request_id, child_traceparent, set_request_context
from emporium.servicekit.jwks import KeySetUnavailable
from emporium.servicekit.security import bearer_challenge, keys_unavailable
from emporium.servicekit.tokens import InvalidToken, Principal

access_log = logging.getLogger("emporium.access")


class EdgeApp:
    """Proxy paths in the upstream table; hand everything else to the FastAPI app."""

    def __init__(self, app: ASGIApp, runtime: GatewayRuntime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Dispatch one ASGI scope."""
        if scope["type"] == "http":
            matched = self.runtime.match(scope["path"])
            if matched is not None:
                await self._proxied(scope, receive, send, *matched)
                return
        await self.app(scope, receive, send)

    async def _proxied(
        self, scope: Scope, receive: Receive, send: Send, label: str, upstream: UpstreamRuntime
    ) -> None:
        start = time.perf_counter()
        start_ns = now_ns()
        rid = tp = auth = length = te = conn = host = None
        for key, value in scope["headers"]:
            if key == b"x-request-id":
                rid = value
            elif key == b"traceparent":
                tp = value
            elif key == b"authorization":
                auth = value
            elif key == b"content-length":
                length = value
            elif key == b"transfer-encoding":
                te = value
            elif key == b"connection":
                conn = value
            elif key == b"host":
                host = value
        request_id = accept_request_id(rid.decode("latin-1") if rid else None)
        set_request_context(request_id, None)
        rid_bytes = request_id.encode()
        status = 500
        tracing = self.runtime.tracing
        span: EdgeSpan | None = None
        try:
            client = scope.get("client")
            client_host = client[0] if client else None
            principal: Principal | None = None
            rejected: ProxyFailure | None = None
            try:
                principal = await self._authenticate(auth)
            except ProxyFailure as failure:
                rejected = failure
            # Only now is it known whether the caller's trace headers are to be trusted.
            trusted = tracing.trusts(service_client=principal is not None and principal.is_client)
            if tracing.enabled:
                span = tracing.server_span(
                    scope, label, upstream.name, trusted=trusted, start_ns=start_ns
                )
                traceparent = ""  # the client span sets the trace headers
            else:
                traceparent = child_traceparent(tp.decode("latin-1") if tp and trusted else None)
                set_request_context(request_id, traceparent)
            if rejected is not None:
                raise rejected
            extra = await self._rate_limit(scope, principal, client_host)
            body = _request_body(length, te)
            headers = upstream_request_headers(
                scope["headers"],
                connection=conn,
                request_id=request_id,
                traceparent=traceparent,
                client_host=client_host,
                scheme=scope.get("scheme", "http"),
                host=host,
            )
            if not trusted:  # an untrusted trace's state and baggage stop here
                headers = [(k, v) for k, v in headers if k.lower() not in TRACE_HEADERS]
                if traceparent:
                    headers.append(("traceparent", traceparent))
            proxy = self.runtime.proxy
            assert proxy is not None, "the gateway lifespan has not run"
            # Service clients are verified callers with a policy of their own; everyone else
            # shares their address's slots, so a few addresses cannot hold every request.
            slot = None if principal is not None and principal.is_client else client_host or "-"
            self._take_slot(slot)
            try:
                status = await proxy.forward(
                    scope, receive, send, upstream, headers, body, rid_bytes, extra
                )
            finally:
                if slot is not None:
                    self.runtime.in_flight.release(slot)
        except ProxyFailure as failure:
            status = failure.status
            if span is not None:
                span.rejected(failure.status, failure.slug, failure.detail)
            await _send_problem(send, scope, failure, request_id)
        except ClientGone:
            status = 499
        finally:
            if status == 503 and self.runtime.readiness is not None:
                # An upstream is down or failing: /readyz must not keep a cached "ready".
                self.runtime.readiness.forget()
            self._observe(scope, label, status, time.perf_counter() - start)
            if span is not None:
                span.end(status)

    def _take_slot(self, key: str | None) -> None:
        in_flight = self.runtime.in_flight
        if key is not None and not in_flight.acquire(key):
            raise ProxyFailure(
                429,
                "too-many-in-flight",
                f"This address already has {in_flight.limit} requests in flight; "
                "retry once one is answered.",
                {"Retry-After": "1"},
            )

    async def _authenticate(self, auth: bytes | None) -> Principal | None:
        if auth is None or not self.runtime.settings.edge_auth:
            return None
        scheme, _, token = auth.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer":
            return None
        verifier = self.runtime.verifier
        assert verifier is not None, "the gateway lifespan has not run"
        try:
            principal = await verifier.verify(token.strip())
        except InvalidToken as exc:
            detail = f"The access token is invalid: {exc}."
            raise ProxyFailure(
                401,
                "unauthorized",
                detail,
                {"WWW-Authenticate": bearer_challenge("invalid_token", detail)},
            ) from exc
        except KeySetUnavailable as exc:
            problem = keys_unavailable(exc)
            raise ProxyFailure(
                problem.status_code, problem.problem_slug, problem.detail, problem.headers
            ) from exc
        return principal

    async def _rate_limit(
        self, scope: Scope, principal: Principal | None, client_host: str | None
    ) -> list[tuple[bytes, bytes]]:
        limiter = self.runtime.limiter
        if limiter is None:
            return []
        buckets = self.runtime.policies.buckets(
            token_request=scope["method"] == "POST"
            and scope["path"] == self.runtime.settings.token_path,
            principal=principal,
            address=client_host,
        )
        tightest: Decision | None = None
        for policy, key in buckets:
            decision = await limiter.hit(policy, key)
            if not decision.allowed:
                if self.runtime.rate_limited is not None:
                    self.runtime.rate_limited.labels(
                        self.runtime.metrics.service, policy.name
                    ).inc()
                headers = decision.headers()
                raise ProxyFailure(
                    429,
                    "rate-limited",
                    f"Too many requests; retry in {decision.retry_after} s.",
                    {k.decode(): v.decode() for k, v in headers},
                )
            if tightest is None or decision.tokens < tightest.tokens:
                tightest = decision
        assert tightest is not None
        return tightest.headers()

    def _observe(self, scope: Scope, label: str, status: int, elapsed: float) -> None:
        method = scope["method"]
        self.runtime.metrics.observe(method, label, status, elapsed)
        if self.runtime.settings.access_log:
            access_log.info(
                "%s %s %s",
                method,
                scope["path"],
                status,
                extra={
                    "method": method,
                    "path": scope["path"],
                    "route": label,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )


def _request_body(length: bytes | None, te: bytes | None) -> RequestBody:
    if te is not None and b"chunked" in te.lower():
        return RequestBody(content_length=None, chunked=True)
    if length is None:
        return RequestBody(content_length=None, chunked=False)
    try:
        value = int(length)
    except ValueError:
        value = -1
    if value < 0:
        raise ProxyFailure(400, "bad-request", "The Content-Length header is not valid.")
    return RequestBody(content_length=value, chunked=False)


async def _send_problem(send: Send, scope: Scope, failure: ProxyFailure, request_id: str) -> None:
    await send_problem(
        send,
        failure.status,
        slug=failure.slug,
        detail=failure.detail,
        instance=scope["path"],
        request_id=request_id,
        headers=failure.headers,
    )
