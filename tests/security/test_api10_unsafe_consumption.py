"""API10:2023 Unsafe Consumption of APIs: data from elsewhere is never trusted on its word.

Every part takes its token keys only from auth's JWKS (configured, not named by a token):
a token pointing at its own key set (`jku`, `x5u`), carrying its own key (`jwk`) or naming
another issuer is refused, and nothing is fetched from where it points. Prices come from
the catalog, never from what a client sends.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from emporium.servicekit.testing import TokenFactory
from tests.integration.helpers import bearer, new_product
from tests.security.listener import listening
from tests.security.traffic import new_account, place_order, served_meanwhile
from tests.system import System

pytestmark = pytest.mark.slow


async def test_tokens_naming_their_own_keys_or_issuer_are_refused_and_not_followed(
    system: System, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    _, _, customer = await new_account(gateway, admin_token)
    me = (await gateway.get("/auth/me", headers=bearer(customer))).json()["id"]
    attacker = TokenFactory(issuer=system.base_url)
    scopes = "catalog:write catalog:reserve orders:read:all orders:manage auth:admin"
    async with listening() as keys, served_meanwhile(system, "/orders", token=customer):
        url = f"http://{keys.authority}/jwks.json"
        tokens = [
            attacker.issue(me, scopes, headers={"jku": url}),
            attacker.issue(me, scopes, headers={"x5u": url}),
            attacker.issue(me, scopes, headers={"jwk": attacker.public_jwk}),
            TokenFactory(issuer=url).issue(me, scopes, headers={"jku": url}),
        ]
        for token in tokens:
            for path in ("/orders", "/auth/users", f"/catalog/reservations/{uuid.uuid4()}"):
                answer = await gateway.get(path, headers=bearer(token))
                assert answer.status_code == 401, (path, answer.text)
    assert keys.connections == 0


async def test_prices_come_from_the_catalog_not_the_client(
    system: System, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    product = await new_product(gateway, admin_token, stock=5, price_cents=4200)
    _, _, customer = await new_account(gateway, admin_token)
    async with served_meanwhile(system, "/orders", token=customer):
        cheap = await gateway.post(
            "/orders",
            json={"items": [{"product_id": product["id"], "quantity": 1, "unit_price_cents": 1}]},
            headers={**bearer(customer), "Idempotency-Key": str(uuid.uuid4())},
        )
        assert cheap.status_code == 422
        placed = await place_order(gateway, customer, product["id"], 2)
    assert placed.status_code == 201, placed.text
    assert placed.json()["total_cents"] == 2 * 4200
    assert [i["unit_price_cents"] for i in placed.json()["items"]] == [4200]
