"""Order routes: placing (see `placement`), reading, cancelling, shipping, delivering."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from emporium.orders.idempotency.dependencies import IdempotencyKeyDep
from emporium.orders.lifecycle import service
from emporium.orders.lifecycle.dependencies import (
    CatalogClientDep,
    ManagerDep,
    SessionFactoryDep,
    SettingsDep,
    VisibleOrderDep,
)
from emporium.orders.lifecycle.models import OrderStatus
from emporium.orders.lifecycle.schemas import OrderCreate, OrderPage, OrderRead
from emporium.orders.placement import service as placement
from emporium.orders.placement.confirmation import CREATED
from emporium.orders.placement.outcomes import OrderOutcomesDep
from emporium.orders.scopes import MANAGE, READ_ALL
from emporium.servicekit.db import SessionDep
from emporium.servicekit.openapi import LOCATION_HEADER, id_links, problem_responses
from emporium.servicekit.security import PrincipalDep, require_scopes

# Any valid token; a route that needs a scope asks for it itself.
router = APIRouter(prefix="/orders", tags=["orders"], dependencies=[require_scopes()])

REPLAYED_HEADER = {
    "description": "`true` when this answer replays the first one for the Idempotency-Key.",
    "required": True,
    "schema": {"type": "string", "enum": ["true", "false"]},
}
_PLACE_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {
        "headers": {
            "Location": LOCATION_HEADER,
            "Idempotent-Replayed": REPLAYED_HEADER,
        },
        "links": id_links(
            "order_id",
            "orders-orders-get-order",
            "orders-orders-cancel-order",
            "orders-orders-ship-order",
            "orders-orders-deliver-order",
        ),
    },
    **problem_responses(
        400,
        403,
        409,
        422,
        429,
        502,
        503,
        s400="The Idempotency-Key header is missing or malformed.",
        s403="Only user accounts place orders (not service clients).",
        s409=(
            "Not enough stock (`short_items`); the order would take the customer past the cap "
            "on open units of a product (`unit-cap-exceeded`: `max_units_per_product`, "
            "`over_cap`); the catalog refused for another reason (its problem type kept, "
            "e.g. `reservation-not-pending`; `catalog-conflict` when unknown); or the key is "
            "in use by a request in flight."
        ),
        s422="Invalid body, unknown or inactive product, or the key reused with another body.",
        s429="The catalog is refusing calls for now; retry after `Retry-After` seconds.",
        s502="The catalog answered with something unusable.",
        s503="The catalog is unavailable; retry after `Retry-After` seconds.",
    ),
}


@router.post(
    "",
    status_code=201,
    response_model=OrderRead,
    summary="Place an order",
    responses=_PLACE_RESPONSES,
)
async def place_order(
    payload: OrderCreate,
    key: IdempotencyKeyDep,
    principal: PrincipalDep,
    sessionmaker: SessionFactoryDep,
    catalog: CatalogClientDep,
    settings: SettingsDep,
    outcomes: OrderOutcomesDep,
) -> Response:
    """Buy the lines from the catalog at its prices; a retried key replays the answer.

    A customer holds at most `ORDERS_MAX_UNITS_PER_PRODUCT_PER_CUSTOMER` (100) units of one
    product in open (pending or confirmed) orders; past that the answer is a `409`.

    After a `503` or `502` the order may have been placed: retry with the same key to learn.
    """
    with outcomes.placement():
        answer = await placement.place_order(
            sessionmaker=sessionmaker,
            catalog=catalog,
            user_id=service.user_id_of(principal),
            key=key,
            payload=payload,
            lease_seconds=settings.idempotency_lease_seconds,
            max_units_per_product=settings.max_units_per_product_per_customer,
            outcomes=outcomes,
        )
    if not answer.replayed:
        outcomes.placed()
    headers = {"Idempotent-Replayed": "true" if answer.replayed else "false"}
    if answer.status == CREATED:
        headers["Location"] = f"/orders/{answer.order_id}"
    return Response(
        answer.body, status_code=answer.status, media_type="application/json", headers=headers
    )


@router.get(
    "",
    summary="List orders",
    description=f"The caller's orders, newest first; everyone's with the {READ_ALL} scope.",
    responses=problem_responses(
        403, 422, s403=f"`user_id` names someone else and the token lacks {READ_ALL}."
    ),
)
async def list_orders(
    session: SessionDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    status: Annotated[OrderStatus | None, Query()] = None,
    user_id: Annotated[
        uuid.UUID | None, Query(description=f"Another user's orders (needs {READ_ALL})")
    ] = None,
) -> OrderPage:
    """The caller's orders, newest first; everyone's with the read-all scope."""
    rows, next_cursor = await service.list_orders(
        session=session,
        principal=principal,
        limit=limit,
        cursor=cursor,
        status=status,
        user_id=user_id,
    )
    return OrderPage(items=[OrderRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/{order_id}",
    summary="Get an order",
    responses=problem_responses(403, 404, s403="A service client's token (they own no orders)."),
)
async def get_order(order: VisibleOrderDep) -> OrderRead:
    """One order; another customer's order is 404."""
    return OrderRead.model_validate(order)


@router.post(
    "/{order_id}/cancel",
    summary="Cancel an order",
    responses=problem_responses(
        403, 404, 409, s409="The order is not confirmed (e.g. already cancelled or shipped)."
    ),
)
async def cancel_order(
    order: VisibleOrderDep,
    sessionmaker: SessionFactoryDep,
    catalog: CatalogClientDep,
    principal: PrincipalDep,
) -> OrderRead:
    """Cancel a confirmed order and give its stock back to the catalog.

    The stock goes back at once, or, while the catalog cannot take it, as soon as it can.
    """
    cancelled = await service.cancel_and_release(
        sessionmaker=sessionmaker, catalog=catalog, order_id=order.id, principal=principal
    )
    return OrderRead.model_validate(cancelled)


@router.post(
    "/{order_id}/ship",
    summary="Ship an order",
    description=f"Mark a confirmed order as shipped (needs {MANAGE}).",
    responses=problem_responses(404, 409, s409="The order is not confirmed."),
)
async def ship_order(order: VisibleOrderDep, session: SessionDep, _: ManagerDep) -> OrderRead:
    """Mark a confirmed order as shipped (staff only)."""
    return OrderRead.model_validate(await service.ship_order(session=session, order=order))


@router.post(
    "/{order_id}/deliver",
    summary="Deliver an order",
    description=f"Mark a shipped order as delivered (needs {MANAGE}).",
    responses=problem_responses(404, 409, s409="The order is not shipped."),
)
async def deliver_order(order: VisibleOrderDep, session: SessionDep, _: ManagerDep) -> OrderRead:
    """Mark a shipped order as delivered (staff only)."""
    return OrderRead.model_validate(await service.deliver_order(session=session, order=order))
