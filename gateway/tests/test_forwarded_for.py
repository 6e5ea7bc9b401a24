"""A client cannot choose the address the services see: the gateway replaces X-Forwarded-For."""

from __future__ import annotations

import httpx
import pytest

from .conftest import StartGateway

pytestmark = pytest.mark.slow


async def test_a_forged_forwarded_for_from_an_untrusted_client_is_replaced(
    start_gateway: StartGateway,
) -> None:
    # Trusting no proxy is the gateway's view of every client behind a container bridge.
    gateway = await start_gateway("gateway-no-proxies", FORWARDED_ALLOW_IPS="")
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        for forged in ("198.51.100.23", "198.51.100.23, 10.0.0.9", "not-an-address"):
            response = await client.get("/catalog/products", headers={"X-Forwarded-For": forged})
            assert response.status_code == 200
            assert response.json()["headers"]["x-forwarded-for"] == "127.0.0.1"


async def test_a_trusted_proxys_client_is_passed_on_alone(client: httpx.AsyncClient) -> None:
    # The default gateway trusts its loopback peer as a proxy (uvicorn's default).
    response = await client.get(
        "/catalog/products", headers={"X-Forwarded-For": "198.51.100.23, 203.0.113.7"}
    )
    assert response.json()["headers"]["x-forwarded-for"] == "203.0.113.7"
