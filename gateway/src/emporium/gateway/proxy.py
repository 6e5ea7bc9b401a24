"""Forward one request to an upstream: read the body whole, then stream the answer back."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import aiohttp
from starlette.types import Receive, Scope, Send
from yarl import URL

from emporium.gateway.breaker import CircuitBreaker
from emporium.gateway.headers import client_response_headers
from emporium.gateway.settings import GatewaySettings, Upstream
from emporium.gateway.tracing import EdgeTracer

logger = logging.getLogger("emporium.gateway.proxy")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
BUFFER_LIMIT = 64 * 1024  # answers up to this size are read whole before relaying
CHUNK_SIZE = 64 * 1024


class ProxyFailure(Exception):
    """The request could not be proxied; carries the problem to answer with."""

    def __init__(
        self, status: int, slug: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.headers = headers or {}


class ClientGone(Exception):
    """The client disconnected while its request body was being read."""


class UpstreamRuntime:
    """An upstream with its own connection pool, timeouts and circuit breaker."""

    def __init__(self, upstream: Upstream, settings: GatewaySettings) -> None:
        self.config = upstream
        self.name = upstream.name
        self.base_url = upstream.url
        self.pool_size = upstream.pool_size or settings.pool_size
        self.keepalive_seconds = settings.keepalive_seconds
        self.timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=upstream.connect_timeout_seconds or settings.connect_timeout_seconds,
            sock_read=upstream.read_timeout_seconds or settings.read_timeout_seconds,
        )
        self.breaker = CircuitBreaker(
            failure_threshold=settings.breaker_failure_threshold,
            open_seconds=settings.breaker_open_seconds,
        )
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """This upstream's pooled session (opened by the lifespan)."""
        assert self._session is not None, "the gateway lifespan has not run"
        return self._session

    def open(self) -> None:
        """Open this upstream's pool."""
        self._session = client_session(self.pool_size, self.keepalive_seconds)

    async def close(self) -> None:
        """Close this upstream's pool."""
        if self._session is not None:
            await self._session.close()
            self._session = None


def client_session(pool_size: int, keepalive_seconds: float) -> aiohttp.ClientSession:
    """A session that passes requests through untouched, over at most `pool_size` sockets."""
    connector = aiohttp.TCPConnector(
        limit=pool_size,
        limit_per_host=0,
        keepalive_timeout=keepalive_seconds,
        ttl_dns_cache=60,
    )
    return aiohttp.ClientSession(
        connector=connector,
        auto_decompress=False,
        cookie_jar=aiohttp.DummyCookieJar(),
        skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
        timeout=aiohttp.ClientTimeout(total=None),
    )


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


RETRY_SOON = {"Retry-After": "1"}


def _timed_out(name: str) -> ProxyFailure:
    return ProxyFailure(
        504, "upstream-timeout", f"The {name} service did not answer in time.", RETRY_SOON
    )


def _disconnected(name: str) -> ProxyFailure:
    return ProxyFailure(
        503,
        "upstream-disconnected",
        f"The {name} service closed the connection before answering.",
        RETRY_SOON,
    )


def _failed(name: str, exc: aiohttp.ClientError) -> ProxyFailure:
    # A reset or a cut-off body is a service dying mid-answer (down or restarting); anything
    # else is an answer that is not HTTP.
    if isinstance(exc, aiohttp.ClientOSError | aiohttp.ClientPayloadError):
        return _disconnected(name)
    return ProxyFailure(502, "bad-gateway", f"The {name} service sent an invalid response.")


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


class Proxy:
    """Reads a request whole, then sends it upstream through that upstream's own pool."""

    def __init__(self, limits: BodyLimits, *, tracing: EdgeTracer | None = None) -> None:
        self.limits = limits
        self.tracing = tracing or EdgeTracer(None, "continue")

    async def forward(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        upstream: UpstreamRuntime,
        headers: list[tuple[str, str]],
        body: RequestBody,
        request_id: bytes,
        extra_headers: list[tuple[bytes, bytes]],
    ) -> int:
        """Proxy the request and stream the answer; return the status sent to the client."""
        method: str = scope["method"]
        if body.content_length is not None and body.content_length > self.limits.max_bytes:
            raise too_large(self.limits.max_bytes)
        wait = upstream.breaker.retry_after()
        if wait is not None:
            raise ProxyFailure(
                503,
                "upstream-unavailable",
                f"The {upstream.name} service is failing; the gateway stopped calling it briefly.",
                {"Retry-After": str(max(1, round(wait)))},
            )
        # The body is read whole before an upstream connection is taken, so a client that
        # dawdles holds only its own connection, never one of the upstream's pool.
        data = await self.limits.read(receive) if body.present else None
        retries = 1 if method in IDEMPOTENT_METHODS else 0
        url = _target(upstream.base_url, scope)
        with self.tracing.call(upstream.name, url, method, headers) as call:
            response = await self._send(upstream, method, url, call.headers, data, retries)
            call.answered(response.status)
        try:
            return await self._relay(response, send, request_id, extra_headers, upstream)
        finally:
            response.release()

    async def _send(
        self,
        upstream: UpstreamRuntime,
        method: str,
        url: URL,
        headers: list[tuple[str, str]],
        data: bytes | None,
        retries: int,
    ) -> aiohttp.ClientResponse:
        attempt = 0
        while True:
            try:
                response = await upstream.session.request(
                    method,
                    url,
                    headers=headers,
                    data=data,
                    timeout=upstream.timeout,
                    allow_redirects=False,
                )
            except (aiohttp.ServerTimeoutError, TimeoutError) as exc:
                upstream.breaker.record_failure()
                raise _timed_out(upstream.name) from exc
            except (aiohttp.ClientConnectorError, aiohttp.ServerDisconnectedError) as exc:
                if attempt < retries:
                    attempt += 1
                    logger.info("retrying %s %s after %s", method, url.path, exc.__class__.__name__)
                    continue
                upstream.breaker.record_failure()
                # A service that is down or restarting: 503 with Retry-After, so clients retry.
                if isinstance(exc, aiohttp.ClientConnectorError):
                    # Never connected, so never forwarded: callers may rely on that.
                    raise ProxyFailure(
                        503,
                        "upstream-unreachable",
                        f"The {upstream.name} service cannot be reached.",
                        RETRY_SOON,
                    ) from exc
                raise _disconnected(upstream.name) from exc
            except aiohttp.ClientError as exc:
                upstream.breaker.record_failure()
                raise _failed(upstream.name, exc) from exc
            upstream.breaker.record_success()
            return response

    async def _relay(
        self,
        response: aiohttp.ClientResponse,
        send: Send,
        request_id: bytes,
        extra_headers: list[tuple[bytes, bytes]],
        upstream: UpstreamRuntime,
    ) -> int:
        out_headers = client_response_headers(response.raw_headers, request_id)
        out_headers.extend(extra_headers)
        length = response.content_length
        if length is not None and length <= BUFFER_LIMIT:
            try:
                payload = await response.read()
            except (aiohttp.ServerTimeoutError, TimeoutError) as exc:
                raise _timed_out(upstream.name) from exc
            except aiohttp.ClientError as exc:
                raise _failed(upstream.name, exc) from exc
            await send(
                {"type": "http.response.start", "status": response.status, "headers": out_headers}
            )
            await send({"type": "http.response.body", "body": payload, "more_body": False})
            return response.status
        await send(
            {"type": "http.response.start", "status": response.status, "headers": out_headers}
        )
        try:
            async for chunk in response.content.iter_chunked(CHUNK_SIZE):
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except (TimeoutError, aiohttp.ClientError) as exc:
            # Headers are gone already: the only honest signal left is a cut connection.
            logger.warning("upstream %s broke off a streamed response: %r", upstream.name, exc)
            response.close()
            raise
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return response.status


def _target(base_url: str, scope: Scope) -> URL:
    raw_path: bytes | None = scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else scope["path"]
    if "?" in path:  # some servers put the query into raw_path
        path = path.split("?", 1)[0]
    query: bytes = scope.get("query_string", b"")
    target = base_url + path
    if query:
        target += "?" + query.decode("latin-1")
    return URL(target, encoded=True)
