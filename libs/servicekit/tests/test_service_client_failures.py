"""The service client's retries, timeouts, delivery and circuit breaker, against a real
upstream served by uvicorn and against closed ports."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from emporium.servicekit.client_credentials import ClientCredentials
from emporium.servicekit.errors import (
    ServiceUnavailable,
)
from emporium.servicekit.resilience import CircuitBreaker, RetryPolicy
from emporium.servicekit.service_client import CircuitOpen, NotDelivered, ServiceClient

from .service_upstream import Upstream, closed_url, make


async def test_idempotent_calls_retry_on_503_and_posts_do_not(
    http: httpx.AsyncClient, upstream: Upstream, upstream_url: str
) -> None:
    client = make(http, upstream_url, retry=RetryPolicy(retries=2))
    upstream.calls["flaky"] = 0
    upstream.flaky_failures = 2
    assert (await client.get("/thing/flaky")).status_code == 200
    assert upstream.calls["flaky"] == 3

    upstream.calls["flaky"] = 0
    with pytest.raises(ServiceUnavailable) as raised:
        await client.post("/thing/flaky")
    assert upstream.calls["flaky"] == 1
    assert raised.value.headers["Retry-After"]

    upstream.calls["flaky"] = 0
    assert (await client.post("/thing/flaky", idempotent=True)).status_code == 200


async def test_timeout_bounds_the_whole_call(http: httpx.AsyncClient, upstream_url: str) -> None:
    client = make(http, upstream_url, timeout=0.3)
    await client.get("/thing/ok")  # token cached
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable) as raised:
        await client.get("/thing/slow")
    assert time.monotonic() - started < 0.6
    assert raised.value.status_code == 503
    assert raised.value.headers["Retry-After"] == "1"


async def test_unreachable_upstream_is_503(http: httpx.AsyncClient) -> None:
    client = ServiceClient("thing", http, closed_url(), retry=RetryPolicy(retries=1))
    with pytest.raises(ServiceUnavailable) as raised:
        await client.get("/anything")
    assert "cannot be reached" in raised.value.detail


async def test_failures_say_whether_the_request_may_have_reached_the_upstream(
    http: httpx.AsyncClient, upstream: Upstream, upstream_url: str
) -> None:
    # Never sent (nothing listens, or no token could be had): the upstream did nothing.
    with pytest.raises(NotDelivered):
        await ServiceClient("thing", http, closed_url(), retry=RetryPolicy(retries=1)).post(
            "/x", idempotent=True
        )
    no_token = ClientCredentials(http, f"{closed_url()}/auth/token", "svc", "pw")
    with pytest.raises(NotDelivered):
        await ServiceClient("thing", http, upstream_url, credentials=no_token).post("/thing/ok")
    # Sent: a timeout or a 503 answer may follow work the upstream did.
    client = make(http, upstream_url, timeout=0.3)
    with pytest.raises(ServiceUnavailable) as slow:
        await client.post("/thing/slow", idempotent=True)
    assert not isinstance(slow.value, NotDelivered)
    upstream.calls["flaky"] = 0
    upstream.flaky_failures = 5
    with pytest.raises(ServiceUnavailable) as busy:
        await client.post("/thing/flaky", idempotent=True)
    assert not isinstance(busy.value, NotDelivered)

    # The gateway says it did not forward the request (no connection, or circuit open).
    for slug in ("upstream-unreachable", "upstream-unavailable"):
        upstream.calls[f"gateway-{slug}"] = 0
        with pytest.raises(NotDelivered):
            await client.post(f"/thing/gateway-{slug}", idempotent=True)

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")  # the request arrived, then the line drops
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        rude = ServiceClient(
            "thing", http, f"http://127.0.0.1:{port}", retry=RetryPolicy(retries=0)
        )
        with pytest.raises(ServiceUnavailable) as dropped:
            await rude.post("/x", idempotent=True)
    assert not isinstance(dropped.value, NotDelivered)


async def test_circuit_opens_fails_fast_and_closes_after_a_good_trial(
    http: httpx.AsyncClient, upstream: Upstream, upstream_url: str
) -> None:
    url = closed_url()
    breaker = CircuitBreaker(failure_threshold=2, open_seconds=0.3)
    dead = ServiceClient("thing", http, url, retry=RetryPolicy(retries=0), breaker=breaker)
    for _ in range(2):
        with pytest.raises(ServiceUnavailable):
            await dead.get("/x")
    assert breaker.state == "open"
    with pytest.raises(CircuitOpen) as raised:
        await dead.get("/x")
    assert raised.value.headers["Retry-After"] == "1"

    await asyncio.sleep(0.35)
    alive = make(http, upstream_url, breaker=breaker)
    assert breaker.state == "half-open"
    assert (await alive.get("/thing/ok")).status_code == 200
    assert breaker.state == "closed"
