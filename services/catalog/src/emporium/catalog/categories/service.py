"""Category reads and writes."""

from __future__ import annotations

import uuid
from typing import cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.catalog.categories.exceptions import CategoryNotFound, DuplicateSlug
from emporium.catalog.categories.models import Category
from emporium.catalog.categories.schemas import (
    CategoryCreate,
    CategoryItem,
    CategoryPageData,
    CategoryRead,
    CategoryUpdate,
)
from emporium.catalog.database import flush_unique
from emporium.catalog.driver_sql import compile_for_driver
from emporium.servicekit.read_connection import ReadConnection

_LIST = compile_for_driver(
    select(*(Category.__table__.c[name] for name in CategoryRead.model_fields)).order_by(
        Category.name, Category.id
    ),
    variables=(),
)


async def list_categories(*, connection: ReadConnection) -> CategoryPageData:
    """Every category, by name (read on the driver: a public, hot and read-only list)."""
    rows = await connection.fetch(_LIST.sql, *_LIST.arguments({}))
    return {"items": [cast(CategoryItem, dict(row)) for row in rows], "next_cursor": None}


async def find_category(key: str, *, session: AsyncSession) -> Category | None:
    """The category whose id or slug is `key`, if any."""
    try:
        category_id = uuid.UUID(key)
    except ValueError:
        return await session.scalar(select(Category).where(Category.slug == key))
    return await session.get(Category, category_id)


async def get_category(key: str, *, session: AsyncSession) -> Category:
    """The category whose id or slug is `key`, or CategoryNotFound."""
    category = await find_category(key, session=session)
    if category is None:
        raise CategoryNotFound(f"No category has the id or slug {key!r}.")
    return category


async def create_category(data: CategoryCreate, *, session: AsyncSession) -> Category:
    """Insert a category; a taken slug is a DuplicateSlug conflict."""
    category = Category(slug=data.slug, name=data.name)
    session.add(category)
    await flush_unique(session, "uq_category_slug", DuplicateSlug(data.slug))
    return category


async def update_category(
    category: Category, data: CategoryUpdate, *, session: AsyncSession
) -> Category:
    """Apply the fields that were sent; a taken slug is a DuplicateSlug conflict."""
    for name, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(category, name, value)
    await flush_unique(session, "uq_category_slug", DuplicateSlug(category.slug))
    await session.refresh(category)
    return category
