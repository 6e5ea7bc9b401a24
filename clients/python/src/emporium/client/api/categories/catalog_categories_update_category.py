from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_categories_update_category_response_401 import (
    CatalogCategoriesUpdateCategoryResponse401,
)
from ...models.catalog_categories_update_category_response_403 import (
    CatalogCategoriesUpdateCategoryResponse403,
)
from ...models.catalog_categories_update_category_response_404 import (
    CatalogCategoriesUpdateCategoryResponse404,
)
from ...models.catalog_categories_update_category_response_409 import (
    CatalogCategoriesUpdateCategoryResponse409,
)
from ...models.catalog_categories_update_category_response_422 import (
    CatalogCategoriesUpdateCategoryResponse422,
)
from ...models.category_read import CategoryRead
from ...models.category_update import CategoryUpdate
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
) -> (
    CatalogCategoriesUpdateCategoryResponse401
    | CatalogCategoriesUpdateCategoryResponse403
    | CatalogCategoriesUpdateCategoryResponse404
    | CatalogCategoriesUpdateCategoryResponse409
    | CatalogCategoriesUpdateCategoryResponse422
    | CategoryRead
    | None
):
    if response.status_code == 200:
        response_200 = CategoryRead.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = CatalogCategoriesUpdateCategoryResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = CatalogCategoriesUpdateCategoryResponse403.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = CatalogCategoriesUpdateCategoryResponse404.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = CatalogCategoriesUpdateCategoryResponse409.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = CatalogCategoriesUpdateCategoryResponse422.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    CatalogCategoriesUpdateCategoryResponse401
    | CatalogCategoriesUpdateCategoryResponse403
    | CatalogCategoriesUpdateCategoryResponse404
    | CatalogCategoriesUpdateCategoryResponse409
    | CatalogCategoriesUpdateCategoryResponse422
    | CategoryRead
]:
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
) -> Response[
    CatalogCategoriesUpdateCategoryResponse401
    | CatalogCategoriesUpdateCategoryResponse403
    | CatalogCategoriesUpdateCategoryResponse404
    | CatalogCategoriesUpdateCategoryResponse409
    | CatalogCategoriesUpdateCategoryResponse422
    | CategoryRead
]:
    """Update a category

     Change a category's slug or name (needs `catalog:write`).

    Args:
        category_key (str):
        body (CategoryUpdate): A partial change to a category; absent fields are left alone.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogCategoriesUpdateCategoryResponse401 | CatalogCategoriesUpdateCategoryResponse403 | CatalogCategoriesUpdateCategoryResponse404 | CatalogCategoriesUpdateCategoryResponse409 | CatalogCategoriesUpdateCategoryResponse422 | CategoryRead]
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
) -> (
    CatalogCategoriesUpdateCategoryResponse401
    | CatalogCategoriesUpdateCategoryResponse403
    | CatalogCategoriesUpdateCategoryResponse404
    | CatalogCategoriesUpdateCategoryResponse409
    | CatalogCategoriesUpdateCategoryResponse422
    | CategoryRead
    | None
):
    """Update a category

     Change a category's slug or name (needs `catalog:write`).

    Args:
        category_key (str):
        body (CategoryUpdate): A partial change to a category; absent fields are left alone.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogCategoriesUpdateCategoryResponse401 | CatalogCategoriesUpdateCategoryResponse403 | CatalogCategoriesUpdateCategoryResponse404 | CatalogCategoriesUpdateCategoryResponse409 | CatalogCategoriesUpdateCategoryResponse422 | CategoryRead
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
) -> Response[
    CatalogCategoriesUpdateCategoryResponse401
    | CatalogCategoriesUpdateCategoryResponse403
    | CatalogCategoriesUpdateCategoryResponse404
    | CatalogCategoriesUpdateCategoryResponse409
    | CatalogCategoriesUpdateCategoryResponse422
    | CategoryRead
]:
    """Update a category

     Change a category's slug or name (needs `catalog:write`).

    Args:
        category_key (str):
        body (CategoryUpdate): A partial change to a category; absent fields are left alone.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogCategoriesUpdateCategoryResponse401 | CatalogCategoriesUpdateCategoryResponse403 | CatalogCategoriesUpdateCategoryResponse404 | CatalogCategoriesUpdateCategoryResponse409 | CatalogCategoriesUpdateCategoryResponse422 | CategoryRead]
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
) -> (
    CatalogCategoriesUpdateCategoryResponse401
    | CatalogCategoriesUpdateCategoryResponse403
    | CatalogCategoriesUpdateCategoryResponse404
    | CatalogCategoriesUpdateCategoryResponse409
    | CatalogCategoriesUpdateCategoryResponse422
    | CategoryRead
    | None
):
    """Update a category

     Change a category's slug or name (needs `catalog:write`).

    Args:
        category_key (str):
        body (CategoryUpdate): A partial change to a category; absent fields are left alone.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogCategoriesUpdateCategoryResponse401 | CatalogCategoriesUpdateCategoryResponse403 | CatalogCategoriesUpdateCategoryResponse404 | CatalogCategoriesUpdateCategoryResponse409 | CatalogCategoriesUpdateCategoryResponse422 | CategoryRead
    """

    return (
        await asyncio_detailed(
            category_key=category_key,
            client=client,
            body=body,
        )
    ).parsed
