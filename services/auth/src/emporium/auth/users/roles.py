"""Roles, the scopes auth issues and the scopes each role grants."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

Role = Literal["customer", "staff", "admin"]
ROLES: tuple[str, ...] = get_args(Role)

# Each scope auth issues, named once here; the service that checks one declares it too.
CATALOG_WRITE = "catalog:write"
CATALOG_RESERVE = "catalog:reserve"
ORDERS_READ_ALL = "orders:read:all"
ORDERS_MANAGE = "orders:manage"
ADMIN_SCOPE = "auth:admin"

ISSUED_SCOPES: frozenset[str] = frozenset(
    {CATALOG_WRITE, CATALOG_RESERVE, ORDERS_READ_ALL, ORDERS_MANAGE, ADMIN_SCOPE}
)
"""Every scope a token from auth may carry; anything else asked for is refused."""

SCOPES: dict[str, str] = {ADMIN_SCOPE: "Manage user accounts."}
"""The scopes auth's own operations check, as its OpenAPI describes them."""

ROLE_SCOPES: dict[str, frozenset[str]] = {
    "customer": frozenset(),
    "staff": frozenset({CATALOG_WRITE, ORDERS_READ_ALL, ORDERS_MANAGE}),
    "admin": frozenset({CATALOG_WRITE, ORDERS_READ_ALL, ORDERS_MANAGE, ADMIN_SCOPE}),
}


def scopes_for_roles(roles: Iterable[str]) -> frozenset[str]:
    """Every scope the given roles allow."""
    return frozenset().union(*(ROLE_SCOPES.get(role, frozenset()) for role in roles))
