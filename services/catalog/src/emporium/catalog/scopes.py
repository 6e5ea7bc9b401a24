"""The scopes the catalog's operations check, each named once."""

from __future__ import annotations

WRITE = "catalog:write"
RESERVE = "catalog:reserve"

SCOPES: dict[str, str] = {
    WRITE: "Create and change products and categories.",
    RESERVE: "Reserve, confirm and release stock (service clients).",
}
"""Each scope and what it allows, for the catalog's OpenAPI."""
