"""The catalog double's data and the catalog's rules on it: when it refuses, what it answers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from .double_http import CLIENT_ID, item_error, problem

HOLDING = ("pending", "confirmed")


@dataclass
class Product:
    """A product with stock on hand."""

    sku: str
    name: str
    price_cents: int
    currency: str
    stock: int
    active: bool = True


@dataclass
class Reservation:
    """A reservation held for one order by one client."""

    id: uuid.UUID
    order_id: uuid.UUID
    lines: list[tuple[uuid.UUID, int]]
    status: str = "pending"
    client_id: str = CLIENT_ID


Products = dict[uuid.UUID, Product]
Lines = list[tuple[uuid.UUID, int]]


def repeated(request: Request, lines: Lines) -> JSONResponse | None:
    """The 422 the catalog answers when a product appears on two lines."""
    products = [p for p, _ in lines]
    errors = [
        item_error(index, "the product appears on an earlier line; merge them")
        for index, p in enumerate(products)
        if p in products[:index]
    ]
    detail = "Each product may appear on one line only."
    return problem(request, 422, "unreservable-items", detail, errors=errors) if errors else None


def unreservable(request: Request, products: Products, lines: Lines) -> JSONResponse | None:
    """The 422 the catalog answers for an unknown or inactive product, or mixed currencies."""
    errors = [
        item_error(index, "no such product")
        if p not in products
        else item_error(index, "the product is not for sale (inactive)")
        for index, (p, _) in enumerate(lines)
        if p not in products or not products[p].active
    ]
    if errors:
        detail = "Some items cannot be reserved."
        return problem(request, 422, "unreservable-items", detail, errors=errors)
    currencies = sorted({products[p].currency for p, _ in lines})
    if len(currencies) == 1:
        return None
    detail = f"One reservation holds one currency; these items mix {', '.join(currencies)}."
    error = {"field": "items", "location": "body", "message": detail, "type": "value_error"}
    return problem(request, 422, "unreservable-items", detail, errors=[error])


def short(request: Request, products: Products, lines: Lines) -> JSONResponse | None:
    """The 409 the catalog answers when some lines ask for more than is on hand."""
    short = [
        {"product_id": str(p), "sku": products[p].sku, "requested": q}
        | {"available": products[p].stock}
        for p, q in lines
        if products[p].stock < q
    ]
    if not short:
        return None
    detail = f"Not enough stock for: {', '.join(str(x['sku']) for x in short)}."
    return problem(request, 409, "insufficient-stock", detail, short_items=short)


def not_pending(request: Request, reservation: Reservation) -> JSONResponse | None:
    """The 409 the catalog answers when confirming a released or expired reservation."""
    if reservation.status in HOLDING:
        return None
    detail = f"The reservation is {reservation.status}; reserve the stock again."
    status = reservation.status
    return problem(request, 409, "reservation-not-pending", detail, reservation_status=status)


def render(products: Products, reservation: Reservation) -> dict[str, Any]:
    """The reservation as the catalog's JSON shows it."""
    items = [
        {"product_id": str(p), "sku": products[p].sku, "name": products[p].name}
        | {"quantity": q, "unit_price_cents": products[p].price_cents}
        | {"currency": products[p].currency}
        for p, q in reservation.lines
    ]
    return {
        "id": str(reservation.id),
        "order_id": str(reservation.order_id),
        "status": reservation.status,
        "expires_at": "2099-01-01T00:00:00+00:00",
        "items": items,
    }
