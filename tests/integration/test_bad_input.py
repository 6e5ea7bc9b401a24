"""Bad input through the gateway gets a 4xx problem naming the field, never a 5xx."""

from __future__ import annotations

import uuid

import httpx
import pytest

pytestmark = pytest.mark.slow

PROBLEM = "application/problem+json"


def _field_error(response: httpx.Response) -> tuple[str, str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    [error] = response.json()["errors"]
    return error["field"], error["location"]


async def test_nul_in_a_product_filter(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/catalog/products?category=%00eh&sort=price")
    assert _field_error(response) == ("category", "query")


async def test_nul_in_a_registration_name(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(
        "/auth/register",
        json={
            "email": f"nul-{uuid.uuid4().hex[:10]}@example.com",
            "password": "a-long-password",
            "full_name": "Ada\u0000Lovelace",
        },
    )
    assert _field_error(response) == ("full_name", "body")


async def test_nul_in_the_token_endpoints_username(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(
        "/auth/token", data={"grant_type": "password", "username": "a\x00b", "password": "x"}
    )
    assert _field_error(response) == ("username", "body")


async def test_nul_in_a_path(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/catalog/categories/%00")
    assert _field_error(response) == ("category_key", "path")
