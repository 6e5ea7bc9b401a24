from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.product_page import ProductPage
from ...models.product_sort import ProductSort
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    category: None | str | Unset = UNSET,
    min_price: int | None | Unset = UNSET,
    max_price: int | None | Unset = UNSET,
    in_stock: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: ProductSort | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_category: None | str | Unset
    if isinstance(category, Unset):
        json_category = UNSET
    else:
        json_category = category
    params["category"] = json_category

    json_min_price: int | None | Unset
    if isinstance(min_price, Unset):
        json_min_price = UNSET
    else:
        json_min_price = min_price
    params["min_price"] = json_min_price

    json_max_price: int | None | Unset
    if isinstance(max_price, Unset):
        json_max_price = UNSET
    else:
        json_max_price = max_price
    params["max_price"] = json_max_price

    json_in_stock: bool | None | Unset
    if isinstance(in_stock, Unset):
        json_in_stock = UNSET
    else:
        json_in_stock = in_stock
    params["in_stock"] = json_in_stock

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort

    params["sort"] = json_sort

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/catalog/products",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ProductPage | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = ProductPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[Problem | ProductPage | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    category: None | str | Unset = UNSET,
    min_price: int | None | Unset = UNSET,
    max_price: int | None | Unset = UNSET,
    in_stock: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: ProductSort | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | ProductPage | ValidationProblem]:
    """List products

     Active products, filtered and sorted, one keyset page at a time (public).

    Args:
        category (None | str | Unset): Category id or slug.
        min_price (int | None | Unset): Lowest price_cents, inclusive.
        max_price (int | None | Unset): Highest price_cents, inclusive.
        in_stock (bool | None | Unset): true: only products with stock > 0; false: only sold-out
            ones.
        q (None | str | Unset): Words to find in name or description (each word also matches as a
            prefix).
        sort (ProductSort | Unset): Orders of the product list (ties are broken by id, so pages
            are stable).
        limit (int | Unset): Page size (1-100). Default: 20.
        cursor (None | str | Unset): The `next_cursor` of the previous page, with the same sort.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProductPage | ValidationProblem]
    """

    kwargs = _get_kwargs(
        category=category,
        min_price=min_price,
        max_price=max_price,
        in_stock=in_stock,
        q=q,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    category: None | str | Unset = UNSET,
    min_price: int | None | Unset = UNSET,
    max_price: int | None | Unset = UNSET,
    in_stock: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: ProductSort | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> Problem | ProductPage | ValidationProblem | None:
    """List products

     Active products, filtered and sorted, one keyset page at a time (public).

    Args:
        category (None | str | Unset): Category id or slug.
        min_price (int | None | Unset): Lowest price_cents, inclusive.
        max_price (int | None | Unset): Highest price_cents, inclusive.
        in_stock (bool | None | Unset): true: only products with stock > 0; false: only sold-out
            ones.
        q (None | str | Unset): Words to find in name or description (each word also matches as a
            prefix).
        sort (ProductSort | Unset): Orders of the product list (ties are broken by id, so pages
            are stable).
        limit (int | Unset): Page size (1-100). Default: 20.
        cursor (None | str | Unset): The `next_cursor` of the previous page, with the same sort.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProductPage | ValidationProblem
    """

    return sync_detailed(
        client=client,
        category=category,
        min_price=min_price,
        max_price=max_price,
        in_stock=in_stock,
        q=q,
        sort=sort,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    category: None | str | Unset = UNSET,
    min_price: int | None | Unset = UNSET,
    max_price: int | None | Unset = UNSET,
    in_stock: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: ProductSort | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | ProductPage | ValidationProblem]:
    """List products

     Active products, filtered and sorted, one keyset page at a time (public).

    Args:
        category (None | str | Unset): Category id or slug.
        min_price (int | None | Unset): Lowest price_cents, inclusive.
        max_price (int | None | Unset): Highest price_cents, inclusive.
        in_stock (bool | None | Unset): true: only products with stock > 0; false: only sold-out
            ones.
        q (None | str | Unset): Words to find in name or description (each word also matches as a
            prefix).
        sort (ProductSort | Unset): Orders of the product list (ties are broken by id, so pages
            are stable).
        limit (int | Unset): Page size (1-100). Default: 20.
        cursor (None | str | Unset): The `next_cursor` of the previous page, with the same sort.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProductPage | ValidationProblem]
    """

    kwargs = _get_kwargs(
        category=category,
        min_price=min_price,
        max_price=max_price,
        in_stock=in_stock,
        q=q,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    category: None | str | Unset = UNSET,
    min_price: int | None | Unset = UNSET,
    max_price: int | None | Unset = UNSET,
    in_stock: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: ProductSort | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> Problem | ProductPage | ValidationProblem | None:
    """List products

     Active products, filtered and sorted, one keyset page at a time (public).

    Args:
        category (None | str | Unset): Category id or slug.
        min_price (int | None | Unset): Lowest price_cents, inclusive.
        max_price (int | None | Unset): Highest price_cents, inclusive.
        in_stock (bool | None | Unset): true: only products with stock > 0; false: only sold-out
            ones.
        q (None | str | Unset): Words to find in name or description (each word also matches as a
            prefix).
        sort (ProductSort | Unset): Orders of the product list (ties are broken by id, so pages
            are stable).
        limit (int | Unset): Page size (1-100). Default: 20.
        cursor (None | str | Unset): The `next_cursor` of the previous page, with the same sort.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProductPage | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            category=category,
            min_price=min_price,
            max_price=max_price,
            in_stock=in_stock,
            q=q,
            sort=sort,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
