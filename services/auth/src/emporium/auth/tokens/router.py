"""`POST /auth/token` (RFC 6749) and `POST /auth/revoke` (RFC 7009)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from emporium.auth.tokens import service
from emporium.auth.tokens.dependencies import RevokeFormDep, TokenContextDep, TokenFormDep
from emporium.auth.tokens.exceptions import NO_STORE, OAuthError
from emporium.auth.tokens.schemas import OAuthErrorBody, TokenResponse
from emporium.servicekit.db import SessionDep
from emporium.servicekit.openapi import RETRY_AFTER_HEADER

router = APIRouter(prefix="/auth", tags=["tokens"])

OAUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": OAuthErrorBody, "description": "RFC 6749 §5.2 error"},
    401: {
        "model": OAuthErrorBody,
        "description": "invalid_client",
        "headers": {
            "WWW-Authenticate": {
                "description": "The client authentication challenge (HTTP Basic).",
                "required": True,
                "schema": {"type": "string"},
            }
        },
    },
    429: {
        "model": OAuthErrorBody,
        "description": "Too many failed attempts (Retry-After)",
        "headers": {"Retry-After": RETRY_AFTER_HEADER},
    },
}


@router.post(
    "/token", summary="Token endpoint", response_model=TokenResponse, responses=OAUTH_ERRORS
)
async def token(form: TokenFormDep, ctx: TokenContextDep, session: SessionDep) -> Response:
    """Exchange a password, a refresh token or client credentials for tokens."""
    try:
        issued = await service.exchange(form, ctx=ctx, session=session)
    except OAuthError as exc:  # returned, not raised: failure counters must be committed
        return exc.response()
    body = TokenResponse(
        access_token=issued.access_token,
        expires_in=issued.expires_in,
        refresh_token=issued.refresh_token,
        scope=issued.scope,
    )
    return JSONResponse(body.model_dump(exclude_none=True), headers=NO_STORE)


@router.post(
    "/revoke",
    summary="Revoke a refresh token",
    response_class=Response,
    responses={
        200: {"description": "Revoked, or not a valid token (RFC 7009 §2.2)."},
        **OAUTH_ERRORS,
    },
)
async def revoke(form: RevokeFormDep, ctx: TokenContextDep, session: SessionDep) -> Response:
    """Revoke a refresh token and every token rotated from the same sign-in."""
    try:
        await service.revoke(form, ctx=ctx, session=session)
    except OAuthError as exc:
        return exc.response()
    return Response(status_code=200, headers=NO_STORE)
