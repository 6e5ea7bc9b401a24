from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_categories_get_category_response_404 import (
    CatalogCategoriesGetCategoryResponse404,
)
from ...models.category_read import CategoryRead
from ...models.http_validation_error import HTTPValidationError
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
) -> CatalogCategoriesGetCategoryResponse404 | CategoryRead | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = CategoryRead.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = CatalogCategoriesGetCategoryResponse404.from_dict(response.json())

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
) -> Response[CatalogCategoriesGetCategoryResponse404 | CategoryRead | HTTPValidationError]:
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
) -> Response[CatalogCategoriesGetCategoryResponse404 | CategoryRead | HTTPValidationError]:
    """Get a category by id or slug

     One category (public).

    Args:
        category_key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogCategoriesGetCategoryResponse404 | CategoryRead | HTTPValidationError]
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
) -> CatalogCategoriesGetCategoryResponse404 | CategoryRead | HTTPValidationError | None:
    """Get a category by id or slug

     One category (public).

    Args:
        category_key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogCategoriesGetCategoryResponse404 | CategoryRead | HTTPValidationError
    """

    return sync_detailed(
        category_key=category_key,
        client=client,
    ).parsed


async def asyncio_detailed(
    category_key: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CatalogCategoriesGetCategoryResponse404 | CategoryRead | HTTPValidationError]:
    """Get a category by id or slug

     One category (public).

    Args:
        category_key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogCategoriesGetCategoryResponse404 | CategoryRead | HTTPValidationError]
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
) -> CatalogCategoriesGetCategoryResponse404 | CategoryRead | HTTPValidationError | None:
    """Get a category by id or slug

     One category (public).

    Args:
        category_key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogCategoriesGetCategoryResponse404 | CategoryRead | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            category_key=category_key,
            client=client,
        )
    ).parsed
