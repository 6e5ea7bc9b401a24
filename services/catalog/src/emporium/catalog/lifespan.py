"""What the catalog app runs while it is up: the reservation expiry sweeper."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from emporium.catalog.reservations.expiry import reservation_sweeper


@asynccontextmanager
async def catalog_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Expire overdue reservations (and give their stock back) while the app runs."""
    async with reservation_sweeper(app):
        yield
