"""What every answer through the gateway tells a stranger: no more than it must."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/catalog/products"), ("GET", "/auth/me"), ("POST", "/orders")],
)
async def test_no_server_banner_and_the_security_headers(
    gateway: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await gateway.request(method, path)
    assert "server" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/catalog/products/", "/auth/token/", "/orders/"])
async def test_a_trailing_slash_never_redirects_to_an_internal_host(
    gateway: httpx.AsyncClient, path: str
) -> None:
    response = await gateway.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 404
    assert "location" not in response.headers


async def test_the_edges_metrics_are_not_public(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/metrics")
    assert response.status_code == 404
    assert "http_requests_total" not in response.text
