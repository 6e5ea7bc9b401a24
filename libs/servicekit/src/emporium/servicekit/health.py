"""Liveness and readiness endpoints."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from emporium.servicekit.problems import problem_response

ReadinessCheck = Callable[[FastAPI], Awaitable[None]]
READINESS_TIMEOUT_SECONDS = 2.0

logger = logging.getLogger("emporium.health")


async def database_check(app: FastAPI) -> None:
    """Ready when a trivial query succeeds."""
    async with app.state.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def run_checks(app: FastAPI, checks: Mapping[str, ReadinessCheck]) -> dict[str, str]:
    """Run every check concurrently with a timeout; 'ok' or a short reason for each."""

    async def one(name: str, check: ReadinessCheck) -> tuple[str, str]:
        try:
            await asyncio.wait_for(check(app), READINESS_TIMEOUT_SECONDS)
        except TimeoutError:
            return name, "timeout"
        except Exception as exc:  # a failing check is reported, never raised
            logger.warning("readiness check %s failed: %s", name, exc)
            return name, f"error: {exc.__class__.__name__}"
        return name, "ok"

    results = await asyncio.gather(*(one(n, c) for n, c in checks.items()))
    return dict(results)


def health_router(checks: Mapping[str, ReadinessCheck]) -> APIRouter:
    """`/healthz` (the process is alive) and `/readyz` (its dependencies answer)."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="Liveness probe")
    async def healthz() -> dict[str, str]:
        """The process is up and serving requests."""
        return {"status": "ok"}

    @router.get(
        "/readyz",
        summary="Readiness probe",
        responses={503: {"description": "A dependency is not ready"}},
    )
    async def readyz(request: Request) -> Response:
        """Every dependency this service needs answers; 503 names the ones that do not."""
        results = await run_checks(request.app, checks)
        body: dict[str, Any] = {"checks": results}
        if all(v == "ok" for v in results.values()):
            return JSONResponse({"status": "ready", **body})
        failing = ", ".join(f"{k} ({v})" for k, v in results.items() if v != "ok")
        return problem_response(
            503,
            slug="not-ready",
            detail=f"Not ready: {failing}",
            extra={"status_text": "not_ready", **body},
            headers={"Retry-After": "1"},
        )

    return router
