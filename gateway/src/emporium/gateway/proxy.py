"""Forward one request to an upstream: read the body whole, then stream the answer back."""

from __future__ import annotations

import logging

import aiohttp
from starlette.types import Receive, Scope, Send
from yarl import URL

from emporium.gateway.body import BodyLimits, RequestBody, too_large
from emporium.gateway.failures import circuit_open, disconnected, failed, timed_out, unreachable
from emporium.gateway.headers import client_response_headers
from emporium.gateway.tracing import EdgeTracer
from emporium.gateway.upstream import UpstreamRuntime
from emporium.servicekit.resilience import RetryPolicy

logger = logging.getLogger("emporium.gateway.proxy")

# A connection refused, or a keep-alive socket the upstream closed, is tried once more at
# once on a fresh connection: the request never reached the service.
RETRY = RetryPolicy(retries=1, backoff_seconds=0.0)
BUFFER_LIMIT = 64 * 1024  # answers up to this size are read whole before relaying
CHUNK_SIZE = 64 * 1024


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
        if not upstream.breaker.allow():
            raise circuit_open(upstream.name, upstream.breaker.retry_after())
        try:
            # The body is read whole before an upstream connection is taken, so a client that
            # dawdles holds only its own connection, never one of the upstream's pool.
            data = await self.limits.read(receive) if body.present else None
            url = _target(upstream.base_url, scope)
            with self.tracing.call(upstream.name, url, method, headers) as call:
                response = await self._send(upstream, method, url, call.headers, data)
                call.answered(response.status)
        except BaseException:
            upstream.breaker.release_trial()  # no-op unless this was the half-open trial
            raise
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
    ) -> aiohttp.ClientResponse:
        retry_allowed = RETRY.applies(method)
        attempt = 0
        while True:
            attempt += 1
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
                raise timed_out(upstream.name) from exc
            except (aiohttp.ClientConnectorError, aiohttp.ServerDisconnectedError) as exc:
                if retry_allowed and RETRY.delay(attempt) is not None:
                    logger.info("retrying %s %s after %s", method, url.path, exc.__class__.__name__)
                    continue
                upstream.breaker.record_failure()
                # A service that is down or restarting: 503 with Retry-After, so clients retry.
                if isinstance(exc, aiohttp.ClientConnectorError):
                    # Never connected, so never forwarded: callers may rely on that.
                    raise unreachable(upstream.name) from exc
                raise disconnected(upstream.name) from exc
            except aiohttp.ClientError as exc:
                upstream.breaker.record_failure()
                raise failed(upstream.name, exc) from exc
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
                raise timed_out(upstream.name) from exc
            except aiohttp.ClientError as exc:
                raise failed(upstream.name, exc) from exc
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
