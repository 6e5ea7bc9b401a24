"""The orders tests' catalog double answers as the real catalog does, case for case.

services/orders/tests/catalog_double.py stands in for the catalog's reservation API in the
orders tests. Each case here runs against the double and against the real catalog app
(in-process, over its own migrated database), and checks what orders relies on: status
codes, problem types and extra members, and the shape of a reservation for reserve,
confirm, release and read, an idempotent repeat, short stock and another client's order.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from emporium.catalog.main import create_app
from emporium.catalog.settings import CatalogSettings
from emporium.orders.catalog.schemas import Reservation
from emporium.servicekit.problems import PROBLEM_TYPE_PREFIX
from emporium.servicekit.testing import (
    TokenFactory,
    app_client,
    migrated_database,
)
from services.orders.tests.catalog_double import CatalogDouble

Json = dict[str, Any]
RESERVE = "/catalog/reservations"


@dataclass
class Catalog:
    """One side of the contract: a client of a catalog, its tokens, a way to stock it."""

    name: str
    http: httpx.AsyncClient
    token_of: Callable[[str], str]
    """An access token with `catalog:reserve` for a service client id."""
    stock: Callable[..., Awaitable[str]]
    """Add a product (`stock`, `currency`); returns its id."""

    def client(self, client_id: str = "orders") -> dict[str, str]:
        """Authorization headers of a service client."""
        return {"Authorization": f"Bearer {self.token_of(client_id)}"}

    async def reserve(
        self,
        order_id: str,
        *lines: tuple[str, int],
        confirm: bool = True,
        client_id: str = "orders",
    ) -> httpx.Response:
        """POST a reservation for `order_id`, as orders sends it (`confirm` by default)."""
        items = [{"product_id": p, "quantity": q} for p, q in lines]
        body = {"order_id": order_id, "items": items, "confirm": confirm}
        return await self.http.post(RESERVE, json=body, headers=self.client(client_id))


@pytest.fixture(scope="module")
async def real_catalog(
    postgres_server_url: str, token_factory: TokenFactory
) -> AsyncIterator[Catalog]:
    """The catalog app, in-process over a migrated database of its own."""
    async with migrated_database(postgres_server_url, "emporium.catalog", "contract") as url:
        settings = CatalogSettings(database_url=url, environment="test", log_json=False)
        app = create_app(settings, key_provider=token_factory.key_provider())
        writer = {"Authorization": f"Bearer {token_factory.issue(scopes='catalog:write')}"}

        def token_of(client_id: str) -> str:
            return token_factory.issue(client_id, "catalog:reserve", client_id=client_id)

        async with app_client(app) as http:
            slug = f"contract-{uuid.uuid4().hex[:8]}"
            category = {"slug": slug, "name": slug}
            created = await http.post("/catalog/categories", json=category, headers=writer)
            assert created.status_code == 201, created.text

            async def stock(stock: int = 5, currency: str = "EUR") -> str:
                body = {
                    "sku": f"SKU-{uuid.uuid4().hex[:10]}",
                    "name": "Contract product",
                    "price_cents": 1250,
                    "currency": currency,
                    "category_id": created.json()["id"],
                    "stock": stock,
                }
                product = await http.post("/catalog/products", json=body, headers=writer)
                assert product.status_code == 201, product.text
                return str(product.json()["id"])

            yield Catalog("catalog", http, token_of, stock)


@pytest.fixture(scope="module")
async def double_catalog(token_factory: TokenFactory) -> AsyncIterator[Catalog]:
    """The orders tests' double, in-process."""
    double = CatalogDouble(token_factory)

    async def stock(stock: int = 5, currency: str = "EUR") -> str:
        return str(double.add_product(stock=stock, currency=currency))

    transport = httpx.ASGITransport(app=double.app())
    async with httpx.AsyncClient(transport=transport, base_url="http://double") as http:
        yield Catalog("double", http, double.issue_token, stock)


@pytest.fixture(params=["double", "real"])
def catalog(request: pytest.FixtureRequest) -> Catalog:
    """Each case runs against the double and against the real catalog."""
    side: Catalog = request.getfixturevalue(f"{request.param}_catalog")
    return side


def problem_of(response: httpx.Response, status: int, slug: str) -> Json:
    """The problem body, after checking its status and type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: Json = response.json()
    assert body["type"] == f"{PROBLEM_TYPE_PREFIX}{slug}"
    assert body["status"] == status
    assert isinstance(body["detail"], str)
    return body


def reservation_of(response: httpx.Response, status: int) -> Reservation:
    """The reservation in the body, read as orders reads it, after checking the status."""
    assert response.status_code == status, response.text
    return Reservation.model_validate_json(response.content)


async def test_selling_answers_201_with_the_confirmed_reservation_and_its_prices(
    catalog: Catalog,
) -> None:
    first, second = await catalog.stock(), await catalog.stock()
    order_id = str(uuid.uuid4())
    sold = await catalog.reserve(order_id, (first, 2), (second, 1))
    reservation = reservation_of(sold, 201)
    assert sold.headers["location"] == f"{RESERVE}/{reservation.id}"
    assert str(reservation.order_id) == order_id
    assert reservation.status == "confirmed"
    assert [(str(x.product_id), x.quantity) for x in reservation.items] == [
        (first, 2),
        (second, 1),
    ]
    assert {(x.unit_price_cents, x.currency) for x in reservation.items} == {(1250, "EUR")}
    assert set(sold.json()) == {"id", "order_id", "status", "expires_at", "items"}
    assert set(sold.json()["items"][0]) == {
        "product_id",
        "sku",
        "name",
        "quantity",
        "unit_price_cents",
        "currency",
    }


async def test_repeating_a_sale_answers_200_with_the_same_reservation(catalog: Catalog) -> None:
    product = await catalog.stock(stock=2)
    order_id = str(uuid.uuid4())
    first = reservation_of(await catalog.reserve(order_id, (product, 2)), 201)
    again = reservation_of(await catalog.reserve(order_id, (product, 2)), 200)
    assert again == first  # and sold once: the stock of 2 was enough for both answers


async def test_a_pending_reservation_is_confirmed_by_a_repeat_with_confirm(
    catalog: Catalog,
) -> None:
    product = await catalog.stock()
    order_id = str(uuid.uuid4())
    held = reservation_of(await catalog.reserve(order_id, (product, 1), confirm=False), 201)
    assert held.status == "pending"
    sold = reservation_of(await catalog.reserve(order_id, (product, 1)), 200)
    assert (sold.id, sold.status) == (held.id, "confirmed")


async def test_short_stock_is_409_insufficient_stock_naming_the_short_lines(
    catalog: Catalog,
) -> None:
    plenty, scarce = await catalog.stock(stock=5), await catalog.stock(stock=1)
    refused = await catalog.reserve(str(uuid.uuid4()), (plenty, 1), (scarce, 2))
    body = problem_of(refused, 409, "insufficient-stock")
    [short] = body["short_items"]
    assert set(short) == {"product_id", "sku", "requested", "available"}
    assert (short["product_id"], short["requested"], short["available"]) == (scarce, 2, 1)
    assert short["sku"] in body["detail"]
    # Nothing was held: the plentiful line can still sell all five.
    assert (await catalog.reserve(str(uuid.uuid4()), (plenty, 5))).status_code == 201


async def test_unknown_repeated_or_mixed_currency_lines_are_422_unreservable_items(
    catalog: Catalog,
) -> None:
    euros, dollars = await catalog.stock(), await catalog.stock(currency="USD")
    unknown = str(uuid.uuid4())
    cases = [((euros, 1), (unknown, 1)), ((euros, 1), (euros, 2)), ((euros, 1), (dollars, 1))]
    for lines in cases:
        body = problem_of(
            await catalog.reserve(str(uuid.uuid4()), *lines), 422, "unreservable-items"
        )
        [error] = body["errors"]
        assert set(error) == {"field", "location", "message", "type"}
        assert error["location"] == "body"
        assert error["field"] in ("items", "items.1.product_id")


async def test_the_same_order_with_other_lines_is_409_reservation_mismatch(
    catalog: Catalog,
) -> None:
    product = await catalog.stock()
    order_id = str(uuid.uuid4())
    first = reservation_of(await catalog.reserve(order_id, (product, 1)), 201)
    body = problem_of(await catalog.reserve(order_id, (product, 2)), 409, "reservation-mismatch")
    assert body["reservation_id"] == str(first.id)


async def test_another_clients_order_is_409_order_reserved_elsewhere_and_its_reservation_404(
    catalog: Catalog,
) -> None:
    product = await catalog.stock()
    order_id = str(uuid.uuid4())
    theirs = reservation_of(await catalog.reserve(order_id, (product, 1), client_id="other"), 201)
    body = problem_of(
        await catalog.reserve(order_id, (product, 1)), 409, "order-reserved-elsewhere"
    )
    assert str(theirs.id) not in body["detail"]
    assert "reservation_id" not in body
    path = f"{RESERVE}/{theirs.id}"
    for method, suffix in (("GET", ""), ("POST", "/confirm"), ("POST", "/release")):
        answer = await catalog.http.request(method, f"{path}{suffix}", headers=catalog.client())
        problem_of(answer, 404, "reservation-not-found")


async def test_release_gives_the_stock_back_once_and_again_is_a_no_op(catalog: Catalog) -> None:
    product = await catalog.stock(stock=2)
    sold = reservation_of(await catalog.reserve(str(uuid.uuid4()), (product, 2)), 201)
    path = f"{RESERVE}/{sold.id}/release"
    for _ in range(2):
        released = reservation_of(await catalog.http.post(path, headers=catalog.client()), 200)
        assert (released.id, released.status) == (sold.id, "released")
    read = reservation_of(
        await catalog.http.get(f"{RESERVE}/{sold.id}", headers=catalog.client()), 200
    )
    assert read.status == "released"
    # Released once: two units are back, not four.
    assert (await catalog.reserve(str(uuid.uuid4()), (product, 2))).status_code == 201
    short = await catalog.reserve(str(uuid.uuid4()), (product, 1))
    problem_of(short, 409, "insufficient-stock")


async def test_a_released_order_is_409_reservation_not_pending_to_sell_or_confirm(
    catalog: Catalog,
) -> None:
    product = await catalog.stock()
    order_id = str(uuid.uuid4())
    held = reservation_of(await catalog.reserve(order_id, (product, 1), confirm=False), 201)
    path = f"{RESERVE}/{held.id}"
    reservation_of(await catalog.http.post(f"{path}/release", headers=catalog.client()), 200)
    for answer in (
        await catalog.reserve(order_id, (product, 1)),
        await catalog.http.post(f"{path}/confirm", headers=catalog.client()),
    ):
        body = problem_of(answer, 409, "reservation-not-pending")
        assert body["reservation_status"] == "released"
    # Without confirm, the repeat answers with the released reservation.
    replay = reservation_of(await catalog.reserve(order_id, (product, 1), confirm=False), 200)
    assert (replay.id, replay.status) == (held.id, "released")


async def test_an_unknown_reservation_is_404_reservation_not_found(catalog: Catalog) -> None:
    path = f"{RESERVE}/{uuid.uuid4()}"
    for method, suffix in (("GET", ""), ("POST", "/confirm"), ("POST", "/release")):
        answer = await catalog.http.request(method, f"{path}{suffix}", headers=catalog.client())
        problem_of(answer, 404, "reservation-not-found")


async def test_a_token_without_the_reserve_scope_is_refused(catalog: Catalog) -> None:
    body = {
        "order_id": str(uuid.uuid4()),
        "items": [{"product_id": str(uuid.uuid4()), "quantity": 1}],
    }
    answer = await catalog.http.post(RESERVE, json=body, headers={"Authorization": "Bearer nope"})
    assert answer.status_code == 401
