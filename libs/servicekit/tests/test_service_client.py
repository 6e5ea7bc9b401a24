"""The service HTTP client against a real upstream served by uvicorn on a free port."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from emporium.servicekit.app import make_http_client
from emporium.servicekit.client_credentials import ClientCredentials
from emporium.servicekit.context import set_request_context
from emporium.servicekit.errors import (
    BadGateway,
    Conflict,
    InvalidInput,
    NotFound,
    ServiceUnavailable,
)
from emporium.servicekit.service_client import (
    CircuitBreaker,
    CircuitOpen,
    NotDelivered,
    ServiceClient,
)
from emporium.servicekit.settings import ServiceSettings


@dataclass
class Upstream:
    """A scriptable upstream: token endpoint plus a few behaviours, counting calls."""

    token_fetches: int = 0
    valid_tokens: set[str] = field(default_factory=set)
    calls: dict[str, int] = field(default_factory=dict)
    headers: list[dict[str, str]] = field(default_factory=list)
    flaky_failures: int = 0

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/auth/token")
        async def token(request: Request) -> JSONResponse:
            self.token_fetches += 1
            await asyncio.sleep(0.05)  # slow enough for concurrent callers to overlap
            if request.headers.get("authorization") != httpx.BasicAuth("svc", "pw")._auth_header:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            value = f"token-{self.token_fetches}"
            self.valid_tokens.add(value)
            return JSONResponse({"access_token": value, "token_type": "Bearer", "expires_in": 60})

        @app.api_route("/thing/{behaviour}", methods=["GET", "POST"])
        async def thing(behaviour: str, request: Request) -> JSONResponse:
            self.calls[behaviour] = self.calls.get(behaviour, 0) + 1
            self.headers.append(dict(request.headers))
            if (
                request.headers.get("authorization", "").removeprefix("Bearer ")
                not in self.valid_tokens
            ):
                return JSONResponse({"detail": "bad token"}, status_code=401)
            if behaviour == "flaky" and self.calls[behaviour] <= self.flaky_failures:
                return JSONResponse({"detail": "busy"}, status_code=503)
            if behaviour.startswith("gateway-"):
                return JSONResponse(
                    {"type": f"urn:emporium:problem:{behaviour.removeprefix('gateway-')}",
                     "status": 502, "detail": "not forwarded"},
                    status_code=502,
                    media_type="application/problem+json",
                )  # fmt: skip
            if behaviour == "slow":
                await asyncio.sleep(2)
            if behaviour.isdigit():
                return JSONResponse(
                    {
                        "type": f"urn:emporium:problem:thing-{behaviour}",
                        "status": int(behaviour),
                        "detail": f"said {behaviour}",
                        "hint": 7,
                    },
                    status_code=int(behaviour),
                )
            return JSONResponse({"ok": True})

        return app


@pytest.fixture(scope="module")
def upstream() -> Upstream:
    return Upstream()


@pytest.fixture(scope="module")
async def upstream_url(upstream: Upstream) -> AsyncIterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(upstream.app(), log_config=None, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:  # noqa: ASYNC110 - a flag set by uvicorn's own thread
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    await asyncio.to_thread(thread.join, 10)
    sock.close()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with make_http_client(ServiceSettings()) as client:
        yield client


def make(http: httpx.AsyncClient, url: str, **kwargs: Any) -> ServiceClient:
    credentials = ClientCredentials(http, f"{url}/auth/token", "svc", "pw")
    return ServiceClient("thing", http, url, credentials=credentials, **kwargs)


def closed_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


async def test_token_is_fetched_once_for_concurrent_calls(
    http: httpx.AsyncClient, upstream: Upstream, upstream_url: str
) -> None:
    client = make(http, upstream_url)
    before = upstream.token_fetches
    responses = await asyncio.gather(*(client.get("/thing/ok") for _ in range(20)))
    assert all(r.json() == {"ok": True} for r in responses)
    assert upstream.token_fetches == before + 1


async def test_token_is_refetched_shortly_before_expiry(
    http: httpx.AsyncClient, upstream_url: str
) -> None:
    now = [1000.0]
    credentials = ClientCredentials(
        http, f"{upstream_url}/auth/token", "svc", "pw", clock=lambda: now[0]
    )
    first = await credentials.token()
    now[0] += 25  # expires_in 60, refreshed 30 s early
    assert await credentials.token() == first
    now[0] += 10
    assert await credentials.token() != first
    assert credentials.fetches == 2


async def test_fresh_gives_the_cached_token_only_while_it_is_fresh(
    http: httpx.AsyncClient, upstream_url: str
) -> None:
    now = [1000.0]
    credentials = ClientCredentials(
        http, f"{upstream_url}/auth/token", "svc", "pw", clock=lambda: now[0]
    )
    assert credentials.fresh() is None  # nothing fetched yet: a call must fetch
    token = await credentials.token()
    assert credentials.fresh() == token
    now[0] += 35  # expires_in 60, refreshed 30 s early
    assert credentials.fresh() is None
    credentials_calls = credentials.fetches
    assert await credentials.token() != token
    assert credentials.fetches == credentials_calls + 1


async def test_rejected_token_is_refreshed_once(
    http: httpx.AsyncClient, upstream: Upstream, upstream_url: str
) -> None:
    client = make(http, upstream_url)
    await client.get("/thing/ok")
    upstream.valid_tokens.clear()
    response = await client.get("/thing/ok")
    assert response.status_code == 200
    assert client.credentials is not None
    assert client.credentials.fetches == 2


async def test_refused_client_credentials_are_502(
    http: httpx.AsyncClient, upstream_url: str
) -> None:
    credentials = ClientCredentials(http, f"{upstream_url}/auth/token", "svc", "wrong")
    client = ServiceClient("thing", http, upstream_url, credentials=credentials)
    with pytest.raises(BadGateway):
        await client.get("/thing/ok")


async def test_idempotent_calls_retry_on_503_and_posts_do_not(
    http: httpx.AsyncClient, upstream: Upstream, upstream_url: str
) -> None:
    client = make(http, upstream_url, retries=2)
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
    client = ServiceClient("thing", http, closed_url(), retries=1)
    with pytest.raises(ServiceUnavailable) as raised:
        await client.get("/anything")
    assert "cannot be reached" in raised.value.detail


async def test_failures_say_whether_the_request_may_have_reached_the_upstream(
    http: httpx.AsyncClient, upstream: Upstream, upstream_url: str
) -> None:
    # Never sent (nothing listens, or no token could be had): the upstream did nothing.
    with pytest.raises(NotDelivered):
        await ServiceClient("thing", http, closed_url(), retries=1).post("/x", idempotent=True)
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
        rude = ServiceClient("thing", http, f"http://127.0.0.1:{port}", retries=0)
        with pytest.raises(ServiceUnavailable) as dropped:
            await rude.post("/x", idempotent=True)
    assert not isinstance(dropped.value, NotDelivered)


async def test_circuit_opens_fails_fast_and_closes_after_a_good_trial(
    http: httpx.AsyncClient, upstream: Upstream, upstream_url: str
) -> None:
    url = closed_url()
    breaker = CircuitBreaker(failure_threshold=2, reset_seconds=0.3)
    dead = ServiceClient("thing", http, url, retries=0, breaker=breaker)
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


@pytest.mark.parametrize(
    ("status", "error"), [(404, NotFound), (409, Conflict), (422, InvalidInput), (403, BadGateway)]
)
async def test_upstream_problems_become_domain_errors(
    http: httpx.AsyncClient, upstream_url: str, status: int, error: type[Exception]
) -> None:
    client = make(http, upstream_url)
    with pytest.raises(error) as raised:
        await client.post(f"/thing/{status}")
    if status != 403:
        assert raised.value.detail == f"said {status}"  # type: ignore[attr-defined]
        assert raised.value.extra == {"hint": 7}  # type: ignore[attr-defined]
        # The upstream's own problem type is passed on, not a generic one for the status.
        assert raised.value.problem_slug == f"thing-{status}"  # type: ignore[attr-defined]
    else:  # our credentials were refused: our problem, with our type
        assert raised.value.problem_slug == "bad-gateway"  # type: ignore[attr-defined]
    assert client.breaker.state == "closed"


async def test_request_id_and_trace_are_propagated(
    http: httpx.AsyncClient, upstream: Upstream, upstream_url: str
) -> None:
    client = make(http, upstream_url)
    traceparent = f"00-{'a' * 32}-{'b' * 16}-01"
    set_request_context("req-123", traceparent)
    await client.get("/thing/ok")
    assert upstream.headers[-1]["x-request-id"] == "req-123"
    assert upstream.headers[-1]["traceparent"] == traceparent
