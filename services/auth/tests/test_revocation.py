"""Revoked tokens, deactivated accounts and changed roles stop working within seconds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from jose import jwt

from emporium.auth.main import create_app
from emporium.auth.settings import AuthSettings
from emporium.servicekit.revocations import RevocationList, digest

REFRESH = 0.2  # the verifier's refresh interval in these tests (3 s by default)


@pytest.fixture(scope="module")
async def fast_app(auth_settings: AuthSettings) -> AsyncIterator[FastAPI]:
    """Auth with a revocation list refreshed every REFRESH seconds."""
    settings = auth_settings.model_copy(
        update={"revocations_refresh_seconds": REFRESH, "admin_email": None}
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def fast(fast_app: FastAPI, client: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the fast-refreshing app, from the same address as `client`."""
    transport = httpx.ASGITransport(app=fast_app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=client.headers
    ) as c:
        yield c


async def refused_within(
    call: Callable[[], Awaitable[httpx.Response]], seconds: float
) -> tuple[httpx.Response, float]:
    """Repeat `call` until it answers 401; the answer and how long it took."""
    started = time.monotonic()
    while True:
        response = await call()
        if response.status_code == 401 or time.monotonic() - started > seconds:
            return response, time.monotonic() - started
        await asyncio.sleep(0.05)


async def test_a_revoked_access_token_is_refused_within_the_refresh_interval(
    fast: httpx.AsyncClient, customer: Any, login: Callable[..., Awaitable[Any]]
) -> None:
    tokens = await login(customer.email, customer.password)
    assert (await fast.get("/auth/me", headers=tokens.bearer)).status_code == 200

    revoked = await fast.post("/auth/revoke", data={"token": tokens.access_token})
    assert revoked.status_code == 200

    response, took = await refused_within(lambda: fast.get("/auth/me", headers=tokens.bearer), 5.0)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert took <= REFRESH * 5 + 1
    other = await login(customer.email, customer.password)  # a new sign-in is unaffected
    assert (await fast.get("/auth/me", headers=other.bearer)).status_code == 200


async def test_a_role_change_retires_the_tokens_issued_before_it(
    fast: httpx.AsyncClient,
    register: Callable[..., Awaitable[Any]],
    login: Callable[..., Awaitable[Any]],
    admin_tokens: Any,
) -> None:
    staff = await register()
    promoted = await fast.patch(
        f"/auth/users/{staff.id}", json={"roles": ["admin"]}, headers=admin_tokens.bearer
    )
    assert promoted.status_code == 200
    old = await login(staff.email, staff.password)
    assert (await fast.get("/auth/users", headers=old.bearer)).status_code == 200

    demoted = await fast.patch(
        f"/auth/users/{staff.id}", json={"roles": ["customer"]}, headers=admin_tokens.bearer
    )
    assert demoted.status_code == 200
    response, _ = await refused_within(lambda: fast.get("/auth/users", headers=old.bearer), 5.0)
    assert response.status_code == 401

    new = await login(staff.email, staff.password)
    claims = jwt.get_unverified_claims(new.access_token)
    assert claims["gen"] > jwt.get_unverified_claims(old.access_token)["gen"]
    me = await fast.get("/auth/me", headers=new.bearer)
    assert me.status_code == 200
    assert me.json()["roles"] == ["customer"]


async def test_the_published_list_names_only_digests(
    client: httpx.AsyncClient,
    register: Callable[..., Awaitable[Any]],
    login: Callable[..., Awaitable[Any]],
    admin_tokens: Any,
) -> None:
    person = await register()
    tokens = await login(person.email, person.password)
    await client.post("/auth/revoke", data={"token": tokens.access_token})
    deactivated = await client.post(
        f"/auth/users/{person.id}/deactivate", headers=admin_tokens.bearer
    )
    assert deactivated.status_code == 200

    response = await client.get("/.well-known/revocations.json")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    published = RevocationList.from_json(response.json())
    jti = jwt.get_unverified_claims(tokens.access_token)["jti"]
    assert digest(jti) in published.access_tokens
    assert published.subjects[digest(person.id)] == 1
    assert person.id not in response.text
    assert jti not in response.text
    assert published.revokes(jwt.get_unverified_claims(tokens.access_token))


async def test_revoking_something_that_is_not_our_token_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    before = (await client.get("/.well-known/revocations.json")).json()
    for token in ("not-a-token", "a.b.c", jwt.encode({"jti": "x"}, "secret", algorithm="HS256")):
        assert (await client.post("/auth/revoke", data={"token": token})).status_code == 200
    after = (await client.get("/.well-known/revocations.json")).json()
    assert sorted(after["access_tokens"]) == sorted(before["access_tokens"])
