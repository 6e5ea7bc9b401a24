"""Dependency aliases of the tokens domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Request

from emporium.auth.dependencies import ClientAddressDep, PasswordsDep, SettingsDep, ThrottleDep
from emporium.auth.keys.dependencies import KeyRingDep
from emporium.auth.tokens.clients import ClientRegistry
from emporium.auth.tokens.schemas import RevokeForm, TokenForm
from emporium.auth.tokens.service import TokenContext

TokenFormDep = Annotated[TokenForm, Form()]
RevokeFormDep = Annotated[RevokeForm, Form()]


async def get_token_context(
    request: Request,
    settings: SettingsDep,
    keyring: KeyRingDep,
    throttle: ThrottleDep,
    passwords: PasswordsDep,
    address: ClientAddressDep,
) -> TokenContext:
    """Keys, clients, throttle, hasher and the caller's address for the token endpoints."""
    clients: ClientRegistry = request.app.state.clients
    return TokenContext(
        settings=settings,
        keyring=keyring,
        clients=clients,
        throttle=throttle,
        passwords=passwords,
        address=address,
        authorization=request.headers.get("authorization"),
    )


TokenContextDep = Annotated[TokenContext, Depends(get_token_context)]
