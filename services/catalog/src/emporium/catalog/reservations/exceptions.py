"""Errors of the reservations domain."""

from __future__ import annotations

from emporium.servicekit.errors import Conflict, InvalidInput, NotFound


class ReservationNotFound(NotFound):
    """No reservation has this id."""

    slug = "reservation-not-found"


class InsufficientStock(Conflict):
    """Some lines ask for more units than are on hand; `short_items` names them."""

    slug = "insufficient-stock"


class ReservationMismatch(Conflict):
    """The order already has a reservation with different lines."""

    slug = "reservation-mismatch"


class OrderReservedElsewhere(Conflict):
    """Another client holds the order's reservation (its id and lines stay hidden)."""

    slug = "order-reserved-elsewhere"


class ReservationNotPending(Conflict):
    """The reservation was released or has expired, so it cannot be confirmed."""

    slug = "reservation-not-pending"


class UnreservableItems(InvalidInput):
    """Some lines name unknown or inactive products, repeat a product or mix currencies."""

    slug = "unreservable-items"
