"""Edge authentication, readiness and CORS."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from emporium.servicekit.testing import TokenFactory

from .conftest import StartGateway, start_upstream, upstreams_env
from .servers import ServerProcess

pytestmark = pytest.mark.slow


async def _reached(echo: ServerProcess, rid: str) -> bool:
    async with httpx.AsyncClient() as direct:
        return (await direct.get(f"{echo.url}/__seen", params={"rid": rid})).status_code == 200


async def test_valid_token_passes_to_the_upstream(
    client: httpx.AsyncClient, token_factory: TokenFactory
) -> None:
    token = token_factory.issue(scopes="catalog:write")
    response = await client.get("/catalog/products", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["headers"]["authorization"] == f"Bearer {token}"


@pytest.mark.parametrize("kind", ["expired", "foreign-key", "wrong-audience", "garbage"])
async def test_invalid_token_is_refused_before_any_upstream_call(
    client: httpx.AsyncClient, token_factory: TokenFactory, echo: ServerProcess, kind: str
) -> None:
    tokens: dict[str, Callable[[], str]] = {
        "expired": lambda: token_factory.issue(ttl=-10),
        "foreign-key": lambda: TokenFactory().issue(),
        "wrong-audience": lambda: token_factory.issue(aud="someone-else"),
        "garbage": lambda: "not.a.jwt",
    }
    token = tokens[kind]()
    rid = f"auth-{uuid.uuid4().hex}"
    response = await client.get(
        "/orders", headers={"Authorization": f"Bearer {token}", "X-Request-ID": rid}
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith('Bearer realm="emporium"')
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert not await _reached(echo, rid)


async def test_unreachable_signing_keys_are_a_503_not_a_401(
    start_gateway: StartGateway, token_factory: TokenFactory, echo: ServerProcess
) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: auth's JWKS is out of reach
    keyless = await start_gateway(
        "keyless", GATEWAY_JWKS_URL=f"http://127.0.0.1:{port}/.well-known/jwks.json"
    )
    rid = f"keyless-{uuid.uuid4().hex}"
    async with httpx.AsyncClient(base_url=keyless.url) as client:
        response = await client.get(
            "/orders",
            headers={"Authorization": f"Bearer {token_factory.issue()}", "X-Request-ID": rid},
        )
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1
    assert "signing keys could not be fetched" in response.json()["detail"]
    assert not await _reached(echo, rid)


async def test_requests_without_a_token_pass(
    client: httpx.AsyncClient, echo: ServerProcess
) -> None:
    rid = f"anon-{uuid.uuid4().hex}"
    response = await client.get("/orders", headers={"X-Request-ID": rid})
    assert response.status_code == 200
    assert await _reached(echo, rid)


@asynccontextmanager
async def gateway_with_flagged_orders(
    flag: Path, start_gateway: StartGateway, log_dir: Path, name: str, **env: str
) -> AsyncIterator[tuple[httpx.AsyncClient, ServerProcess]]:
    """A client of a gateway and its orders upstream, which is not ready while `flag` exists
    (auth and catalog are another upstream); everything is stopped at the end of the block."""
    orders = await start_upstream(f"{name}-orders", log_dir, FAKE_NOT_READY_FILE=str(flag))
    other = await start_upstream(f"{name}-other", log_dir)
    gateway = await start_gateway(
        name,
        GATEWAY_UPSTREAMS=upstreams_env(
            {
                "auth": (other.url, ["/auth"]),
                "catalog": (other.url, ["/catalog"]),
                "orders": (orders.url, ["/orders"]),
            }
        ),
        **env,
    )
    try:
        async with httpx.AsyncClient(base_url=gateway.url) as client:
            yield client, orders
    finally:
        await gateway.stop()
        await asyncio.gather(orders.stop(), other.stop())


async def test_readyz_reports_every_upstream(
    start_gateway: StartGateway, log_dir: Path, tmp_path: Path
) -> None:
    flag = tmp_path / "not-ready"
    async with gateway_with_flagged_orders(
        flag,
        start_gateway,
        log_dir,
        "ready",
        GATEWAY_READINESS_CACHE_SECONDS="0",  # each probe sees the change at once
    ) as (client, orders):
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {
            "status": "ready",
            "checks": {"auth": "ok", "catalog": "ok", "orders": "ok"},
        }
        flag.touch()
        not_ready = await client.get("/readyz")
        assert not_ready.status_code == 503
        assert not_ready.headers["content-type"] == "application/problem+json"
        checks = not_ready.json()["checks"]
        assert checks["auth"] == checks["catalog"] == "ok"
        assert checks["orders"] != "ok"
        await orders.stop()
        stopped = await client.get("/readyz")
        assert stopped.status_code == 503
        assert stopped.json()["checks"]["orders"].startswith("error")


async def test_cors_from_settings(start_gateway: StartGateway) -> None:
    gateway = await start_gateway("cors", GATEWAY_CORS_ORIGINS='["https://shop.example"]')
    try:
        async with httpx.AsyncClient(base_url=gateway.url) as client:
            preflight = await client.options(
                "/catalog/products",
                headers={
                    "Origin": "https://shop.example",
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization, content-type",
                },
            )
            assert preflight.status_code == 200
            assert preflight.headers["access-control-allow-origin"] == "https://shop.example"
            assert "POST" in preflight.headers["access-control-allow-methods"]
            simple = await client.get(
                "/catalog/products", headers={"Origin": "https://shop.example"}
            )
            assert simple.headers["access-control-allow-origin"] == "https://shop.example"
            assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()
            foreign = await client.get(
                "/catalog/products", headers={"Origin": "https://evil.example"}
            )
            assert "access-control-allow-origin" not in foreign.headers
    finally:
        await gateway.stop()


async def test_an_upstream_found_down_makes_readiness_check_again(
    start_gateway: StartGateway, log_dir: Path, tmp_path: Path
) -> None:
    # Regression: after a request had found a service down (503), /readyz still answered
    # the cached "ready" from before, for as long as the cache lasted.
    flag = tmp_path / "not-ready"
    async with gateway_with_flagged_orders(
        flag, start_gateway, log_dir, "down", GATEWAY_READINESS_CACHE_SECONDS="300"
    ) as (client, orders):
        assert (await client.get("/readyz")).status_code == 200
        flag.touch()
        await orders.stop()
        assert (await client.get("/orders/1")).status_code == 503
        ready = await client.get("/readyz")
        assert ready.status_code == 503, ready.text
        assert ready.json()["checks"]["orders"] != "ok"
