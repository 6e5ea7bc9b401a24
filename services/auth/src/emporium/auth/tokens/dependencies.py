"""Dependency aliases of the tokens domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Request

from emporium.auth.dependencies import SettingsDep
from emporium.auth.keys.dependencies import KeyRingDep
from emporium.auth.tokens.addresses import client_address
from emporium.auth.tokens.clients import ClientRegistry
from emporium.auth.tokens.schemas import RevokeForm, TokenForm
from emporium.auth.tokens.service import TokenContext
from emporium.auth.tokens.throttle import Throttle

TokenFormDep = Annotated[TokenForm, Form()]
RevokeFormDep = Annotated[RevokeForm, Form()]


async def get_token_context(
    request: Request, settings: SettingsDep, keyring: KeyRingDep
) -> TokenContext:
    """Keys, clients, throttle and the caller's address for the token endpoints."""
    clients: ClientRegistry = request.app.state.clients
    throttle: Throttle = request.app.state.throttle
    address = client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        settings.trusted_proxies,
    )
    return TokenContext(
        settings=settings,
        keyring=keyring,
        clients=clients,
        throttle=throttle,
        address=address,
        authorization=request.headers.get("authorization"),
    )


TokenContextDep = Annotated[TokenContext, Depends(get_token_context)]
