"""The list read on the driver: SQL compiled once per listing shape, rows as plain records.

Every request of one shape (sort, which filters, a cursor or not) runs the same SQL, so it is
compiled the first time the shape is seen; a request only puts its values in order.
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

from sqlalchemy import Uuid, bindparam, select

from emporium.catalog.categories.models import Category
from emporium.catalog.driver_sql import CompiledSQL, compile_for_driver
from emporium.catalog.products.listing import (
    PARAMETERS,
    READ_COLUMNS,
    Listing,
    ListingShape,
    shape_statement,
)
from emporium.servicekit.read_connection import ReadConnection

_CATEGORY_BY_ID = compile_for_driver(
    select(Category.id).where(Category.id == bindparam("key", type_=Uuid())), {"key"}
)
_CATEGORY_BY_SLUG = compile_for_driver(
    select(Category.id).where(Category.slug == bindparam("key")), {"key"}
)


@functools.cache
def compiled_listing(shape: ListingShape) -> CompiledSQL:
    """The SQL of every listing of `shape` (compiled on first use, then cached)."""
    return compile_for_driver(shape_statement(shape).with_only_columns(*READ_COLUMNS), PARAMETERS)


async def fetch_listing(listing: Listing, *, connection: ReadConnection) -> list[Any]:
    """The rows of one listing (limit + 1 of them at most), columns as in ProductRead."""
    compiled = compiled_listing(listing.shape)
    return await connection.fetch(compiled.sql, *compiled.arguments(listing.values))


async def find_category_id(key: str, *, connection: ReadConnection) -> uuid.UUID | None:
    """The id of the category whose id or slug is `key`, if any."""
    compiled = _CATEGORY_BY_SLUG
    value: str | uuid.UUID = key
    try:
        value = uuid.UUID(key)
        compiled = _CATEGORY_BY_ID
    except ValueError:
        pass
    args = compiled.arguments({"key": value})
    found: uuid.UUID | None = await connection.fetchval(compiled.sql, *args)
    return found
