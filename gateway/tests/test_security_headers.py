"""The portal's pages run under a strict policy of their own; proxied answers keep the service's."""

from __future__ import annotations

import httpx
import pytest

from emporium.gateway.docs.pages import PORTAL_POLICY
from emporium.servicekit.security_headers import API_POLICY

from .realsystem import RealSystem

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("path", ["/", "/docs", "/redoc"])
async def test_portal_pages_carry_the_portal_policy(real_system: RealSystem, path: str) -> None:
    async with httpx.AsyncClient(base_url=real_system.url) as client:
        response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == PORTAL_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "'unsafe-eval'" not in PORTAL_POLICY
    assert "script-src 'self';" in PORTAL_POLICY


async def test_proxied_answers_keep_the_services_api_policy(real_system: RealSystem) -> None:
    async with httpx.AsyncClient(base_url=real_system.url) as client:
        response = await client.get("/catalog/products", params={"limit": 1})
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == API_POLICY
    assert response.headers["referrer-policy"] == "no-referrer"
