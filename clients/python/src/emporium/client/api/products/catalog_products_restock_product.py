from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.product_read import ProductRead
from ...models.product_restock import ProductRestock
from ...models.validation_problem import ValidationProblem
from ...types import Response


def _get_kwargs(
    product_id: UUID,
    *,
    body: ProductRestock,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/catalog/products/{product_id}/restock".format(
            product_id=quote(str(product_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ProductRead | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = ProductRead.from_dict(response.json())

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
) -> Response[Problem | ProductRead | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    product_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProductRestock,
) -> Response[Problem | ProductRead | ValidationProblem]:
    """Restock a product

     Add delivered units to the stock, atomically (needs `catalog:write`).

    Relative, so it never loses a concurrent reservation or restock; the answer carries the
    product's new `ETag`. Stock cannot be set with PATCH.

    Args:
        product_id (UUID):
        body (ProductRestock): Units delivered: added to the stock on hand, whatever it is now.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProductRead | ValidationProblem]
    """

    kwargs = _get_kwargs(
        product_id=product_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    product_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProductRestock,
) -> Problem | ProductRead | ValidationProblem | None:
    """Restock a product

     Add delivered units to the stock, atomically (needs `catalog:write`).

    Relative, so it never loses a concurrent reservation or restock; the answer carries the
    product's new `ETag`. Stock cannot be set with PATCH.

    Args:
        product_id (UUID):
        body (ProductRestock): Units delivered: added to the stock on hand, whatever it is now.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProductRead | ValidationProblem
    """

    return sync_detailed(
        product_id=product_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    product_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProductRestock,
) -> Response[Problem | ProductRead | ValidationProblem]:
    """Restock a product

     Add delivered units to the stock, atomically (needs `catalog:write`).

    Relative, so it never loses a concurrent reservation or restock; the answer carries the
    product's new `ETag`. Stock cannot be set with PATCH.

    Args:
        product_id (UUID):
        body (ProductRestock): Units delivered: added to the stock on hand, whatever it is now.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProductRead | ValidationProblem]
    """

    kwargs = _get_kwargs(
        product_id=product_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    product_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProductRestock,
) -> Problem | ProductRead | ValidationProblem | None:
    """Restock a product

     Add delivered units to the stock, atomically (needs `catalog:write`).

    Relative, so it never loses a concurrent reservation or restock; the answer carries the
    product's new `ETag`. Stock cannot be set with PATCH.

    Args:
        product_id (UUID):
        body (ProductRestock): Units delivered: added to the stock on hand, whatever it is now.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProductRead | ValidationProblem
    """

    return (
        await asyncio_detailed(
            product_id=product_id,
            client=client,
            body=body,
        )
    ).parsed
