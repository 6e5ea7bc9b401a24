from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.category_read import CategoryRead
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import Response


def _get_kwargs(
    category_key: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/catalog/categories/{category_key}".format(
            category_key=quote(str(category_key), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CategoryRead | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = CategoryRead.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[CategoryRead | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    category_key: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CategoryRead | Problem | ValidationProblem]:
    """Get a category by id or slug

     One category (public).

    Args:
        category_key (str): The category's id or slug.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CategoryRead | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        category_key=category_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    category_key: str,
    *,
    client: AuthenticatedClient | Client,
) -> CategoryRead | Problem | ValidationProblem | None:
    """Get a category by id or slug

     One category (public).

    Args:
        category_key (str): The category's id or slug.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CategoryRead | Problem | ValidationProblem
    """

    return sync_detailed(
        category_key=category_key,
        client=client,
    ).parsed


async def asyncio_detailed(
    category_key: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CategoryRead | Problem | ValidationProblem]:
    """Get a category by id or slug

     One category (public).

    Args:
        category_key (str): The category's id or slug.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CategoryRead | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        category_key=category_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    category_key: str,
    *,
    client: AuthenticatedClient | Client,
) -> CategoryRead | Problem | ValidationProblem | None:
    """Get a category by id or slug

     One category (public).

    Args:
        category_key (str): The category's id or slug.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CategoryRead | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            category_key=category_key,
            client=client,
        )
    ).parsed
