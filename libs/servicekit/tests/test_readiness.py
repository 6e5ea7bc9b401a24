"""Readiness is public: a burst of probes runs the checks once, then again after the cache."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI

from emporium.servicekit.app import create_app
from emporium.servicekit.testing import app_client

from .conftest import DemoSettings


async def test_a_burst_of_probes_runs_each_check_once_per_cache_period(
    demo_database_url: str,
) -> None:
    calls = 0

    async def counted(app: FastAPI) -> None:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)

    settings = DemoSettings(
        database_url=demo_database_url, log_json=False, readiness_cache_seconds=0.5
    )
    app = create_app(settings, readiness_checks={"counted": counted})
    async with app_client(app) as client:
        answers = await asyncio.gather(*(client.get("/readyz") for _ in range(25)))
        assert {a.status_code for a in answers} == {200}
        assert calls == 1

        await asyncio.sleep(0.6)
        again = await client.get("/readyz")
        assert again.status_code == 200
        assert again.json()["checks"] == {"database": "ok", "counted": "ok"}
        assert calls == 2


async def test_a_failing_check_is_reported_from_the_cache_too(demo_database_url: str) -> None:
    async def broken(app: FastAPI) -> None:
        raise RuntimeError("down")

    settings = DemoSettings(database_url=demo_database_url, log_json=False)
    app = create_app(settings, readiness_checks={"broken": broken})
    async with app_client(app) as client:
        first: httpx.Response = await client.get("/readyz")
        second: httpx.Response = await client.get("/readyz")
    for answer in (first, second):
        assert answer.status_code == 503
        assert answer.json()["checks"]["broken"] == "error: RuntimeError"
