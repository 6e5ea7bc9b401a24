"""Rate limiting at the edge: per account, address and service client, in memory and Redis."""

from __future__ import annotations

import asyncio
import os
import uuid

import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from emporium.servicekit.testing import TokenFactory

from .conftest import StartGateway
from .servers import ServerProcess

pytestmark = pytest.mark.slow


REDIS_URL = os.environ.get("EMPORIUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


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
