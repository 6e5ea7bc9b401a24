"""A service never redirects: a redirect would name the host the request reached (internal)."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize("path", ["/healthz/", "/demo/notes/some-note/"])
async def test_a_trailing_slash_is_a_404_problem_not_a_redirect_to_an_internal_host(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path, headers={"Host": "catalog:8000"})
    assert response.status_code == 404
    assert "location" not in response.headers
    assert response.headers["content-type"] == "application/problem+json"
    assert "catalog:8000" not in response.text
