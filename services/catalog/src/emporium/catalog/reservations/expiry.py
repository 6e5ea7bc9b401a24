"""The lifespan-owned task that expires overdue reservations (safe with many replicas)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.catalog.reservations.service import expire_due_reservations
from emporium.catalog.settings import CatalogSettings

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


async def run_sweeper(
    sessionmaker: async_sessionmaker[AsyncSession], settings: CatalogSettings
) -> None:
    """Sweep every `reservation_sweep_interval` seconds until cancelled; errors are logged."""
    while True:
        try:
            expired = await sweep_once(sessionmaker, batch=settings.reservation_sweep_batch)
        except Exception:
            logger.exception("reservation sweep failed; retrying next interval")
        else:
            if expired:
                logger.info("expired %d reservation(s) and returned their stock", expired)
        await asyncio.sleep(settings.reservation_sweep_interval)


@contextlib.asynccontextmanager
async def reservation_sweeper(app: FastAPI) -> AsyncIterator[None]:
    """Run the sweeper while the app runs; cancel it and wait for it at shutdown."""
    settings: CatalogSettings = app.state.settings
    task = asyncio.create_task(
        run_sweeper(app.state.sessionmaker, settings), name="catalog-reservation-sweeper"
    )
    app.state.reservation_sweeper = task
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
