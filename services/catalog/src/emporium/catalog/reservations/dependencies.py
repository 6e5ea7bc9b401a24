"""Dependency aliases of the reservations domain."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from emporium.catalog.dependencies import StockReserverDep
from emporium.catalog.reservations import service
from emporium.catalog.reservations.models import Reservation
from emporium.servicekit.db import SessionDep


async def valid_reservation(
    reservation_id: uuid.UUID, client: StockReserverDep, session: SessionDep
) -> Reservation:
    """The caller's reservation named by the path; anyone else's is a 404 like a missing one."""
    return await service.get_reservation(reservation_id, client_id=client.subject, session=session)


ReservationDep = Annotated[Reservation, Depends(valid_reservation)]
