"""Start-up work of the auth app: service clients, throttle, the first administrator."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.auth.settings import AuthSettings
from emporium.auth.tokens.clients import ClientRegistry
from emporium.auth.tokens.throttle import Throttle
from emporium.auth.users.service import ensure_admin

logger = logging.getLogger("emporium.auth")


def make_throttle(settings: AuthSettings) -> Throttle:
    """The brute-force throttle configured from settings."""
    return Throttle(
        window_seconds=settings.login_failure_window_seconds,
        limits={
            "user": settings.login_max_failures,
            "addr": settings.login_max_failures_per_address,
        },
    )


async def create_first_admin(
    settings: AuthSettings, sessionmaker: async_sessionmaker[AsyncSession]
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
        )
    if not created:
        logger.info("the administrator account %s already exists", settings.admin_email)


async def _purge_loop(
    throttle: Throttle, sessionmaker: async_sessionmaker[AsyncSession], interval: float
) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            async with sessionmaker() as session, session.begin():
                await throttle.purge_expired(session=session)
        except Exception:  # the next round tries again; never let the task die
            logger.warning("could not purge expired login counters", exc_info=True)


@asynccontextmanager
async def auth_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Hash client secrets, build the throttle, ensure the first admin, purge counters."""
    settings: AuthSettings = app.state.settings
    sessionmaker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    app.state.clients = await ClientRegistry.from_config(settings.clients)
    app.state.throttle = throttle = make_throttle(settings)
    await create_first_admin(settings, sessionmaker)
    interval = max(settings.login_failure_window_seconds, 60.0)
    purge = asyncio.create_task(_purge_loop(throttle, sessionmaker, interval))
    try:
        yield
    finally:
        purge.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await purge
