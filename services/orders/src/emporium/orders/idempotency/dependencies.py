"""The `Idempotency-Key` header as a validated dependency."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header

from emporium.orders.idempotency.exceptions import IdempotencyKeyMissing

_KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")


async def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Unique per order you mean to place; a retry with the same key and "
            "body returns the first answer instead of placing a second order.",
        ),
    ] = None,
) -> str:
    """The request's idempotency key, or a 400 problem when it is missing or malformed."""
    if key is None or not _KEY_RE.match(key):
        raise IdempotencyKeyMissing()
    return key


IdempotencyKeyDep = Annotated[str, Depends(idempotency_key)]
