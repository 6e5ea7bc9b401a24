"""Local verification of RS256 access tokens against the JWKS."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from jose import jwt
from jose.exceptions import ExpiredSignatureError, JOSEError, JWTClaimsError

from emporium.servicekit.jwks import KeyProvider, KeyUnavailable
from emporium.servicekit.revocations import Revocations

ALGORITHMS = ["RS256"]
REQUIRED_CLAIMS = ("iss", "sub", "aud", "exp", "iat", "jti")
MAX_KID_LENGTH = 128  # ours are short; a longer one is refused before any key lookup


class InvalidToken(Exception):
    """The bearer token cannot be accepted; the message says why."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Verified claims of the caller."""

    subject: str
    scopes: frozenset[str]
    claims: dict[str, Any] = field(hash=False, compare=False)
    token: str = field(repr=False, hash=False, compare=False)

    @property
    def is_client(self) -> bool:
        """True for a service client (client-credentials grant)."""
        return "client_id" in self.claims and self.claims.get("client_id") == self.subject

    def has_scopes(self, *scopes: str) -> bool:
        """True when every scope in `scopes` was granted."""
        return set(scopes) <= self.scopes


class TokenVerifier:
    """Verify signature, algorithm, issuer, audience and expiry; cache verified tokens."""

    def __init__(
        self,
        keys: KeyProvider,
        *,
        issuer: str,
        audience: str,
        cache_size: int = 10_000,
        leeway_seconds: int = 0,
        revocations: Revocations | None = None,
    ) -> None:
        self.keys = keys
        self.revocations = revocations
        self.issuer = issuer
        self.audience = audience
        self._leeway = leeway_seconds
        self._cache: OrderedDict[str, Principal] = OrderedDict()
        self._cache_size = cache_size

    async def verify(self, token: str) -> Principal:
        """The principal of a valid token; InvalidToken, or KeySetUnavailable if auth is down."""
        principal = self._cache.get(token)
        if principal is not None and principal.claims["exp"] <= time.time():
            del self._cache[token]
            principal = None
        if principal is None:
            principal = await self._verify_uncached(token)
            self._cache[token] = principal
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(token)
        # Checked on every use, cached or not: the list changes while the token lives.
        if self.revocations is not None and self.revocations.current.revokes(principal.claims):
            raise InvalidToken("token has been revoked")
        return principal

    async def _verify_uncached(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except JOSEError as exc:
            raise InvalidToken("malformed token") from exc
        if header.get("alg") not in ALGORITHMS:
            raise InvalidToken(f"algorithm {header.get('alg')!r} is not accepted")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("token has no key id")
        if len(kid) > MAX_KID_LENGTH:
            raise InvalidToken("token key id is too long")
        try:
            key = await self.keys.get_key(kid)
        except KeyUnavailable as exc:
            raise InvalidToken(str(exc)) from exc
        if key.get("kty") != "RSA":  # never let a symmetric key verify an "RS256" token
            raise InvalidToken("the signing key is not an RSA key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                dict(key),
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={"leeway": self._leeway, **{f"require_{c}": True for c in REQUIRED_CLAIMS}},
            )
        except ExpiredSignatureError as exc:
            raise InvalidToken("token has expired") from exc
        except JWTClaimsError as exc:
            raise InvalidToken(f"invalid claims: {exc}") from exc
        except JOSEError as exc:
            raise InvalidToken("signature verification failed") from exc
        scope = claims.get("scope", "")
        if not isinstance(scope, str):
            raise InvalidToken("scope claim must be a string")
        return Principal(
            subject=str(claims["sub"]),
            scopes=frozenset(scope.split()),
            claims=claims,
            token=token,
        )
