"""Category routes: public reads, writes with `catalog:write`."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from emporium.catalog.categories import service
from emporium.catalog.categories.dependencies import CategoryDep
from emporium.catalog.categories.schemas import (
    CATEGORY_PAGE_JSON,
    CategoryCreate,
    CategoryPage,
    CategoryRead,
    CategoryUpdate,
)
from emporium.catalog.dependencies import CatalogWriterDep
from emporium.servicekit.db import SessionDep
from emporium.servicekit.openapi import LOCATION_HEADER, id_links, problem_responses
from emporium.servicekit.read_connection import ReadConnectionDep

router = APIRouter(prefix="/catalog/categories", tags=["categories"])


@router.get("", summary="List categories", response_model=CategoryPage)
async def list_categories(connection: ReadConnectionDep) -> Response:
    """Every category, by name (public)."""
    page = await service.list_categories(connection=connection)
    # Serialised once as CategoryPage's JSON, not validated into models first.
    return Response(CATEGORY_PAGE_JSON.dump_json(page), media_type="application/json")


@router.get(
    "/{category_key}", summary="Get a category by id or slug", responses=problem_responses(404)
)
async def get_category(category: CategoryDep) -> CategoryRead:
    """One category (public)."""
    return CategoryRead.model_validate(category)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a category",
    responses={
        201: {
            "headers": {"Location": LOCATION_HEADER},
            "links": id_links(
                "category_key",
                "catalog-categories-get-category",
                "catalog-categories-update-category",
            ),
        },
        **problem_responses(409, s409="The slug is taken."),
    },
)
async def create_category(
    _: CatalogWriterDep, data: CategoryCreate, session: SessionDep, response: Response
) -> CategoryRead:
    """Create a category (needs `catalog:write`); a taken slug is 409."""
    category = await service.create_category(data, session=session)
    response.headers["Location"] = f"/catalog/categories/{category.id}"
    return CategoryRead.model_validate(category)


@router.patch(
    "/{category_key}",
    summary="Update a category",
    responses=problem_responses(404, 409, s409="The slug is taken."),
)
async def update_category(
    _: CatalogWriterDep, data: CategoryUpdate, category: CategoryDep, session: SessionDep
) -> CategoryRead:
    """Change a category's slug or name (needs `catalog:write`)."""
    category = await service.update_category(category, data, session=session)
    return CategoryRead.model_validate(category)
