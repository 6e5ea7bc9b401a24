"""Request ids, metrics and probes."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import SecretStr

from emporium.servicekit.app import create_app
from emporium.servicekit.logs import configure_logging
from emporium.servicekit.testing import app_client

from .conftest import DemoSettings, demo_router


async def test_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


async def test_request_id_is_generated_when_missing_or_malformed(client: httpx.AsyncClient) -> None:
    generated = (await client.get("/healthz")).headers["x-request-id"]
    assert len(generated) == 32
    replaced = (await client.get("/healthz", headers={"X-Request-ID": "bad id\x7f"})).headers[
        "x-request-id"
    ]
    assert replaced != "bad id\x7f"
    assert len(replaced) == 32


async def test_problem_carries_the_request_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/nowhere", headers={"X-Request-ID": "rid-404"})
    assert response.json()["request_id"] == "rid-404"


async def test_metrics_count_by_route_template(client: httpx.AsyncClient) -> None:
    await client.get("/demo/notes/some-note")
    text = (await client.get("/metrics")).text
    assert 'route="/demo/notes/{body}"' in text
    assert 'status="404"' in text


async def test_readyz_ok_with_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok"}}


async def test_readyz_not_ready_without_database() -> None:
    settings = DemoSettings(
        database_url="postgresql://postgres@127.0.0.1:1/nowhere", db_connect_timeout_seconds=0.5
    )
    app: FastAPI = create_app(settings)
    async with app_client(app) as client:
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["checks"]["database"] != "ok"
        assert (await client.get("/healthz")).status_code == 200


async def test_unreachable_database_is_a_503_problem(demo_database_url: str) -> None:
    from .conftest import demo_router

    settings = DemoSettings(
        database_url="postgresql://postgres@127.0.0.1:1/nowhere", db_connect_timeout_seconds=0.5
    )
    async with app_client(create_app(settings, routers=[demo_router()])) as client:
        response = await client.get("/demo/notes/x")
    assert response.status_code == 503
    assert response.headers["retry-after"]


async def test_a_statement_over_its_time_limit_is_a_503_problem(demo_database_url: str) -> None:
    settings = DemoSettings(database_url=demo_database_url, db_statement_timeout_ms=200)
    async with app_client(create_app(settings, routers=[demo_router()])) as client:
        response = await client.get("/demo/slow", params={"seconds": 3})
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("dependency-timeout")
        assert response.headers["retry-after"]
        assert (await client.get("/demo/slow", params={"seconds": 0})).status_code == 200


async def test_a_dependency_timeout_is_a_503_problem_not_a_500() -> None:
    router = APIRouter()

    @router.get("/stuck")
    async def stuck() -> None:
        await asyncio.wait_for(asyncio.Event().wait(), 0.01)

    settings = DemoSettings(database_url="postgresql://postgres@127.0.0.1:1/unused")
    async with app_client(create_app(settings, routers=[router])) as client:
        response = await client.get("/stuck")
    assert response.status_code == 503
    assert response.json()["type"].endswith("dependency-timeout")


async def test_access_log_is_one_json_line_with_the_request_id(
    demo_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(DemoSettings(database_url=demo_database_url), routers=[demo_router()])
    async with app_client(app) as client:
        capsys.readouterr()
        await client.get("/demo/notes/absent", headers={"X-Request-ID": "rid-log-1"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    access = [line for line in lines if line["logger"] == "emporium.access"]
    assert len(access) == 1
    entry = access[0]
    assert entry["request_id"] == "rid-log-1"
    assert entry["service"] == "demo"
    assert entry["route"] == "/demo/notes/{body}"
    assert entry["status"] == 404
    logged_at = datetime.fromisoformat(entry["ts"])
    assert logged_at.tzinfo is not None
    assert abs((datetime.now(UTC) - logged_at).total_seconds()) < 60


def test_outgoing_calls_are_not_logged_one_line_each() -> None:
    configure_logging("test-service", json_lines=True)
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert logging.getLogger("emporium.access").isEnabledFor(logging.INFO)


async def test_metrics_with_a_scrape_token_answer_only_that_scraper(
    demo_database_url: str,
) -> None:
    settings = DemoSettings(
        database_url=demo_database_url, log_json=False, metrics_token=SecretStr("s3cret")
    )
    async with app_client(create_app(settings)) as client:
        assert (await client.get("/metrics")).status_code == 404
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 404
        right = await client.get("/metrics", headers={"Authorization": "Bearer s3cret"})
        assert right.status_code == 200
        assert "http_requests_total" in right.text


async def test_metrics_off_the_public_edge_without_a_token(demo_database_url: str) -> None:
    settings = DemoSettings(database_url=demo_database_url, log_json=False, metrics_public=False)
    async with app_client(create_app(settings)) as client:
        assert (await client.get("/metrics")).status_code == 404
    open_settings = DemoSettings(database_url=demo_database_url, log_json=False)
    async with app_client(create_app(open_settings)) as client:
        assert (await client.get("/metrics")).status_code == 200
