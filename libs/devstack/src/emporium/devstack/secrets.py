"""Development secrets kept in the data folder: the JWT signing key and client secrets."""

from __future__ import annotations

import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(data)


def ensure_signing_key(path: Path) -> Path:
    """Create an RSA-2048 PEM at `path` unless one is there; return the path."""
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_private(path, pem)
    return path


def ensure_secret(path: Path) -> Path:
    """Create a random URL-safe secret at `path` unless one is there; return the path."""
    if not path.exists():
        _write_private(path, secrets.token_urlsafe(32).encode())
    return path
