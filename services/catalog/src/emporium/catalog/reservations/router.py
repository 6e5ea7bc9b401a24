"""Reservation routes (need `catalog:reserve`, the orders service's client scope).

A reservation belongs to the client that made it: another client's is a 404 on every route,
and reserving an order another client reserved is a 409 that names nothing of it.
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from emporium.catalog.dependencies import SettingsDep, StockReserverDep
from emporium.catalog.reservations import service
from emporium.catalog.reservations.dependencies import ReservationDep
from emporium.catalog.reservations.schemas import ReservationCreate, ReservationRead
from emporium.servicekit.db import SessionDep
from emporium.servicekit.openapi import LOCATION_HEADER, id_links, problem_responses

router = APIRouter(prefix="/catalog/reservations", tags=["reservations"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Reserve stock for an order",
    responses={
        200: {
            "description": "The order's reservation (a replay).",
            "model": ReservationRead,
            "headers": {"Location": LOCATION_HEADER},
        },
        201: {
            "headers": {"Location": LOCATION_HEADER},
            "links": id_links(
                "reservation_id",
                "catalog-reservations-get-reservation",
                "catalog-reservations-confirm-reservation",
                "catalog-reservations-release-reservation",
            ),
        },
        **problem_responses(
            409,
            422,
            s409=(
                "Short stock (`short_items` names the lines), a different body for the order, "
                "the order reserved by another client, or (with `confirm`) the order's "
                "reservation was released or has expired."
            ),
            s422="Unknown, inactive or repeated product, or mixed currencies.",
        ),
    },
)
async def create_reservation(
    client: StockReserverDep,
    data: ReservationCreate,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
) -> ReservationRead:
    """Hold every line or none, in one transaction; idempotent on `order_id`.

    The reservation is `pending` until confirmed; after `CATALOG_RESERVATION_TTL` seconds
    unconfirmed it expires and the stock returns. With `"confirm": true` it is confirmed in
    the same transaction (one call sells the stock; repeating it is safe). All lines must
    share one currency.
    """
    reservation, created = await service.create_reservation(
        data, client_id=client.subject, ttl_seconds=settings.reservation_ttl, session=session
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/catalog/reservations/{reservation.id}"
    return reservation


@router.get(
    "/{reservation_id}",
    summary="Get a reservation",
    responses=problem_responses(404, s404="No such reservation, or another client's."),
)
async def get_reservation(reservation: ReservationDep) -> ReservationRead:
    """One of the caller's reservations and its lines."""
    return ReservationRead.model_validate(reservation)


@router.post(
    "/{reservation_id}/confirm",
    summary="Confirm a reservation",
    responses=problem_responses(
        404, 409, s404="No such reservation, or another client's.", s409="Released or expired."
    ),
)
async def confirm_reservation(reservation: ReservationDep, session: SessionDep) -> ReservationRead:
    """Keep the stock for good; 409 if the reservation was released or has expired."""
    confirmed = await service.confirm_reservation(
        reservation.id, client_id=reservation.client_id, session=session
    )
    return ReservationRead.model_validate(confirmed)


@router.post(
    "/{reservation_id}/release",
    summary="Release a reservation",
    responses=problem_responses(404, s404="No such reservation, or another client's."),
)
async def release_reservation(reservation: ReservationDep, session: SessionDep) -> ReservationRead:
    """Give the stock back, also after confirmation (cancellation); again is a no-op.

    Only the client that made the reservation may release it, and its units come back once.
    """
    released = await service.release_reservation(
        reservation.id, client_id=reservation.client_id, session=session
    )
    return ReservationRead.model_validate(released)
