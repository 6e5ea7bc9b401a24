"""Mint access tokens (RS256 JWTs) and opaque refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from emporium.auth.keys.service import KeyRing
from emporium.auth.settings import AuthSettings
from emporium.auth.tokens.exceptions import invalid_scope
from emporium.auth.users.roles import ISSUED_SCOPES
from emporium.servicekit.revocations import GENERATION_CLAIM


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    """What a successful token request returns."""

    access_token: str
    expires_in: int
    scope: str
    refresh_token: str | None = None


def format_scope(scopes: Iterable[str]) -> str:
    """Scopes as the space-separated string OAuth uses (sorted, stable)."""
    return " ".join(sorted(set(scopes)))


def requested_scopes(raw: str | None) -> frozenset[str] | None:
    """The scopes in a `scope` parameter (None when absent or blank); unknown ones fail."""
    if raw is None or not raw.strip():
        return None
    scopes = frozenset(raw.split())
    unknown = scopes - ISSUED_SCOPES
    if unknown:
        raise invalid_scope(f"Unknown scope(s): {format_scope(unknown)}.")
    return scopes


def narrow(requested: frozenset[str] | None, allowed: frozenset[str]) -> frozenset[str]:
    """The requested scopes if all are allowed (all allowed ones when none requested)."""
    if requested is None:
        return allowed
    beyond = requested - allowed
    if beyond:
        raise invalid_scope(f"The scope(s) {format_scope(beyond)} may not be granted here.")
    return requested


def access_token(
    keyring: KeyRing,
    settings: AuthSettings,
    *,
    subject: str,
    scopes: Iterable[str],
    client_id: str | None = None,
    generation: int | None = None,
) -> str:
    """A signed access token for `subject` with the project's claims."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "sub": subject,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + settings.access_token_ttl,
        "jti": uuid.uuid4().hex,
        "scope": format_scope(scopes),
    }
    if client_id is not None:
        claims["client_id"] = client_id
    if generation is not None:
        claims[GENERATION_CLAIM] = generation
    return keyring.signing_key.sign(claims)


def new_refresh_token() -> tuple[str, str]:
    """A fresh opaque refresh token and the hash it is stored under."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """SHA-256 hex of a refresh token (the token has 256 random bits; no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()
