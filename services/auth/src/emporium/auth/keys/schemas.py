"""JWKS (RFC 7517) and authorization-server metadata (RFC 8414) documents."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class JWKSet(BaseModel):
    """The public signing keys."""

    keys: list[dict[str, Any]]


class ServerMetadata(BaseModel):
    """What an OAuth client needs to know about this authorization server."""

    issuer: str
    token_endpoint: str
    revocation_endpoint: str
    jwks_uri: str
    scopes_supported: list[str]
    response_types_supported: list[str]
    grant_types_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    revocation_endpoint_auth_methods_supported: list[str]
    service_documentation: str
