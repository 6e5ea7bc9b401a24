"""The lifespan-owned task that settles stock releases the cancel requests could not."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from emporium.orders.releases.service import settle_due
from emporium.orders.settings import OrdersSettings
from emporium.servicekit.background import periodic

logger = logging.getLogger("emporium.orders.releases")


@contextlib.asynccontextmanager
async def stock_release_relay(app: FastAPI) -> AsyncIterator[None]:
    """Settle owed releases every interval while the app runs (safe with many replicas)."""
    settings: OrdersSettings = app.state.settings

    async def relay() -> None:
        settled = await settle_due(
            sessionmaker=app.state.sessionmaker,
            catalog=app.state.catalog_client,
            batch=settings.stock_release_batch,
        )
        if settled:
            logger.info("settled %d owed stock release(s) with the catalog", settled)

    interval = settings.stock_release_interval_seconds
    async with periodic(relay, interval=interval, name="orders-stock-release-relay") as task:
        app.state.stock_release_relay = task
        yield
