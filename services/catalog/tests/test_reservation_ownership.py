"""A reservation belongs to the client that made it: others can neither see nor change it."""

from __future__ import annotations

import uuid

import httpx
import pytest

from emporium.servicekit.testing import TokenFactory

from .conftest import Factory, bearer, order
from .test_reservations import stock_of


@pytest.fixture(scope="session")
def intruder(token_factory: TokenFactory) -> dict[str, str]:
    """Headers of another service client that also holds `catalog:reserve`."""
    return bearer(token_factory.issue("intruder", scopes="catalog:reserve", client_id="intruder"))


async def test_another_clients_reservation_is_404_to_read_confirm_and_release(
    client: httpx.AsyncClient,
    reserver: dict[str, str],
    intruder: dict[str, str],
    make_product: Factory,
) -> None:
    product = await make_product(stock=5)
    for confirm in (False, True):
        body = {**order((product, 2)), "confirm": confirm}
        created = await client.post("/catalog/reservations", json=body, headers=reserver)
        assert created.status_code == 201, created.text
        path = f"/catalog/reservations/{created.json()['id']}"
        for method, suffix in (("GET", ""), ("POST", "/confirm"), ("POST", "/release")):
            answer = await client.request(method, f"{path}{suffix}", headers=intruder)
            assert answer.status_code == 404, answer.text
            missing = f"No reservation has the id {created.json()['id']}."
            assert answer.json()["detail"] == missing
        owned = await client.get(path, headers=reserver)
        assert owned.json()["status"] == ("confirmed" if confirm else "pending")
    assert await stock_of(client, product) == 1


@pytest.mark.parametrize("confirm", [False, True])
async def test_reserving_an_order_another_client_holds_reveals_nothing(
    client: httpx.AsyncClient,
    reserver: dict[str, str],
    intruder: dict[str, str],
    make_product: Factory,
    confirm: bool,
) -> None:
    product = await make_product(stock=5)
    body = order((product, 2))
    created = await client.post("/catalog/reservations", json=body, headers=reserver)
    assert created.status_code == 201
    for lines in (body["items"], [{"product_id": product["id"], "quantity": 1}]):
        attempt = {**body, "items": lines, "confirm": confirm}
        conflict = await client.post("/catalog/reservations", json=attempt, headers=intruder)
        assert conflict.status_code == 409, conflict.text
        problem = conflict.json()
        assert problem["type"].endswith("order-reserved-elsewhere")
        assert created.json()["id"] not in conflict.text
        assert "reservation_id" not in problem
        assert "location" not in conflict.headers
    reservation = await client.get(
        f"/catalog/reservations/{created.json()['id']}", headers=reserver
    )
    assert reservation.json()["status"] == "pending"  # the intruder's confirm did nothing
    assert await stock_of(client, product) == 3


async def test_an_intruder_cannot_release_a_sale_to_oversell(
    client: httpx.AsyncClient,
    reserver: dict[str, str],
    intruder: dict[str, str],
    make_product: Factory,
) -> None:
    product = await make_product(stock=2)
    sold = await client.post(
        "/catalog/reservations", json={**order((product, 2)), "confirm": True}, headers=reserver
    )
    assert sold.status_code == 201
    release = f"/catalog/reservations/{sold.json()['id']}/release"
    assert (await client.post(release, headers=intruder)).status_code == 404
    assert await stock_of(client, product) == 0
    # The owner may (a cancelled order); a second release gives nothing back twice.
    for _ in range(2):
        assert (await client.post(release, headers=reserver)).status_code == 200
    assert await stock_of(client, product) == 2


async def test_each_client_reserves_its_own_orders(
    client: httpx.AsyncClient,
    reserver: dict[str, str],
    intruder: dict[str, str],
    make_product: Factory,
) -> None:
    product = await make_product(stock=5)
    mine = await client.post("/catalog/reservations", json=order((product, 1)), headers=intruder)
    assert mine.status_code == 201
    path = f"/catalog/reservations/{mine.json()['id']}"
    assert (await client.get(path, headers=intruder)).status_code == 200
    assert (await client.get(path, headers=reserver)).status_code == 404
    assert (await client.post(f"{path}/release", headers=intruder)).status_code == 200
    assert await stock_of(client, product) == 5
    assert uuid.UUID(mine.json()["id"])
