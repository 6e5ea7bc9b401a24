from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_reservations_create_reservation_response_401 import (
    CatalogReservationsCreateReservationResponse401,
)
from ...models.catalog_reservations_create_reservation_response_403 import (
    CatalogReservationsCreateReservationResponse403,
)
from ...models.catalog_reservations_create_reservation_response_409 import (
    CatalogReservationsCreateReservationResponse409,
)
from ...models.catalog_reservations_create_reservation_response_422 import (
    CatalogReservationsCreateReservationResponse422,
)
from ...models.reservation_create import ReservationCreate
from ...models.reservation_read import ReservationRead
from ...types import Response


def _get_kwargs(
    *,
    body: ReservationCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/catalog/reservations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    CatalogReservationsCreateReservationResponse401
    | CatalogReservationsCreateReservationResponse403
    | CatalogReservationsCreateReservationResponse409
    | CatalogReservationsCreateReservationResponse422
    | ReservationRead
    | None
):
    if response.status_code == 200:
        response_200 = ReservationRead.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = ReservationRead.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = CatalogReservationsCreateReservationResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = CatalogReservationsCreateReservationResponse403.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = CatalogReservationsCreateReservationResponse409.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = CatalogReservationsCreateReservationResponse422.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    CatalogReservationsCreateReservationResponse401
    | CatalogReservationsCreateReservationResponse403
    | CatalogReservationsCreateReservationResponse409
    | CatalogReservationsCreateReservationResponse422
    | ReservationRead
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ReservationCreate,
) -> Response[
    CatalogReservationsCreateReservationResponse401
    | CatalogReservationsCreateReservationResponse403
    | CatalogReservationsCreateReservationResponse409
    | CatalogReservationsCreateReservationResponse422
    | ReservationRead
]:
    """Reserve stock for an order

     Hold every line or none, in one transaction; idempotent on `order_id`.

    The reservation is `pending` until confirmed; after `CATALOG_RESERVATION_TTL` seconds
    unconfirmed it expires and the stock returns. All lines must share one currency.

    Args:
        body (ReservationCreate): Hold stock for an order: every line or none (one line per
            product).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogReservationsCreateReservationResponse401 | CatalogReservationsCreateReservationResponse403 | CatalogReservationsCreateReservationResponse409 | CatalogReservationsCreateReservationResponse422 | ReservationRead]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ReservationCreate,
) -> (
    CatalogReservationsCreateReservationResponse401
    | CatalogReservationsCreateReservationResponse403
    | CatalogReservationsCreateReservationResponse409
    | CatalogReservationsCreateReservationResponse422
    | ReservationRead
    | None
):
    """Reserve stock for an order

     Hold every line or none, in one transaction; idempotent on `order_id`.

    The reservation is `pending` until confirmed; after `CATALOG_RESERVATION_TTL` seconds
    unconfirmed it expires and the stock returns. All lines must share one currency.

    Args:
        body (ReservationCreate): Hold stock for an order: every line or none (one line per
            product).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogReservationsCreateReservationResponse401 | CatalogReservationsCreateReservationResponse403 | CatalogReservationsCreateReservationResponse409 | CatalogReservationsCreateReservationResponse422 | ReservationRead
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ReservationCreate,
) -> Response[
    CatalogReservationsCreateReservationResponse401
    | CatalogReservationsCreateReservationResponse403
    | CatalogReservationsCreateReservationResponse409
    | CatalogReservationsCreateReservationResponse422
    | ReservationRead
]:
    """Reserve stock for an order

     Hold every line or none, in one transaction; idempotent on `order_id`.

    The reservation is `pending` until confirmed; after `CATALOG_RESERVATION_TTL` seconds
    unconfirmed it expires and the stock returns. All lines must share one currency.

    Args:
        body (ReservationCreate): Hold stock for an order: every line or none (one line per
            product).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogReservationsCreateReservationResponse401 | CatalogReservationsCreateReservationResponse403 | CatalogReservationsCreateReservationResponse409 | CatalogReservationsCreateReservationResponse422 | ReservationRead]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ReservationCreate,
) -> (
    CatalogReservationsCreateReservationResponse401
    | CatalogReservationsCreateReservationResponse403
    | CatalogReservationsCreateReservationResponse409
    | CatalogReservationsCreateReservationResponse422
    | ReservationRead
    | None
):
    """Reserve stock for an order

     Hold every line or none, in one transaction; idempotent on `order_id`.

    The reservation is `pending` until confirmed; after `CATALOG_RESERVATION_TTL` seconds
    unconfirmed it expires and the stock returns. All lines must share one currency.

    Args:
        body (ReservationCreate): Hold stock for an order: every line or none (one line per
            product).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogReservationsCreateReservationResponse401 | CatalogReservationsCreateReservationResponse403 | CatalogReservationsCreateReservationResponse409 | CatalogReservationsCreateReservationResponse422 | ReservationRead
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
