"""The lifespan-owned task that expires overdue reservations (safe with many replicas)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.catalog.reservations.service import expire_due_reservations
from emporium.catalog.settings import CatalogSettings
from emporium.servicekit.background import periodic

logger = logging.getLogger("emporium.catalog.expiry")


async def sweep_once(sessionmaker: async_sessionmaker[AsyncSession], *, batch: int) -> int:
    """Expire every overdue pending reservation, one committed batch at a time."""
    total = 0
    while True:
        async with sessionmaker() as session, session.begin():
            expired = await expire_due_reservations(batch=batch, session=session)
        total += expired
        if expired < batch:
            return total


@contextlib.asynccontextmanager
async def reservation_sweeper(app: FastAPI) -> AsyncIterator[None]:
    """Sweep every `reservation_sweep_interval` seconds while the app runs."""
    settings: CatalogSettings = app.state.settings
    sessionmaker: async_sessionmaker[AsyncSession] = app.state.sessionmaker

    async def sweep() -> None:
        expired = await sweep_once(sessionmaker, batch=settings.reservation_sweep_batch)
        if expired:
            logger.info("expired %d reservation(s) and returned their stock", expired)

    interval = settings.reservation_sweep_interval
    async with periodic(sweep, interval=interval, name="catalog-reservation-sweeper") as task:
        app.state.reservation_sweeper = task
        yield
