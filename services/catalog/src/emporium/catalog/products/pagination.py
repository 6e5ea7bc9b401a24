"""Keyset pagination: the sort keys and the opaque cursor (the sort, its key and the id)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import InstrumentedAttribute

from emporium.catalog.products.models import Product
from emporium.catalog.products.schemas import ProductSort
from emporium.servicekit.cursors import InvalidCursor, decode_cursor, encode_cursor


@dataclass(frozen=True, slots=True)
class SortKey:
    """One sort: the column and its direction."""

    column: InstrumentedAttribute[Any]
    descending: bool


SORT_KEYS: dict[ProductSort, SortKey] = {
    ProductSort.NEWEST: SortKey(Product.created_at, descending=True),
    ProductSort.PRICE: SortKey(Product.price_cents, descending=False),
    ProductSort.PRICE_DESC: SortKey(Product.price_cents, descending=True),
    ProductSort.NAME: SortKey(Product.name, descending=False),
    ProductSort.NAME_DESC: SortKey(Product.name, descending=True),
}


def product_cursor(sort: ProductSort, product: Product | Row[Any] | Mapping[str, Any]) -> str:
    """The cursor that resumes after `product` (an object, a row or a page item) in `sort` order."""
    key = SORT_KEYS[sort]
    if isinstance(product, Mapping):
        value, product_id = product[key.column.key], product["id"]
    else:
        value, product_id = getattr(product, key.column.key), product.id
    return encode_cursor(sort.value, value, product_id)


def resume_after(sort: ProductSort, cursor: str) -> tuple[Any, uuid.UUID]:
    """The (key value, id) a cursor resumes after; InvalidCursor if it cannot be used."""
    key_type = SORT_KEYS[sort].column.type.python_type
    made_for, value, product_id = decode_cursor(cursor, (str, key_type, uuid.UUID))
    if made_for != sort.value:
        raise InvalidCursor(f"The cursor was made for another sort than {sort.value!r}.")
    return value, product_id
