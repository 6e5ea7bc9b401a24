"""Product request and response schemas."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, field_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

MAX_INT32 = 2_147_483_647

Sku = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]
ProductName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(max_length=10_000)]
PriceCents = Annotated[int, Field(ge=0, le=MAX_INT32, description="Price in minor units.")]
Currency = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{3}$"),
    Field(description="ISO 4217 code, upper case.", examples=["EUR"]),
]
Stock = Annotated[int, Field(ge=0, le=MAX_INT32, description="Units on hand.")]
MAX_RESTOCK = 1_000_000

STOCK_NOT_EDITABLE = (
    "stock cannot be set with PATCH; add delivered units with "
    'POST /catalog/products/{product_id}/restock {"quantity": n} '
    "(reservations take units and give them back)"
)


class ProductSort(enum.StrEnum):
    """Orders of the product list (ties are broken by id, so pages are stable)."""

    NEWEST = "newest"
    PRICE = "price"
    PRICE_DESC = "-price"
    NAME = "name"
    NAME_DESC = "-name"


class ProductQuery(BaseModel):
    """Filters, sort and page of the public product list (every filter is optional)."""

    model_config = ConfigDict(extra="ignore")

    category: str | None = Field(default=None, max_length=64, description="Category id or slug.")
    min_price: int | None = Field(
        default=None, ge=0, le=MAX_INT32, description="Lowest price_cents, inclusive."
    )
    max_price: int | None = Field(
        default=None, ge=0, le=MAX_INT32, description="Highest price_cents, inclusive."
    )
    in_stock: bool | None = Field(
        default=None,
        description="true: only products with stock > 0; false: only sold-out ones.",
    )
    q: str | None = Field(
        default=None,
        max_length=200,
        description="Words to find in name or description (each word also matches as a prefix).",
    )
    sort: ProductSort = Field(
        default=ProductSort.NEWEST,
        description=(
            "`newest` (default: created_at descending), `price` / `-price` (price_cents "
            "ascending / descending), `name` / `-name` (name A→Z / Z→A)."
        ),
    )
    limit: int = Field(default=20, ge=1, le=100, description="Page size (1-100).")
    cursor: str | None = Field(
        default=None,
        max_length=512,
        description="The `next_cursor` of the previous page, with the same sort.",
    )


class ProductCreate(BaseModel):
    """A new product."""

    model_config = ConfigDict(extra="forbid")

    sku: Sku = Field(examples=["AUD-HP-001"])
    name: ProductName = Field(examples=["Wireless Headphones"])
    description: Description = ""
    price_cents: PriceCents = Field(examples=[12999])
    currency: Currency
    category_id: uuid.UUID
    stock: Stock = 0
    active: bool = True


class ProductUpdate(BaseModel):
    """A partial change (PATCH): absent fields are left alone, null is not allowed.

    `stock` cannot be set here: `POST /catalog/products/{product_id}/restock` adds units and
    reservations take them, each relative and atomic, so no write overwrites another's count.
    """

    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it

    sku: Sku | None = None
    name: ProductName | None = None
    description: Description | None = None
    price_cents: PriceCents | None = None
    currency: Currency | None = None
    category_id: uuid.UUID | None = None
    active: bool | None = None
    # Declared (undocumented, never dumped) only so that a `stock` sent here is refused with
    # a message saying how stock changes, instead of the generic "extra inputs" error.
    stock: SkipJsonSchema[Any] = Field(default=None, exclude=True)

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value

    # Defined after `_not_null`, so it runs first (before-validators run last-defined first).
    @field_validator("stock", mode="before")
    @classmethod
    def _stock_is_not_editable(cls, value: Any) -> Any:
        raise PydanticCustomError("stock_not_editable", STOCK_NOT_EDITABLE)


class ProductRestock(BaseModel):
    """Units delivered: added to the stock on hand, whatever it is now."""

    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(ge=1, le=MAX_RESTOCK, description="Units to add.", examples=[24])


class ProductRead(BaseModel):
    """A product as clients see it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    sku: str
    name: str
    description: str
    price_cents: int
    currency: str
    category_id: uuid.UUID
    stock: int
    active: bool
    created_at: datetime
    updated_at: datetime


class ProductPage(BaseModel):
    """One page of products; pass `next_cursor` back as `cursor` for the next one."""

    items: list[ProductRead]
    next_cursor: str | None


class ProductItem(TypedDict):
    """A listing's row as it is sent: the fields of ProductRead, in its order, of its types."""

    id: uuid.UUID
    sku: str
    name: str
    description: str
    price_cents: int
    currency: str
    category_id: uuid.UUID
    stock: int
    active: bool
    created_at: datetime
    updated_at: datetime


class ProductPageData(TypedDict):
    """A page as a listing builds it: the JSON of ProductPage without a model per row."""

    items: list[ProductItem]
    next_cursor: str | None


PRODUCT_PAGE_JSON = TypeAdapter(ProductPageData)
"""Serialises a listing's page to the JSON ProductPage documents (rows are not re-validated)."""
