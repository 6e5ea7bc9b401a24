"""Category request and response schemas."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter
from typing_extensions import TypedDict

from emporium.catalog.categories.models import SLUG_PATTERN

Slug = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=SLUG_PATTERN)]
CategoryName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
]


class CategoryCreate(BaseModel):
    """A new category."""

    model_config = ConfigDict(extra="forbid")

    slug: Slug = Field(description="Lowercase words joined by hyphens, unique.", examples=["audio"])
    name: CategoryName = Field(examples=["Audio"])


class CategoryUpdate(BaseModel):
    """A partial change to a category; absent fields are left alone."""

    model_config = ConfigDict(extra="forbid")

    slug: Slug | None = None
    name: CategoryName | None = None


class CategoryRead(BaseModel):
    """A category as clients see it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    slug: str
    name: str


class CategoryPage(BaseModel):
    """Every category (the list is small, so it is always one page)."""

    items: list[CategoryRead]
    next_cursor: str | None = None


class CategoryItem(TypedDict):
    """A category row as it is sent: the fields of CategoryRead, in its order, of its types."""

    id: uuid.UUID
    slug: str
    name: str


class CategoryPageData(TypedDict):
    """The list as the service builds it: the JSON of CategoryPage without a model per row."""

    items: list[CategoryItem]
    next_cursor: str | None


CATEGORY_PAGE_JSON = TypeAdapter(CategoryPageData)
"""Serialises the category list to the JSON CategoryPage documents (rows not re-validated)."""
