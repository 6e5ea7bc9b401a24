"""The auth app's lifespan: password hashing, client secrets, throttle, the first admin."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.auth.passwords import PasswordHasher, default_concurrency
from emporium.auth.revocations import service as revocations
from emporium.auth.settings import AuthSettings
from emporium.auth.tokens.clients import ClientRegistry
from emporium.auth.tokens.throttle import DelayRule, Throttle
from emporium.auth.users.service import ensure_admin
from emporium.servicekit.background import periodic
from emporium.servicekit.revocations import RevocationList, RevocationSource

logger = logging.getLogger("emporium.auth")


def make_throttle(settings: AuthSettings) -> Throttle:
    """The brute-force throttle configured from settings."""
    login = {
        "base_seconds": settings.login_delay_base_seconds,
        "max_seconds": settings.login_delay_max_seconds,
        "forget_after_seconds": settings.login_forget_after_seconds,
    }
    return Throttle(
        {
            "pair": DelayRule(free=settings.login_free_failures, **login),
            "addr": DelayRule(free=settings.login_free_failures_per_address, **login),
            "register": DelayRule(
                free=settings.registrations_free_per_address,
                base_seconds=settings.registration_delay_base_seconds,
                max_seconds=settings.registration_delay_max_seconds,
                forget_after_seconds=settings.registration_forget_after_seconds,
            ),
        }
    )


async def create_first_admin(
    settings: AuthSettings,
    sessionmaker: async_sessionmaker[AsyncSession],
    passwords: PasswordHasher,
) -> None:
    """Create AUTH_ADMIN_EMAIL with AUTH_ADMIN_PASSWORD unless that account exists."""
    if settings.admin_email is None or settings.admin_password is None:
        return
    async with sessionmaker() as session, session.begin():
        created = await ensure_admin(
            settings.admin_email,
            settings.admin_password.get_secret_value(),
            settings.admin_full_name,
            session=session,
            passwords=passwords,
        )
    if not created:
        logger.info("the administrator account %s already exists", settings.admin_email)


def make_password_hasher(settings: AuthSettings) -> PasswordHasher:
    """The bounded password hasher configured from settings."""
    return PasswordHasher(
        concurrency=settings.password_hash_concurrency or default_concurrency(),
        queue=settings.password_hash_queue,
    )


def revocations_from_database(app: FastAPI) -> RevocationSource:
    """Auth reads its own revocation list from its database, not over HTTP."""
    settings: AuthSettings = app.state.settings
    sessionmaker: async_sessionmaker[AsyncSession] = app.state.sessionmaker

    async def read() -> RevocationList:
        async with sessionmaker() as session:
            return await revocations.revocation_list(settings=settings, session=session)

    return read


@asynccontextmanager
async def auth_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Hash client secrets, build the throttle, ensure the first admin, purge counters."""
    settings: AuthSettings = app.state.settings
    sessionmaker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    app.state.passwords = passwords = make_password_hasher(settings)
    app.state.clients = await ClientRegistry.from_config(settings.clients, passwords)
    app.state.throttle = throttle = make_throttle(settings)
    await create_first_admin(settings, sessionmaker, passwords)

    async def purge() -> None:
        async with sessionmaker() as session, session.begin():
            await throttle.purge_expired(session=session)
            await revocations.purge_expired(session=session)

    interval = max(settings.login_forget_after_seconds, 60.0)
    async with periodic(purge, interval=interval, name="auth-throttle-purge"):
        yield
