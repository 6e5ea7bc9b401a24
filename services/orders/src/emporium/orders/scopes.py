"""The scopes the orders service's operations check, each named once."""

from __future__ import annotations

READ_ALL = "orders:read:all"
MANAGE = "orders:manage"

SCOPES: dict[str, str] = {
    READ_ALL: "Read every customer's orders.",
    MANAGE: "Ship and deliver orders.",
}
"""Each scope and what it allows, for the orders service's OpenAPI."""
