"""Refresh-token rotation, reuse detection, narrowing and revocation (RFC 7009)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx


async def refresh(
    client: httpx.AsyncClient, token: str | None, scope: str | None = None
) -> httpx.Response:
    """POST a refresh_token grant."""
    data = {"grant_type": "refresh_token", "refresh_token": token or ""}
    if scope is not None:
        data["scope"] = scope
    return await client.post("/auth/token", data=data)


async def test_refresh_rotates_the_refresh_token(
    client: httpx.AsyncClient, customer: Any, customer_tokens: Any
) -> None:
    response = await refresh(client, customer_tokens.refresh_token)
    assert response.status_code == 200
    body = response.json()
    assert body["refresh_token"]
    assert body["refresh_token"] != customer_tokens.refresh_token
    assert body["access_token"] != customer_tokens.access_token
    me = await client.get("/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["id"] == customer.id
    again = await refresh(client, body["refresh_token"])
    assert again.status_code == 200


async def test_reused_refresh_token_revokes_family(
    client: httpx.AsyncClient, customer_tokens: Any
) -> None:
    first = customer_tokens.refresh_token
    rotated = (await refresh(client, first)).json()["refresh_token"]
    newer = (await refresh(client, rotated)).json()["refresh_token"]

    reuse = await refresh(client, first)
    assert reuse.status_code == 400
    assert reuse.json()["error"] == "invalid_grant"

    # The whole family is gone, including the newest token that was never used.
    stolen = await refresh(client, newer)
    assert stolen.status_code == 400
    assert stolen.json()["error"] == "invalid_grant"


async def test_other_sign_ins_survive_a_reuse_in_another_family(
    client: httpx.AsyncClient, customer: Any, login: Callable[..., Awaitable[Any]]
) -> None:
    one = await login(customer.email, customer.password)
    two = await login(customer.email, customer.password)
    await refresh(client, one.refresh_token)
    assert (await refresh(client, one.refresh_token)).status_code == 400
    assert (await refresh(client, two.refresh_token)).status_code == 200


async def test_unknown_refresh_token_is_invalid_grant(client: httpx.AsyncClient) -> None:
    response = await refresh(client, "not-a-real-token")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_deactivated_users_refresh_fails(
    client: httpx.AsyncClient, customer: Any, customer_tokens: Any, admin_tokens: Any
) -> None:
    response = await client.post(
        f"/auth/users/{customer.id}/deactivate", headers=admin_tokens.bearer
    )
    assert response.status_code == 200
    assert response.json()["active"] is False
    refreshed = await refresh(client, customer_tokens.refresh_token)
    assert refreshed.status_code == 400
    assert refreshed.json()["error"] == "invalid_grant"
    login = await client.post(
        "/auth/token",
        data={"grant_type": "password", "username": customer.email, "password": customer.password},
    )
    assert login.status_code == 400
    assert login.json()["error"] == "invalid_grant"


async def test_refresh_can_narrow_but_never_widen(
    client: httpx.AsyncClient,
    admin_email: str,
    admin_password: str,
    login: Callable[..., Awaitable[Any]],
) -> None:
    tokens = await login(admin_email, admin_password, scope="catalog:write orders:manage")
    wider = await refresh(client, tokens.refresh_token, scope="catalog:write auth:admin")
    assert wider.status_code == 400
    assert wider.json()["error"] == "invalid_scope"

    narrowed = await refresh(client, tokens.refresh_token, scope="orders:manage")
    assert narrowed.status_code == 200
    assert narrowed.json()["scope"] == "orders:manage"
    # The rotated refresh token keeps the original grant (RFC 6749 §6), nothing more.
    full = await refresh(client, narrowed.json()["refresh_token"])
    assert full.json()["scope"] == "catalog:write orders:manage"


async def test_revoke_ends_the_refresh_token_family(
    client: httpx.AsyncClient, customer_tokens: Any
) -> None:
    rotated = (await refresh(client, customer_tokens.refresh_token)).json()["refresh_token"]
    response = await client.post(
        "/auth/revoke", data={"token": rotated, "token_type_hint": "refresh_token"}
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert (await refresh(client, rotated)).json()["error"] == "invalid_grant"


async def test_revoke_of_an_unknown_token_still_succeeds(client: httpx.AsyncClient) -> None:
    response = await client.post("/auth/revoke", data={"token": "no-such-token"})
    assert response.status_code == 200


async def test_revoke_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.post("/auth/revoke", data={})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_revoke_with_wrong_client_secret_is_invalid_client(
    client: httpx.AsyncClient, customer_tokens: Any
) -> None:
    response = await client.post(
        "/auth/revoke", data={"token": customer_tokens.refresh_token}, auth=("orders", "wrong")
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert (await refresh(client, customer_tokens.refresh_token)).status_code == 200
