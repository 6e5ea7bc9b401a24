"""Reserve, confirm and release stock in the catalog with the orders client's token."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from pydantic import ValidationError

from emporium.orders.catalog.exceptions import refusal
from emporium.orders.catalog.schemas import Reservation, ReservationLine
from emporium.servicekit.errors import BadGateway, Conflict
from emporium.servicekit.service_client import ServiceClient

logger = logging.getLogger("emporium.orders.catalog")

CATALOG_SCOPE = "catalog:reserve"


class CatalogClient:
    """The catalog's reservation API; every call is idempotent, so every call may retry."""

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    async def sell(self, order_id: uuid.UUID, lines: Sequence[ReservationLine]) -> Reservation:
        """Reserve and confirm every line for `order_id` in one catalog transaction.

        Idempotent on the order id: repeating it answers with what the catalog did (and
        sells at most once). Raises the Conflict of `catalog.exceptions` that the catalog's
        problem type names (short stock, the order's reservation released or expired, ...),
        InvalidInput (unknown product), `NotDelivered` when the call never reached the
        catalog, other `ServiceUnavailable`/`BadGateway` when the outcome is unknown.
        """
        body = {
            "order_id": str(order_id),
            "items": [{"product_id": str(x.product_id), "quantity": x.quantity} for x in lines],
            "confirm": True,
        }
        try:
            response = await self.client.post("/catalog/reservations", json=body, idempotent=True)
        except Conflict as exc:
            raise refusal(exc) from exc
        try:
            return Reservation.model_validate_json(response.content)
        except ValidationError as exc:
            logger.error("unusable reservation answer for order %s: %s", order_id, exc)
            raise BadGateway("The catalog sent an unusable reservation.") from exc

    async def release(self, reservation_id: uuid.UUID) -> None:
        """Give the reserved (or sold) stock back; releasing twice is a no-op."""
        await self.client.post(f"/catalog/reservations/{reservation_id}/release", idempotent=True)
