"""Dependency aliases of the reservations domain."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from emporium.catalog.reservations import service
from emporium.catalog.reservations.models import Reservation
from emporium.servicekit import SessionDep


async def valid_reservation(reservation_id: uuid.UUID, session: SessionDep) -> Reservation:
    """The reservation named by the path, or a 404 problem."""
    return await service.get_reservation(reservation_id, session=session)


ReservationDep = Annotated[Reservation, Depends(valid_reservation)]
