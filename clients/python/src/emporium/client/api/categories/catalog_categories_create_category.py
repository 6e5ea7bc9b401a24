from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_categories_create_category_response_401 import (
    CatalogCategoriesCreateCategoryResponse401,
)
from ...models.catalog_categories_create_category_response_403 import (
    CatalogCategoriesCreateCategoryResponse403,
)
from ...models.catalog_categories_create_category_response_409 import (
    CatalogCategoriesCreateCategoryResponse409,
)
from ...models.catalog_categories_create_category_response_422 import (
    CatalogCategoriesCreateCategoryResponse422,
)
from ...models.category_create import CategoryCreate
from ...models.category_read import CategoryRead
from ...types import Response


def _get_kwargs(
    *,
    body: CategoryCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/catalog/categories",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    CatalogCategoriesCreateCategoryResponse401
    | CatalogCategoriesCreateCategoryResponse403
    | CatalogCategoriesCreateCategoryResponse409
    | CatalogCategoriesCreateCategoryResponse422
    | CategoryRead
    | None
):
    if response.status_code == 201:
        response_201 = CategoryRead.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = CatalogCategoriesCreateCategoryResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = CatalogCategoriesCreateCategoryResponse403.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = CatalogCategoriesCreateCategoryResponse409.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = CatalogCategoriesCreateCategoryResponse422.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    CatalogCategoriesCreateCategoryResponse401
    | CatalogCategoriesCreateCategoryResponse403
    | CatalogCategoriesCreateCategoryResponse409
    | CatalogCategoriesCreateCategoryResponse422
    | CategoryRead
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
    body: CategoryCreate,
) -> Response[
    CatalogCategoriesCreateCategoryResponse401
    | CatalogCategoriesCreateCategoryResponse403
    | CatalogCategoriesCreateCategoryResponse409
    | CatalogCategoriesCreateCategoryResponse422
    | CategoryRead
]:
    """Create a category

     Create a category (needs `catalog:write`); a taken slug is 409.

    Args:
        body (CategoryCreate): A new category.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogCategoriesCreateCategoryResponse401 | CatalogCategoriesCreateCategoryResponse403 | CatalogCategoriesCreateCategoryResponse409 | CatalogCategoriesCreateCategoryResponse422 | CategoryRead]
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
    body: CategoryCreate,
) -> (
    CatalogCategoriesCreateCategoryResponse401
    | CatalogCategoriesCreateCategoryResponse403
    | CatalogCategoriesCreateCategoryResponse409
    | CatalogCategoriesCreateCategoryResponse422
    | CategoryRead
    | None
):
    """Create a category

     Create a category (needs `catalog:write`); a taken slug is 409.

    Args:
        body (CategoryCreate): A new category.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogCategoriesCreateCategoryResponse401 | CatalogCategoriesCreateCategoryResponse403 | CatalogCategoriesCreateCategoryResponse409 | CatalogCategoriesCreateCategoryResponse422 | CategoryRead
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CategoryCreate,
) -> Response[
    CatalogCategoriesCreateCategoryResponse401
    | CatalogCategoriesCreateCategoryResponse403
    | CatalogCategoriesCreateCategoryResponse409
    | CatalogCategoriesCreateCategoryResponse422
    | CategoryRead
]:
    """Create a category

     Create a category (needs `catalog:write`); a taken slug is 409.

    Args:
        body (CategoryCreate): A new category.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogCategoriesCreateCategoryResponse401 | CatalogCategoriesCreateCategoryResponse403 | CatalogCategoriesCreateCategoryResponse409 | CatalogCategoriesCreateCategoryResponse422 | CategoryRead]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CategoryCreate,
) -> (
    CatalogCategoriesCreateCategoryResponse401
    | CatalogCategoriesCreateCategoryResponse403
    | CatalogCategoriesCreateCategoryResponse409
    | CatalogCategoriesCreateCategoryResponse422
    | CategoryRead
    | None
):
    """Create a category

     Create a category (needs `catalog:write`); a taken slug is 409.

    Args:
        body (CategoryCreate): A new category.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogCategoriesCreateCategoryResponse401 | CatalogCategoriesCreateCategoryResponse403 | CatalogCategoriesCreateCategoryResponse409 | CatalogCategoriesCreateCategoryResponse422 | CategoryRead
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
