"""The order journey through the typed client generated from the merged OpenAPI (`make client`).

Every call uses `raise_on_unexpected_status`, so an answer whose status the document does not
declare fails the test, and each answer must parse as the model the document names for it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from clients import generate
from emporium.client import AuthenticatedClient, Client
from emporium.client.api.categories import catalog_categories_create_category
from emporium.client.api.orders import (
    orders_orders_cancel_order,
    orders_orders_get_order,
    orders_orders_place_order,
)
from emporium.client.api.products import (
    catalog_products_create_product,
    catalog_products_get_product,
    catalog_products_list_products,
)
from emporium.client.api.tokens import auth_tokens_token
from emporium.client.api.users import auth_users_me, auth_users_register
from emporium.client.models import (
    CategoryCreate,
    CategoryRead,
    OrderCreate,
    OrderItemCreate,
    OrderRead,
    Problem,
    ProductCreate,
    ProductPage,
    ProductRead,
    RegistrationAccepted,
    TokenForm,
    TokenResponse,
    UserCreate,
    UserRead,
)
from tests.system import System

pytestmark = pytest.mark.slow

TIMEOUT = httpx.Timeout(20.0)


@pytest.fixture
async def public(system: System) -> AsyncIterator[Client]:
    """The generated client without credentials."""
    async with Client(
        base_url=system.base_url, timeout=TIMEOUT, raise_on_unexpected_status=True
    ) as client:
        yield client


async def _token(public: Client, email: str, password: str) -> str:
    form = TokenForm(grant_type="password", username=email, password=password)
    token = await auth_tokens_token.asyncio(client=public, body=form)
    assert isinstance(token, TokenResponse), token
    return token.access_token


def _signed_in(system: System, token: str) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=system.base_url, token=token, timeout=TIMEOUT, raise_on_unexpected_status=True
    )


async def _new_product(admin: AuthenticatedClient, *, stock: int, price_cents: int) -> ProductRead:
    suffix = uuid.uuid4().hex[:10]
    category = await catalog_categories_create_category.asyncio(
        client=admin, body=CategoryCreate(slug=f"client-{suffix}", name=f"Client {suffix}")
    )
    assert isinstance(category, CategoryRead), category
    product = await catalog_products_create_product.asyncio(
        client=admin,
        body=ProductCreate(
            sku=f"CL-{suffix}",
            name=f"Client product {suffix}",
            price_cents=price_cents,
            currency="EUR",
            category_id=category.id,
            stock=stock,
        ),
    )
    assert isinstance(product, ProductRead), product
    return product


async def test_customer_journey_through_the_generated_client(
    system: System, public: Client
) -> None:
    async with _signed_in(system, await _token(public, *system.admin)) as admin:
        lamp = await _new_product(admin, stock=5, price_cents=4500)
    email, password = f"client-{uuid.uuid4().hex[:12]}@example.com", f"pw-{uuid.uuid4().hex}"

    accepted = await auth_users_register.asyncio(
        client=public, body=UserCreate(email=email, password=password, full_name="Ada Client")
    )
    assert isinstance(accepted, RegistrationAccepted), accepted
    assert accepted.email == email
    listed = await catalog_products_list_products.asyncio(client=public, q=lamp.sku)
    assert isinstance(listed, ProductPage), listed
    assert [p.id for p in listed.items] == [lamp.id]

    async with _signed_in(system, await _token(public, email, password)) as me:
        user = await auth_users_me.asyncio(client=me)
        assert isinstance(user, UserRead), user
        assert user.email == email
        key = str(uuid.uuid4())
        body = OrderCreate(items=[OrderItemCreate(product_id=lamp.id, quantity=2)])
        placed = await orders_orders_place_order.asyncio_detailed(
            client=me, body=body, idempotency_key=key
        )
        replayed = await orders_orders_place_order.asyncio_detailed(
            client=me, body=body, idempotency_key=key
        )
        order = placed.parsed
        assert isinstance(order, OrderRead), placed.content
        assert placed.status_code == 201
        assert order.status == "confirmed"
        assert order.total_cents == 2 * 4500
        assert [(i.sku, i.quantity) for i in order.items] == [(lamp.sku, 2)]
        assert replayed.status_code == 201
        assert replayed.headers["idempotent-replayed"] == "true"
        assert isinstance(replayed.parsed, OrderRead)
        assert replayed.parsed.id == order.id

        read = await orders_orders_get_order.asyncio(order.id, client=me)
        assert isinstance(read, OrderRead), read
        assert read.to_dict() == order.to_dict()
        stock = await catalog_products_get_product.asyncio(lamp.id, client=public)
        assert isinstance(stock, ProductRead)
        assert stock.stock == 3

        cancelled = await orders_orders_cancel_order.asyncio(order.id, client=me)
        assert isinstance(cancelled, OrderRead), cancelled
        assert cancelled.status == "cancelled"
        again = await orders_orders_cancel_order.asyncio_detailed(order.id, client=me)
        missing = await orders_orders_cancel_order.asyncio(uuid.uuid4(), client=me)

    problem = again.parsed
    assert isinstance(problem, Problem), again.content  # parsed as the documented model
    assert again.status_code == problem.status == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert problem.type_ == "urn:emporium:problem:invalid-transition"
    assert problem.detail == "The order cannot go from cancelled to cancelled."
    assert problem.instance == f"/orders/{order.id}/cancel"
    assert problem["from_status"] == problem["to_status"] == "cancelled"
    assert isinstance(missing, Problem), missing
    assert missing.status == 404
    restored = await catalog_products_get_product.asyncio(lamp.id, client=public)
    assert isinstance(restored, ProductRead)
    assert restored.stock == 5


async def test_served_openapi_is_the_document_the_client_is_generated_from(
    system: System, gateway: httpx.AsyncClient
) -> None:
    if not system.is_local:
        pytest.skip("compares with this checkout's code: needs a system booted by the suite")
    served = (await gateway.get("/openapi.json")).json()

    assert served == json.loads(generate.code_spec_json())
