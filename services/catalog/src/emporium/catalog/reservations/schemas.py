"""Reservation request and response schemas."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from emporium.catalog.reservations.models import ReservationStatus

MAX_LINES = 100


class ReservationLine(BaseModel):
    """One product and how many units of it to hold."""

    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID
    quantity: int = Field(ge=1, le=10_000)


class ReservationCreate(BaseModel):
    """Hold stock for an order: every line or none (one line per product)."""

    model_config = ConfigDict(extra="forbid")

    order_id: uuid.UUID = Field(description="At most one reservation per order (idempotency key).")
    items: list[ReservationLine] = Field(min_length=1, max_length=MAX_LINES)
    confirm: bool = Field(
        default=False,
        description=(
            "Confirm in the same transaction: the stock is sold at once and never expires. "
            "A repeat for the order then confirms a pending reservation, or answers 409 if "
            "it was released or has expired."
        ),
    )


class ReservationItemRead(BaseModel):
    """A reserved line with the price it was reserved at."""

    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    sku: str
    name: str
    quantity: int
    unit_price_cents: int
    currency: str


class ReservationRead(BaseModel):
    """A reservation and its lines (in the order they were requested)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    order_id: uuid.UUID
    status: ReservationStatus
    expires_at: datetime = Field(description="When a pending reservation gives its stock back.")
    items: list[ReservationItemRead]
