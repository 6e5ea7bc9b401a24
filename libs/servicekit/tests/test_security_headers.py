"""Every answer carries the headers that keep browsers from misusing it."""

from __future__ import annotations

import httpx
import pytest

from emporium.servicekit.security_headers import API_POLICY


@pytest.mark.parametrize("path", ["/healthz", "/openapi.json", "/demo/notes/none-such", "/nowhere"])
async def test_success_and_error_answers_carry_the_security_headers(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-security-policy"] == API_POLICY
    assert "frame-ancestors 'none'" in API_POLICY
