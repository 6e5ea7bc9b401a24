"""The password grant and the token endpoint's RFC 6749 error bodies."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from jose import jwt

from emporium.auth.settings import AuthSettings


async def test_password_grant_returns_the_oauth_token_response(
    client: httpx.AsyncClient, customer: Any, auth_settings: AuthSettings
) -> None:
    response = await client.post(
        "/auth/token",
        data={"grant_type": "password", "username": customer.email, "password": customer.password},
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == auth_settings.access_token_ttl == 900
    assert body["scope"] == ""
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "RS256"
    assert header["kid"]
    claims = jwt.get_unverified_claims(body["access_token"])
    assert claims["iss"] == auth_settings.jwt_issuer
    assert claims["aud"] == auth_settings.jwt_audience
    assert claims["sub"] == customer.id
    assert claims["exp"] - claims["iat"] == 900
    assert abs(claims["iat"] - time.time()) < 60
    assert claims["jti"]
    assert claims["scope"] == ""
    assert "client_id" not in claims


async def test_swagger_authorize_form_is_accepted(
    client: httpx.AsyncClient, admin_email: str, admin_password: str
) -> None:
    # Swagger UI's password flow: form body with scope and empty client fields.
    response = await client.post(
        "/auth/token",
        data={
            "grant_type": "password",
            "username": admin_email,
            "password": admin_password,
            "scope": "catalog:write auth:admin",
            "client_id": "",
            "client_secret": "",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "auth:admin catalog:write"


async def test_username_is_matched_case_insensitively(
    client: httpx.AsyncClient, customer: Any
) -> None:
    response = await client.post(
        "/auth/token",
        data={
            "grant_type": "password",
            "username": f" {customer.email.upper()} ",
            "password": customer.password,
        },
    )
    assert response.status_code == 200


async def test_admin_gets_every_role_scope_and_can_narrow(
    admin_tokens: Any, admin_email: str, admin_password: str, login: Callable[..., Awaitable[Any]]
) -> None:
    assert admin_tokens.scope.split() == [
        "auth:admin",
        "catalog:write",
        "orders:manage",
        "orders:read:all",
    ]
    narrowed = await login(admin_email, admin_password, scope="catalog:write")
    assert narrowed.scope == "catalog:write"
    assert jwt.get_unverified_claims(narrowed.access_token)["scope"] == "catalog:write"


@pytest.mark.parametrize("scope", ["catalog:write", "catalog:reserve", "auth:admin orders:manage"])
async def test_customer_cannot_widen_scopes(
    client: httpx.AsyncClient, customer: Any, scope: str
) -> None:
    response = await client.post(
        "/auth/token",
        data={
            "grant_type": "password",
            "username": customer.email,
            "password": customer.password,
            "scope": scope,
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


async def test_unknown_scope_is_invalid_scope(
    client: httpx.AsyncClient, admin_email: str, admin_password: str
) -> None:
    response = await client.post(
        "/auth/token",
        data={
            "grant_type": "password",
            "username": admin_email,
            "password": admin_password,
            "scope": "root",
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("known_user", [True, False])
async def test_wrong_credentials_are_invalid_grant(
    client: httpx.AsyncClient, customer: Any, known_user: bool
) -> None:
    username = customer.email if known_user else "nobody-" + customer.email
    response = await client.post(
        "/auth/token",
        data={"grant_type": "password", "username": username, "password": "wrong-password"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "The email or password is wrong.",
    }


@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        ({}, 400, "invalid_request"),
        ({"grant_type": "password", "username": "a@example.com"}, 400, "invalid_request"),
        ({"grant_type": "refresh_token"}, 400, "invalid_request"),
        ({"grant_type": "authorization_code", "code": "x"}, 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials"}, 401, "invalid_client"),
    ],
)
async def test_malformed_token_requests_get_rfc6749_errors(
    client: httpx.AsyncClient, data: dict[str, str], status: int, error: str
) -> None:
    response = await client.post("/auth/token", data=data)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert response.json()["error_description"]


async def test_json_body_is_not_a_token_request(client: httpx.AsyncClient, customer: Any) -> None:
    response = await client.post(
        "/auth/token",
        json={"grant_type": "password", "username": customer.email, "password": customer.password},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_nul_in_the_username_is_a_422_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/auth/token", data={"grant_type": "password", "username": "a\x00b", "password": "x"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert (error["field"], error["location"]) == ("username", "body")


async def test_an_overlong_username_is_a_422_not_a_500(client: httpx.AsyncClient) -> None:
    # Was a 500: the throttle's `user:<email>` key did not fit its column.
    username = "a" * 500 + "@example.com"
    response = await client.post(
        "/auth/token", data={"grant_type": "password", "username": username, "password": "x"}
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["location"]) == ("username", "body")
