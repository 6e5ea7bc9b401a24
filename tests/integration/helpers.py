"""Small helpers for cross-service tests: accounts, products, headers."""

from __future__ import annotations

import uuid
from typing import Any

import httpx


def bearer(token: str) -> dict[str, str]:
    """An Authorization header for `token`."""
    return {"Authorization": f"Bearer {token}"}


async def sign_in(gateway: httpx.AsyncClient, email: str, password: str) -> str:
    """An access token from the password grant."""
    response = await gateway.post(
        "/auth/token", data={"grant_type": "password", "username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


async def new_customer(gateway: httpx.AsyncClient, admin_token: str) -> tuple[str, str]:
    """A customer with a unique email, signed in; returns (email, access token).

    The admin opens the account: registration is rationed per address, and the whole suite
    comes from one address (journeys that test registration itself register).
    """
    email = f"customer-{uuid.uuid4().hex[:12]}@example.com"
    password = f"pw-{uuid.uuid4().hex}"
    registered = await gateway.post(
        "/auth/users",
        json={"email": email, "password": password, "full_name": "Test Customer"},
        headers=bearer(admin_token),
    )
    assert registered.status_code == 201, registered.text
    return email, await sign_in(gateway, email, password)


async def new_product(
    gateway: httpx.AsyncClient, admin_token: str, *, stock: int, price_cents: int = 1999
) -> dict[str, Any]:
    """Create an active product with a unique sku (and its own category) in the catalog."""
    suffix = uuid.uuid4().hex[:10]
    category = await gateway.post(
        "/catalog/categories",
        json={"slug": f"it-{suffix}", "name": f"Integration {suffix}"},
        headers=bearer(admin_token),
    )
    assert category.status_code == 201, category.text
    product = await gateway.post(
        "/catalog/products",
        json={
            "sku": f"IT-{suffix}",
            "name": f"Integration product {suffix}",
            "description": "Made by the integration suite.",
            "price_cents": price_cents,
            "currency": "EUR",
            "category_id": category.json()["id"],
            "stock": stock,
        },
        headers=bearer(admin_token),
    )
    assert product.status_code == 201, product.text
    return dict(product.json())


async def stock_of(gateway: httpx.AsyncClient, product_id: object) -> int:
    """The catalog's current stock of a product (public read)."""
    response = await gateway.get(f"/catalog/products/{product_id}")
    assert response.status_code == 200, response.text
    return int(response.json()["stock"])
