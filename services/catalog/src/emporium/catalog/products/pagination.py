"""Keyset pagination: the sort keys and the opaque cursor (base64url JSON of key + id)."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import InstrumentedAttribute

from emporium.catalog.products.exceptions import InvalidCursor
from emporium.catalog.products.models import Product
from emporium.catalog.products.schemas import ProductSort

INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1


@dataclass(frozen=True, slots=True)
class SortKey:
    """One sort: the column, its direction and how its value goes into a cursor."""

    column: InstrumentedAttribute[Any]
    descending: bool

    def dump(self, value: Any) -> Any:
        """The JSON form of a key value."""
        return value.isoformat() if isinstance(value, datetime) else value

    def load(self, raw: Any) -> Any:
        """The key value back from its JSON form (type- and range-checked).

        A cursor is the client's to send back, so anything PostgreSQL or the driver would
        refuse (an integer beyond int4, a time beyond the calendar, a NUL) is refused here.
        """
        python_type = self.column.type.python_type
        if python_type is datetime and isinstance(raw, str):
            value = datetime.fromisoformat(raw)
            if value.tzinfo is not None:
                try:
                    value.astimezone(UTC)
                except OverflowError as exc:
                    raise ValueError("key time out of range") from exc
            return value
        if python_type is int and isinstance(raw, int) and not isinstance(raw, bool):
            if not INT4_MIN <= raw <= INT4_MAX:
                raise ValueError("key integer out of range")
            return raw
        if python_type is str and isinstance(raw, str):
            if "\x00" in raw:
                raise ValueError("NUL in key")
            raw.encode()  # a lone surrogate cannot be sent: UnicodeEncodeError (a ValueError)
            return raw
        raise ValueError("bad key value")


SORT_KEYS: dict[ProductSort, SortKey] = {
    ProductSort.NEWEST: SortKey(Product.created_at, descending=True),
    ProductSort.PRICE: SortKey(Product.price_cents, descending=False),
    ProductSort.PRICE_DESC: SortKey(Product.price_cents, descending=True),
    ProductSort.NAME: SortKey(Product.name, descending=False),
    ProductSort.NAME_DESC: SortKey(Product.name, descending=True),
}


def encode_cursor(sort: ProductSort, product: Product | Row[Any] | Mapping[str, Any]) -> str:
    """The cursor that resumes after `product` (an object, a row or a page item) in `sort` order."""
    key = SORT_KEYS[sort]
    if isinstance(product, Mapping):
        value, product_id = product[key.column.key], product["id"]
    else:
        value, product_id = getattr(product, key.column.key), product.id
    payload = {"s": sort.value, "k": key.dump(value), "id": str(product_id)}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(sort: ProductSort, cursor: str) -> tuple[Any, uuid.UUID]:
    """The (key value, id) a cursor resumes after; InvalidCursor if it cannot be used."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        if not isinstance(payload, dict):
            raise TypeError("not an object")
        if payload.get("s") != sort.value:
            raise _invalid(f"The cursor was made for another sort than {sort.value!r}.")
        return SORT_KEYS[sort].load(payload["k"]), uuid.UUID(str(payload["id"]))
    except InvalidCursor:
        raise
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
        raise _invalid("The cursor is malformed; pass back a `next_cursor` unchanged.") from exc


def _invalid(detail: str) -> InvalidCursor:
    error = {"field": "cursor", "location": "query", "message": detail, "type": "value_error"}
    return InvalidCursor(detail, extra={"errors": [error]})
