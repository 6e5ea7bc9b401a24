"""The catalog's refusals (409), as orders answers them: one error per problem type.

The catalog says why it refused by its problem `type`; orders keeps that slug, so a client
reads the same reason whichever service it came from, and a type orders does not know is a
plain refusal by the catalog, never taken for another (short stock, say).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emporium.servicekit.errors import Conflict


class InsufficientStock(Conflict):
    """The catalog does not have enough stock for some lines (`short_items`)."""

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


class ReservationNotPending(Conflict):
    """The order's reservation was released or has expired: its stock is gone."""

    slug = "reservation-not-pending"


class ReservationMismatch(Conflict):
    """The catalog holds the order id's reservation with other lines."""

    slug = "reservation-mismatch"


class OrderReservedElsewhere(Conflict):
    """Another client of the catalog holds a reservation under this order id."""

    slug = "order-reserved-elsewhere"


class CatalogConflict(Conflict):
    """The catalog refused with a problem type orders does not know."""

    slug = "catalog-conflict"


_BY_TYPE: dict[str, type[Conflict]] = {
    error.slug: error
    for error in (ReservationNotPending, ReservationMismatch, OrderReservedElsewhere)
}


def refusal(answer: Conflict) -> Conflict:
    """The orders error that means what the catalog's 409 `answer` means (by its type)."""
    if answer.problem_slug == InsufficientStock.slug:
        return InsufficientStock(answer.extra)
    error = _BY_TYPE.get(answer.problem_slug)
    if error is None:
        return CatalogConflict(f"The catalog refused: {answer.detail}", extra=answer.extra)
    return error(answer.detail, extra=answer.extra)
