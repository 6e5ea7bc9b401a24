from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_products_create_product_response_401 import (
    CatalogProductsCreateProductResponse401,
)
from ...models.catalog_products_create_product_response_403 import (
    CatalogProductsCreateProductResponse403,
)
from ...models.catalog_products_create_product_response_409 import (
    CatalogProductsCreateProductResponse409,
)
from ...models.catalog_products_create_product_response_422 import (
    CatalogProductsCreateProductResponse422,
)
from ...models.product_create import ProductCreate
from ...models.product_read import ProductRead
from ...types import Response


def _get_kwargs(
    *,
    body: ProductCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/catalog/products",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    CatalogProductsCreateProductResponse401
    | CatalogProductsCreateProductResponse403
    | CatalogProductsCreateProductResponse409
    | CatalogProductsCreateProductResponse422
    | ProductRead
    | None
):
    if response.status_code == 201:
        response_201 = ProductRead.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = CatalogProductsCreateProductResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = CatalogProductsCreateProductResponse403.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = CatalogProductsCreateProductResponse409.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = CatalogProductsCreateProductResponse422.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    CatalogProductsCreateProductResponse401
    | CatalogProductsCreateProductResponse403
    | CatalogProductsCreateProductResponse409
    | CatalogProductsCreateProductResponse422
    | ProductRead
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
    body: ProductCreate,
) -> Response[
    CatalogProductsCreateProductResponse401
    | CatalogProductsCreateProductResponse403
    | CatalogProductsCreateProductResponse409
    | CatalogProductsCreateProductResponse422
    | ProductRead
]:
    """Create a product

     Create a product (needs `catalog:write`); a taken SKU is 409.

    Args:
        body (ProductCreate): A new product.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogProductsCreateProductResponse401 | CatalogProductsCreateProductResponse403 | CatalogProductsCreateProductResponse409 | CatalogProductsCreateProductResponse422 | ProductRead]
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
    body: ProductCreate,
) -> (
    CatalogProductsCreateProductResponse401
    | CatalogProductsCreateProductResponse403
    | CatalogProductsCreateProductResponse409
    | CatalogProductsCreateProductResponse422
    | ProductRead
    | None
):
    """Create a product

     Create a product (needs `catalog:write`); a taken SKU is 409.

    Args:
        body (ProductCreate): A new product.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogProductsCreateProductResponse401 | CatalogProductsCreateProductResponse403 | CatalogProductsCreateProductResponse409 | CatalogProductsCreateProductResponse422 | ProductRead
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ProductCreate,
) -> Response[
    CatalogProductsCreateProductResponse401
    | CatalogProductsCreateProductResponse403
    | CatalogProductsCreateProductResponse409
    | CatalogProductsCreateProductResponse422
    | ProductRead
]:
    """Create a product

     Create a product (needs `catalog:write`); a taken SKU is 409.

    Args:
        body (ProductCreate): A new product.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogProductsCreateProductResponse401 | CatalogProductsCreateProductResponse403 | CatalogProductsCreateProductResponse409 | CatalogProductsCreateProductResponse422 | ProductRead]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ProductCreate,
) -> (
    CatalogProductsCreateProductResponse401
    | CatalogProductsCreateProductResponse403
    | CatalogProductsCreateProductResponse409
    | CatalogProductsCreateProductResponse422
    | ProductRead
    | None
):
    """Create a product

     Create a product (needs `catalog:write`); a taken SKU is 409.

    Args:
        body (ProductCreate): A new product.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogProductsCreateProductResponse401 | CatalogProductsCreateProductResponse403 | CatalogProductsCreateProductResponse409 | CatalogProductsCreateProductResponse422 | ProductRead
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
