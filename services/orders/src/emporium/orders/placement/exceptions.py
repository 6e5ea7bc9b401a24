"""Errors of order placement."""

from __future__ import annotations

from typing import Any

from emporium.servicekit.errors import Conflict


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
