"""Order request and response schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from emporium.orders.lifecycle.models import OrderStatus

MAX_LINES = 50
MAX_QUANTITY = 100


class OrderItemCreate(BaseModel):
    """One product and how many of it."""

    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID
    quantity: Annotated[int, Field(ge=1, le=MAX_QUANTITY, strict=True)]


class OrderCreate(BaseModel):
    """An order to place: 1 to 50 lines, each product at most once."""

    model_config = ConfigDict(extra="forbid")

    items: Annotated[list[OrderItemCreate], Field(min_length=1, max_length=MAX_LINES)]

    @field_validator("items")
    @classmethod
    def _one_line_per_product(cls, items: list[OrderItemCreate]) -> list[OrderItemCreate]:
        seen: set[uuid.UUID] = set()
        for item in items:
            if item.product_id in seen:
                raise ValueError(
                    f"product {item.product_id} appears more than once; send one line per "
                    "product with the total quantity"
                )
            seen.add(item.product_id)
        return items


class OrderLineRead(BaseModel):
    """A line as sold: the catalog's sku, name and unit price at the time of the order."""

    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    sku: str
    name: str
    quantity: int
    unit_price_cents: int


class OrderRead(BaseModel):
    """An order as clients see it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    user_id: uuid.UUID
    status: OrderStatus
    items: list[OrderLineRead] = Field(validation_alias="lines")
    total_cents: int
    currency: str
    created_at: datetime
    updated_at: datetime


class OrderPage(BaseModel):
    """One page of orders, newest first."""

    items: list[OrderRead]
    next_cursor: str | None
