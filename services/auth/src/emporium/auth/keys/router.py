"""`/.well-known` documents: the JWKS and the RFC 8414 metadata."""

from __future__ import annotations

from fastapi import APIRouter, Response

from emporium.auth.dependencies import SettingsDep
from emporium.auth.keys.dependencies import KeyRingDep
from emporium.auth.keys.schemas import JWKSet, ServerMetadata
from emporium.auth.users.roles import ISSUED_SCOPES

router = APIRouter(prefix="/.well-known", tags=["keys"])

CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]


@router.get("/jwks.json", summary="Public signing keys (JWKS)")
async def jwks(keyring: KeyRingDep, response: Response) -> JWKSet:
    """Every key a valid access token may be signed with; the first one signs new tokens."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return JWKSet(keys=keyring.public_jwks())


@router.get("/oauth-authorization-server", summary="Authorization server metadata")
async def metadata(settings: SettingsDep, response: Response) -> ServerMetadata:
    """RFC 8414 metadata; endpoints are given under the public issuer URL."""
    base = settings.jwt_issuer.rstrip("/")
    response.headers["Cache-Control"] = "public, max-age=300"
    return ServerMetadata(
        issuer=settings.jwt_issuer,
        token_endpoint=f"{base}/auth/token",
        revocation_endpoint=f"{base}/auth/revoke",
        jwks_uri=f"{base}/.well-known/jwks.json",
        scopes_supported=sorted(ISSUED_SCOPES),
        response_types_supported=[],
        grant_types_supported=["password", "refresh_token", "client_credentials"],
        token_endpoint_auth_methods_supported=CLIENT_AUTH_METHODS,
        revocation_endpoint_auth_methods_supported=CLIENT_AUTH_METHODS,
        service_documentation=f"{base}/docs",
    )
