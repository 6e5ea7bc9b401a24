"""Errors of idempotency-key handling."""

from __future__ import annotations

from emporium.servicekit.errors import Conflict, DomainError, InvalidInput


class IdempotencyKeyMissing(DomainError):
    """The request needs an `Idempotency-Key` header."""

    slug = "idempotency-key-missing"

    def __init__(self) -> None:
        super().__init__(
            "This request needs an Idempotency-Key header: 1 to 255 visible ASCII characters, "
            "unique per order you mean to place (a UUID is a good choice)."
        )


class IdempotencyKeyReused(InvalidInput):
    """The key was already used with a different request body."""

    slug = "idempotency-key-reused"

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was already used with a different request body; "
            "use a new key for a different order."
        )


class IdempotencyKeyInProgress(Conflict):
    """A request with the same key is still being processed."""

    slug = "idempotency-key-in-progress"

    def __init__(self) -> None:
        super().__init__(
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            headers={"Retry-After": "1"},
        )
