"""The client-credentials grant for service clients (HTTP Basic or form)."""

from __future__ import annotations

import base64

import httpx
import pytest
from jose import jwt


def basic(client_id: str, secret: str) -> dict[str, str]:
    """An Authorization header with HTTP Basic client credentials."""
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


async def test_client_credentials_with_http_basic(
    client: httpx.AsyncClient, orders_secret: str
) -> None:
    response = await client.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        headers=basic("orders", orders_secret),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == "catalog:reserve"
    assert body["token_type"] == "Bearer"
    assert "refresh_token" not in body
    claims = jwt.get_unverified_claims(body["access_token"])
    assert claims["sub"] == claims["client_id"] == "orders"
    assert claims["scope"] == "catalog:reserve"


async def test_client_credentials_in_the_form(
    client: httpx.AsyncClient, orders_secret: str
) -> None:
    response = await client.post(
        "/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "orders",
            "client_secret": orders_secret,
            "scope": "catalog:reserve",
        },
    )
    assert response.status_code == 200
    assert response.json()["scope"] == "catalog:reserve"


async def test_client_token_has_no_account(client: httpx.AsyncClient, orders_secret: str) -> None:
    token = (
        await client.post(
            "/auth/token",
            data={"grant_type": "client_credentials"},
            headers=basic("orders", orders_secret),
        )
    ).json()["access_token"]
    response = await client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("client_id", "secret"), [("orders", "wrong-secret"), ("nobody", "whatever"), ("orders", "")]
)
async def test_bad_client_credentials_are_401_invalid_client(
    client: httpx.AsyncClient, client_id: str, secret: str
) -> None:
    response = await client.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(client_id, secret),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")


async def test_malformed_basic_header_is_invalid_client(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic !!!not-base64"},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


async def test_two_client_authentication_methods_are_refused(
    client: httpx.AsyncClient, orders_secret: str
) -> None:
    response = await client.post(
        "/auth/token",
        data={"grant_type": "client_credentials", "client_secret": orders_secret},
        headers=basic("orders", orders_secret),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_client_cannot_ask_for_more_than_its_scopes(
    client: httpx.AsyncClient, orders_secret: str
) -> None:
    response = await client.post(
        "/auth/token",
        data={"grant_type": "client_credentials", "scope": "catalog:reserve catalog:write"},
        headers=basic("orders", orders_secret),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"
