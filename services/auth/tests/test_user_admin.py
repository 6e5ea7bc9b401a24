"""Account administration under /auth/users (needs `auth:admin`)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/auth/users"),
        ("GET", "/auth/users/{id}"),
        ("PATCH", "/auth/users/{id}"),
        ("POST", "/auth/users/{id}/deactivate"),
    ],
)
async def test_customer_gets_403_on_admin_routes(
    client: httpx.AsyncClient, customer: Any, customer_tokens: Any, method: str, path: str
) -> None:
    response = await client.request(
        method,
        path.format(id=customer.id),
        headers=customer_tokens.bearer,
        json={"roles": ["admin"]} if method == "PATCH" else None,
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "auth:admin" in response.json()["detail"]
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]


async def test_admin_routes_need_a_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/auth/users")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_admin_token_narrowed_without_auth_admin_is_refused(
    client: httpx.AsyncClient,
    admin_email: str,
    admin_password: str,
    login: Callable[..., Awaitable[Any]],
) -> None:
    tokens = await login(admin_email, admin_password, scope="catalog:write")
    assert (await client.get("/auth/users", headers=tokens.bearer)).status_code == 403


async def test_admin_pages_through_accounts_with_a_cursor(
    client: httpx.AsyncClient,
    admin_tokens: Any,
    register: Callable[..., Awaitable[Any]],
) -> None:
    mine = [(await register()).id for _ in range(3)]
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(100):
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        response = await client.get("/auth/users", params=params, headers=admin_tokens.bearer)
        assert response.status_code == 200
        assert "password" not in response.text
        page = response.json()
        assert set(page) == {"items", "next_cursor"}
        assert len(page["items"]) <= 2
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen))
    # Newest first: my three accounts appear together, the last registered first.
    positions = [seen.index(user_id) for user_id in reversed(mine)]
    assert positions == sorted(positions)


async def test_bad_cursor_is_a_client_error(client: httpx.AsyncClient, admin_tokens: Any) -> None:
    response = await client.get(
        "/auth/users", params={"cursor": "garbage!"}, headers=admin_tokens.bearer
    )
    assert response.status_code == 422
    assert "cursor" in response.json()["detail"]


async def test_admin_reads_an_account_and_404_for_unknown(
    client: httpx.AsyncClient, admin_tokens: Any, customer: Any
) -> None:
    found = await client.get(f"/auth/users/{customer.id}", headers=admin_tokens.bearer)
    assert found.status_code == 200
    assert found.json()["email"] == customer.email
    missing = await client.get(f"/auth/users/{uuid.uuid4()}", headers=admin_tokens.bearer)
    assert missing.status_code == 404


async def test_changing_roles_changes_the_granted_scopes(
    client: httpx.AsyncClient,
    admin_tokens: Any,
    customer: Any,
    login: Callable[..., Awaitable[Any]],
) -> None:
    response = await client.patch(
        f"/auth/users/{customer.id}", json={"roles": ["staff"]}, headers=admin_tokens.bearer
    )
    assert response.status_code == 200
    assert response.json()["roles"] == ["staff"]
    assert response.json()["scopes"] == ["catalog:write", "orders:manage", "orders:read:all"]
    tokens = await login(customer.email, customer.password)
    assert tokens.scope == "catalog:write orders:manage orders:read:all"


async def test_unknown_role_is_rejected(
    client: httpx.AsyncClient, admin_tokens: Any, customer: Any
) -> None:
    response = await client.patch(
        f"/auth/users/{customer.id}", json={"roles": ["root"]}, headers=admin_tokens.bearer
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("roles")


async def test_deactivated_account_cannot_sign_in_and_its_token_no_longer_reads_me(
    client: httpx.AsyncClient, admin_tokens: Any, customer: Any, customer_tokens: Any
) -> None:
    response = await client.patch(
        f"/auth/users/{customer.id}", json={"active": False}, headers=admin_tokens.bearer
    )
    assert response.status_code == 200
    assert response.json()["active"] is False
    me = await client.get("/auth/me", headers=customer_tokens.bearer)
    assert me.status_code == 403
    login = await client.post(
        "/auth/token",
        data={"grant_type": "password", "username": customer.email, "password": customer.password},
    )
    assert login.json()["error"] == "invalid_grant"


async def test_admin_cannot_lock_themselves_out(
    client: httpx.AsyncClient, admin_tokens: Any
) -> None:
    me = (await client.get("/auth/me", headers=admin_tokens.bearer)).json()
    demote = await client.patch(
        f"/auth/users/{me['id']}", json={"roles": ["customer"]}, headers=admin_tokens.bearer
    )
    assert demote.status_code == 409
    deactivate = await client.post(
        f"/auth/users/{me['id']}/deactivate", headers=admin_tokens.bearer
    )
    assert deactivate.status_code == 409
    assert (await client.get("/auth/me", headers=admin_tokens.bearer)).json()["roles"] == ["admin"]


async def test_an_admin_opens_an_account_with_roles_that_can_sign_in(
    client: httpx.AsyncClient,
    admin_tokens: Any,
    customer_tokens: Any,
    new_email: Callable[[str], str],
    login: Callable[..., Awaitable[Any]],
) -> None:
    body = {"email": new_email("staff"), "password": "a-long-password", "full_name": "Sam Staff"}
    refused = await client.post(
        "/auth/users", json={**body, "roles": ["staff"]}, headers=customer_tokens.bearer
    )
    assert refused.status_code == 403

    created = await client.post(
        "/auth/users", json={**body, "roles": ["staff"]}, headers=admin_tokens.bearer
    )
    assert created.status_code == 201, created.text
    assert created.json()["roles"] == ["staff"]
    tokens = await login(body["email"], body["password"])
    assert "catalog:write" in tokens.scope.split()

    again = await client.post("/auth/users", json=body, headers=admin_tokens.bearer)
    assert again.status_code == 409
    unknown = await client.post(
        "/auth/users", json={**body, "roles": ["wizard"]}, headers=admin_tokens.bearer
    )
    assert unknown.status_code == 422
