"""Roles and the scopes each one grants."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

Role = Literal["customer", "staff", "admin"]
ROLES: tuple[str, ...] = get_args(Role)

ROLE_SCOPES: dict[str, frozenset[str]] = {
    "customer": frozenset(),
    "staff": frozenset({"catalog:write", "orders:read:all", "orders:manage"}),
    "admin": frozenset({"catalog:write", "orders:read:all", "orders:manage", "auth:admin"}),
}

ADMIN_SCOPE = "auth:admin"


def scopes_for_roles(roles: Iterable[str]) -> frozenset[str]:
    """Every scope the given roles allow."""
    return frozenset().union(*(ROLE_SCOPES.get(role, frozenset()) for role in roles))
