"""Signing keys, the JWKS, the RFC 8414 metadata and the first-admin bootstrap."""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from jose import jwt
from pydantic import SecretStr, ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from emporium.auth.main import create_app
from emporium.auth.settings import AuthSettings
from emporium.servicekit.jwks import JWKSCache
from emporium.servicekit.testing import app_client, new_rsa_pem
from emporium.servicekit.tokens import TokenVerifier

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi"}


@pytest.fixture
def key_dir() -> Iterator[Path]:
    """A private folder for key and secret files, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="emporium-auth-keys-") as folder:
        yield Path(folder)


async def test_jwks_lists_the_signing_key(client: httpx.AsyncClient, customer_tokens: Any) -> None:
    response = await client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    keys = response.json()["keys"]
    kid = jwt.get_unverified_header(customer_tokens.access_token)["kid"]
    assert [k["kid"] for k in keys] == [kid]
    assert keys[0]["kty"] == "RSA"
    assert keys[0]["alg"] == "RS256"
    assert keys[0]["use"] == "sig"
    assert not PRIVATE_MEMBERS & set(keys[0])


async def test_tokens_verify_against_the_published_jwks(
    auth_app: Any, auth_settings: AuthSettings, customer: Any, customer_tokens: Any
) -> None:
    transport = httpx.ASGITransport(app=auth_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://auth") as http:
        cache = JWKSCache("http://auth/.well-known/jwks.json", http)
        verifier = TokenVerifier(
            cache, issuer=auth_settings.jwt_issuer, audience=auth_settings.jwt_audience
        )
        principal = await verifier.verify(customer_tokens.access_token)
    assert principal.subject == customer.id
    assert principal.scopes == frozenset()
    assert not principal.is_client


async def test_metadata_describes_the_endpoints_under_the_issuer(
    client: httpx.AsyncClient, auth_settings: AuthSettings
) -> None:
    response = await client.get("/.well-known/oauth-authorization-server")
    assert response.status_code == 200
    meta = response.json()
    issuer = auth_settings.jwt_issuer
    assert meta["issuer"] == issuer
    assert meta["token_endpoint"] == f"{issuer}/auth/token"
    assert meta["revocation_endpoint"] == f"{issuer}/auth/revoke"
    assert meta["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    assert set(meta["grant_types_supported"]) == {
        "password",
        "refresh_token",
        "client_credentials",
    }
    assert "catalog:reserve" in meta["scopes_supported"]
    assert "client_secret_basic" in meta["token_endpoint_auth_methods_supported"]


async def test_two_keys_are_published_and_the_first_signs(
    auth_settings: AuthSettings,
    key_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    customer: Any,
) -> None:
    old_pem, new_pem = new_rsa_pem(), new_rsa_pem()
    (key_dir / "new.pem").write_bytes(new_pem)
    (key_dir / "old.pem").write_bytes(old_pem)
    files = [str(key_dir / "new.pem"), str(key_dir / "old.pem")]
    monkeypatch.setenv("AUTH_SIGNING_KEY_FILES", json.dumps(files))
    monkeypatch.setenv("AUTH_DATABASE_URL", auth_settings.database_url)
    monkeypatch.setenv("AUTH_ENVIRONMENT", "test")
    rotated = AuthSettings()
    assert rotated.signing_key_files == [Path(f) for f in files]

    old_only = auth_settings.model_copy(
        update={"signing_keys": [SecretStr(old_pem.decode())], "admin_email": None}
    )
    async with app_client(create_app(old_only)) as before:
        issued = await before.post(
            "/auth/token",
            data={
                "grant_type": "password",
                "username": customer.email,
                "password": customer.password,
            },
        )
        old_token = issued.json()["access_token"]
        old_kid = jwt.get_unverified_header(old_token)["kid"]

    async with app_client(create_app(rotated)) as after:
        keys = (await after.get("/.well-known/jwks.json")).json()["keys"]
        assert len(keys) == 2
        assert keys[1]["kid"] == old_kid
        new_token = (
            await after.post(
                "/auth/token",
                data={
                    "grant_type": "password",
                    "username": customer.email,
                    "password": customer.password,
                },
            )
        ).json()["access_token"]
        assert jwt.get_unverified_header(new_token)["kid"] == keys[0]["kid"] != old_kid
        # A token signed with the older, still-published key keeps working (overlap).
        for token in (old_token, new_token):
            me = await after.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
            assert me.status_code == 200


def test_clients_and_keys_parse_from_the_environment(
    key_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret_file = key_dir / "orders_secret"
    secret_file.write_text("from-a-file\n")
    monkeypatch.setenv(
        "AUTH_CLIENTS",
        json.dumps({"orders": {"secret_file": str(secret_file), "scopes": ["catalog:reserve"]}}),
    )
    monkeypatch.setenv("AUTH_SIGNING_KEYS", json.dumps([new_rsa_pem().decode()]))
    settings = AuthSettings(environment="production", admin_email=None, admin_password=None)
    assert settings.clients["orders"].read_secret() == "from-a-file"
    assert settings.clients["orders"].scopes == ["catalog:reserve"]
    assert len(settings.signing_keys) == 1


def test_production_refuses_to_start_without_signing_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AUTH_SIGNING_KEYS", raising=False)
    monkeypatch.delenv("AUTH_SIGNING_KEY_FILES", raising=False)
    with pytest.raises(ValidationError, match="AUTH_SIGNING_KEY_FILES"):
        AuthSettings(environment="production")


async def test_a_key_is_generated_and_logged_when_none_is_configured(
    auth_settings: AuthSettings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="emporium.auth.keys")
    settings = auth_settings.model_copy(update={"signing_keys": [], "admin_email": None})
    async with app_client(create_app(settings)) as client:
        keys = (await client.get("/.well-known/jwks.json")).json()["keys"]
    assert len(keys) == 1
    assert any(
        "generated" in r.getMessage() and keys[0]["kid"] in r.getMessage() for r in caplog.records
    )


async def test_first_admin_is_created_once(
    auth_settings: AuthSettings, client: httpx.AsyncClient, admin_tokens: Any, admin_email: str
) -> None:
    # Starting another replica with the same settings must not fail or duplicate the admin.
    async with app_client(create_app(auth_settings)):
        pass
    engine = create_async_engine(auth_settings.database_url)
    try:
        async with engine.connect() as conn:
            count = await conn.scalar(
                text("SELECT count(*) FROM user_account WHERE email = :e"), {"e": admin_email}
            )
    finally:
        await engine.dispose()
    assert count == 1
    me = (await client.get("/auth/me", headers=admin_tokens.bearer)).json()
    assert me["email"] == admin_email
    assert me["roles"] == ["admin"]
