from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.category_read import CategoryRead
from ...models.category_update import CategoryUpdate
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import Response


def _get_kwargs(
    category_key: str,
    *,
    body: CategoryUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/catalog/categories/{category_key}".format(
            category_key=quote(str(category_key), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CategoryRead | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = CategoryRead.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
    client: AuthenticatedClient,
    body: CategoryUpdate,
) -> Response[CategoryRead | Problem | ValidationProblem]:
    """Update a category

     Change a category's slug or name (needs `catalog:write`).

    Args:
        category_key (str): The category's id or slug.
        body (CategoryUpdate): A partial change to a category; absent fields are left alone.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CategoryRead | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        category_key=category_key,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    category_key: str,
    *,
    client: AuthenticatedClient,
    body: CategoryUpdate,
) -> CategoryRead | Problem | ValidationProblem | None:
    """Update a category

     Change a category's slug or name (needs `catalog:write`).

    Args:
        category_key (str): The category's id or slug.
        body (CategoryUpdate): A partial change to a category; absent fields are left alone.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CategoryRead | Problem | ValidationProblem
    """

    return sync_detailed(
        category_key=category_key,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    category_key: str,
    *,
    client: AuthenticatedClient,
    body: CategoryUpdate,
) -> Response[CategoryRead | Problem | ValidationProblem]:
    """Update a category

     Change a category's slug or name (needs `catalog:write`).

    Args:
        category_key (str): The category's id or slug.
        body (CategoryUpdate): A partial change to a category; absent fields are left alone.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CategoryRead | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        category_key=category_key,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    category_key: str,
    *,
    client: AuthenticatedClient,
    body: CategoryUpdate,
) -> CategoryRead | Problem | ValidationProblem | None:
    """Update a category

     Change a category's slug or name (needs `catalog:write`).

    Args:
        category_key (str): The category's id or slug.
        body (CategoryUpdate): A partial change to a category; absent fields are left alone.

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
            body=body,
        )
    ).parsed
