"""The walking skeleton end to end: every service answers through the gateway."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest

from tests.system import System

pytestmark = pytest.mark.slow


async def test_catalog_answers_through_the_gateway(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/catalog/products", params={"limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert len(body["items"]) == 5
    assert {"id", "sku", "name", "price_cents", "currency"} <= set(body["items"][0])


async def test_auth_answers_through_the_gateway(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/.well-known/jwks.json")
    assert response.status_code == 200
    keys = response.json()["keys"]
    assert keys
    assert all(k["kty"] == "RSA" and k["kid"] for k in keys)


async def test_orders_answers_through_the_gateway(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/orders")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_unknown_path_is_a_problem_404(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get(f"/no-such-thing-{uuid.uuid4().hex}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


async def test_request_id_reaches_the_service(system: System, gateway: httpx.AsyncClient) -> None:
    request_id = f"it-{uuid.uuid4().hex}"
    response = await gateway.get("/catalog/products", headers={"X-Request-ID": request_id})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == request_id
    if system.is_local:
        # The service's access line reaches its log file through a pipe: give it a moment.
        deadline = time.monotonic() + 5.0
        while request_id not in system.log_path("catalog").read_text():
            assert time.monotonic() < deadline, "the request id never reached the catalog's log"
            await asyncio.sleep(0.1)


async def test_gateway_generates_a_request_id(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/catalog/products", params={"limit": 1})
    assert len(response.headers["x-request-id"]) >= 16


async def test_service_metrics_count_requests_by_route(system: System) -> None:
    url = system.service_url("catalog")
    async with httpx.AsyncClient(base_url=url) as client:
        await client.get("/catalog/products", params={"limit": 1})
        text = (await client.get("/metrics")).text
    assert (
        'http_requests_total{method="GET",route="/catalog/products",service="catalog",status="200"}'
        in text
    )
    assert "http_request_duration_seconds_bucket" in text


async def test_readyz_reports_every_upstream(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"auth": "ok", "catalog": "ok", "orders": "ok"}


async def test_readyz_turns_not_ready_when_a_service_stops(
    system: System, gateway: httpx.AsyncClient
) -> None:
    await system.stop_service("catalog")
    try:
        response = await gateway.get("/readyz")
        deadline = time.monotonic() + 5.0  # readiness is cached for a moment (1 s)
        while response.status_code == 200 and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            response = await gateway.get("/readyz")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        checks = response.json()["checks"]
        assert checks["catalog"] != "ok"
        assert checks["auth"] == "ok"
        assert checks["orders"] == "ok"
    finally:
        await system.start_service("catalog")
    deadline = time.monotonic() + 5.0
    while (await gateway.get("/readyz")).status_code != 200:
        assert time.monotonic() < deadline, "the gateway did not become ready again"
        await asyncio.sleep(0.2)
