"""Errors of the products domain."""

from __future__ import annotations

from emporium.servicekit.errors import Conflict, NotFound
from emporium.servicekit.problems import field_error


class ProductNotFound(NotFound):
    """No product has this id."""

    slug = "product-not-found"


class DuplicateSku(Conflict):
    """Another product already uses this SKU."""

    slug = "duplicate-sku"

    def __init__(self, sku: str) -> None:
        super().__init__(
            f"A product with the SKU {sku!r} already exists.",
            extra={"errors": [field_error("sku", "already taken", location="body")]},
        )


class StockLimitExceeded(Conflict):
    """Adding the units would take the stock past the largest count the catalog stores."""

    slug = "stock-limit-exceeded"
