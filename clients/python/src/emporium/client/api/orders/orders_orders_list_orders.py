from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.order_page import OrderPage
from ...models.order_status import OrderStatus
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    status: None | OrderStatus | Unset = UNSET,
    user_id: None | Unset | UUID = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, str):
        json_status = status
    else:
        json_status = status
    params["status"] = json_status

    json_user_id: None | str | Unset
    if isinstance(user_id, Unset):
        json_user_id = UNSET
    elif isinstance(user_id, UUID):
        json_user_id = str(user_id)
    else:
        json_user_id = user_id
    params["user_id"] = json_user_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/orders",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OrderPage | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = OrderPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[OrderPage | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    status: None | OrderStatus | Unset = UNSET,
    user_id: None | Unset | UUID = UNSET,
) -> Response[OrderPage | Problem | ValidationProblem]:
    """List orders

     The caller's orders, newest first; everyone's with the orders:read:all scope.

    Args:
        limit (int | Unset):  Default: 20.
        cursor (None | str | Unset):
        status (None | OrderStatus | Unset):
        user_id (None | Unset | UUID): Another user's orders (needs orders:read:all)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderPage | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        status=status,
        user_id=user_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    status: None | OrderStatus | Unset = UNSET,
    user_id: None | Unset | UUID = UNSET,
) -> OrderPage | Problem | ValidationProblem | None:
    """List orders

     The caller's orders, newest first; everyone's with the orders:read:all scope.

    Args:
        limit (int | Unset):  Default: 20.
        cursor (None | str | Unset):
        status (None | OrderStatus | Unset):
        user_id (None | Unset | UUID): Another user's orders (needs orders:read:all)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderPage | Problem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        status=status,
        user_id=user_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    status: None | OrderStatus | Unset = UNSET,
    user_id: None | Unset | UUID = UNSET,
) -> Response[OrderPage | Problem | ValidationProblem]:
    """List orders

     The caller's orders, newest first; everyone's with the orders:read:all scope.

    Args:
        limit (int | Unset):  Default: 20.
        cursor (None | str | Unset):
        status (None | OrderStatus | Unset):
        user_id (None | Unset | UUID): Another user's orders (needs orders:read:all)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderPage | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        status=status,
        user_id=user_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    status: None | OrderStatus | Unset = UNSET,
    user_id: None | Unset | UUID = UNSET,
) -> OrderPage | Problem | ValidationProblem | None:
    """List orders

     The caller's orders, newest first; everyone's with the orders:read:all scope.

    Args:
        limit (int | Unset):  Default: 20.
        cursor (None | str | Unset):
        status (None | OrderStatus | Unset):
        user_id (None | Unset | UUID): Another user's orders (needs orders:read:all)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderPage | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            status=status,
            user_id=user_id,
        )
    ).parsed
