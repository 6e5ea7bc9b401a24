"""Owe a release in the order's transaction; settle it with the catalog after the commit.

Cancelling writes the order's new status and the release it owes in one transaction, so the
two cannot disagree: a crash or a failed commit leaves neither, a committed cancel always
leaves the debt. The catalog is called only after the commit (releasing is idempotent, so
settling twice is harmless); what cannot be settled at once is settled by the relay task.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.orders.catalog.client import CatalogClient
from emporium.orders.releases.models import StockRelease
from emporium.servicekit.errors import DomainError, NotFound

logger = logging.getLogger("emporium.orders.releases")


async def owe(*, session: AsyncSession, order_id: uuid.UUID, reservation_id: uuid.UUID) -> None:
    """In the caller's transaction: the reservation's stock must go back to the catalog."""
    session.add(StockRelease(reservation_id=reservation_id, order_id=order_id))
    await session.flush()


async def settle(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    catalog: CatalogClient,
    reservation_id: uuid.UUID,
) -> bool:
    """Release the stock and strike the debt; False (the debt stays) when the catalog fails."""
    try:
        await catalog.release(reservation_id)
    except NotFound:
        logger.warning("the catalog knows no reservation %s; nothing to release", reservation_id)
    except DomainError as exc:
        logger.warning("release of reservation %s waits: %s", reservation_id, exc.detail)
        return False
    async with sessionmaker() as session, session.begin():
        await session.execute(
            delete(StockRelease).where(StockRelease.reservation_id == reservation_id)
        )
    return True


async def settle_due(
    *, sessionmaker: async_sessionmaker[AsyncSession], catalog: CatalogClient, batch: int
) -> int:
    """Settle up to `batch` owed releases, oldest first; stop at the first failure."""
    async with sessionmaker() as session:
        owed = (
            await session.scalars(
                select(StockRelease.reservation_id).order_by(StockRelease.created_at).limit(batch)
            )
        ).all()
    settled = 0
    for reservation_id in owed:
        if not await settle(
            sessionmaker=sessionmaker, catalog=catalog, reservation_id=reservation_id
        ):
            break
        settled += 1
    return settled
