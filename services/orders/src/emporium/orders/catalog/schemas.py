"""The catalog's reservation answers, as far as orders relies on them."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ReservationLine(BaseModel):
    """One product line to reserve."""

    product_id: uuid.UUID
    quantity: int


class ReservedItem(BaseModel):
    """A reserved line with the catalog's sku, name and price at reservation time."""

    model_config = ConfigDict(extra="ignore")

    product_id: uuid.UUID
    sku: str
    name: str
    quantity: int = Field(ge=1)
    unit_price_cents: int = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class Reservation(BaseModel):
    """A stock reservation held for one order."""

    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    order_id: uuid.UUID
    status: str
    expires_at: datetime | None = None
    items: list[ReservedItem]
