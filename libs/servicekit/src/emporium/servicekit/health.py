"""Liveness and readiness endpoints."""

from __future__ import annotations

import asyncio
import logging
import time
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


class Readiness:
    """The checks, run at most once per `ttl` seconds; callers in between share the answer.

    Readiness is public (probes, the portal): without this, every request to it would fan
    out a database query or an upstream call each, with no bound.
    """

    def __init__(self, checks: Mapping[str, ReadinessCheck], *, ttl: float) -> None:
        self.checks = dict(checks)
        self._ttl = ttl
        self._results: dict[str, str] | None = None
        self._at = float("-inf")
        self._lock = asyncio.Lock()
        self.runs = 0

    def _fresh(self) -> dict[str, str] | None:
        if self._results is not None and time.monotonic() - self._at < self._ttl:
            return self._results
        return None

    def forget(self) -> None:
        """Drop the shared answer: a request just saw a dependency fail, so check anew."""
        self._results = None

    async def results(self, app: FastAPI) -> dict[str, str]:
        """'ok' or a short reason for each check, at most `ttl` seconds old."""
        cached = self._fresh()
        if cached is not None:
            return cached
        async with self._lock:
            cached = self._fresh()
            if cached is not None:
                return cached
            results = await run_checks(app, self.checks)
            self.runs += 1
            self._results, self._at = results, time.monotonic()
            return results


def health_router(readiness: Readiness) -> APIRouter:
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
        results = await readiness.results(request.app)
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
