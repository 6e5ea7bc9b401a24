"""Errors of the products domain."""

from __future__ import annotations

from emporium.servicekit.errors import Conflict, InvalidInput, NotFound


class ProductNotFound(NotFound):
    """No product has this id."""

    slug = "product-not-found"


class DuplicateSku(Conflict):
    """Another product already uses this SKU."""

    slug = "duplicate-sku"


class StockLimitExceeded(Conflict):
    """Adding the units would take the stock past the largest count the catalog stores."""

    slug = "stock-limit-exceeded"


class InvalidCursor(InvalidInput):
    """The cursor is malformed or belongs to another sort."""

    slug = "invalid-cursor"


def field_error(field: str, message: str, kind: str = "value_error") -> dict[str, str]:
    """One entry of a problem's `errors` member, shaped like servicekit's validation errors."""
    return {"field": field, "location": "body", "message": message, "type": kind}
