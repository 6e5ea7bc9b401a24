"""The lifespan-owned task that expires overdue reservations (safe with many replicas)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from prometheus_client import Counter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.catalog.reservations.service import expire_due_reservations
from emporium.catalog.settings import CatalogSettings
from emporium.servicekit.background import periodic
from emporium.servicekit.metrics import Metrics

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


def _expired_counter(app: FastAPI) -> Counter:
    counter: Counter | None = getattr(app.state, "reservations_expired", None)
    if counter is None:  # registered once per app, however often its lifespan runs
        metrics: Metrics = app.state.metrics
        counter = metrics.counter(
            "catalog_reservations_expired",
            "Pending reservations that expired and gave their stock back.",
        ).labels(metrics.service)
        app.state.reservations_expired = counter
    return counter


@contextlib.asynccontextmanager
async def reservation_sweeper(app: FastAPI) -> AsyncIterator[None]:
    """Sweep every `reservation_sweep_interval` seconds while the app runs."""
    settings: CatalogSettings = app.state.settings
    sessionmaker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    expired_total = _expired_counter(app)

    async def sweep() -> None:
        expired = await sweep_once(sessionmaker, batch=settings.reservation_sweep_batch)
        expired_total.inc(expired)
        if expired:
            logger.info("expired %d reservation(s) and returned their stock", expired)

    interval = settings.reservation_sweep_interval
    async with periodic(sweep, interval=interval, name="catalog-reservation-sweeper") as task:
        app.state.reservation_sweeper = task
        yield
