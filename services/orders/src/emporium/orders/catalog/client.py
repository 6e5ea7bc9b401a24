"""Reserve, confirm and release stock in the catalog with the orders client's token."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from pydantic import ValidationError

from emporium.orders.catalog.schemas import Reservation, ReservationLine
from emporium.servicekit import BadGateway
from emporium.servicekit.service_client import ServiceClient

logger = logging.getLogger("emporium.orders.catalog")

CATALOG_SCOPE = "catalog:reserve"


class CatalogClient:
    """The catalog's reservation API; every call is idempotent, so every call may retry."""

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    async def reserve(self, order_id: uuid.UUID, lines: Sequence[ReservationLine]) -> Reservation:
        """Reserve every line for `order_id`, or raise (409 short stock, 422 unknown product)."""
        body = {
            "order_id": str(order_id),
            "items": [{"product_id": str(x.product_id), "quantity": x.quantity} for x in lines],
        }
        response = await self.client.post("/catalog/reservations", json=body, idempotent=True)
        try:
            return Reservation.model_validate_json(response.content)
        except ValidationError as exc:
            logger.error("unusable reservation answer for order %s: %s", order_id, exc)
            raise BadGateway("The catalog sent an unusable reservation.") from exc

    async def confirm(self, reservation_id: uuid.UUID) -> None:
        """Make the reservation permanent (the stock is sold)."""
        await self.client.post(f"/catalog/reservations/{reservation_id}/confirm", idempotent=True)

    async def release(self, reservation_id: uuid.UUID) -> None:
        """Give the reserved (or sold) stock back; releasing twice is a no-op."""
        await self.client.post(f"/catalog/reservations/{reservation_id}/release", idempotent=True)
