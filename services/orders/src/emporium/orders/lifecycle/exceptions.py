"""Errors of the orders domain (servicekit domain errors with order-specific wording)."""

from __future__ import annotations

import uuid

from emporium.servicekit.errors import Conflict, NotFound


class OrderNotFound(NotFound):
    """No such order, or not one the caller may see."""

    def __init__(self, order_id: uuid.UUID) -> None:
        super().__init__(f"Order {order_id} was not found.")


class InvalidTransition(Conflict):
    """The order's status does not allow the requested change."""

    slug = "invalid-transition"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(
            f"The order cannot go from {current} to {target}.",
            extra={"from_status": current, "to_status": target},
        )
