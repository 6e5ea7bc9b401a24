"""Keyset-pagination cursors: the sort keys of a page's last row, as one opaque string.

A cursor is base64url (unpadded) of a JSON array of the keys. It is the client's to send
back, so decoding trusts nothing: any cursor that is not one this codec made, or whose keys
PostgreSQL would refuse, is an `InvalidCursor` (a 422 problem naming the `cursor` field).
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from emporium.servicekit.errors import InvalidInput
from emporium.servicekit.problems import field_error

CursorKey = int | str | datetime | uuid.UUID
"""A key a cursor can carry: an `integer` column, text, a `timestamptz` or a UUID."""

MAX_CURSOR_LENGTH = 4096
"""Longer cursors are refused before anything decodes them."""

INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1
MALFORMED = "The cursor is malformed; pass back a `next_cursor` unchanged."


class InvalidCursor(InvalidInput):
    """The cursor was not made by this list (garbage, tampered with, or for another order)."""

    slug = "invalid-cursor"

    def __init__(self, detail: str = MALFORMED, *, field: str = "cursor") -> None:
        super().__init__(detail, extra={"errors": [field_error(field, detail, location="query")]})


def encode_cursor(*keys: CursorKey) -> str:
    """The opaque cursor carrying `keys` (in sort order, the unique tie-breaker last)."""
    raw = json.dumps([_dump(key) for key in keys], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode()


def decode_cursor(cursor: str, types: Sequence[type[CursorKey]]) -> tuple[Any, ...]:
    """The keys `cursor` carries, one of each of `types`; InvalidCursor if it cannot be used."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor(f"The cursor is longer than {MAX_CURSOR_LENGTH} characters.")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        keys = json.loads(raw)
        if not isinstance(keys, list) or len(keys) != len(types):
            raise ValueError("not an array of the expected length")
        return tuple(_load(kind, key) for kind, key in zip(types, keys, strict=True))
    except (binascii.Error, ValueError, TypeError, RecursionError) as exc:
        # UnicodeDecodeError and json's JSONDecodeError are ValueErrors.
        raise InvalidCursor() from exc


def _dump(key: CursorKey) -> int | str:
    if isinstance(key, datetime):
        return key.isoformat()
    if isinstance(key, uuid.UUID):
        return str(key)
    return key


def _load(kind: type[CursorKey], raw: Any) -> CursorKey:
    """One key back from JSON, refusing anything PostgreSQL or the driver would refuse."""
    if kind is int and isinstance(raw, int) and not isinstance(raw, bool):
        if not INT4_MIN <= raw <= INT4_MAX:
            raise ValueError("key integer out of range")
        return raw
    if kind is str and isinstance(raw, str):
        if "\x00" in raw:
            raise ValueError("NUL in key")
        raw.encode()  # a lone surrogate cannot be sent: UnicodeEncodeError (a ValueError)
        return raw
    if kind is datetime and isinstance(raw, str):
        value = datetime.fromisoformat(raw)
        if value.tzinfo is None:
            raise ValueError("key time without a time zone")
        try:
            value.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError("key time out of range") from exc
        return value
    if kind is uuid.UUID and isinstance(raw, str):
        return uuid.UUID(raw)
    raise TypeError(f"not a {kind.__name__} key")
