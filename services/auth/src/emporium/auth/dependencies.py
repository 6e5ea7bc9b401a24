"""Service-wide dependency aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.auth.passwords import PasswordHasher
from emporium.auth.settings import AuthSettings
from emporium.auth.tokens.addresses import client_address
from emporium.auth.tokens.throttle import Throttle


async def get_app_settings(request: Request) -> AuthSettings:
    """The settings the app was built with."""
    settings: AuthSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[AuthSettings, Depends(get_app_settings)]


async def get_passwords(request: Request) -> PasswordHasher:
    """The app's bounded password hasher."""
    passwords: PasswordHasher = request.app.state.passwords
    return passwords


PasswordsDep = Annotated[PasswordHasher, Depends(get_passwords)]


async def get_throttle(request: Request) -> Throttle:
    """The app's brute-force throttle."""
    throttle: Throttle = request.app.state.throttle
    return throttle


ThrottleDep = Annotated[Throttle, Depends(get_throttle)]


async def get_client_address(request: Request, settings: SettingsDep) -> str:
    """The caller's address, through the trusted proxies only."""
    return client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        settings.trusted_proxies,
    )


ClientAddressDep = Annotated[str, Depends(get_client_address)]


async def get_sessionmaker(request: Request) -> async_sessionmaker[AsyncSession]:
    """The app's session factory, for work that must commit apart from the request's session."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    return sessionmaker


SessionmakerDep = Annotated[async_sessionmaker[AsyncSession], Depends(get_sessionmaker)]


async def no_store(response: Response) -> None:
    """Account data must not be kept by browsers or shared caches."""
    response.headers["Cache-Control"] = "no-store"


NoStore = Depends(no_store)
