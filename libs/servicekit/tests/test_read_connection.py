"""ReadConnectionDep: the driver connection of a pooled one, errors answered as the session's."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from emporium.servicekit import read_connection
from emporium.servicekit.app import create_app
from emporium.servicekit.settings import to_async_url
from emporium.servicekit.testing import app_client

from .conftest import DemoSettings, demo_router


async def test_each_statement_runs_outside_a_transaction(client: httpx.AsyncClient) -> None:
    response = await client.get("/demo/raw", params={"sql": "SELECT txid_current()"})
    body = response.json()
    assert body["first"] != body["second"]  # each statement is its own transaction


async def test_a_statement_over_its_time_limit_is_a_503_problem(demo_database_url: str) -> None:
    settings = DemoSettings(database_url=demo_database_url, db_statement_timeout_ms=200)
    async with app_client(create_app(settings, routers=[demo_router()])) as client:
        response = await client.get("/demo/raw", params={"sql": "SELECT pg_sleep(3)"})
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("dependency-timeout")
        assert (await client.get("/demo/raw", params={"sql": "SELECT 1"})).status_code == 200


async def test_a_sql_error_is_a_500_problem_and_the_connection_stays_usable(
    demo_database_url: str,
) -> None:
    settings = DemoSettings(database_url=demo_database_url, db_pool_size=1)
    async with app_client(create_app(settings, routers=[demo_router()])) as client:
        response = await client.get("/demo/raw", params={"sql": "SELECT 1 / 0"})
        assert response.status_code == 500, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert (await client.get("/demo/raw", params={"sql": "SELECT 1"})).status_code == 200


async def test_a_killed_connection_is_a_503_and_leaves_the_pool(demo_database_url: str) -> None:
    settings = DemoSettings(database_url=demo_database_url, db_pool_size=1)
    async with app_client(create_app(settings, routers=[demo_router()])) as client:
        pid = (await client.get("/demo/raw", params={"sql": "SELECT pg_backend_pid()"})).json()
        admin = create_async_engine(to_async_url(demo_database_url))
        async with admin.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": int(pid["first"])})
        await admin.dispose()

        response = await client.get("/demo/raw", params={"sql": "SELECT pg_backend_pid()"})
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"]
        again = await client.get("/demo/raw", params={"sql": "SELECT pg_backend_pid()"})
        assert again.status_code == 200, again.text
        assert again.json()["first"] != pid["first"]  # a new connection, the dead one dropped


async def test_with_tracing_each_statement_is_a_database_span(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(read_connection, "tracer_provider", lambda: provider)

    response = await client.get("/demo/raw", params={"sql": "SELECT 41 + 1"})

    assert response.json() == {"first": "42", "second": "42"}
    spans = exporter.get_finished_spans()
    assert [s.name for s in spans] == ["SELECT test_servicekit_demo"] * 2
    for span in spans:
        assert span.kind == SpanKind.CLIENT
        assert span.attributes is not None
        assert span.attributes["db.system.name"] == "postgresql"
        assert span.attributes["db.query.text"] == "SELECT 41 + 1"


async def test_a_connection_killed_mid_query_is_a_503_and_leaves_the_pool(
    demo_database_url: str,
) -> None:
    # Killed while a statement runs on it: whatever the driver raises, the connection is
    # gone and must not go back to the pool.
    settings = DemoSettings(database_url=demo_database_url, db_pool_size=1)
    async with app_client(create_app(settings, routers=[demo_router()])) as client:
        pid = (await client.get("/demo/raw", params={"sql": "SELECT pg_backend_pid()"})).json()
        slow = asyncio.create_task(client.get("/demo/raw", params={"sql": "SELECT pg_sleep(5)"}))
        admin = create_async_engine(to_async_url(demo_database_url))
        async with admin.connect() as conn:
            kill = text("SELECT pg_terminate_backend(:p) FROM pg_stat_activity WHERE pid = :p")
            for _ in range(50):  # once the sleep is running on it
                busy = text("SELECT state = 'active' FROM pg_stat_activity WHERE pid = :p")
                if (await conn.execute(busy, {"p": int(pid["first"])})).scalar():
                    break
                await asyncio.sleep(0.05)
            await conn.execute(kill, {"p": int(pid["first"])})
        await admin.dispose()

        response = await slow
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        again = await client.get("/demo/raw", params={"sql": "SELECT pg_backend_pid()"})
        assert again.status_code == 200, again.text
        assert again.json()["first"] != pid["first"]
