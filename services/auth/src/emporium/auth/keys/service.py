"""Load, generate and publish the RS256 signing keys."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt

from emporium.auth.settings import AuthSettings

ALGORITHM = "RS256"
MIN_KEY_BITS = 2048

logger = logging.getLogger("emporium.auth.keys")


class KeyConfigurationError(RuntimeError):
    """The configured signing keys cannot be used."""


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class SigningKey:
    """One RSA key pair: the private PEM signs, the public JWK is published."""

    kid: str
    private_pem: str = field(repr=False)
    public_jwk: dict[str, Any] = field(compare=False)
    _signer: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_signer", jwk.construct(self.private_pem, ALGORITHM))

    def sign(self, claims: dict[str, Any]) -> str:
        """A compact JWS of `claims`, RS256 with this key's `kid` in the header."""
        return str(jwt.encode(claims, self._signer, algorithm=ALGORITHM, headers={"kid": self.kid}))

    @classmethod
    def from_pem(cls, pem: str | bytes) -> SigningKey:
        """Parse a PEM private key (PKCS#1 or PKCS#8, unencrypted RSA >= 2048 bits)."""
        data = pem.encode() if isinstance(pem, str) else pem
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError) as exc:
            raise KeyConfigurationError(f"not an unencrypted PEM private key: {exc}") from exc
        if not isinstance(key, rsa.RSAPrivateKey):
            raise KeyConfigurationError("signing keys must be RSA keys")
        if key.key_size < MIN_KEY_BITS:
            raise KeyConfigurationError(f"RSA signing keys need at least {MIN_KEY_BITS} bits")
        numbers = key.public_key().public_numbers()
        members = {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)}
        canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
        kid = base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()
        private_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        jwk = {**members, "kid": kid, "use": "sig", "alg": ALGORITHM}
        return cls(kid=kid, private_pem=private_pem, public_jwk=jwk)

    @classmethod
    def generate(cls) -> SigningKey:
        """A fresh 2048-bit RSA key."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=MIN_KEY_BITS)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return cls.from_pem(pem)


class KeyRing:
    """The configured keys: the first one signs, all are published (rotation overlap)."""

    def __init__(self, keys: Sequence[SigningKey]) -> None:
        if not keys:
            raise KeyConfigurationError("at least one signing key is needed")
        kids = [k.kid for k in keys]
        if len(set(kids)) != len(kids):
            raise KeyConfigurationError("the same signing key is configured twice")
        self.keys = tuple(keys)

    @property
    def signing_key(self) -> SigningKey:
        """The key new tokens are signed with."""
        return self.keys[0]

    def public_jwks(self) -> list[dict[str, Any]]:
        """Every public key as a JWK, the signing key first."""
        return [dict(k.public_jwk) for k in self.keys]


def load_keyring(settings: AuthSettings) -> KeyRing:
    """Keys from AUTH_SIGNING_KEY_FILES then AUTH_SIGNING_KEYS; generated in development/test."""
    keys: list[SigningKey] = []
    for path in settings.signing_key_files:
        try:
            pem = path.read_bytes()
        except OSError as exc:
            raise KeyConfigurationError(f"cannot read signing key file {path}: {exc}") from exc
        keys.append(SigningKey.from_pem(pem))
    keys.extend(SigningKey.from_pem(s.get_secret_value()) for s in settings.signing_keys)
    if keys:
        logger.info("loaded %d signing key(s); signing with kid %s", len(keys), keys[0].kid)
        return KeyRing(keys)
    if settings.environment == "production":
        raise KeyConfigurationError("no signing key configured (AUTH_SIGNING_KEY_FILES)")
    key = SigningKey.generate()
    logger.warning(
        "no signing key configured: generated an ephemeral RSA key (kid %s); tokens will "
        "not survive a restart. Set AUTH_SIGNING_KEY_FILES to keep them.",
        key.kid,
    )
    return KeyRing([key])
