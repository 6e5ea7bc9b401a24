from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.product_read import ProductRead
from ...models.product_update import ProductUpdate
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    product_id: UUID,
    *,
    body: ProductUpdate,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/catalog/products/{product_id}".format(
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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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
    body: ProductUpdate,
    if_match: None | str | Unset = UNSET,
) -> Response[Problem | ProductRead | ValidationProblem]:
    """Update a product

     Change some fields (needs `catalog:write`); a stale `If-Match` is 412.

    `stock` is not one of them (sending it is a 422): use `POST …/restock` to add units.

    Args:
        product_id (UUID):
        if_match (None | str | Unset): An ETag from a previous read; the write is refused with 412
            if stale.
        body (ProductUpdate): A partial change (PATCH): absent fields are left alone, null is not
            allowed.

            `stock` cannot be set here: `POST /catalog/products/{product_id}/restock` adds units and
            reservations take them, each relative and atomic, so no write overwrites another's count.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProductRead | ValidationProblem]
    """

    kwargs = _get_kwargs(
        product_id=product_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    product_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProductUpdate,
    if_match: None | str | Unset = UNSET,
) -> Problem | ProductRead | ValidationProblem | None:
    """Update a product

     Change some fields (needs `catalog:write`); a stale `If-Match` is 412.

    `stock` is not one of them (sending it is a 422): use `POST …/restock` to add units.

    Args:
        product_id (UUID):
        if_match (None | str | Unset): An ETag from a previous read; the write is refused with 412
            if stale.
        body (ProductUpdate): A partial change (PATCH): absent fields are left alone, null is not
            allowed.

            `stock` cannot be set here: `POST /catalog/products/{product_id}/restock` adds units and
            reservations take them, each relative and atomic, so no write overwrites another's count.

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
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    product_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProductUpdate,
    if_match: None | str | Unset = UNSET,
) -> Response[Problem | ProductRead | ValidationProblem]:
    """Update a product

     Change some fields (needs `catalog:write`); a stale `If-Match` is 412.

    `stock` is not one of them (sending it is a 422): use `POST …/restock` to add units.

    Args:
        product_id (UUID):
        if_match (None | str | Unset): An ETag from a previous read; the write is refused with 412
            if stale.
        body (ProductUpdate): A partial change (PATCH): absent fields are left alone, null is not
            allowed.

            `stock` cannot be set here: `POST /catalog/products/{product_id}/restock` adds units and
            reservations take them, each relative and atomic, so no write overwrites another's count.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProductRead | ValidationProblem]
    """

    kwargs = _get_kwargs(
        product_id=product_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    product_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProductUpdate,
    if_match: None | str | Unset = UNSET,
) -> Problem | ProductRead | ValidationProblem | None:
    """Update a product

     Change some fields (needs `catalog:write`); a stale `If-Match` is 412.

    `stock` is not one of them (sending it is a 422): use `POST …/restock` to add units.

    Args:
        product_id (UUID):
        if_match (None | str | Unset): An ETag from a previous read; the write is refused with 412
            if stale.
        body (ProductUpdate): A partial change (PATCH): absent fields are left alone, null is not
            allowed.

            `stock` cannot be set here: `POST /catalog/products/{product_id}/restock` adds units and
            reservations take them, each relative and atomic, so no write overwrites another's count.

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
            if_match=if_match,
        )
    ).parsed
