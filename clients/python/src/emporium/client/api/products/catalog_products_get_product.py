from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_products_get_product_response_404 import CatalogProductsGetProductResponse404
from ...models.http_validation_error import HTTPValidationError
from ...models.product_read import ProductRead
from ...types import Response


def _get_kwargs(
    product_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/catalog/products/{product_id}".format(
            product_id=quote(str(product_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CatalogProductsGetProductResponse404 | HTTPValidationError | ProductRead | None:
    if response.status_code == 200:
        response_200 = ProductRead.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = CatalogProductsGetProductResponse404.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CatalogProductsGetProductResponse404 | HTTPValidationError | ProductRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    product_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CatalogProductsGetProductResponse404 | HTTPValidationError | ProductRead]:
    """Get a product

     One product, active or not (public); the `ETag` header is its version.

    Args:
        product_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogProductsGetProductResponse404 | HTTPValidationError | ProductRead]
    """

    kwargs = _get_kwargs(
        product_id=product_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    product_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> CatalogProductsGetProductResponse404 | HTTPValidationError | ProductRead | None:
    """Get a product

     One product, active or not (public); the `ETag` header is its version.

    Args:
        product_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogProductsGetProductResponse404 | HTTPValidationError | ProductRead
    """

    return sync_detailed(
        product_id=product_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    product_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CatalogProductsGetProductResponse404 | HTTPValidationError | ProductRead]:
    """Get a product

     One product, active or not (public); the `ETag` header is its version.

    Args:
        product_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogProductsGetProductResponse404 | HTTPValidationError | ProductRead]
    """

    kwargs = _get_kwargs(
        product_id=product_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    product_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> CatalogProductsGetProductResponse404 | HTTPValidationError | ProductRead | None:
    """Get a product

     One product, active or not (public); the `ETag` header is its version.

    Args:
        product_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogProductsGetProductResponse404 | HTTPValidationError | ProductRead
    """

    return (
        await asyncio_detailed(
            product_id=product_id,
            client=client,
        )
    ).parsed
