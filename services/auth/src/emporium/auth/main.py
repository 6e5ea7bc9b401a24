"""Auth app factory (`uvicorn --factory emporium.auth.main:create_app`)."""

from __future__ import annotations

from fastapi import FastAPI

from emporium.auth.keys.router import router as keys_router
from emporium.auth.keys.service import load_keyring
from emporium.auth.lifespan import auth_lifespan, revocations_from_database
from emporium.auth.revocations.router import router as revocations_router
from emporium.auth.settings import AuthSettings, get_settings
from emporium.auth.tokens.router import router as tokens_router
from emporium.auth.users.roles import SCOPES
from emporium.auth.users.router import admin_router as users_admin_router
from emporium.auth.users.router import router as users_router
from emporium.servicekit.app import create_app as create_service_app
from emporium.servicekit.jwks import KeyProvider, StaticKeys

TAGS = [
    {"name": "tokens", "description": "OAuth2 token and revocation endpoints (RFC 6749, 7009)."},
    {"name": "users", "description": "Registration, the caller's account, administration."},
    {"name": "keys", "description": "Public signing keys and server metadata."},
]


def create_app(
    settings: AuthSettings | None = None, *, key_provider: KeyProvider | None = None
) -> FastAPI:
    """Build the auth app; it verifies its own tokens with its own keys unless told otherwise."""
    settings = settings or get_settings()
    keyring = load_keyring(settings)
    app = create_service_app(
        settings,
        routers=[tokens_router, users_router, users_admin_router, keys_router, revocations_router],
        lifespan=auth_lifespan,
        key_provider=key_provider or StaticKeys(keyring.public_jwks()),
        revocation_source=revocations_from_database,
        description="OAuth2 authorization server: accounts, tokens and signing keys.",
        openapi_tags=TAGS,
        scopes=SCOPES,
    )
    app.state.keyring = keyring
    return app
