"""Errors of the orders domain (servicekit domain errors with order-specific wording)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

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


class InsufficientStock(Conflict):
    """The catalog does not have enough stock for some lines."""

    slug = "insufficient-stock"

    def __init__(self, extra: Mapping[str, Any]) -> None:
        short = extra.get("short_items") or []
        names = ", ".join(
            str(item.get("sku") or item.get("product_id"))
            for item in short
            if isinstance(item, dict)
        )
        detail = "Not enough stock" + (f" for: {names}." if names else ".")
        super().__init__(detail, extra=extra)


class UnitCapExceeded(Conflict):
    """The order would take the customer's open units of a product past the cap."""

    slug = "unit-cap-exceeded"

    def __init__(self, cap: int, over: list[dict[str, Any]]) -> None:
        products = "; ".join(
            f"product {x['product_id']} ({x['held']} held, {x['requested']} asked)" for x in over
        )
        super().__init__(
            f"A customer may hold at most {cap} units of one product in open (pending or "
            f"confirmed) orders; this order goes past it for {products}.",
            extra={"max_units_per_product": cap, "over_cap": over},
        )
