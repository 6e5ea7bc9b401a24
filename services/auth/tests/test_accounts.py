"""Registration and the caller's own account."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from emporium.auth.settings import AuthSettings
from emporium.auth.users.router import REGISTRATION_ACCEPTED
from emporium.auth.users.service import REGISTRATION_FOR_EXISTING_ACCOUNT as EXISTING_EVENT
from emporium.servicekit.testing import threadpool_dependencies


async def stored_hash(settings: AuthSettings, email: str) -> str:
    """The password hash the database holds for `email`."""
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            value = await conn.scalar(
                text("SELECT password_hash FROM user_account WHERE email = :e"), {"e": email}
            )
    finally:
        await engine.dispose()
    assert isinstance(value, str)
    return value


async def test_register_creates_a_customer_without_exposing_the_password(
    client: httpx.AsyncClient,
    auth_settings: AuthSettings,
    new_email: Callable[[str], str],
    login: Callable[..., Awaitable[Any]],
) -> None:
    email = new_email("reg")
    password = "correct horse " + uuid.uuid4().hex[:6]
    response = await client.post(
        "/auth/register",
        json={"email": email, "password": password, "full_name": "  Ada Lovelace "},
    )
    assert response.status_code == 202
    assert response.json() == {"email": email, "detail": REGISTRATION_ACCEPTED}
    assert password not in response.text
    me = await client.get("/auth/me", headers=(await login(email, password)).bearer)
    body = me.json()
    assert body["email"] == email
    assert body["full_name"] == "Ada Lovelace"
    assert body["roles"] == ["customer"]
    assert body["scopes"] == []
    assert body["active"] is True
    assert set(body) == {
        "id",
        "email",
        "full_name",
        "roles",
        "scopes",
        "active",
        "created_at",
        "updated_at",
    }
    assert password not in response.text
    hashed = await stored_hash(auth_settings, email)
    assert hashed.startswith("$argon2")
    assert password not in hashed


async def test_register_normalises_the_email(
    client: httpx.AsyncClient, new_email: Callable[[str], str]
) -> None:
    email = new_email("norm")
    response = await client.post(
        "/auth/register",
        json={"email": f"  {email.upper()} ", "password": "password-1", "full_name": "N"},
    )
    assert response.status_code == 202
    assert response.json()["email"] == email


async def test_a_taken_email_is_answered_like_a_new_one_and_changes_nothing(
    client: httpx.AsyncClient,
    new_email: Callable[[str], str],
    login: Callable[..., Awaitable[Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    email = new_email("dup")
    first = {"email": email, "password": "password-1", "full_name": "One"}
    created = await client.post("/auth/register", json=first)
    assert created.status_code == 202
    owner = (await client.get("/auth/me", headers=(await login(email, "password-1")).bearer)).json()
    caplog.set_level(logging.INFO, logger="emporium.auth.users")
    again = {"email": email.upper(), "password": "password-2", "full_name": "Two"}
    response = await client.post("/auth/register", json=again)
    # Whatever the case of the email: same status, same body, same headers' names.
    assert response.status_code == created.status_code
    assert response.json() == created.json()
    assert response.headers["content-type"] == created.headers["content-type"]
    assert sorted(response.headers) == sorted(created.headers)
    # Nothing changed: the owner's password still signs in, the newcomer's does not.
    me = await client.get("/auth/me", headers=(await login(email, "password-1")).bearer)
    assert me.json() == owner
    wrong = await client.post(
        "/auth/token", data={"grant_type": "password", "username": email, "password": "password-2"}
    )
    assert wrong.status_code == 400
    # The owner's cue: an event naming the account (not the caller's password).
    [event] = [r for r in caplog.records if getattr(r, "event", None) == EXISTING_EVENT]
    assert getattr(event, "user_id", None) == owner["id"]
    assert "password-2" not in repr(vars(event))


async def test_a_taken_email_costs_the_same_password_hash_as_a_new_one(
    client: httpx.AsyncClient, new_email: Callable[[str], str]
) -> None:
    taken = new_email("timing")
    body = {"email": taken, "password": "password-1", "full_name": "T"}
    assert (await client.post("/auth/register", json=body)).status_code == 202

    async def timed(email: str) -> float:
        started = time.perf_counter()
        answer = await client.post("/auth/register", json={**body, "email": email})
        assert answer.status_code == 202
        return time.perf_counter() - started

    fresh = [await timed(new_email("timing")) for _ in range(3)]
    existing = [await timed(taken) for _ in range(3)]
    # Without a hash a taken email answered in a few milliseconds, a new one after argon2's
    # tens; the fastest of each must now be of the same order.
    assert min(existing) >= 0.5 * min(fresh), (existing, fresh)


@pytest.mark.parametrize(
    ("field", "payload"),
    [
        ("password", {"password": "short7!", "full_name": "X"}),
        ("password", {"password": "x" * 129, "full_name": "X"}),
        ("full_name", {"password": "long-enough", "full_name": "   "}),
        ("email", {"password": "long-enough", "full_name": "X", "email": "not-an-email"}),
    ],
)
async def test_invalid_registration_says_which_field_is_wrong(
    client: httpx.AsyncClient,
    new_email: Callable[[str], str],
    field: str,
    payload: dict[str, Any],
) -> None:
    response = await client.post("/auth/register", json={"email": new_email("bad"), **payload})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    if "password" in payload:
        assert payload["password"] not in response.text


async def test_me_returns_the_callers_account(
    client: httpx.AsyncClient, customer: Any, customer_tokens: Any
) -> None:
    response = await client.get("/auth/me", headers=customer_tokens.bearer)
    assert response.status_code == 200
    assert response.json()["id"] == customer.id
    assert response.json()["email"] == customer.email
    assert "password" not in response.text
    assert "hash" not in response.text


async def test_me_without_a_token_is_401_with_a_bearer_challenge(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/auth/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_passwords_are_never_logged(
    client: httpx.AsyncClient,
    new_email: Callable[[str], str],
    login: Callable[..., Awaitable[Any]],
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    email = new_email("log")
    password = "secret-" + uuid.uuid4().hex
    caplog.set_level(logging.DEBUG)
    registered = await client.post(
        "/auth/register", json={"email": email, "password": password, "full_name": "L"}
    )
    assert registered.status_code == 202, registered.text
    assert password not in registered.text
    await login(email, password)
    wrong = await client.post(
        "/auth/token",
        data={"grant_type": "password", "username": email, "password": password + "x"},
    )
    assert wrong.status_code == 400
    assert password not in wrong.text
    assert caplog.records, "expected the auth service to log something"
    for record in caplog.records:
        # Everything a formatter could write: the message, every extra field, the traceback.
        assert password not in record.getMessage()
        assert password not in repr(vars(record))
        assert password not in (record.exc_text or "")
    assert password not in capsys.readouterr().err


async def test_account_answers_are_never_stored_by_caches(
    client: httpx.AsyncClient, customer_tokens: Any, admin_tokens: Any, new_email: Any
) -> None:
    answers = [
        await client.post(
            "/auth/register",
            json={"email": new_email("nostore"), "password": "long-password-1", "full_name": "N"},
        ),
        await client.get("/auth/me", headers=customer_tokens.bearer),
        await client.get("/auth/users", headers=admin_tokens.bearer),
    ]
    for answer in answers:
        assert answer.status_code in (200, 202), answer.text
        assert answer.headers["cache-control"] == "no-store"


async def test_nul_in_the_full_name_is_a_422_and_nothing_is_stored(
    client: httpx.AsyncClient,
) -> None:
    # Was a 500: PostgreSQL refuses U+0000 in text.
    email = f"nul-{uuid.uuid4().hex[:10]}@example.com"
    response = await client.post(
        "/auth/register",
        json={"email": email, "password": "a-long-password", "full_name": "Ada\u0000Lovelace"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert (error["field"], error["location"]) == ("full_name", "body")
    retry = await client.post(
        "/auth/register",
        json={"email": email, "password": "a-long-password", "full_name": "Ada Lovelace"},
    )
    assert retry.status_code == 202


def test_no_route_dependency_runs_in_the_threadpool(auth_app: FastAPI) -> None:
    assert threadpool_dependencies(auth_app) == []
