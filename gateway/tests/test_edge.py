"""Edge authentication, rate limiting (memory and Redis), readiness and CORS."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from emporium.servicekit.testing import TokenFactory

from .conftest import StartGateway, start_upstream, upstreams_env
from .servers import ServerProcess

pytestmark = pytest.mark.slow

REDIS_URL = os.environ.get("EMPORIUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


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


@pytest.fixture(scope="module")
async def limited(start_gateway: StartGateway) -> ServerProcess:
    """A gateway with small in-memory buckets."""
    return await start_gateway(
        "limited",
        GATEWAY_ANONYMOUS_RATE_LIMIT_PER_SECOND="0.5",
        GATEWAY_ANONYMOUS_RATE_LIMIT_BURST="4",
        GATEWAY_CUSTOMER_RATE_LIMIT_PER_SECOND="0.5",
        GATEWAY_CUSTOMER_RATE_LIMIT_BURST="5",
        GATEWAY_CUSTOMER_ADDRESS_RATE_LIMIT_PER_SECOND="0.5",
        GATEWAY_CUSTOMER_ADDRESS_RATE_LIMIT_BURST="8",
        GATEWAY_SERVICE_RATE_LIMIT_PER_SECOND="0.5",
        GATEWAY_SERVICE_RATE_LIMIT_BURST="30",
        GATEWAY_TOKEN_RATE_LIMIT_PER_SECOND="0.2",
        GATEWAY_TOKEN_RATE_LIMIT_BURST="2",
    )


def _from(gateway: ServerProcess, address: str) -> httpx.AsyncClient:
    """A client whose requests come from `address` (any 127.0.0.0/8 address is local)."""
    transport = httpx.AsyncHTTPTransport(local_address=address)
    return httpx.AsyncClient(base_url=gateway.url, transport=transport)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _burst(client: httpx.AsyncClient, n: int, **kwargs: object) -> list[httpx.Response]:
    return [await client.request(**kwargs) for _ in range(n)]  # type: ignore[arg-type]


def _assert_limited(response: httpx.Response, limit: int) -> None:
    assert response.status_code == 429
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1
    assert response.headers["ratelimit-limit"] == str(limit)
    assert response.headers["ratelimit-remaining"] == "0"
    assert int(response.headers["ratelimit-reset"]) >= 1


async def test_memory_bucket_per_customer_account_then_429(
    limited: ServerProcess, token_factory: TokenFactory
) -> None:
    alice = _bearer(token_factory.issue())
    bob = _bearer(token_factory.issue())
    async with _from(limited, "127.0.0.11") as client:
        ok = await _burst(client, 5, method="GET", url="/catalog/products", headers=alice)
        assert [r.status_code for r in ok] == [200] * 5
        assert [r.headers["ratelimit-remaining"] for r in ok] == ["4", "3", "2", "1", "0"]
        _assert_limited(await client.get("/catalog/products", headers=alice), 5)
        # Bob has his own bucket.
        assert (await client.get("/catalog/products", headers=bob)).status_code == 200


async def test_customers_behind_one_address_share_its_bucket(
    limited: ServerProcess, token_factory: TokenFactory
) -> None:
    accounts = [_bearer(token_factory.issue()) for _ in range(3)]
    async with _from(limited, "127.0.0.12") as shared, _from(limited, "127.0.0.13") as other:
        codes = [
            (await shared.get("/catalog/products", headers=accounts[i % 3])).status_code
            for i in range(8)
        ]
        assert codes == [200] * 8  # no account used up its own 5
        _assert_limited(await shared.get("/catalog/products", headers=accounts[0]), 8)
        # The same account from another address still has tokens left in its own bucket.
        assert (await other.get("/catalog/products", headers=accounts[0])).status_code == 200


async def test_service_clients_have_their_own_larger_bucket(
    limited: ServerProcess, token_factory: TokenFactory
) -> None:
    customer = _bearer(token_factory.issue())
    service = _bearer(token_factory.issue("orders", "catalog:reserve", client_id="orders"))
    async with _from(limited, "127.0.0.14") as client:
        customer_codes = [
            (await client.get("/catalog/products", headers=customer)).status_code for _ in range(6)
        ]
        assert customer_codes == [200] * 5 + [429]
        anonymous_codes = [(await client.get("/catalog/products")).status_code for _ in range(5)]
        assert anonymous_codes == [200] * 4 + [429]
        # Customers and anonymous callers at the same address are refused; the service
        # client is not, well past every other policy's burst.
        service_codes = [
            (await client.post("/catalog/reservations", headers=service)).status_code
            for _ in range(30)
        ]
        assert service_codes == [200] * 30
        _assert_limited(await client.post("/catalog/reservations", headers=service), 30)


async def test_anonymous_bucket_per_address(limited: ServerProcess) -> None:
    async with _from(limited, "127.0.0.15") as one, _from(limited, "127.0.0.16") as two:
        codes = [(await one.get("/catalog/products")).status_code for _ in range(4)]
        assert codes == [200] * 4
        _assert_limited(await one.get("/catalog/products"), 4)
        assert (await two.get("/catalog/products")).status_code == 200


async def test_token_endpoint_has_a_stricter_bucket(limited: ServerProcess) -> None:
    async with _from(limited, "127.0.0.17") as client:
        codes = [
            (await client.post("/auth/token", data={"grant_type": "password"})).status_code
            for _ in range(2)
        ]
        assert codes == [200, 200]
        _assert_limited(await client.post("/auth/token", data={"grant_type": "password"}), 2)


@pytest.fixture(scope="module")
async def redis_url() -> str:
    """The local Redis, or a skip saying why there is none."""
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        pytest.skip(f"no Redis reachable at {REDIS_URL}: {exc}")
    finally:
        await client.aclose()
    return REDIS_URL


async def test_redis_buckets_are_shared_by_every_replica(
    start_gateway: StartGateway, redis_url: str
) -> None:
    env = {
        "GATEWAY_REDIS_URL": redis_url,
        "GATEWAY_REDIS_KEY_PREFIX": f"test:{uuid.uuid4().hex}:",
        "GATEWAY_ANONYMOUS_RATE_LIMIT_PER_SECOND": "0.5",
        "GATEWAY_ANONYMOUS_RATE_LIMIT_BURST": "6",
    }
    one, two = await asyncio.gather(
        start_gateway("redis-a", **env), start_gateway("redis-b", **env)
    )
    async with httpx.AsyncClient() as client:
        codes = []
        for i in range(6):
            gateway = one if i % 2 == 0 else two
            codes.append((await client.get(f"{gateway.url}/catalog/products")).status_code)
        assert codes == [200] * 6
        _assert_limited(await client.get(f"{one.url}/catalog/products"), 6)
        _assert_limited(await client.get(f"{two.url}/catalog/products"), 6)
    await asyncio.gather(one.stop(), two.stop())


async def test_readyz_reports_every_upstream(
    start_gateway: StartGateway, log_dir: Path, tmp_path: Path
) -> None:
    flag = tmp_path / "not-ready"
    orders = await start_upstream("ready-orders", log_dir, FAKE_NOT_READY_FILE=str(flag))
    other = await start_upstream("ready-other", log_dir)
    gateway = await start_gateway(
        "ready",
        GATEWAY_READINESS_CACHE_SECONDS="0",  # each probe sees the change at once
        GATEWAY_UPSTREAMS=upstreams_env(
            {
                "auth": (other.url, ["/auth"]),
                "catalog": (other.url, ["/catalog"]),
                "orders": (orders.url, ["/orders"]),
            }
        ),
    )
    try:
        async with httpx.AsyncClient(base_url=gateway.url) as client:
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
    finally:
        await gateway.stop()
        await asyncio.gather(orders.stop(), other.stop())


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
    orders = await start_upstream("down-orders", log_dir, FAKE_NOT_READY_FILE=str(flag))
    other = await start_upstream("down-other", log_dir)
    gateway = await start_gateway(
        "down",
        GATEWAY_READINESS_CACHE_SECONDS="300",
        GATEWAY_UPSTREAMS=upstreams_env(
            {
                "auth": (other.url, ["/auth"]),
                "catalog": (other.url, ["/catalog"]),
                "orders": (orders.url, ["/orders"]),
            }
        ),
    )
    try:
        async with httpx.AsyncClient(base_url=gateway.url) as client:
            assert (await client.get("/readyz")).status_code == 200
            flag.touch()
            await orders.stop()
            assert (await client.get("/orders/1")).status_code == 503
            ready = await client.get("/readyz")
            assert ready.status_code == 503, ready.text
            assert ready.json()["checks"]["orders"] != "ok"
    finally:
        await gateway.stop()
        await asyncio.gather(orders.stop(), other.stop())
