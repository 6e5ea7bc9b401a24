from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_products_restock_product_response_401 import (
    CatalogProductsRestockProductResponse401,
)
from ...models.catalog_products_restock_product_response_403 import (
    CatalogProductsRestockProductResponse403,
)
from ...models.catalog_products_restock_product_response_404 import (
    CatalogProductsRestockProductResponse404,
)
from ...models.catalog_products_restock_product_response_409 import (
    CatalogProductsRestockProductResponse409,
)
from ...models.catalog_products_restock_product_response_422 import (
    CatalogProductsRestockProductResponse422,
)
from ...models.product_read import ProductRead
from ...models.product_restock import ProductRestock
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
) -> (
    CatalogProductsRestockProductResponse401
    | CatalogProductsRestockProductResponse403
    | CatalogProductsRestockProductResponse404
    | CatalogProductsRestockProductResponse409
    | CatalogProductsRestockProductResponse422
    | ProductRead
    | None
):
    if response.status_code == 200:
        response_200 = ProductRead.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = CatalogProductsRestockProductResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = CatalogProductsRestockProductResponse403.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = CatalogProductsRestockProductResponse404.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = CatalogProductsRestockProductResponse409.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = CatalogProductsRestockProductResponse422.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    CatalogProductsRestockProductResponse401
    | CatalogProductsRestockProductResponse403
    | CatalogProductsRestockProductResponse404
    | CatalogProductsRestockProductResponse409
    | CatalogProductsRestockProductResponse422
    | ProductRead
]:
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
) -> Response[
    CatalogProductsRestockProductResponse401
    | CatalogProductsRestockProductResponse403
    | CatalogProductsRestockProductResponse404
    | CatalogProductsRestockProductResponse409
    | CatalogProductsRestockProductResponse422
    | ProductRead
]:
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
        Response[CatalogProductsRestockProductResponse401 | CatalogProductsRestockProductResponse403 | CatalogProductsRestockProductResponse404 | CatalogProductsRestockProductResponse409 | CatalogProductsRestockProductResponse422 | ProductRead]
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
) -> (
    CatalogProductsRestockProductResponse401
    | CatalogProductsRestockProductResponse403
    | CatalogProductsRestockProductResponse404
    | CatalogProductsRestockProductResponse409
    | CatalogProductsRestockProductResponse422
    | ProductRead
    | None
):
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
        CatalogProductsRestockProductResponse401 | CatalogProductsRestockProductResponse403 | CatalogProductsRestockProductResponse404 | CatalogProductsRestockProductResponse409 | CatalogProductsRestockProductResponse422 | ProductRead
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
) -> Response[
    CatalogProductsRestockProductResponse401
    | CatalogProductsRestockProductResponse403
    | CatalogProductsRestockProductResponse404
    | CatalogProductsRestockProductResponse409
    | CatalogProductsRestockProductResponse422
    | ProductRead
]:
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
        Response[CatalogProductsRestockProductResponse401 | CatalogProductsRestockProductResponse403 | CatalogProductsRestockProductResponse404 | CatalogProductsRestockProductResponse409 | CatalogProductsRestockProductResponse422 | ProductRead]
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
) -> (
    CatalogProductsRestockProductResponse401
    | CatalogProductsRestockProductResponse403
    | CatalogProductsRestockProductResponse404
    | CatalogProductsRestockProductResponse409
    | CatalogProductsRestockProductResponse422
    | ProductRead
    | None
):
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
        CatalogProductsRestockProductResponse401 | CatalogProductsRestockProductResponse403 | CatalogProductsRestockProductResponse404 | CatalogProductsRestockProductResponse409 | CatalogProductsRestockProductResponse422 | ProductRead
    """

    return (
        await asyncio_detailed(
            product_id=product_id,
            client=client,
            body=body,
        )
    ).parsed
