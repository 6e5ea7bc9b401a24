from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.order_create import OrderCreate
from ...models.order_read import OrderRead
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: OrderCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/orders",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OrderRead | Problem | ValidationProblem | None:
    if response.status_code == 201:
        response_201 = OrderRead.from_dict(response.json())

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
) -> Response[OrderRead | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OrderCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[OrderRead | Problem | ValidationProblem]:
    """Place an order

     Buy the lines from the catalog at its prices; a retried key replays the answer.

    A customer holds at most `ORDERS_MAX_UNITS_PER_PRODUCT_PER_CUSTOMER` (100) units of one
    product in open (pending or confirmed) orders; past that the answer is a `409`.

    After a `503` or `502` the order may have been placed: retry with the same key to learn.

    Args:
        idempotency_key (None | str | Unset): Unique per order you mean to place; a retry with the
            same key and body returns the first answer instead of placing a second order.
        body (OrderCreate): An order to place: 1 to 50 lines, each product at most once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderRead | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: OrderCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> OrderRead | Problem | ValidationProblem | None:
    """Place an order

     Buy the lines from the catalog at its prices; a retried key replays the answer.

    A customer holds at most `ORDERS_MAX_UNITS_PER_PRODUCT_PER_CUSTOMER` (100) units of one
    product in open (pending or confirmed) orders; past that the answer is a `409`.

    After a `503` or `502` the order may have been placed: retry with the same key to learn.

    Args:
        idempotency_key (None | str | Unset): Unique per order you mean to place; a retry with the
            same key and body returns the first answer instead of placing a second order.
        body (OrderCreate): An order to place: 1 to 50 lines, each product at most once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderRead | Problem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OrderCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[OrderRead | Problem | ValidationProblem]:
    """Place an order

     Buy the lines from the catalog at its prices; a retried key replays the answer.

    A customer holds at most `ORDERS_MAX_UNITS_PER_PRODUCT_PER_CUSTOMER` (100) units of one
    product in open (pending or confirmed) orders; past that the answer is a `409`.

    After a `503` or `502` the order may have been placed: retry with the same key to learn.

    Args:
        idempotency_key (None | str | Unset): Unique per order you mean to place; a retry with the
            same key and body returns the first answer instead of placing a second order.
        body (OrderCreate): An order to place: 1 to 50 lines, each product at most once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderRead | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: OrderCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> OrderRead | Problem | ValidationProblem | None:
    """Place an order

     Buy the lines from the catalog at its prices; a retried key replays the answer.

    A customer holds at most `ORDERS_MAX_UNITS_PER_PRODUCT_PER_CUSTOMER` (100) units of one
    product in open (pending or confirmed) orders; past that the answer is a `409`.

    After a `503` or `502` the order may have been placed: retry with the same key to learn.

    Args:
        idempotency_key (None | str | Unset): Unique per order you mean to place; a retry with the
            same key and body returns the first answer instead of placing a second order.
        body (OrderCreate): An order to place: 1 to 50 lines, each product at most once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderRead | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
