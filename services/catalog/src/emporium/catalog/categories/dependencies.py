"""Dependency aliases of the categories domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from emporium.catalog.categories import service
from emporium.catalog.categories.models import Category
from emporium.servicekit import SessionDep


async def valid_category(category_key: str, session: SessionDep) -> Category:
    """The category named by the path's id or slug, or a 404 problem."""
    return await service.get_category(category_key, session=session)


CategoryDep = Annotated[Category, Depends(valid_category)]
