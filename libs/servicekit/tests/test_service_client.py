"""The service client's tokens, answers and propagation, against a real upstream (uvicorn)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from emporium.servicekit.client_credentials import ClientCredentials
from emporium.servicekit.context import set_request_context
from emporium.servicekit.errors import (
    BadGateway,
    Conflict,
    InvalidInput,
    NotFound,
)
from emporium.servicekit.service_client import ServiceClient

from .service_upstream import Upstream, make


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
