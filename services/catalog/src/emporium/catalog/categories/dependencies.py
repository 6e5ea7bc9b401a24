"""Dependency aliases of the categories domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from emporium.catalog.categories import service
from emporium.catalog.categories.models import Category
from emporium.servicekit.db import SessionDep

CategoryKey = Annotated[
    str, Path(min_length=1, max_length=64, description="The category's id or slug.")
]


async def valid_category(category_key: CategoryKey, session: SessionDep) -> Category:
    """The category named by the path's id or slug, or a 404 problem."""
    return await service.get_category(category_key, session=session)


CategoryDep = Annotated[Category, Depends(valid_category)]
