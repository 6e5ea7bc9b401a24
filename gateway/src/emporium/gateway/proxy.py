"""Forward one request to an upstream over the shared aiohttp session, streaming both ways."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
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
BUFFER_LIMIT = 64 * 1024  # bodies up to this size are read whole (and may be retried)
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
    """An upstream with its timeouts and circuit breaker."""

    def __init__(self, upstream: Upstream, settings: GatewaySettings) -> None:
        self.config = upstream
        self.name = upstream.name
        self.base_url = upstream.url
        self.timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=upstream.connect_timeout_seconds or settings.connect_timeout_seconds,
            sock_read=upstream.read_timeout_seconds or settings.read_timeout_seconds,
        )
        self.breaker = CircuitBreaker(
            failure_threshold=settings.breaker_failure_threshold,
            open_seconds=settings.breaker_open_seconds,
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


class _BodyStream:
    """The client's body as an async iterator, enforcing the size limit as it flows."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self._receive = receive
        self._limit = self.limit = limit
        self.too_large = False
        self.disconnected = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        size = 0
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                self.disconnected = True
                raise ClientGone
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self._limit:
                self.too_large = True
                raise too_large(self._limit)
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return


async def _read_body(receive: Receive, limit: int) -> bytes:
    parts = [chunk async for chunk in _BodyStream(receive, limit)]
    return b"".join(parts)


def too_large(limit: int) -> ProxyFailure:
    """The 413 failure for a body over `limit` bytes."""
    return ProxyFailure(413, "payload-too-large", f"The request body is larger than {limit} bytes.")


class Proxy:
    """Sends requests upstream through one pooled session."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        max_body_bytes: int,
        tracing: EdgeTracer | None = None,
    ) -> None:
        self.session = session
        self.max_body_bytes = max_body_bytes
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
        if body.content_length is not None and body.content_length > self.max_body_bytes:
            raise too_large(self.max_body_bytes)
        wait = upstream.breaker.retry_after()
        if wait is not None:
            raise ProxyFailure(
                503,
                "upstream-unavailable",
                f"The {upstream.name} service is failing; the gateway stopped calling it briefly.",
                {"Retry-After": str(max(1, round(wait)))},
            )
        stream: _BodyStream | None = None
        data: bytes | _BodyStream | None = None
        if body.present:
            if body.content_length is not None and body.content_length <= BUFFER_LIMIT:
                data = await _read_body(receive, self.max_body_bytes)
            else:
                data = stream = _BodyStream(receive, self.max_body_bytes)
        retries = 1 if method in IDEMPOTENT_METHODS and stream is None else 0
        url = _target(upstream.base_url, scope)
        with self.tracing.call(upstream.name, url, method, headers) as call:
            response = await self._send(upstream, method, url, call.headers, data, stream, retries)
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
        data: bytes | _BodyStream | None,
        stream: _BodyStream | None,
        retries: int,
    ) -> aiohttp.ClientResponse:
        attempt = 0
        while True:
            try:
                response = await self.session.request(
                    method,
                    url,
                    headers=headers,
                    data=data,
                    timeout=upstream.timeout,
                    allow_redirects=False,
                )
            except (aiohttp.ServerTimeoutError, TimeoutError) as exc:
                upstream.breaker.record_failure()
                raise ProxyFailure(
                    504, "upstream-timeout", f"The {upstream.name} service did not answer in time."
                ) from exc
            except (aiohttp.ClientConnectorError, aiohttp.ServerDisconnectedError) as exc:
                if stream is not None:
                    _raise_for_stream(stream, exc)
                if attempt < retries:
                    attempt += 1
                    logger.info("retrying %s %s after %s", method, url.path, exc.__class__.__name__)
                    continue
                upstream.breaker.record_failure()
                if isinstance(exc, aiohttp.ClientConnectorError):
                    # Never connected, so never forwarded: callers may rely on that.
                    raise ProxyFailure(
                        502,
                        "upstream-unreachable",
                        f"The {upstream.name} service cannot be reached.",
                    ) from exc
                raise ProxyFailure(
                    502, "bad-gateway", f"The {upstream.name} service closed the connection."
                ) from exc
            except aiohttp.ClientError as exc:
                if stream is not None:
                    _raise_for_stream(stream, exc)
                upstream.breaker.record_failure()
                raise ProxyFailure(
                    502, "bad-gateway", f"The {upstream.name} service sent an invalid response."
                ) from exc
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
                raise ProxyFailure(
                    504, "upstream-timeout", f"The {upstream.name} service did not answer in time."
                ) from exc
            except aiohttp.ClientError as exc:
                raise ProxyFailure(
                    502, "bad-gateway", f"The {upstream.name} service sent an invalid response."
                ) from exc
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


def _raise_for_stream(stream: _BodyStream, exc: BaseException) -> None:
    if stream.too_large:
        raise too_large(stream.limit) from exc
    if stream.disconnected:
        raise ClientGone from exc


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
