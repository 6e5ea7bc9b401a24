from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_reservations_confirm_reservation_response_401 import (
    CatalogReservationsConfirmReservationResponse401,
)
from ...models.catalog_reservations_confirm_reservation_response_403 import (
    CatalogReservationsConfirmReservationResponse403,
)
from ...models.catalog_reservations_confirm_reservation_response_404 import (
    CatalogReservationsConfirmReservationResponse404,
)
from ...models.catalog_reservations_confirm_reservation_response_409 import (
    CatalogReservationsConfirmReservationResponse409,
)
from ...models.http_validation_error import HTTPValidationError
from ...models.reservation_read import ReservationRead
from ...types import Response


def _get_kwargs(
    reservation_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/catalog/reservations/{reservation_id}/confirm".format(
            reservation_id=quote(str(reservation_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    CatalogReservationsConfirmReservationResponse401
    | CatalogReservationsConfirmReservationResponse403
    | CatalogReservationsConfirmReservationResponse404
    | CatalogReservationsConfirmReservationResponse409
    | HTTPValidationError
    | ReservationRead
    | None
):
    if response.status_code == 200:
        response_200 = ReservationRead.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = CatalogReservationsConfirmReservationResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = CatalogReservationsConfirmReservationResponse403.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = CatalogReservationsConfirmReservationResponse404.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = CatalogReservationsConfirmReservationResponse409.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    CatalogReservationsConfirmReservationResponse401
    | CatalogReservationsConfirmReservationResponse403
    | CatalogReservationsConfirmReservationResponse404
    | CatalogReservationsConfirmReservationResponse409
    | HTTPValidationError
    | ReservationRead
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    reservation_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[
    CatalogReservationsConfirmReservationResponse401
    | CatalogReservationsConfirmReservationResponse403
    | CatalogReservationsConfirmReservationResponse404
    | CatalogReservationsConfirmReservationResponse409
    | HTTPValidationError
    | ReservationRead
]:
    """Confirm a reservation

     Keep the stock for good; 409 if the reservation was released or has expired.

    Args:
        reservation_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogReservationsConfirmReservationResponse401 | CatalogReservationsConfirmReservationResponse403 | CatalogReservationsConfirmReservationResponse404 | CatalogReservationsConfirmReservationResponse409 | HTTPValidationError | ReservationRead]
    """

    kwargs = _get_kwargs(
        reservation_id=reservation_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reservation_id: UUID,
    *,
    client: AuthenticatedClient,
) -> (
    CatalogReservationsConfirmReservationResponse401
    | CatalogReservationsConfirmReservationResponse403
    | CatalogReservationsConfirmReservationResponse404
    | CatalogReservationsConfirmReservationResponse409
    | HTTPValidationError
    | ReservationRead
    | None
):
    """Confirm a reservation

     Keep the stock for good; 409 if the reservation was released or has expired.

    Args:
        reservation_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogReservationsConfirmReservationResponse401 | CatalogReservationsConfirmReservationResponse403 | CatalogReservationsConfirmReservationResponse404 | CatalogReservationsConfirmReservationResponse409 | HTTPValidationError | ReservationRead
    """

    return sync_detailed(
        reservation_id=reservation_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    reservation_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[
    CatalogReservationsConfirmReservationResponse401
    | CatalogReservationsConfirmReservationResponse403
    | CatalogReservationsConfirmReservationResponse404
    | CatalogReservationsConfirmReservationResponse409
    | HTTPValidationError
    | ReservationRead
]:
    """Confirm a reservation

     Keep the stock for good; 409 if the reservation was released or has expired.

    Args:
        reservation_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogReservationsConfirmReservationResponse401 | CatalogReservationsConfirmReservationResponse403 | CatalogReservationsConfirmReservationResponse404 | CatalogReservationsConfirmReservationResponse409 | HTTPValidationError | ReservationRead]
    """

    kwargs = _get_kwargs(
        reservation_id=reservation_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reservation_id: UUID,
    *,
    client: AuthenticatedClient,
) -> (
    CatalogReservationsConfirmReservationResponse401
    | CatalogReservationsConfirmReservationResponse403
    | CatalogReservationsConfirmReservationResponse404
    | CatalogReservationsConfirmReservationResponse409
    | HTTPValidationError
    | ReservationRead
    | None
):
    """Confirm a reservation

     Keep the stock for good; 409 if the reservation was released or has expired.

    Args:
        reservation_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogReservationsConfirmReservationResponse401 | CatalogReservationsConfirmReservationResponse403 | CatalogReservationsConfirmReservationResponse404 | CatalogReservationsConfirmReservationResponse409 | HTTPValidationError | ReservationRead
    """

    return (
        await asyncio_detailed(
            reservation_id=reservation_id,
            client=client,
        )
    ).parsed
