"""API9:2023 Improper Inventory Management: the edge serves what its OpenAPI documents, and
its operational pages are not a public inventory.

Issue 13, item 10: the edge's `/metrics` (traffic and error counts) was public and every
`/readyz` fanned out a database query to every service.
"""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from tests.security.traffic import served_meanwhile
from tests.system import System

pytestmark = pytest.mark.slow

ROUTED_PREFIXES = ("/auth/", "/.well-known/", "/catalog/", "/orders")


async def test_the_edges_metrics_are_not_public(system: System, gateway: httpx.AsyncClient) -> None:
    async with served_meanwhile(system):
        response = await gateway.get("/metrics")
        bearer = await gateway.get("/metrics", headers={"Authorization": "Bearer guess"})
    for answer in (response, bearer):
        assert answer.status_code == 404
        assert "http_requests_total" not in answer.text


async def test_every_documented_path_is_routed_and_nothing_else_is_served(
    system: System, gateway: httpx.AsyncClient
) -> None:
    spec = (await gateway.get("/openapi.json")).json()
    paths = set(spec["paths"])
    assert paths
    assert all(p.startswith(ROUTED_PREFIXES) for p in paths), sorted(paths)
    undocumented = [
        "/catalog/metrics", "/auth/metrics", "/orders/metrics", "/catalog/openapi.json",
        "/internal", "/debug", "/admin", "/.env", "/v1/catalog/products", "/api/orders",
        "/catalog/products/../../metrics", "/server-status",
    ]  # fmt: skip
    async with served_meanwhile(system):
        for path in undocumented:
            answer = await gateway.get(path)
            assert answer.status_code in (401, 404), (path, answer.status_code)
            assert "http_requests_total" not in answer.text


async def _readiness_checks_at(system: System, service: str) -> float:
    """How many `/readyz` the service has answered (from its own metrics, local only)."""
    async with httpx.AsyncClient(base_url=system.service_url(service), timeout=10) as client:
        text = (await client.get("/metrics")).text
    pattern = r'^http_requests_total\{[^}]*route="/readyz"[^}]*\} ([0-9.e+]+)$'
    return sum(float(v) for v in re.findall(pattern, text, re.MULTILINE))


async def test_a_readiness_flood_does_not_fan_out_to_the_services(
    system: System, gateway: httpx.AsyncClient
) -> None:
    before = await _readiness_checks_at(system, "catalog")
    async with served_meanwhile(system):
        answers = await asyncio.gather(*(gateway.get("/readyz") for _ in range(60)))
    assert {a.status_code for a in answers} == {200}
    body = answers[0].text
    assert not any(host in body for host in ("postgresql", "catalog:8000", "password"))
    # Cached for GATEWAY_READINESS_CACHE_SECONDS (1) and shared by concurrent probes.
    checks = await _readiness_checks_at(system, "catalog") - before
    assert 1 <= checks <= 5, checks
