"""Bearer-token verification: the attacks a service must reject, claims and scopes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi import APIRouter
from jose import jwt
from pydantic_settings import SettingsConfigDict

from emporium.servicekit.app import create_app
from emporium.servicekit.security import PrincipalDep, require_scopes
from emporium.servicekit.settings import ServiceSettings
from emporium.servicekit.testing import TokenFactory, app_client


class GuardedSettings(ServiceSettings):
    """A service without a database, to test authentication alone."""

    model_config = SettingsConfigDict(env_prefix="GUARDED_", extra="ignore", frozen=True)
    service_name: ClassVar[str] = "guarded"
    uses_database: ClassVar[bool] = False


def guarded_router() -> APIRouter:
    """One route for any caller, one that needs `auth:admin`."""
    router = APIRouter(prefix="/guarded", tags=["guarded"])

    @router.get("/whoami")
    async def whoami(principal: PrincipalDep) -> dict[str, Any]:
        return {"sub": principal.subject, "scopes": sorted(principal.scopes)}

    @router.get("/admin", dependencies=[require_scopes("auth:admin")])
    async def admin() -> dict[str, bool]:
        return {"ok": True}

    return router


@pytest.fixture
async def guarded(token_factory: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:
    """A servicekit app that trusts only `token_factory`'s key."""
    app = create_app(
        GuardedSettings(log_json=False),
        routers=[guarded_router()],
        key_provider=token_factory.key_provider(),
    )
    async with app_client(app) as client:
        yield client


def b64url(data: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segments(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Header, claims and signature of a compact JWS."""
    header, payload, signature = token.split(".")
    return json.loads(_unb64url(header)), json.loads(_unb64url(payload)), signature


def _unb64url(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def unsigned(factory: TokenFactory) -> str:
    """`alg: none` with otherwise perfect claims."""
    _, claims, _ = segments(factory.issue(scopes="auth:admin"))
    header = {"alg": "none", "typ": "JWT", "kid": factory.kid}
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}."


def hs256_with_public_key(factory: TokenFactory) -> str:
    """HS256 signed with the RSA *public* key PEM as the HMAC secret (algorithm confusion)."""
    _, claims, _ = segments(factory.issue(scopes="auth:admin"))
    header = {"alg": "HS256", "typ": "JWT", "kid": factory.kid}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    private = serialization.load_pem_private_key(factory.private_pem, password=None)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def tampered(factory: TokenFactory) -> str:
    """A genuine token whose payload was edited to add a scope (signature unchanged)."""
    token = factory.issue(scopes="")
    _, claims, signature = segments(token)
    claims["scope"] = "auth:admin"
    return f"{token.split('.')[0]}.{b64url(json.dumps(claims).encode())}.{signature}"


def foreign_unknown_kid(_: TokenFactory) -> str:
    """Signed by an attacker's key under a kid nobody published."""
    return TokenFactory().issue(scopes="auth:admin")


def foreign_known_kid(factory: TokenFactory) -> str:
    """Signed by an attacker's key but claiming the trusted kid."""
    return TokenFactory().issue(scopes="auth:admin", headers={"kid": factory.kid})


ATTACKS: dict[str, Callable[[TokenFactory], str]] = {
    "alg-none": unsigned,
    "hs256-with-rsa-public-key": hs256_with_public_key,
    "expired": lambda f: f.issue(scopes="auth:admin", ttl=-5),
    "wrong-issuer": lambda f: f.issue(scopes="auth:admin", iss="https://evil.example"),
    "wrong-audience": lambda f: f.issue(scopes="auth:admin", aud="someone-else"),
    "tampered-payload": tampered,
    "unknown-kid-foreign-key": foreign_unknown_kid,
    "trusted-kid-foreign-key": foreign_known_kid,
    "no-kid": lambda f: f.issue(headers={"kid": None}),
    "kid-not-latin-1": lambda f: f.issue(headers={"kid": "ключ-🔑"}),
    "kid-with-quotes-and-line-breaks": lambda f: f.issue(headers={"kid": 'k"\\\r\nX-Evil: 1'}),
    "huge-kid": lambda f: f.issue(headers={"kid": "k" * 20_000}),
    "not-a-jwt": lambda f: "definitely.not.a-jwt",
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
async def test_forged_or_invalid_tokens_get_401_with_a_bearer_challenge(
    guarded: httpx.AsyncClient, token_factory: TokenFactory, attack: str
) -> None:
    token = ATTACKS[attack](token_factory)
    for path in ("/guarded/whoami", "/guarded/admin"):
        response = await guarded.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, (attack, path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        challenge = response.headers["www-authenticate"]
        assert challenge.startswith('Bearer realm="emporium"')
        assert 'error="invalid_token"' in challenge
        assert "x-evil" not in response.headers
        assert len(challenge) < 400
        # RFC 6750 §3: the challenge's quoted values hold printable ASCII but `"` and `\`.
        description = challenge.partition('error_description="')[2].rpartition('"')[0]
        assert all(0x20 <= ord(c) <= 0x7E and c not in '"\\' for c in description)
        assert response.json()["status"] == 401


async def test_missing_claims_are_rejected(
    guarded: httpx.AsyncClient, token_factory: TokenFactory
) -> None:
    for claim in ("exp", "sub", "jti", "iat"):
        header, claims, _ = segments(token_factory.issue())
        del claims[claim]
        token = jwt.encode(
            claims, token_factory.private_pem.decode(), algorithm="RS256", headers=header
        )
        response = await guarded.get(
            "/guarded/whoami", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401, claim


async def test_valid_token_is_accepted(
    guarded: httpx.AsyncClient, token_factory: TokenFactory
) -> None:
    token = token_factory.issue("user-1", "catalog:write auth:admin")
    response = await guarded.get("/guarded/whoami", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json() == {"sub": "user-1", "scopes": ["auth:admin", "catalog:write"]}
    assert (
        await guarded.get("/guarded/admin", headers={"Authorization": f"Bearer {token}"})
    ).status_code == 200


async def test_missing_scope_is_403_insufficient_scope(
    guarded: httpx.AsyncClient, token_factory: TokenFactory
) -> None:
    token = token_factory.issue("user-2", "catalog:write")
    response = await guarded.get("/guarded/admin", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["auth:admin"]
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    assert 'scope="auth:admin"' in response.headers["www-authenticate"]


async def test_no_token_is_401_without_an_error_code(guarded: httpx.AsyncClient) -> None:
    response = await guarded.get("/guarded/whoami")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="emporium"'


def test_openapi_declares_the_password_flow(token_factory: TokenFactory) -> None:
    app = create_app(
        GuardedSettings(log_json=False),
        routers=[guarded_router()],
        scopes={"auth:admin": "Manage user accounts."},
    )
    scheme = app.openapi()["components"]["securitySchemes"]["OAuth2"]
    assert scheme["flows"]["password"]["tokenUrl"] == "/auth/token"
    assert "auth:admin" in scheme["flows"]["password"]["scopes"]
