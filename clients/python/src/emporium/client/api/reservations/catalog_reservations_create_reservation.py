from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.reservation_create import ReservationCreate
from ...models.reservation_read import ReservationRead
from ...models.validation_problem import ValidationProblem
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
) -> Problem | ReservationRead | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = ReservationRead.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = ReservationRead.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 408:
        response_408 = Problem.from_dict(response.json())

        return response_408

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ValidationProblem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = Problem.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | ReservationRead | ValidationProblem]:
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
) -> Response[Problem | ReservationRead | ValidationProblem]:
    """Reserve stock for an order

     Hold every line or none, in one transaction; idempotent on `order_id`.

    The reservation is `pending` until confirmed; after `CATALOG_RESERVATION_TTL` seconds
    unconfirmed it expires and the stock returns. With `"confirm": true` it is confirmed in
    the same transaction (one call sells the stock; repeating it is safe). All lines must
    share one currency.

    Args:
        body (ReservationCreate): Hold stock for an order: every line or none (one line per
            product).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReservationRead | ValidationProblem]
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
) -> Problem | ReservationRead | ValidationProblem | None:
    """Reserve stock for an order

     Hold every line or none, in one transaction; idempotent on `order_id`.

    The reservation is `pending` until confirmed; after `CATALOG_RESERVATION_TTL` seconds
    unconfirmed it expires and the stock returns. With `"confirm": true` it is confirmed in
    the same transaction (one call sells the stock; repeating it is safe). All lines must
    share one currency.

    Args:
        body (ReservationCreate): Hold stock for an order: every line or none (one line per
            product).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReservationRead | ValidationProblem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ReservationCreate,
) -> Response[Problem | ReservationRead | ValidationProblem]:
    """Reserve stock for an order

     Hold every line or none, in one transaction; idempotent on `order_id`.

    The reservation is `pending` until confirmed; after `CATALOG_RESERVATION_TTL` seconds
    unconfirmed it expires and the stock returns. With `"confirm": true` it is confirmed in
    the same transaction (one call sells the stock; repeating it is safe). All lines must
    share one currency.

    Args:
        body (ReservationCreate): Hold stock for an order: every line or none (one line per
            product).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReservationRead | ValidationProblem]
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
) -> Problem | ReservationRead | ValidationProblem | None:
    """Reserve stock for an order

     Hold every line or none, in one transaction; idempotent on `order_id`.

    The reservation is `pending` until confirmed; after `CATALOG_RESERVATION_TTL` seconds
    unconfirmed it expires and the stock returns. With `"confirm": true` it is confirmed in
    the same transaction (one call sells the stock; repeating it is safe). All lines must
    share one currency.

    Args:
        body (ReservationCreate): Hold stock for an order: every line or none (one line per
            product).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReservationRead | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
